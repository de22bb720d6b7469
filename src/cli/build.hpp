// Turns a parsed expression (expression.hpp) into a run-time polybatch
// expression (expr/dynamic.hpp) over batches of one scalar type. Every check
// that needs shapes happens here, before anything is computed, and names the
// sub-expression, its column and the files involved.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <polybatch/eval/dynamic.hpp>
#include <polybatch/interop/scalar_text.hpp>
#include <polybatch/polybatch.hpp>

#include "cli/eval_at.hpp"
#include "cli/expression.hpp"

namespace polybatch::cli {

/// A user-facing error: printed as one line, exit code 1.
class UserError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// An operation the chosen scalar type cannot do (a power series over
/// integer coefficients): Python raises TypeError for it, not ValueError.
class TypeUnsupported : public UserError {
public:
  using UserError::UserError;
};

/// A named input batch: the expression it becomes and the file it came from.
template <Scalar T>
struct NamedBatch {
  expr::Dynamic<T> batch;
  std::string file;
};

/// Most coefficients per result row the command line will build: beyond this
/// an expression (a^100000) is surely a mistake, and would exhaust memory.
inline constexpr std::size_t max_result_length = 1 << 20;
/// The digits a row of an exact power may hold, in units of an input
/// value's digits (its length times the growth of its values).
inline constexpr double max_row_digits = double(1 << 30);

template <Scalar T>
class Builder {
public:
  /// `number` turns a literal into T (the default parses it as T; the exact
  /// check passes a function that reproduces the checked type's value).
  using NumberParser = std::function<T(const Ast&)>;

  Builder(std::string_view source, const std::map<std::string, NamedBatch<T>>& batches, std::string type_name,
          NumberParser number = {})
      : source_(source), batches_(batches), type_name_(std::move(type_name)), number_(std::move(number)) {}

  /// How an input is given, for the message about a missing name ("c=FILE"
  /// on the command line, "c=ARRAY" from Python).
  void set_input_word(std::string word) { input_word_ = std::move(word); }

  expr::Dynamic<T> build(const Ast& ast);

private:
  struct Value {
    std::optional<expr::Dynamic<T>> poly;
    std::optional<T> number;
    std::string describe; // "a (a.npy)" or "'a * b'"
  };

  std::string quote(const Ast& a) const {
    std::string_view s = source_.substr(std::min(a.begin, source_.size()));
    s = s.substr(0, a.end > a.begin ? a.end - a.begin : 0);
    std::string q = interop::quoted(s.substr(0, 60));
    if (s.size() > 60) q.insert(q.size() - 1, "...");
    return q;
  }
  std::string where(const Ast& a) const { return quote(a) + " (column " + std::to_string(a.begin + 1) + ")"; }

  [[noreturn]] void fail(const Ast& a, const std::string& why) const { throw UserError("in " + where(a) + ": " + why); }

  static std::string shape_of(std::size_t batch, std::size_t length) {
    return std::to_string(batch) + " x " + std::to_string(length);
  }

  expr::Dynamic<T> constant(const T& v) const {
    auto batch = std::make_shared<PolyBatch<T>>(1, 1);
    batch->data()[0] = v;
    return dynamic_leaf(std::shared_ptr<const PolyBatch<T>>(std::move(batch)));
  }

  expr::Dynamic<T> as_poly(const Value& v) const { return v.poly ? *v.poly : constant(*v.number); }

  std::size_t batch_of(const Value& v) const { return v.poly ? v.poly->batch_size() : 1; }
  std::size_t length_of(const Value& v) const { return v.poly ? v.poly->length() : 1; }

  void check_broadcast(const Ast& a, const Value& x, const Value& y) const {
    const std::size_t bx = batch_of(x), by = batch_of(y);
    if (bx == by || bx == 1 || by == 1) return;
    fail(a, "shape mismatch: " + x.describe + " is " + shape_of(bx, length_of(x)) + " but " + y.describe + " is " +
                shape_of(by, length_of(y)) + " (batch sizes must be equal, or one of them 1)");
  }

