// Text form of one coefficient, for CSV files and numbers in expressions:
// parse a token into T (exactly where T can hold it, an error saying why
// otherwise) and format T so that parsing the text gives back the same value.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <boost/multiprecision/number.hpp>

#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/interop/errors.hpp"
#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/double_double_io.hpp"
#include "polybatch/scalar/multiprecision.hpp"

namespace polybatch::interop {

namespace detail {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// [+-]?digits
inline bool is_integer_text(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

/// Digits without leading zeros ("0" for zero): Boost.Multiprecision reads a
/// leading 0 as an octal prefix, so "025" must reach it as "25".
inline std::string without_leading_zeros(std::string_view digits) {
  const std::size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? std::string("0") : std::string(digits.substr(first));
}

/// A decimal number: [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?
/// Split into its parts so exact types can build the value without rounding.
struct Decimal {
  bool negative = false;
  std::string digits;     // integer and fraction digits, concatenated
  long long exponent = 0; // value = digits * 10^exponent
};

/// Decimal exponents beyond this (in magnitude) are out of every type's
/// range (MPFR's widest is about 10^(3 * 10^8)); parse_decimal stops
/// counting a little past it.
inline constexpr long long exponent_limit = 10'000'000'000;

/// Whether s (without a leading '+') spells a special value every floating
/// type reads, as double reads it: inf, -inf, nan, -nan.
inline bool is_special_value(std::string_view s) { return s == "inf" || s == "-inf" || s == "nan" || s == "-nan"; }

/// Whether the decimal's value is not zero (a digit other than 0).
inline bool has_nonzero_digit(const Decimal& d) { return d.digits.find_first_not_of('0') != std::string::npos; }

inline std::optional<Decimal> parse_decimal(std::string_view s);

/// Whether a nonzero decimal's exponent is beyond every type's range (its
/// digits cannot bring it back: there are fewer of them than the limit).
inline bool is_beyond_any_range(const Decimal& d) {
  const auto digits = static_cast<long long>(d.digits.size());
  return d.exponent > exponent_limit || d.exponent < -exponent_limit - digits;
}

inline std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d.negative = s[i++] == '-';
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_digit(s[i])) d.digits += s[i++], ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) d.digits += s[i++], ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return std::nullopt;
  long long exp10 = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i == s.size()) return std::nullopt;
    // An absurd exponent stays absurd but finite: 0e999999999999 is still
    // zero, 1e999999999999 still too large for any type.
    while (i < s.size() && is_digit(s[i])) {
      if (exp10 <= exponent_limit) exp10 = exp10 * 10 + (s[i] - '0');
      ++i;
    }
    if (neg) exp10 = -exp10;
  }
  if (i != s.size()) return std::nullopt;
  d.exponent = exp10 - static_cast<long long>(frac_digits);
  return d;
}

inline std::string describe(std::string_view token) {
  constexpr std::size_t max_shown = 40;
  if (token.size() <= max_shown) return quoted(token);
  std::string shown = quoted(token.substr(0, max_shown));
  shown.insert(shown.size() - 1, "...");
  return shown;
}

template <class T>
inline constexpr bool is_boost_number = boost::multiprecision::is_number<T>::value;

template <class T>
constexpr int boost_category() {
  if constexpr (is_boost_number<T>)
    return boost::multiprecision::number_category<T>::value;
  else
    return -1;
}

} // namespace detail

/// Result of parsing a token: the value, or why the token is not one.
template <class T>
struct Parsed {
  std::optional<T> value;
  std::string error; // e.g. "'1.5' is not an integer"
};

/// The scalars parse_scalar reads: the others (the exact check's dyadic
/// numbers) take their literals from a parser the caller gives.
template <class T>
concept TextScalar =
    std::is_arithmetic_v<T> || std::is_same_v<T, double_double> || std::constructible_from<T, std::string>;

