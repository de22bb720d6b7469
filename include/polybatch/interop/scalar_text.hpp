// Text form of one coefficient, for CSV files and numbers in expressions:
// parse a token into T (exactly where T can hold it, an error saying why
// otherwise) and format T so that parsing the text gives back the same value.
#pragma once

#include <algorithm>
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

#include <boost/multiprecision/cpp_int.hpp>
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

/// A nonzero decimal without leading or trailing zero digits, the trailing
/// ones moved into the exponent: the same value in the fewest digits (a
/// mantissa of many zeros and a compensating exponent, 1000...0e-50000, is
/// 1, not a number beyond a type's range).
inline void strip_zeros(Decimal& d) {
  const std::size_t first = d.digits.find_first_not_of('0');
  const std::size_t last = d.digits.find_last_not_of('0');
  d.exponent += static_cast<long long>(d.digits.size() - 1 - last);
  d.digits = d.digits.substr(first, last + 1 - first);
}

/// Why a token is no integer for integral_decimal_text.
enum class integral_text_failure { not_a_number, not_an_integer, too_large };

/// The integer a decimal token spells where its value is one (1.0, 1e3,
/// -2.50e1 read as 1, 1000 and -25: exactly, or not at all), as integer
/// text; std::nullopt with `why` set otherwise. More than `max_digits`
/// digits is too_large.
inline std::optional<std::string> integral_decimal_text(std::string_view token, long long max_digits,
                                                        integral_text_failure& why) {
  auto d = parse_decimal(token[0] == '+' ? token.substr(1) : token);
  if (!d) {
    why = integral_text_failure::not_a_number;
    return std::nullopt;
  }
  if (d->digits.find_first_not_of('0') == std::string::npos) return std::string("0");
  strip_zeros(*d);
  if (d->exponent < 0) {
    why = integral_text_failure::not_an_integer;
    return std::nullopt;
  }
  if (d->exponent > max_digits || static_cast<long long>(d->digits.size()) + d->exponent > max_digits) {
    why = integral_text_failure::too_large;
    return std::nullopt;
  }
  return (d->negative ? "-" : "") + d->digits + std::string(static_cast<std::size_t>(d->exponent), '0');
}

/// The decimal exponent of a stripped decimal's leading digit: its value
/// lies in [10^top, 10^(top + 1)).
inline long long leading_exponent(const Decimal& d) { return d.exponent + static_cast<long long>(d.digits.size()) - 1; }

/// Cuts a stripped decimal to `keep` (at least 1) significant digits where it
/// has more; a 1 after the kept ones stands for the dropped ones (the last
/// of which is not 0). The value then lies strictly between the same two
/// multiples of the last kept place as before, so a reader that rounds
/// correctly to a grid whose points and midpoints are all such multiples
/// rounds both alike, and reads at most keep + 1 digits.
inline void keep_significant(Decimal& d, std::size_t keep) {
  if (d.digits.size() <= keep) return;
  d.exponent += static_cast<long long>(d.digits.size() - keep) - 1;
  d.digits.resize(keep);
  d.digits += '1';
}

/// The decimal as text every reader takes: [-]digits e exponent.
inline std::string decimal_text(const Decimal& d) {
  return (d.negative ? "-" : "") + d.digits + "e" + std::to_string(d.exponent);
}

/// What decides how a binary floating type F rounds a decimal: F's values
/// and the midpoints between them near 2^e are multiples of 2^(e - digits -
/// 1) (e not below min_exponent), and a decimal whose leading digit is at
/// 10^top, top beyond [min_top, max_top], overflows or rounds to zero in F
/// (with a margin: F's reader decides the values near the ends). Nothing for
/// types without fixed bounds (variable-precision mpfr).
struct BinaryGrid {
  long long min_top, max_top, digits, min_exponent;
  /// Significant digits that decide the rounding of a decimal with leading
  /// digit at 10^top: down to the place where the grid's multiples end,
  /// 10^-(digits + 1 - e), with e a lower bound on the binary exponent of
  /// 10^top (rounded once to F), or F's least exponent (rounded more than
  /// once: a double-double's lo part can be far below hi's grid).
  std::size_t decisive_digits(long long top, bool rounded_once) const {
    // log2(10) lies between 3.3219 and 3.3220: both bounds err downwards.
    const long long e = !rounded_once ? min_exponent
                        : top >= 0    ? std::max(top * 33219 / 10000, min_exponent)
                                      : std::max((top * 33220 - 9999) / 10000, min_exponent);
    // A grid of integers (e > digits) ends at the units place.
    return static_cast<std::size_t>(std::max(1LL, top + std::max(0LL, digits + 1 - e) + 2));
  }
};
template <class F>
constexpr std::optional<BinaryGrid> binary_grid() {
  using L = std::numeric_limits<F>;
  if constexpr (!L::is_specialized || L::radix != 2) {
    return std::nullopt;
  } else {
    // log10(2) lies between 0.30102 and 0.30103.
    const long long max_top = static_cast<long long>(L::max_exponent) * 30103 / 100000 + 1;
    const long long least =
        static_cast<long long>(L::min_exponent) - L::digits - 1; // half the least subnormal: 2^least
    const long long min_top = least * 30103 / 100000 - 2;
    return BinaryGrid{min_top, max_top, L::digits, L::min_exponent};
  }
}

