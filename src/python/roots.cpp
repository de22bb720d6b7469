// polybatch.roots(a): every complex root of each row, computed by pb::roots
// without the GIL and copied into a new complex numpy array (complex64 for
// float32 input, complex128 otherwise), a torch tensor for torch input.
#include "roots.hpp"

#include <complex>
#include <cstring>
#include <string>
#include <vector>

#include <pybind11/numpy.h>

#include <polybatch/algebra/roots.hpp>

#include "operands.hpp"

namespace polybatch::python {

namespace {

template <class T>
py::object roots_as(const Operand& op, const char* what) {
  const Rows<T> rows = rows_as<T>(op, what);
  const std::size_t places = op.length == 0 ? 0 : op.length - 1;
  std::vector<py::ssize_t> shape;
  if (!op.one_d) shape.push_back(static_cast<py::ssize_t>(op.batch));
  shape.push_back(static_cast<py::ssize_t>(places));
  py::array_t<std::complex<T>> out(shape);
  std::complex<T>* dst = out.mutable_data();
  {
    py::gil_scoped_release release;
    const PolyView<const T> a(rows.data, op.batch, op.length);
    const xt::xtensor<std::complex<T>, 2> z = roots(a);
    if (z.size() > 0) std::memcpy(static_cast<void*>(dst), z.data(), z.size() * sizeof(std::complex<T>));
  }
  py::object result = std::move(out);
  if (op.torch) return py::module_::import("torch").attr("from_numpy")(result);
  return result;
}

py::object roots_of(py::handle a) {
  const char* what = "polybatch.roots";
  const Operand op = read_operand(a, "a", what);
  if (op.length == 0) throw py::value_error(std::string(what) + ": a has no coefficients (length 0)");
  if (op.storage == Storage::object)
    throw py::type_error(std::string(what) + ": a is an object array; roots are computed in float32 or float64");
  if (op.storage == Storage::float32) return roots_as<float>(op, what);
  return roots_as<double>(op, what);
}

} // namespace

void register_roots(py::module_& m) {
  m.def("roots", &roots_of, py::arg("a"),
        "Every complex root of each row (ascending powers), sorted by (real, imaginary) part; NaN fills the places "
        "of a row of lower degree.");
}

} // namespace polybatch::python