  Value finish(const Ast& a, expr::Dynamic<T> e) const {
    if (e.length() > max_result_length)
      fail(a, "the result would have " + std::to_string(e.length()) + " coefficients per row (limit " +
                  std::to_string(max_result_length) + ")");
    return Value{std::move(e), std::nullopt, quote(a)};
  }

  T parse_number(const Ast& a) const {
    if (number_) return number_(a);
    if constexpr (interop::TextScalar<T>) {
      interop::Parsed<T> p = interop::parse_scalar<T>(a.text);
      if (!p.value) fail(a, p.error + " for --type " + type_name_);
      return std::move(*p.value);
    } else {
      fail(a, "internal error: no parser for the literals of " + type_name_);
    }
  }

  std::size_t parse_count(const Ast& a, const char* what) const {
    if (a.kind != NodeKind::number || a.text.find_first_not_of("0123456789") != std::string::npos)
      fail(a, std::string(what) + " must be a non-negative integer literal");
    const std::string digits = interop::detail::without_leading_zeros(a.text);
    if (digits.size() > 9) fail(a, std::string(what) + " " + a.text + " is too large");
    return static_cast<std::size_t>(std::stoul(digits));
  }

  /// Builds a node, turning the library's shape/domain errors into errors
  /// that quote the sub-expression.
  template <class F>
  Value guarded(const Ast& a, F&& f) const {
    try {
      return finish(a, f());
    } catch (const shape_error& e) {
      fail(a, e.what());
    } catch (const domain_error& e) {
      fail(a, e.what());
    }
  }

  /// Two literals combined before evaluation (x op y, or -x with y unused):
  /// built-in integers are checked, so that an overflow is an error quoting
  /// the sub-expression instead of a wrapped value.
  T fold(const Ast& a, const T& x, const T& y) const {
    if constexpr (std::is_integral_v<T>) {
      T r{};
      bool overflow = false;
      switch (a.kind) {
      case NodeKind::negate:
        overflow = __builtin_sub_overflow(T(0), x, &r);
        break;
      case NodeKind::add:
        overflow = __builtin_add_overflow(x, y, &r);
        break;
      case NodeKind::subtract:
        overflow = __builtin_sub_overflow(x, y, &r);
        break;
      default:
        overflow = __builtin_mul_overflow(x, y, &r);
        break;
      }
      if (overflow)
        fail(a, "integer overflow: the value does not fit a " + std::to_string(8 * sizeof(T)) +
                    "-bit integer (compute in --type rational for exact values of any size)");
      return r;
    } else {
      switch (a.kind) {
      case NodeKind::negate:
        return T(-x);
      case NodeKind::add:
        return T(x + y);
      case NodeKind::subtract:
        return T(x - y);
      default:
        return T(x * y);
      }
    }
  }