/// Parses one token (no surrounding blanks) into T. Integers must be whole
/// and in range; binary floating point rounds to nearest like strtod; exact
/// rationals take integers, p/q and decimals (1.25 = 5/4) exactly; other
/// multiprecision types read the decimal string at their full precision.
template <Scalar T>
Parsed<T> parse_scalar(std::string_view token) {
  using detail::describe;
  if (token.empty()) return {std::nullopt, "empty value"};
  // One sign at most: the readers below strip a '+' and then accept a sign.
  if (token.size() > 1 && token[0] == '+' && (token[1] == '+' || token[1] == '-'))
    return {std::nullopt, describe(token) + " is not a number"};
  if constexpr (std::is_integral_v<T>) {
    std::string_view s = token;
    if (s[0] == '+') s.remove_prefix(1);
    if (!detail::is_integer_text(s)) {
      if (detail::parse_decimal(token)) return {std::nullopt, describe(token) + " is not an integer"};
      return {std::nullopt, describe(token) + " is not a number"};
    }
    T v{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range)
      return {std::nullopt, describe(token) + " overflows a " + std::to_string(sizeof(T) * 8) + "-bit integer"};
    if (ec != std::errc() || end != s.data() + s.size()) return {std::nullopt, describe(token) + " is not a number"};
    return {v, {}};
  } else if constexpr (std::is_floating_point_v<T>) {
    std::string_view s = token;
    if (s[0] == '+') s.remove_prefix(1);
    const bool special = detail::is_special_value(s);
    if (!special && !detail::parse_decimal(s)) return {std::nullopt, describe(token) + " is not a number"};
    T v{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc::result_out_of_range)
      return {std::nullopt, describe(token) + " is out of range for " + (sizeof(T) == 4 ? "float" : "double")};
    if (ec != std::errc() || end != s.data() + s.size()) return {std::nullopt, describe(token) + " is not a number"};
    return {v, {}};
  } else if constexpr (detail::boost_category<T>() == boost::multiprecision::number_kind_integer) {
    if (!detail::is_integer_text(token)) {
      if (detail::parse_decimal(token)) return {std::nullopt, describe(token) + " is not an integer"};
      return {std::nullopt, describe(token) + " is not a number"};
    }
    const bool negative = token[0] == '-';
    const std::string_view digits = token[0] == '+' || token[0] == '-' ? token.substr(1) : token;
    const std::string s = (negative ? "-" : "") + detail::without_leading_zeros(digits);
    try {
      return {T(s), {}};
    } catch (const std::exception&) {
      return {std::nullopt, describe(token) + " overflows the integer type"};
    }
  } else if constexpr (detail::boost_category<T>() == boost::multiprecision::number_kind_rational) {
    const std::size_t slash = token.find('/');
    if (slash != std::string_view::npos) {
      const std::string_view p = token.substr(0, slash), q = token.substr(slash + 1);
      if (!detail::is_integer_text(p) || !detail::is_integer_text(q) || q[0] == '+' || q[0] == '-')
        return {std::nullopt, describe(token) + " is not a number (a rational is p/q with integers p and q > 0)"};
      using Int = typename boost::multiprecision::component_type<T>::type;
      const bool negative = p[0] == '-';
      Int num(detail::without_leading_zeros(p[0] == '+' || p[0] == '-' ? p.substr(1) : p));
      if (negative) num = -num;
      const Int den(detail::without_leading_zeros(q));
      if (den == 0) return {std::nullopt, describe(token) + " has a zero denominator"};
      return {T(num, den), {}};
    }
    const auto d = detail::parse_decimal(token);
    if (!d) return {std::nullopt, describe(token) + " is not a number"};
    if (!detail::has_nonzero_digit(*d)) return {T(0), {}};
    if (d->exponent > 10000 || d->exponent < -10000)
      return {std::nullopt, describe(token) + " has an exponent too large to hold exactly"};
    using Int = typename boost::multiprecision::component_type<T>::type;
    Int mantissa(detail::without_leading_zeros(d->digits));
    Int scale =
        boost::multiprecision::pow(Int(10), static_cast<unsigned>(d->exponent < 0 ? -d->exponent : d->exponent));
    T v = d->exponent < 0 ? T(mantissa, scale) : T(Int(mantissa * scale));
    if (d->negative) v = -v;
    return {v, {}};
  } else if constexpr (std::is_same_v<T, double_double>) {
    std::string_view s = token;
    if (s[0] == '+') s.remove_prefix(1);
    if (detail::is_special_value(s)) return {double_double(std::strtod(std::string(s).c_str(), nullptr)), {}};
    const auto d = detail::parse_decimal(s);
    if (!d) return {std::nullopt, describe(token) + " is not a number"};
    if (!detail::has_nonzero_digit(*d)) return {double_double(d->negative ? -0.0 : 0.0), {}};
    const std::string out_of_range = describe(token) + " is out of range for dd";
    // Above every finite dd or below half the least subnormal, as
    // parse_double_double decides, whose exponent reader stops at 10^5.
    if (d->exponent > 400 || d->exponent < -800 - static_cast<long long>(d->digits.size()))
      return {std::nullopt, out_of_range};
    try {
      const double_double v = parse_double_double(std::string(s));
      if (!std::isfinite(v.hi) || v.hi == 0) return {std::nullopt, out_of_range};
      return {v, {}};
    } catch (const std::invalid_argument&) {
      return {std::nullopt, describe(token) + " is not a number"};
    }
  } else {
    // Other floating-point types (multiprecision floats):
    // their string constructor rounds the decimal at full precision.
    std::string_view s = token;
    if (s[0] == '+') s.remove_prefix(1);
    if (detail::is_special_value(s)) return {T(std::strtod(std::string(s).c_str(), nullptr)), {}};
    const auto d = detail::parse_decimal(s);
    if (!d) return {std::nullopt, describe(token) + " is not a number"};
    // Zero at any exponent, with its sign: the string constructors drop the
    // sign of -0 and refuse some exponents.
    if (!detail::has_nonzero_digit(*d)) {
      T zero(0);
      if (d->negative) zero = -zero;
      return {std::move(zero), {}};
    }
    // A finite decimal that overflows to infinity or underflows to zero
    // has no value in the type: an error, as for float and double.
    const std::string out_of_range = describe(token) + " is out of range for the type";
    if (detail::is_beyond_any_range(*d)) return {std::nullopt, out_of_range};
    try {
      T v{std::string(s)};
      if (!boost::multiprecision::isfinite(v) || v == 0) return {std::nullopt, out_of_range};
      return {std::move(v), {}};
    } catch (const std::exception&) {
      return {std::nullopt, describe(token) + " is not a number"};
    }
  }
}

