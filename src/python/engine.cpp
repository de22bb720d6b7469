// polybatch.eval, the shape of an expression, and polybatch.verify: the
// expression is parsed once, its arrays are read (in place where possible),
// and the fused pass runs with the GIL released.
#include "engine.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <polybatch/eval/interruption.hpp>
#include <polybatch/interop/scalar_text.hpp>

#include "cli/expression.hpp"
#include "cli/verify_tree.hpp"
#include "named.hpp"

namespace polybatch::python {

std::size_t thread_count(py::handle threads, const char* what) {
  if (threads.is_none()) return 0;
  // An int or a numpy integer (anything with __index__), not a bool.
  const std::string type_name = Py_TYPE(threads.ptr())->tp_name;
  if (PyBool_Check(threads.ptr()) || type_name == "numpy.bool_" || type_name == "numpy.bool" ||
      !PyIndex_Check(threads.ptr()))
    throw py::type_error(std::string(what) + ": threads must be an int, got " + type_name);
  const py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(threads.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow == 0 && n == -1 && PyErr_Occurred()) throw py::error_already_set();
  const std::string text = overflow != 0
                               ? (overflow < 0 ? "a negative number beyond 64 bits" : "a number beyond 64 bits")
                               : std::to_string(n);
  if (overflow < 0 || (overflow == 0 && n < 1))
    throw py::value_error(std::string(what) + ": threads must be at least 1, got " + text);
  if (overflow > 0 || n > static_cast<long long>(cli::max_threads))
    throw py::value_error(std::string(what) + ": threads must be at most " + std::to_string(cli::max_threads) +
                          ", got " + text);
  return static_cast<std::size_t>(n);
}

namespace {

/// Whether a signal's handler raised (Ctrl-C's raises KeyboardInterrupt,
/// left set as the thread's Python error). Asked with the GIL on the
/// thread that called into the module: handlers run on the main thread
/// only, so elsewhere the answer is always no.
bool python_handler_raised(void*) {
  const py::gil_scoped_acquire gil;
  return PyErr_CheckSignals() != 0;
}

} // namespace

void run_interruptible(std::size_t threads, const std::function<void()>& f) {
  bool stopped = false;
  {
    const py::gil_scoped_release release;
    const evaluation::InterruptionHook hook{&python_handler_raised, nullptr};
    const evaluation::InterruptionScope scope(hook);
    try {
      if (threads == 0) {
        f();
      } else {
        const polybatch::detail::ThisThreadCount count(threads);
        f();
      }
    } catch (const interrupted&) {
      stopped = true;
    }
  }
  if (stopped) throw py::error_already_set();
}

namespace {

template <class T>
std::vector<Rows<T>> leaves_of(const Call& call) {
  std::vector<Rows<T>> leaves;
  leaves.reserve(call.operands.size());
  for (const Operand& op : call.operands) leaves.push_back(rows_as<T>(op, call.what));
  return leaves;
}

/// Whether evaluating the tree can throw after the first rows are written:
/// the series functions' domain errors (the functions every scalar
/// evaluates without a check are listed).
bool may_fail_partway(const cli::Ast& a) {
  if (a.kind == cli::NodeKind::call) {
    static const std::set<std::string> total = {"convolve", "correlate", "pow",      "derivative",
                                                "integral", "compose",   "truncate", "eval_at"};
    if (total.count(a.text) == 0) return true;
  }
  return std::any_of(a.args.begin(), a.args.end(), [](const cli::Ast& x) { return may_fail_partway(x); });
}

template <class T>
py::object evaluate_as(const Call& call, Dtype dtype, py::handle out, std::size_t threads) {
  const std::vector<Rows<T>> leaves = leaves_of<T>(call);
  const expr::Dynamic<T> e = build<T>(call, leaves, dtype);
  const std::size_t batch = e.batch_size(), length = e.length();
  const Destination dst = destination(out, dtype, batch, length, call.one_d, call.torch, call.what);
  if constexpr (std::is_arithmetic_v<T>) {
    T* data = static_cast<T*>(dst.data);
    const bool may_fail = !out.is_none() && (std::is_integral_v<T> || may_fail_partway(call.ast));
    run_interruptible(threads, [&] { assign_all_or_nothing(data, batch, length, e, may_fail); });
  } else {
    PolyBatch<T> result(batch, length);
    run_interruptible(threads, [&] { adapt(result.data(), batch, length) = e; });
    store_exact(result, dst);
  }
  return dst.result;
}

template <class T>
py::tuple shape_as(const Call& call, Dtype dtype) {
  // Building reads no coefficient: every leaf may point at one zero.
  static const T zero{};
  const std::vector<Rows<T>> leaves(call.operands.size(), Rows<T>{&zero, nullptr});
  const expr::Dynamic<T> e = build<T>(call, leaves, dtype);
  if (call.one_d) return py::make_tuple(e.length());
  return py::make_tuple(e.batch_size(), e.length());
}

template <class T>
bool finite(const T& v) {
  if constexpr (std::is_floating_point_v<T>)
    return std::isfinite(v);
  else
    return true;
}

template <class T>
verify_report verify_as(const Call& call, Dtype dtype) {
  const std::vector<Rows<T>> leaves = leaves_of<T>(call);
  const expr::Dynamic<T> e = build<T>(call, leaves, dtype);
  const std::size_t batch = e.batch_size(), length = e.length();
  PolyBatch<T> computed(batch, length);
  run_interruptible(0, [&] { adapt(computed.data(), batch, length) = e; });

  // float and double: every row at machine speed where the tree allows.
  if constexpr (cli::has_tree_check<T>) {
    const std::map<std::string, cli::NamedBatch<T>> named = named_batches(call, leaves);
    // build<T> has read every literal already: they parse.
    auto number = [](const cli::Ast& a) -> T {
      interop::Parsed<T> p = interop::parse_scalar<T>(a.text);
      if (!p.value) throw std::logic_error("polybatch.verify: literal " + a.text);
      return *p.value;
    };
    const cli::TreeCheck<T> check{call.source, call.ast, named, number, computed.data(), batch, length};
    std::optional<verify_report> report;
    run_interruptible(0, [&] { report = cli::verify_tree(check); });
    if (report) return *report;
  }

  // Otherwise the same tree in exact rationals, from the exact values the leaves and
  // literals have in T: only the evaluation's rounding is measured.
  std::vector<Rows<rational>> exact_leaves;
  for (std::size_t i = 0; i < call.operands.size(); ++i) {
    const Operand& op = call.operands[i];
    auto x = std::make_shared<PolyBatch<rational>>(op.batch, op.length);
    for (std::size_t j = 0; j < op.batch * op.length; ++j) {
      const T& v = leaves[i].data[j];
      if (!finite(v))
        throw py::value_error(std::string(call.what) + ": " + op.name + " holds a non-finite value (row " +
                              std::to_string(j / op.length) + ", coefficient " + std::to_string(j % op.length) +
                              "): it has no exact value to check against");
      x->data()[j] = convert_scalar<rational>(v);
    }
    const rational* data = x->data();
    exact_leaves.push_back(Rows<rational>{data, std::move(x)});
  }
  auto number = [&](const cli::Ast& a) -> rational {
    interop::Parsed<T> p = interop::parse_scalar<T>(a.text);
    if (!p.value) throw py::value_error(std::string(call.what) + ": " + p.error + " for dtype=" + dtype_name(dtype));
    return convert_scalar<rational>(*p.value);
  };
  const expr::Dynamic<rational> x = build<rational>(call, exact_leaves, Dtype::rational, number);
  PolyBatch<rational> exact(batch, length);
  run_interruptible(0, [&] { adapt(exact.data(), batch, length) = x; });
  return verify_against(computed, exact);
}

} // namespace

std::string in_python_terms(std::string message) {
  static const std::pair<std::string_view, std::string_view> phrases[] = {
      {"(use pb::cast to a rational type)", "(use dtype='rational')"},
      {"pb::series::", "polybatch.series."},
  };
  for (const auto& [cpp, python] : phrases)
    for (std::size_t at = message.find(cpp); at != std::string::npos; at = message.find(cpp, at + python.size()))
      message.replace(at, cpp.size(), python);
  return message;
}

Call prepare(const char* what, const std::string& source, py::dict arrays) {
  Call call;
  call.what = what;
  call.source = source;
  try {
    call.ast = cli::parse_expression(source);
  } catch (const cli::ParseError& e) {
    throw py::value_error(std::string(what) + ": " + e.what() + "\n" + cli::caret_line(source, e.column()));
  }
  for (const std::string& name : cli::referenced_names(call.ast)) {
    if (!arrays.contains(name)) continue; // the builder names what is missing
    Operand op = read_operand(arrays[py::str(name)], name, what);
    call.one_d = call.one_d && op.one_d;
    call.torch = call.torch || op.torch;
    call.operands.push_back(std::move(op));
  }
  return call;
}

py::object evaluate(const Call& call, py::handle out, py::handle dtype, py::handle threads) {
  const std::size_t n = thread_count(threads, call.what);
  const Dtype d = choose_dtype(call.operands, dtype, call.what);
  switch (d) {
  case Dtype::float32:
    return evaluate_as<float>(call, d, out, n);
  case Dtype::float64:
    return evaluate_as<double>(call, d, out, n);
  case Dtype::int64:
    return evaluate_as<std::int64_t>(call, d, out, n);
  case Dtype::integer:
    return evaluate_as<integer>(call, d, out, n);
  case Dtype::rational:
    return evaluate_as<rational>(call, d, out, n);
  }
  return py::none();
}

py::tuple result_shape(const Call& call, py::handle dtype) {
  const Dtype d = choose_dtype(call.operands, dtype, call.what);
  switch (d) {
  case Dtype::float32:
    return shape_as<float>(call, d);
  case Dtype::float64:
    return shape_as<double>(call, d);
  case Dtype::int64:
    return shape_as<std::int64_t>(call, d);
  case Dtype::integer:
    return shape_as<integer>(call, d);
  case Dtype::rational:
    return shape_as<rational>(call, d);
  }
  return py::tuple();
}

verify_report verify(const Call& call, py::handle dtype) {
  const Dtype d = choose_dtype(call.operands, dtype, call.what);
  switch (d) {
  case Dtype::float32:
    return verify_as<float>(call, d);
  case Dtype::float64:
    return verify_as<double>(call, d);
  case Dtype::int64:
    return verify_as<std::int64_t>(call, d);
  case Dtype::integer:
    return verify_as<integer>(call, d);
  case Dtype::rational:
    return verify_as<rational>(call, d);
  }
  return {};
}

} // namespace polybatch::python