  Value value(const Ast& a) {
    switch (a.kind) {
    case NodeKind::number:
      return Value{std::nullopt, parse_number(a), quote(a)};
    case NodeKind::name: {
      const auto it = batches_.find(a.text);
      if (it == batches_.end()) {
        std::string given;
        for (const auto& [name, nb] : batches_) given += (given.empty() ? "" : ", ") + name;
        throw UserError("unknown name '" + a.text + "' at column " + std::to_string(a.begin + 1) + ": no " + a.text +
                        "=" + input_word_ + " was given" + (given.empty() ? std::string() : " (given: " + given + ")"));
      }
      return Value{it->second.batch, std::nullopt, a.text + " (" + it->second.file + ")"};
    }
    case NodeKind::negate: {
      Value x = value(a.args[0]);
      if (x.number) return Value{std::nullopt, fold(a, *x.number, *x.number), quote(a)};
      return guarded(a, [&] { return dynamic_unary(*x.poly, [](auto o) { return -std::move(o); }); });
    }
    case NodeKind::add:
    case NodeKind::subtract: {
      Value x = value(a.args[0]), y = value(a.args[1]);
      const bool sub = a.kind == NodeKind::subtract;
      if (x.number && y.number) return Value{std::nullopt, fold(a, *x.number, *y.number), quote(a)};
      check_broadcast(a, x, y);
      return guarded(a, [&] {
        if (sub)
          return dynamic_binary(as_poly(x), as_poly(y), [](auto l, auto r) { return std::move(l) - std::move(r); });
        return dynamic_binary(as_poly(x), as_poly(y), [](auto l, auto r) { return std::move(l) + std::move(r); });
      });
    }
    case NodeKind::multiply: {
      Value x = value(a.args[0]), y = value(a.args[1]);
      if (x.number && y.number) return Value{std::nullopt, fold(a, *x.number, *y.number), quote(a)};
      if (x.number || y.number) { // scaling, not a convolution
        const T s = x.number ? *x.number : *y.number;
        const expr::Dynamic<T>& p = x.number ? *y.poly : *x.poly;
        return guarded(a, [&] { return dynamic_unary(p, [&](auto o) { return s * std::move(o); }); });
      }
      check_broadcast(a, x, y);
      return guarded(a, [&] {
        return dynamic_binary(*x.poly, *y.poly, [](auto l, auto r) { return std::move(l) * std::move(r); });
      });
    }
    case NodeKind::power:
      return power(a, a.args[0], a.args[1]);
    case NodeKind::call:
      return call(a);
    }
    fail(a, "internal error: unknown node");
  }

  Value power(const Ast& a, const Ast& base_ast, const Ast& exponent_ast) {
    Value base = value(base_ast);
    const std::size_t k = parse_count(exponent_ast, "the exponent");
    const std::size_t degree = length_of(base) - 1;
    if (degree > 0 && k > (max_result_length - 1) / degree)
      fail(a, "the result would have more than " + std::to_string(max_result_length) +
                  " coefficients per row (degree " + std::to_string(degree) + " to the power " + std::to_string(k) +
                  ")");
    // In an exact type a power has k times the digits of its base
    // (2^999999999 would take hours), and powers of powers multiply: the
    // same bound as for the length, on k times the base's growth.
    constexpr bool unbounded_digits = scalar_traits<T>::is_exact && !std::is_integral_v<T>;
    const double growth = static_cast<double>(k) * digit_growth(base_ast);
    if (unbounded_digits && growth > static_cast<double>(max_result_length - 1))
      fail(a, "the values would have more than " + std::to_string(max_result_length - 1) +
                  " times the digits of the inputs (the exponent " + std::to_string(k) +
                  "; in an exact type a power has k times the digits of its base, and powers of powers multiply)");
    // Both at once: (2 + x)^1048575 has a million coefficients of about a
    // million bits each, 128 GB a row. A row may hold max_row_digits times
    // the digits of an input value (8 GB where inputs are one word).
    const double row_digits = static_cast<double>(degree * k + 1) * growth;
    if (unbounded_digits && row_digits > max_row_digits)
      fail(a, "a row of the result would hold more than 2^30 times the digits of an input value (" +
                  std::to_string(degree * k + 1) + " coefficients of up to " + std::to_string(k) +
                  " times their base's digits: in an exact type a power's length and digits both grow with k)");
    return guarded(a, [&] { return dynamic_unary(as_poly(base), [k](auto o) { return pb_pow(std::move(o), k); }); });
  }

