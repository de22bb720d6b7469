// The direct path of direct.hpp for float32, float64 and int64.
#include "direct.hpp"

#include <cstdint>
#include <type_traits>
#include <vector>

#include "engine.hpp"

namespace polybatch::python {

namespace {

mode parse_mode(const std::string& text, const char* what) {
  if (text == "full") return mode::full;
  if (text == "same") return mode::same;
  if (text == "valid") return mode::valid;
  throw py::value_error(std::string(what) + ": mode must be 'full', 'same' or 'valid', got '" + text + "'");
}

template <class T>
py::object convolve_as(const Operand& a, const Operand& v, py::handle out, mode m, bool correlate, Dtype dtype,
                       const char* what) {
  const Rows<T> ra = rows_as<T>(a, what), rv = rows_as<T>(v, what);
  const PolyView<const T> va(ra.data, a.batch, a.length), vv(rv.data, v.batch, v.length);
  auto run = [&](const auto& e) {
    // Building e checked the batch sizes; the destination is checked next:
    // nothing is written before both pass.
    const std::size_t batch = e.batch_size(), length = e.length();
    const Destination dst = destination(out, dtype, batch, length, a.one_d && v.one_d, a.torch || v.torch, what);
    T* data = static_cast<T*>(dst.data);
    // int64 products can overflow in some row: out= then keeps its values.
    run_interruptible(0,
                      [&] { assign_all_or_nothing(data, batch, length, e, std::is_integral_v<T> && !out.is_none()); });
    return dst.result;
  };
  if (correlate) return run(polybatch::correlate(va, vv, m));
  return run(polybatch::convolve(va, vv, m));
}

} // namespace

py::object convolve_arrays(py::handle a, py::handle v, py::handle out, const std::string& mode_text, bool correlate,
                           const char* what) {
  const mode m = parse_mode(mode_text, what);
  std::vector<Operand> ops;
  ops.push_back(read_operand(a, "a", what));
  ops.push_back(read_operand(v, correlate || std::string(what) != "polybatch.mul" ? "v" : "b", what));
  const Dtype dtype = choose_dtype(ops, py::none(), what);
  switch (dtype) {
  case Dtype::float32:
    return convolve_as<float>(ops[0], ops[1], out, m, correlate, dtype, what);
  case Dtype::float64:
    return convolve_as<double>(ops[0], ops[1], out, m, correlate, dtype, what);
  case Dtype::int64:
    return convolve_as<std::int64_t>(ops[0], ops[1], out, m, correlate, dtype, what);
  case Dtype::integer:
  case Dtype::rational: {
    Call call;
    call.what = what;
    call.source = std::string(correlate ? "correlate" : "convolve") + "(a, v, " + mode_text + ")";
    call.ast = cli::parse_expression(call.source);
    ops[1].name = "v";
    call.one_d = ops[0].one_d && ops[1].one_d;
    call.torch = false; // torch holds no Python ints or fractions
    call.operands = std::move(ops);
    return evaluate(call, out, py::str(dtype_name(dtype)), py::none());
  }
  }
  return py::none();
}

} // namespace polybatch::python