/// Text that parse_scalar<T> reads back as exactly the same value.
template <Scalar T>
std::string format_scalar(const T& v) {
  if constexpr (std::is_integral_v<T>) {
    return std::to_string(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(v)) return "nan";
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v); // shortest round-trip form
    return ec == std::errc() ? std::string(buf, end) : std::string("nan");
  } else if constexpr (detail::boost_category<T>() == boost::multiprecision::number_kind_integer ||
                       detail::boost_category<T>() == boost::multiprecision::number_kind_rational) {
    return v.str();
  } else if constexpr (std::is_same_v<T, double_double>) {
    if (!std::isfinite(v.hi)) return format_scalar(v.hi);
    // The fewest significant digits (from 33) that read back exactly; the
    // exact value itself in the end (lo far below hi needs many digits).
    for (int digits : {33, 34, 36, 40, 50, 80, 160, 320, 640}) {
      std::string s = polybatch::detail::double_double_scientific(v, digits);
      if (parse_double_double(s) == v) return s;
    }
    return polybatch::detail::double_double_scientific(v, 1200);
  } else if constexpr (detail::is_boost_number<T>) {
    // 0 digits: as many as the value's precision needs to read back exactly.
    std::string s = v.str(0, std::ios_base::scientific);
    // MPFR's text drops the sign of -0, which parse_scalar keeps.
    if (v == 0 && boost::multiprecision::signbit(v) && s[0] != '-') s.insert(0, 1, '-');
    return s;
  } else {
    std::ostringstream out;
    out.precision(std::numeric_limits<T>::max_digits10);
    out << v;
    return out.str();
  }
}

} // namespace polybatch::interop