  /// At most how many times the digits of the inputs the values of a have,
  /// in exact arithmetic: sums keep the larger, products add, powers
  /// multiply (in double: it saturates at infinity, never wraps). A series
  /// counts as check_series_row found it when it was built; other functions
  /// as their widest argument.
  double digit_growth(const Ast& a) const {
    auto exponent = [](const Ast& k) { return literal_magnitude(k, 1.0); };
    switch (a.kind) {
    case NodeKind::number:
    case NodeKind::name:
      return 1;
    case NodeKind::multiply:
      return digit_growth(a.args[0]) + digit_growth(a.args[1]);
    case NodeKind::power:
      return exponent(a.args[1]) * digit_growth(a.args[0]);
    case NodeKind::call:
      if ((a.text == "convolve" || a.text == "correlate") && a.args.size() >= 2)
        return digit_growth(a.args[0]) + digit_growth(a.args[1]);
      if (a.text == "pow" && a.args.size() == 2) return exponent(a.args[1]) * digit_growth(a.args[0]);
      if (const auto it = series_growths_.find(&a); it != series_growths_.end()) return it->second;
      [[fallthrough]];
    default: {
      double widest = 1;
      for (const Ast& x : a.args) widest = std::max(widest, digit_growth(x));
      return widest;
    }
    }
  }

  /// |k| where k is a number literal (under any minus signs), else otherwise.
  static double literal_magnitude(const Ast& k, double otherwise) {
    const Ast* x = &k;
    while (x->kind == NodeKind::negate && !x->args.empty()) x = &x->args[0];
    return x->kind == NodeKind::number ? std::fabs(std::strtod(x->text.c_str(), nullptr)) : otherwise;
  }

  /// In an exact type a series' coefficient at x^k has about k times its
  /// operands' digits (series_pow's constant term |s| times, while s is
  /// within the kernel's bound), so a row of n holds n times that growth:
  /// bounded as powers are. The growth is kept for digit_growth (a series
  /// inside a power). `s` is series_pow's exponent.
  void check_series_row(const Ast& a, std::size_t n, const T* s = nullptr) {
    if constexpr (scalar_traits<T>::is_exact && !std::is_integral_v<T>) {
      const std::size_t operands = s != nullptr || a.text == "div" ? 2 : 1;
      double widest = 1;
      for (std::size_t i = 0; i < std::min(a.args.size(), operands); ++i)
        if (!(s != nullptr && i == 1)) widest = std::max(widest, digit_growth(a.args[i]));
      double factor = static_cast<double>(n);
      if (s != nullptr) {
        // From the value where T converts to double (rationals), else from
        // the literal (the exact check's dyadic numbers).
        double magnitude = a.args.size() > 1 ? literal_magnitude(a.args[1], 1.0) : 1.0;
        if constexpr (requires(const T& v) { static_cast<double>(v); }) magnitude = std::fabs(static_cast<double>(*s));
        if (magnitude <= static_cast<double>(max_result_length)) factor = std::max(factor, magnitude);
      }
      const double growth = factor * widest;
      series_growths_[&a] = growth;
      if (static_cast<double>(n) * growth > max_row_digits)
        fail(a, "a row of the result would hold more than 2^30 times the digits of an input value (" +
                    std::to_string(n) + " coefficients of up to " + std::to_string(static_cast<long long>(growth)) +
                    " times the digits of the inputs: in an exact type a series' k-th coefficient has about k times "
                    "its operands' digits)");
    } else {
      (void)a, (void)n, (void)s;
    }
  }

  template <class E>
  static auto pb_pow(E&& e, std::size_t k) {
    return polybatch::pow(std::forward<E>(e), k);
  }

  static mode parse_mode(const Ast& a, mode fallback, const Builder& self) {
    if (a.kind != NodeKind::name || (a.text != "full" && a.text != "same" && a.text != "valid"))
      self.fail(a, "the mode must be full, same or valid");
    (void)fallback;
    return a.text == "full" ? mode::full : a.text == "same" ? mode::same : mode::valid;
  }

