// polybatch.roots(a, out=None): every complex root of each row, computed by
// pb::roots' kernel without the GIL straight into a new complex numpy array
// (complex64 for float32 input, complex128 otherwise; a torch tensor for torch
// input) or into `out`.
#include "roots.hpp"

#include <complex>
#include <string>
#include <vector>

#include <pybind11/numpy.h>

#include <polybatch/algebra/roots.hpp>

#include "operands.hpp"

namespace polybatch::python {

namespace {

/// The result array: `out` when given (checked: a numpy array of the result's
/// dtype and shape, C-contiguous and writeable), else a new one.
template <class T>
py::array_t<std::complex<T>> result_array(const std::vector<py::ssize_t>& shape, py::handle out, const char* what) {
  if (out.is_none()) return py::array_t<std::complex<T>>(shape);
  const std::string name = std::string(what) + ": out";
  if (!py::isinstance<py::array>(out))
    throw py::type_error(name + " must be a numpy array, not " + std::string(py::str(py::type::of(out))));
  auto array = py::reinterpret_borrow<py::array>(out);
  const auto expected = py::dtype::of<std::complex<T>>();
  if (!array.dtype().equal(expected))
    throw py::type_error(name + " has dtype " + py::cast<std::string>(array.dtype().attr("name")) + "; the roots are " +
                         py::cast<std::string>(expected.attr("name")));
  std::string want = "(", got = "(";
  for (std::size_t k = 0; k < shape.size(); ++k) want += (k ? ", " : "") + std::to_string(shape[k]);
  for (py::ssize_t k = 0; k < array.ndim(); ++k) got += (k ? ", " : "") + std::to_string(array.shape(k));
  bool same = static_cast<std::size_t>(array.ndim()) == shape.size();
  for (std::size_t k = 0; same && k < shape.size(); ++k) same = array.shape(static_cast<py::ssize_t>(k)) == shape[k];
  if (!same) throw py::value_error(name + " has shape " + got + ")" + "; the roots need " + want + ")");
  if (!(array.flags() & py::array::c_style)) throw py::value_error(name + " is not C-contiguous");
  if (!array.writeable()) throw py::value_error(name + " is read-only");
  return py::reinterpret_borrow<py::array_t<std::complex<T>>>(out);
}

template <class T>
py::object roots_as(const Operand& op, py::handle out_arg, const char* what) {
  const Rows<T> rows = rows_as<T>(op, what);
  const std::size_t places = op.length == 0 ? 0 : op.length - 1;
  std::vector<py::ssize_t> shape;
  if (!op.one_d) shape.push_back(static_cast<py::ssize_t>(op.batch));
  shape.push_back(static_cast<py::ssize_t>(places));
  py::array_t<std::complex<T>> out = result_array<T>(shape, out_arg, what);
  std::complex<T>* dst = out.mutable_data();
  {
    py::gil_scoped_release release;
    detail::require_finite_roots_input(rows.data, op.batch, op.length);
    // Straight into the numpy result: one allocation, touched once.
    detail::roots_to(rows.data, op.batch, op.length, dst);
  }
  py::object result = std::move(out);
  if (op.torch && out_arg.is_none()) return py::module_::import("torch").attr("from_numpy")(result);
  return result;
}

py::object roots_of(py::handle a, py::handle out) {
  const char* what = "polybatch.roots";
  const Operand op = read_operand(a, "a", what);
  if (op.length == 0) throw py::value_error(std::string(what) + ": a has no coefficients (length 0)");
  if (op.storage == Storage::object)
    throw py::type_error(std::string(what) + ": a is an object array; roots are computed in float32 or float64");
  if (op.storage == Storage::float32) return roots_as<float>(op, out, what);
  return roots_as<double>(op, out, what);
}

} // namespace

void register_roots(py::module_& m) {
  m.def("roots", &roots_of, py::arg("a"), py::kw_only(), py::arg("out") = py::none(),
        "Every complex root of each row (ascending powers), sorted by (real, imaginary) part; NaN fills the places "
        "of a row of lower degree. out: a C-contiguous numpy array of the result's dtype and shape to write into "
        "(returned), so that repeated calls reuse one result.");
}

} // namespace polybatch::python
