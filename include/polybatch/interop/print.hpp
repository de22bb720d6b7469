// Printing: `std::cout << p` for any batch, view or expression (a header with
// the shape and scalar type, then the rows, batches of more than 1000
// coefficients summarised in the middle as numpy does), and
// pb::to_string(p, i), row i as a readable polynomial. Every coefficient is
// written so that it reads back to the same value.
#pragma once

#include <boost/core/demangle.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/container/poly_view.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/scratch.hpp"
#include "polybatch/interop/scalar_text.hpp"
#include "polybatch/kernels/checked_integer.hpp"
#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/double_double_io.hpp"
#include "polybatch/scalar/multiprecision.hpp"

namespace polybatch {

/// numpy's summarising (its `threshold` and `edgeitems` print options): a
/// batch of more than `print_threshold` coefficients prints only the first
/// and last `print_edge_items` rows, and of each row longer than twice that
/// only the first and last `print_edge_items` coefficients, `...` between.
inline constexpr std::size_t print_threshold = 1000;
inline constexpr std::size_t print_edge_items = 3;

namespace detail {

/// The name users write for T: `double`, `int64`, `pb::dd`, `cpp_rational`,
/// `mpfr_float (50 digits)`; the demangled type for scalars it does not know.
/// `sample` gives the precision of run-time-precision numbers.
template <class T>
std::string scalar_type_name(const T* sample) {
  namespace mp = boost::multiprecision;
  if constexpr (std::is_same_v<T, float>) {
    return "float";
  } else if constexpr (std::is_same_v<T, double>) {
    return "double";
  } else if constexpr (std::is_same_v<T, long double>) {
    return "long double";
  } else if constexpr (std::is_integral_v<T>) {
    return std::string(std::is_signed_v<T> ? "int" : "uint") + std::to_string(sizeof(T) * 8);
  } else if constexpr (std::is_same_v<T, double_double>) {
    return "pb::dd";
  } else if constexpr (std::is_same_v<T, mp::cpp_int>) {
    return "cpp_int";
  } else if constexpr (std::is_same_v<T, mp::cpp_rational>) {
    return "cpp_rational";
  } else {
    const std::string full = boost::core::demangle(typeid(T).name());
    // Backends of the other Boost families, without including their headers
    // (they need GMP, MPFR or quadmath to link).
    const struct {
      const char* backend;
      const char* name;
      bool digits;
    } families[] = {{"mpfr_float_backend", "mpfr_float", true}, {"gmp_float", "mpf_float", true},
                    {"gmp_rational", "mpq_rational", false},    {"gmp_int", "mpz_int", false},
                    {"float128_backend", "float128", false},    {"cpp_dec_float", "cpp_dec_float", true},
                    {"cpp_bin_float", "cpp_bin_float", true}};
    for (const auto& f : families)
      if (full.find(f.backend) != std::string::npos) {
        if (!f.digits) return f.name;
        if (f.backend == std::string_view("cpp_bin_float") && std::numeric_limits<T>::digits == 113 &&
            std::numeric_limits<T>::max_exponent == 16383)
          return "cpp_bin_float_quad";
        unsigned digits = std::numeric_limits<T>::digits10;
        if constexpr (has_runtime_precision<T>)
          if (sample) digits = sample->precision();
        return std::string(f.name) + " (" + std::to_string(digits) + " digits)";
      }
    return full;
  }
}

/// A scientific `d.ddde+XX` with -5 <= XX <= 16 written positionally
/// (1.200e+01 -> 12, 2.5e-01 -> 0.25): the same digits, so the same value.
inline std::string positional(const std::string& s) {
  const std::size_t e = s.find_first_of("eE");
  if (e == std::string::npos) return s;
  const long exponent = std::strtol(s.c_str() + e + 1, nullptr, 10);
  if (exponent < -5 || exponent > 16) return s;
  std::string mantissa = s.substr(0, e);
  std::string sign;
  if (!mantissa.empty() && (mantissa[0] == '-' || mantissa[0] == '+')) {
    if (mantissa[0] == '-') sign = "-";
    mantissa.erase(0, 1);
  }
  const std::size_t dot = mantissa.find('.');
  std::string digits = dot == std::string::npos ? mantissa : mantissa.substr(0, dot) + mantissa.substr(dot + 1);
  long point = static_cast<long>(dot == std::string::npos ? mantissa.size() : dot) + exponent;
  if (point <= 0) {
    digits.insert(0, static_cast<std::size_t>(1 - point), '0');
    point = 1;
  }
  if (static_cast<std::size_t>(point) >= digits.size()) {
    digits.append(static_cast<std::size_t>(point) - digits.size(), '0');
  } else {
    digits.insert(static_cast<std::size_t>(point), 1, '.');
    while (digits.back() == '0') digits.pop_back();
    if (digits.back() == '.') digits.pop_back();
  }
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos || digits[first] == '.')
    digits.erase(0, first == std::string::npos ? digits.size() - 1 : first - 1);
  else
    digits.erase(0, first);
  return sign + digits;
}

/// Text that reads back to v: interop::format_scalar's round-trip form. The
/// scientific form of double-double and Boost floating numbers is rewritten
/// positionally without its padding zeros where the exponent is small,
/// which changes no value (1.000000e+00 -> 1, -1.2e+01 -> -12).
template <class T>
std::string coefficient_text(const T& v) {
  std::string s = interop::format_scalar(v);
  if constexpr (!std::numeric_limits<T>::is_exact && !std::is_floating_point_v<T>) {
    const std::size_t e = s.find_first_of("eE");
    const std::size_t dot = s.find('.');
    if (dot != std::string::npos) { // padding zeros of the mantissa
      const std::size_t end = e == std::string::npos ? s.size() : e;
      std::size_t last = end;
      while (last > dot + 1 && s[last - 1] == '0') --last;
      if (last == dot + 1) --last;
      s.erase(last, end - last);
    }
    s = positional(s);
  }
  return s;
}

/// Rows [first, first + count) of e, computed alone: a container's rows are
/// copied, an expression's are computed with the fused pass's own per-tile
/// code (the rest of the batch is never evaluated).
template <PolyExpression E>
std::vector<value_type_of<E>> rows_of(const E& e, std::size_t first, std::size_t count) {
  using T = value_type_of<E>;
  const std::size_t L = e.length();
  if constexpr (PolyContainer<E>) {
    const T* data = e.data() + (e.batch_size() == 1 ? 0 : first * L);
    std::vector<T> out;
    out.reserve(count * L);
    for (std::size_t r = 0; r < count; ++r)
      for (std::size_t k = 0; k < L; ++k) out.push_back(data[(e.batch_size() == 1 ? 0 : r * L) + k]);
    return out;
  } else {
    const T zero = scalar_traits<T>::zero_like(evaluation::sample(e));
    std::vector<T> out(count * L, zero);
    evaluation::Scratch<T> scratch(evaluation::scratch_for_rows(e, L, count), zero);
    kernels::naming_batch_rows<T>(first, [&] { evaluation::eval_into(e, first, count, L, out.data(), L, scratch); });
    return out;
  }
}

/// c0 + c1*x + ... as text: zero terms left out (an all-zero row is `0`),
/// unit coefficients of x^k written `x^k`, negative ones after ` - `.
template <class T>
std::string polynomial_text(const T* row, std::size_t length) {
  std::string out;
  for (std::size_t k = 0; k < length; ++k) {
    if (row[k] == T(0)) continue;
    std::string c = coefficient_text(row[k]);
    const bool negative = !c.empty() && c[0] == '-';
    if (negative) c.erase(0, 1);
    if (out.empty())
      out = negative ? "-" : "";
    else
      out += negative ? " - " : " + ";
    const bool unit = k > 0 && c == "1";
    if (!unit) out += c;
    if (k > 0) {
      if (!unit) out += '*';
      out += 'x';
      if (k > 1) out += '^' + std::to_string(k);
    }
  }
  return out.empty() ? "0" : out;
}

template <class E>
std::string printed_kind() {
  using P = std::remove_cvref_t<E>;
  if constexpr (std::is_same_v<P, PolyBatch<value_type_of<E>>>)
    return "PolyBatch";
  else if constexpr (std::is_same_v<P, PolyView<value_type_of<E>>> ||
                     std::is_same_v<P, PolyView<const value_type_of<E>>>)
    return "PolyView";
  else
    return "expression";
}

} // namespace detail