  Value call(const Ast& a) {
    const std::string& f = a.text;
    if (f == "convolve" || f == "correlate") {
      const bool conv = f == "convolve";
      Value x = value(a.args[0]), y = value(a.args[1]);
      const mode m = a.args.size() > 2 ? parse_mode(a.args[2], mode::full, *this) : (conv ? mode::full : mode::valid);
      check_broadcast(a, x, y);
      return guarded(a, [&] {
        return dynamic_binary(as_poly(x), as_poly(y), [conv, m](auto l, auto r) {
          return conv ? polybatch::convolve(std::move(l), std::move(r), m)
                      : polybatch::correlate(std::move(l), std::move(r), m);
        });
      });
    }
    if (f == "pow") return power(a, a.args[0], a.args[1]);
    if (f == "derivative") {
      Value x = value(a.args[0]);
      return guarded(
          a, [&] { return dynamic_unary(as_poly(x), [](auto o) { return polybatch::derivative(std::move(o)); }); });
    }
    if (f == "integral") {
      // The antiderivative divides by k: a ring without division (the exact
      // check's dyadic numbers) refuses it, and its caller takes another way.
      if constexpr (requires(T p, T q) { p / q; }) {
        Value x = value(a.args[0]);
        return guarded(
            a, [&] { return dynamic_unary(as_poly(x), [](auto o) { return polybatch::integral(std::move(o)); }); });
      } else {
        throw TypeUnsupported("in " + where(a) + ": integral divides its coefficients, which " + type_name_ +
                              " cannot do");
      }
    }
    if (f == "compose") {
      Value x = value(a.args[0]), y = value(a.args[1]);
      check_broadcast(a, x, y);
      const std::size_t dx = length_of(x) - 1, dy = length_of(y) - 1;
      if (dy > 0 && dx > (max_result_length - 1) / dy)
        fail(a, "the result would have more than " + std::to_string(max_result_length) + " coefficients per row");
      return guarded(a, [&] {
        return dynamic_binary(as_poly(x), as_poly(y),
                              [](auto l, auto r) { return polybatch::compose(std::move(l), std::move(r)); });
      });
    }
    if (f == "truncate") {
      Value x = value(a.args[0]);
      const std::size_t n = parse_count(a.args[1], "the length n");
      if (n < 1) fail(a.args[1], "truncate(e, n) needs n >= 1");
      if (n > max_result_length) fail(a.args[1], "n is larger than the limit " + std::to_string(max_result_length));
      return guarded(
          a, [&] { return dynamic_unary(as_poly(x), [n](auto o) { return polybatch::truncate(std::move(o), n); }); });
    }
    if (is_series_function(f)) return series(a);
    if (f == "eval_at") {
      Value x = value(a.args[0]);
      Value point = value(a.args[1]);
      if (!point.number) fail(a.args[1], "the point of eval_at(a, x) must be a number");
      const T p = *point.number;
      return guarded(
          a, [&] { return dynamic_unary(as_poly(x), [&p](auto o) { return EvalAt<decltype(o)>(std::move(o), p); }); });
    }
    fail(a, "unknown function " + f);
  }

  // --- power series (pb::series::*): field scalars only ---

  static bool is_series_function(const std::string& f) {
    for (const char* name :
         {"inv", "exp", "log", "sqrt", "sin", "cos", "tan", "atan", "sinh", "cosh", "tanh", "div", "series_pow"})
      if (f == name) return true;
    return false;
  }

  /// n of a series call: the optional last argument (a literal >= 1), else
  /// the first argument's length, as in C++.
  std::size_t series_length(const Ast& a, std::size_t fixed_args, const Value& first) const {
    if (a.args.size() <= fixed_args) return length_of(first);
    const Ast& arg = a.args[fixed_args];
    const std::size_t n = parse_count(arg, "the series length n");
    if (n < 1) fail(arg, a.text + " needs n >= 1");
    if (n > max_result_length) fail(arg, "n is larger than the limit " + std::to_string(max_result_length));
    return n;
  }

  /// The exponent of series_pow: a number, or a batch of one coefficient
  /// (how Python passes a Fraction, which has no literal).
  T series_exponent(const Ast& arg) {
    Value s = value(arg);
    if (s.number) return *s.number;
    if (const expr::LeafRef<T>* leaf = s.poly->leaf(); leaf && leaf->batch_size() == 1 && leaf->length() == 1)
      return *leaf->data();
    fail(arg, "the exponent s of series_pow(a, s[, n]) must be a number");
  }