/// Binary types a decimal is rounded to through exact integers (fixed
/// precision up to 1024 bits: quad, float128, cpp_bin_float_50, ...):
/// Boost's string constructors do not round correctly near midpoints (a
/// decimal a unit below one, thousands of digits long, read as the value
/// above).
template <class F>
constexpr bool rounds_through_integers() {
  if constexpr (!binary_grid<F>().has_value()) {
    return false;
  } else {
    return std::numeric_limits<F>::digits <= 1024;
  }
}

/// Powers of ten up to which rounding through integers stays cheap, beyond
/// a few times the digits given: 10^20000 (66,000 bits) covers every
/// decimal in quad's and float128's range.
inline constexpr long long max_integer_rounding_exponent = 20000;

/// Strips a nonzero decimal's zeros and checks its magnitude against F's
/// range where F has a fixed one: false beyond it.
template <class F>
bool in_range_for(Decimal& d) {
  using L = std::numeric_limits<F>;
  strip_zeros(d);
  const long long top = leading_exponent(d);
  if constexpr (constexpr auto grid = binary_grid<F>(); grid.has_value()) {
    return top >= grid->min_top && top <= grid->max_top;
  } else if constexpr (L::is_specialized && L::radix == 10) {
    return top <= static_cast<long long>(L::max_exponent10) + 1 &&
           top >= static_cast<long long>(L::min_exponent10) - L::digits10 - 2;
  } else {
    return true;
  }
}

using boost::multiprecision::cpp_int;

