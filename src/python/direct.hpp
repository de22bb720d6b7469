// polybatch.mul / convolve / correlate on arrays: the library's static
// expression over two adapted views, assigned into the result in one call,
// with no expression text to parse (the per-call overhead at small B is a
// few microseconds). Exact dtypes take the expression path (engine.hpp).
#pragma once

#include <string>

#include "operands.hpp"

namespace polybatch::python {

/// convolve(a, v, mode) (correlate when `correlate`), written into out= or
/// a new array.
py::object convolve_arrays(py::handle a, py::handle v, py::handle out, const std::string& mode, bool correlate,
                           const char* what);

} // namespace polybatch::python