  template <class Make>
  Value series_unary(const Ast& a, Make make) {
    Value x = value(a.args[0]);
    const std::size_t n = series_length(a, 1, x);
    check_series_row(a, n);
    return guarded(a, [&] { return dynamic_unary(as_poly(x), [&](auto o) { return make(std::move(o), n); }); });
  }

  Value series(const Ast& a) {
    const std::string& f = a.text;
    if constexpr (!scalar_traits<T>::is_field) {
      throw TypeUnsupported("in " + where(a) + ": " + f +
                            " is a power-series function: it needs field coefficients (floating point or "
                            "rational), not the integer coefficients for --type " +
                            type_name_);
    } else {
      namespace ps = polybatch::series;
      if (f == "div") {
        Value x = value(a.args[0]), y = value(a.args[1]);
        check_broadcast(a, x, y);
        const std::size_t n = series_length(a, 2, x);
        check_series_row(a, n);
        return guarded(a, [&] {
          return dynamic_binary(as_poly(x), as_poly(y),
                                [n](auto l, auto r) { return ps::div(std::move(l), std::move(r), n); });
        });
      }
      if (f == "series_pow") {
        Value x = value(a.args[0]);
        const T s = series_exponent(a.args[1]);
        const std::size_t n = series_length(a, 2, x);
        check_series_row(a, n, &s);
        return guarded(a,
                       [&] { return dynamic_unary(as_poly(x), [&](auto o) { return ps::pow(std::move(o), s, n); }); });
      }
      // clang-format off
      if (f == "inv") return series_unary(a, [](auto o, std::size_t n) { return ps::inv(std::move(o), n); });
      if (f == "exp") return series_unary(a, [](auto o, std::size_t n) { return ps::exp(std::move(o), n); });
      if (f == "log") return series_unary(a, [](auto o, std::size_t n) { return ps::log(std::move(o), n); });
      if (f == "sqrt") return series_unary(a, [](auto o, std::size_t n) { return ps::sqrt(std::move(o), n); });
      if (f == "sin") return series_unary(a, [](auto o, std::size_t n) { return ps::sin(std::move(o), n); });
      if (f == "cos") return series_unary(a, [](auto o, std::size_t n) { return ps::cos(std::move(o), n); });
      if (f == "tan") return series_unary(a, [](auto o, std::size_t n) { return ps::tan(std::move(o), n); });
      if (f == "atan") return series_unary(a, [](auto o, std::size_t n) { return ps::atan(std::move(o), n); });
      if (f == "sinh") return series_unary(a, [](auto o, std::size_t n) { return ps::sinh(std::move(o), n); });
      if (f == "cosh") return series_unary(a, [](auto o, std::size_t n) { return ps::cosh(std::move(o), n); });
      // clang-format on
      return series_unary(a, [](auto o, std::size_t n) { return ps::tanh(std::move(o), n); });
    }
  }

  std::string_view source_;
  /// Digit growth of each exact series node built (check_series_row).
  std::map<const Ast*, double> series_growths_;
  const std::map<std::string, NamedBatch<T>>& batches_;
  std::string type_name_;
  NumberParser number_;
  std::string input_word_ = "FILE";
};

template <Scalar T>
expr::Dynamic<T> Builder<T>::build(const Ast& ast) {
  Value v = value(ast);
  return as_poly(v);
}

// The builders the command line, the Python module and the exact check share
// are compiled once, in the engine library (cli/builder_*.cpp): each
// instantiates every node kind for its scalar, which was most of the compile
// time of each program (and of each of the command line's per-type sources,
// which all build the rational check).
extern template class Builder<float>;
extern template class Builder<double>;
extern template class Builder<std::int64_t>;
extern template class Builder<boost::multiprecision::cpp_int>;
extern template class Builder<boost::multiprecision::cpp_rational>;

} // namespace polybatch::cli
