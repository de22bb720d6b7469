// polybatch.roots(a, out=None): every complex root of each row, computed by
// pb::roots' kernel without the GIL straight into a new complex numpy array
// (complex64 for float32 input, complex128 otherwise; a torch tensor for torch
// input) or into `out`, checked as every out= is (operands.hpp).
#include "roots.hpp"

#include <complex>
#include <string>
#include <vector>

#include <pybind11/numpy.h>

#include <polybatch/algebra/roots.hpp>
#include <polybatch/eval/alias.hpp>

#include "operands.hpp"

namespace polybatch::python {

namespace {

template <class T>
py::object roots_as(const Operand& op, py::handle out, const char* what) {
  const Rows<T> rows = rows_as<T>(op, what);
  const std::size_t places = op.length == 0 ? 0 : op.length - 1;
  const std::vector<std::size_t> shape =
      op.one_d ? std::vector<std::size_t>{places} : std::vector<std::size_t>{op.batch, places};
  const Destination dst = destination(out, py::dtype::of<std::complex<T>>(),
                                      sizeof(T) == 4 ? "complex64" : "complex128", false, shape, op.torch, what);
  auto* roots = static_cast<std::complex<T>*>(dst.data);
  // An out= that shares memory with a (a view of the same buffer) would be
  // written before those rows are read: the rows are copied first then.
  const T* input = rows.data;
  std::vector<T> copy;
  const evaluation::Destination written{roots, op.batch, places, op.batch * places * sizeof(std::complex<T>)};
  if (evaluation::overlaps(rows.data, op.batch * op.length * sizeof(T), written)) {
    copy.assign(rows.data, rows.data + op.batch * op.length);
    input = copy.data();
  }
  {
    py::gil_scoped_release release;
    detail::require_finite_roots_input(input, op.batch, op.length);
    // Straight into the result: one array, touched once.
    detail::roots_to(input, op.batch, op.length, roots);
  }
  return dst.result;
}

py::object roots_of(py::handle a, py::handle out) {
  const char* what = "polybatch.roots";
  // Not the shared dtype hint: roots has no dtype= argument and never
  // takes object arrays.
  const Operand op = read_operand(a, "a", what,
                                  "polybatch.roots takes float32, float64, int32 or int64 arrays; integers are "
                                  "converted to float64");
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
        "of a row of lower degree. out: a C-contiguous numpy array or CPU torch tensor of the result's dtype and "
        "shape to write into (returned), so that repeated calls reuse one result.");
}

} // namespace polybatch::python