/// The value of F nearest a stripped decimal (rounding once, ties to even),
/// or nothing where it overflows or rounds to zero (or, in a type without
/// subnormals, below the least normal). The decimal's value num / den is
/// put on F's grid at its binary exponent: multiples of 2^(E - digits) for
/// a value in [2^(E-1), 2^E), E not below min_exponent where F has
/// subnormals.
template <class F>
std::optional<F> nearest_binary(const Decimal& d) {
  using L = std::numeric_limits<F>;
  // F's normal values are 0.f 2^e for e in [min_exponent, max_exponent]:
  // cpp_bin_float's numeric_limits count e from 1.f (one less), float128's
  // from 0.f, as the standard does (and float128's min() and max() do not
  // compile in Boost 1.74), so the ends are probed.
  using boost::multiprecision::ldexp;
  const int min_exponent =
      boost::multiprecision::isnormal(ldexp(F(0.5), L::min_exponent)) ? L::min_exponent : L::min_exponent + 1;
  const int max_exponent =
      boost::multiprecision::isfinite(ldexp(F(0.5), L::max_exponent + 1)) ? L::max_exponent + 1 : L::max_exponent;
  cpp_int num(d.digits), den(1);
  const cpp_int scale = boost::multiprecision::pow(cpp_int(10), static_cast<unsigned>(std::llabs(d.exponent)));
  if (d.exponent >= 0)
    num *= scale;
  else
    den = scale;
  // E: num / den in [2^(E-1), 2^E).
  long long e = static_cast<long long>(boost::multiprecision::msb(num)) -
                static_cast<long long>(boost::multiprecision::msb(den)) + 1;
  const bool below =
      e >= 1 ? num < cpp_int(den << static_cast<unsigned>(e - 1)) : cpp_int(num << static_cast<unsigned>(1 - e)) < den;
  if (below) --e;
  // On F's grid at e (at F's least exponent where F has subnormals): q 2^g,
  // q below 2^digits, or equal where rounding carried into the next binade.
  const bool subnormals = L::has_denorm == std::denorm_present;
  const long long g = (subnormals ? std::max<long long>(e, min_exponent) : e) - L::digits;
  // round(num / (den 2^g)), ties to even.
  const cpp_int q = g >= 0 ? polybatch::detail::divide_nearest(num, cpp_int(den << static_cast<unsigned>(g)))
                           : polybatch::detail::divide_nearest(cpp_int(num << static_cast<unsigned>(-g)), den);
  if (q == 0) return std::nullopt;
  const long long rounded_e = static_cast<long long>(boost::multiprecision::msb(q)) + 1 + g;
  if (rounded_e > max_exponent || (!subnormals && rounded_e < min_exponent)) return std::nullopt;
  // F from q's 64-bit pieces, top first: every partial value is q's leading
  // bits, which F holds exactly.
  F v(0);
  const auto bits = static_cast<long long>(boost::multiprecision::msb(q)) + 1;
  for (long long shift = (bits - 1) / 64 * 64; shift >= 0; shift -= 64) {
    const auto piece = static_cast<std::uint64_t>(cpp_int(q >> static_cast<unsigned>(shift)) & 0xFFFFFFFFFFFFFFFFULL);
    v = v * F(18446744073709551616.0) + F(piece);
  }
  v = boost::multiprecision::ldexp(v, static_cast<int>(g));
  if (d.negative) v = -v;
  return v;
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
    std::string expanded; // a decimal whose value is an integer, as integer text
    if (!detail::is_integer_text(s)) {
      detail::integral_text_failure why{};
      const auto text = detail::integral_decimal_text(token, std::numeric_limits<T>::digits10 + 1, why);
      if (!text) {
        if (why == detail::integral_text_failure::not_an_integer)
          return {std::nullopt, describe(token) + " is not an integer"};
        if (why == detail::integral_text_failure::too_large)
          return {std::nullopt, describe(token) + " overflows a " + std::to_string(sizeof(T) * 8) + "-bit integer"};
        return {std::nullopt, describe(token) + " is not a number"};
      }
      expanded = *text;
      s = expanded;
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
    const char* type_name = std::is_same_v<T, float> ? "float" : std::is_same_v<T, double> ? "double" : "long double";
    if (ec == std::errc::result_out_of_range) {
      if constexpr (std::is_same_v<T, long double>) {
        // libstdc++ reads long double through strtold, which reports ERANGE
        // for every inexact subnormal: those are rounded from the exact
        // decimal instead (underflow to zero and overflow stay errors).
        if (auto d = detail::parse_decimal(s); d && !special && !detail::is_beyond_any_range(*d)) {
          detail::Decimal stripped = *d;
          detail::strip_zeros(stripped);
          const long long top = detail::leading_exponent(stripped);
          constexpr long long least_top = std::numeric_limits<T>::min_exponent10 - std::numeric_limits<T>::digits10 - 2;
          if (!stripped.digits.empty() && top >= least_top && top < std::numeric_limits<T>::min_exponent10) {
            const boost::multiprecision::cpp_int num(stripped.digits);
            const boost::multiprecision::cpp_int den = boost::multiprecision::pow(
                boost::multiprecision::cpp_int(10), static_cast<unsigned>(-stripped.exponent));
            const T rounded = polybatch::detail::nearest_binary<T>(stripped.negative ? -num : num, den);
            if (rounded != 0) return {rounded, {}};
          }
        }
      }
      return {std::nullopt, describe(token) + " is out of range for " + type_name};
    }
    if (ec != std::errc() || end != s.data() + s.size()) return {std::nullopt, describe(token) + " is not a number"};
    return {v, {}};
  } else if constexpr (detail::boost_category<T>() == boost::multiprecision::number_kind_integer) {
    std::string expanded; // a decimal whose value is an integer, as integer text
    if (!detail::is_integer_text(token)) {
      // As for rationals, the power of ten built is at most 10000 places
      // beyond the digits written.
      detail::integral_text_failure why{};
      const auto text = detail::integral_decimal_text(token, static_cast<long long>(token.size()) + 10000, why);
      if (!text) {
        if (why == detail::integral_text_failure::not_an_integer)
          return {std::nullopt, describe(token) + " is not an integer"};
        if (why == detail::integral_text_failure::too_large)
          return {std::nullopt, describe(token) + " is too large (more than 10000 digits beyond those written)"};
        return {std::nullopt, describe(token) + " is not a number"};
      }
      expanded = *text;
      token = expanded;
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
    auto d = detail::parse_decimal(token);
    if (!d) return {std::nullopt, describe(token) + " is not a number"};
    if (!detail::has_nonzero_digit(*d)) return {T(0), {}};
    // The power of ten built is at most 10000 places beyond the digits
    // written (1000...0e-50000 is 1, and 1000...0 or 0.000...01 as long as
    // it is written): counted before the zeros are stripped.
    const auto written = static_cast<long long>(d->digits.size());
    detail::strip_zeros(*d);
    if (std::llabs(d->exponent) > 10000 + written)
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
    // A dd is hi + lo, two doubles rounded in turn: every boundary is a
    // multiple of 2^-1075 as for double, and so is the range.
    detail::Decimal stripped = *d;
    if (!detail::in_range_for<double>(stripped)) return {std::nullopt, out_of_range};
    detail::keep_significant(stripped,
                             detail::binary_grid<double>()->decisive_digits(detail::leading_exponent(stripped), false));
    try {
      const double_double v = parse_double_double(detail::decimal_text(stripped));
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
    detail::Decimal stripped = *d;
    if (!detail::in_range_for<T>(stripped)) return {std::nullopt, out_of_range};
    if constexpr (detail::rounds_through_integers<T>()) {
      const long long top = detail::leading_exponent(stripped);
      detail::keep_significant(stripped, detail::binary_grid<T>()->decisive_digits(top, true));
      // Through integers while the power of ten is within reach (or no
      // larger than the digits given); far out in a wide type's range, its
      // constructor on the same digits.
      if (std::llabs(stripped.exponent) <=
          detail::max_integer_rounding_exponent + 4 * static_cast<long long>(stripped.digits.size())) {
        std::optional<T> v = detail::nearest_binary<T>(stripped);
        if (!v) return {std::nullopt, out_of_range};
        return {std::move(*v), {}};
      }
    }
    try {
      T v{detail::decimal_text(stripped)};
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
    // hi + lo: a NaN or infinite low part (set by hand) makes the value so.
    if (!std::isfinite(v.hi) || !std::isfinite(v.lo)) return format_scalar(v.hi + v.lo);
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