/// Row i of p as a polynomial in ascending powers, e.g. `1 + 2*x - 3*x^2` or
/// `1/3*x`. An expression computes only that row.
template <PolyExpression E>
std::string to_string(const E& p, std::size_t i) {
  if (i >= p.batch_size())
    throw shape_error("pb::to_string: row " + std::to_string(i) + " is outside a batch of shape " +
                      detail::shape_str(p.batch_size(), p.length()));
  const auto row = detail::rows_of(p, i, 1);
  return detail::polynomial_text(row.data(), p.length());
}

/// The header `PolyBatch<double> (B=2, L=3)`, then one line per row
/// `  0: [1, 2, 3]`. Past print_threshold coefficients, summarised as numpy
/// does: the first and last print_edge_items rows with `  ...` between, and
/// in a row longer than 2 print_edge_items, the first and last
/// print_edge_items coefficients with `...` between. An expression computes
/// only the printed rows.
template <PolyExpression E>
std::ostream& operator<<(std::ostream& os, const E& p) {
  using T = value_type_of<E>;
  constexpr std::size_t edge = print_edge_items;
  const std::size_t B = p.batch_size(), L = p.length();
  const bool summarise = B * L > print_threshold;
  const bool elide_rows = summarise && B > 2 * edge;
  const bool elide_columns = summarise && L > 2 * edge;
  const std::size_t head = elide_rows ? edge : B;
  const std::vector<T> top = detail::rows_of(p, 0, head);
  const std::vector<T> bottom = elide_rows ? detail::rows_of(p, B - edge, edge) : std::vector<T>{};
  std::string out =
      detail::printed_kind<E>() + "<" + detail::scalar_type_name<T>(top.data()) + "> " + detail::shape_str(B, L) + "\n";
  const std::size_t width = std::to_string(B - 1).size();
  auto line = [&](std::size_t i, const T* row) {
    const std::string index = std::to_string(i);
    out += "  " + std::string(width - index.size(), ' ') + index + ": [";
    for (std::size_t k = 0; k < L; ++k) {
      if (elide_columns && k == edge) {
        out += ", ...";
        k = L - edge - 1;
        continue;
      }
      out += (k ? ", " : "") + detail::coefficient_text(row[k]);
    }
    out += "]\n";
  };
  for (std::size_t i = 0; i < head; ++i) line(i, top.data() + i * L);
  if (elide_rows) {
    out += "  " + std::string(width > 1 ? width - 1 : 0, ' ') + "...\n";
    for (std::size_t i = 0; i < edge; ++i) line(B - edge + i, bottom.data() + i * L);
  }
  return os << out;
}

namespace expr {
// Expression nodes whose template arguments name no polybatch type (the
// run-time tree's handle) still find the printer.
using polybatch::operator<<;
} // namespace expr

} // namespace polybatch
