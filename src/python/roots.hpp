// polybatch._core.roots: pb::roots on a numpy array or CPU torch tensor
// (registered from module.cpp; python/polybatch/__init__.py adds Poly input).
#pragma once

#include <pybind11/pybind11.h>

namespace polybatch::python {

/// Adds `roots(a)` to the module.
void register_roots(pybind11::module_& m);

} // namespace polybatch::python
