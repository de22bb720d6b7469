// Decimal text for pb::double_double: `<<` (the stream's precision, 33
// significant digits round-trip) and parse_double_double. Both convert
// exactly through integers (cpp_int): a finite hi + lo is an integer times a
// power of two, and a decimal is an integer times a power of ten, so each
// direction is one exact division rounded once. Separate from
// double_double.hpp, which code that only computes in double-double includes
// without Boost.Multiprecision.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdlib>
#include <ios>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

#include "polybatch/scalar/double_double.hpp"

namespace polybatch {

namespace detail {

using dd_int = boost::multiprecision::cpp_int;

/// x = mantissa * 2^exponent exactly (x finite).
inline void split_double(double x, dd_int& mantissa, long& exponent) {
  int e = 0;
  const double m = std::frexp(x, &e); // x = m * 2^e, 0.5 <= |m| < 1
  mantissa = static_cast<long long>(std::ldexp(m, 53));
  exponent = static_cast<long>(e) - 53;
}

/// num * 2^shift (shift of either sign, exact when shift >= 0).
inline dd_int shifted(const dd_int& num, long shift) {
  return shift >= 0 ? dd_int(num << static_cast<unsigned>(shift)) : dd_int(num >> static_cast<unsigned>(-shift));
}

/// round(num / den), ties to even; num >= 0, den > 0.
inline dd_int divide_nearest(const dd_int& num, const dd_int& den) {
  dd_int q, r;
  boost::multiprecision::divide_qr(num, den, q, r);
  const dd_int twice = r * 2;
  if (twice > den || (twice == den && boost::multiprecision::bit_test(q, 0))) ++q;
  return q;
}

/// The F (float or double) nearest num / den (den > 0), ties to even, one
/// rounding also among the subnormals; +-inf past the range. (Boost's
/// conversion of a rational rounds to the full precision first and scales
/// after, which rounds a subnormal result twice.)
template <std::floating_point F>
F nearest_binary(const dd_int& num, const dd_int& den) {
  using L = std::numeric_limits<F>;
  constexpr long digits = L::digits;               // 53 for double
  constexpr long least = L::min_exponent - digits; // -1074: the last bit of the least subnormal
  constexpr long largest = L::max_exponent - 1;    // 1023: the leading bit of the largest finite value
  if (num == 0) return F(0);
  const bool negative = num < 0;
  const dd_int a = negative ? dd_int(-num) : num;
  // q = floor(a * 2^s / den) with at least digits + 2 bits, value = (q + frac) * 2^-s.
  const long s =
      digits + 2 -
      (static_cast<long>(boost::multiprecision::msb(a)) - static_cast<long>(boost::multiprecision::msb(den)));
  dd_int q, r;
  if (s >= 0)
    boost::multiprecision::divide_qr(dd_int(a << static_cast<unsigned>(s)), den, q, r);
  else
    boost::multiprecision::divide_qr(a, dd_int(den << static_cast<unsigned>(-s)), q, r);
  const long lead = static_cast<long>(boost::multiprecision::msb(q)) - s; // exponent of the leading bit
  if (lead > largest) return negative ? -L::infinity() : L::infinity();
  const long t = std::max(lead - (digits - 1), least); // exponent of the last kept bit
  const long drop = t + s;                             // >= 2: q has at least digits + 2 bits
  dd_int m = q >> static_cast<unsigned>(drop);
  const dd_int rest = q - (m << static_cast<unsigned>(drop));
  const dd_int half = dd_int(1) << static_cast<unsigned>(drop - 1);
  if (rest > half || (rest == half && (r != 0 || boost::multiprecision::bit_test(m, 0)))) ++m;
  // m <= 2^digits: exact in F, and the scaling is exact or overflows to inf.
  const F v = std::ldexp(static_cast<F>(m), static_cast<int>(t));
  return negative ? -v : v;
}

/// The double nearest num / den (den > 0), ties to even; +-inf past the range.
inline double nearest_double(const dd_int& num, const dd_int& den) { return nearest_binary<double>(num, den); }

/// The double_double nearest num / den (den > 0): hi the nearest double,
/// lo the nearest double to the exact rest.
inline double_double nearest_double_double(const dd_int& num, const dd_int& den) {
  const double hi = nearest_double(num, den);
  if (hi == 0.0 || !std::isfinite(hi)) return double_double(hi);
  dd_int mh;
  long eh = 0;
  split_double(hi, mh, eh);
  // num/den - mh 2^eh over a common denominator.
  const double lo = eh >= 0 ? nearest_double(num - shifted(mh * den, eh), den)
                            : nearest_double(shifted(num, -eh) - mh * den, shifted(den, -eh));
  const double_double r = double_double::from_parts(hi, lo);
  if (std::isfinite(r.hi)) return r;
  // Just below the largest dd: hi is the largest double and lo, half its
  // last bit, ties hi + lo up to infinity. The nearest dd keeps hi and the
  // double below lo.
  double_double last;
  last.hi = hi;
  last.lo = std::nextafter(lo, 0.0);
  return last;
}

/// Scientific text `-d.ddd...e+XX` of finite hi + lo with `digits` (>= 1)
/// significant digits, rounded to nearest from the exact value.
inline std::string double_double_scientific(const double_double& v, int digits) {
  if (v.hi == 0.0) return std::string(std::signbit(v.hi) ? "-" : "") + "0." + std::string(digits - 1, '0') + "e+00";
  dd_int mh, ml;
  long eh = 0, el = 0;
  split_double(v.hi, mh, eh);
  if (v.lo != 0.0)
    split_double(v.lo, ml, el);
  else
    el = eh;
  const long e = std::min(eh, el);
  dd_int m = shifted(mh, eh - e) + shifted(ml, el - e); // v = m * 2^e exactly
  const bool negative = m < 0;
  if (negative) m = -m;
  // Decimal exponent of the leading digit, from hi, corrected below.
  long k = static_cast<long>(std::floor(std::log10(std::fabs(v.hi))));
  const dd_int low = boost::multiprecision::pow(dd_int(10), static_cast<unsigned>(digits - 1));
  const dd_int high = low * 10;
  dd_int d;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const long s = digits - 1 - k; // d = round(|v| 10^s)
    dd_int num = m, den = 1;
    if (e >= 0)
      num <<= static_cast<unsigned>(e);
    else
      den <<= static_cast<unsigned>(-e);
    if (s >= 0)
      num *= boost::multiprecision::pow(dd_int(10), static_cast<unsigned>(s));
    else
      den *= boost::multiprecision::pow(dd_int(10), static_cast<unsigned>(-s));
    d = divide_nearest(num, den);
    if (d >= high)
      ++k;
    else if (d < low)
      --k;
    else
      break;
  }
  if (d >= high) { // 9.99..95 rounded up to 10.00..0
    d /= 10;
    ++k;
  }
  std::string text = d.str();
  std::string out = negative ? "-" : "";
  out += text[0];
  if (text.size() > 1) out += "." + text.substr(1);
  out += k < 0 ? "e-" : "e+";
  const std::string exponent = std::to_string(std::labs(k));
  out += (exponent.size() < 2 ? "0" : "") + exponent;
  return out;
}

} // namespace detail

/// hi + lo with the stream's precision (significant digits; 33 round-trip),
/// in scientific notation, rounded from the exact value.
inline std::ostream& operator<<(std::ostream& os, const double_double& a) {
  if (!std::isfinite(a.hi) || !std::isfinite(a.lo)) return os << a.hi + a.lo; // lo set to NaN or inf by hand
  const std::streamsize precision = os.precision();
  return os << detail::double_double_scientific(a, precision > 0 ? static_cast<int>(precision) : 6);
}

/// Parses a decimal string (`[+-]digits[.digits][e[+-]digits]`, as written by
/// <<) to the nearest double_double; std::invalid_argument otherwise.
inline double_double parse_double_double(const std::string& text) {
  std::size_t i = 0;
  const bool negative = i < text.size() && text[i] == '-';
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::string digits;
  long exponent = 0;
  bool any = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) digits += text[i];
  if (i < text.size() && text[i] == '.')
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) {
      digits += text[i];
      --exponent;
    }
  if (any && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    const char* start = text.c_str() + i + 1;
    char* end = nullptr;
    const long e = std::strtol(start, &end, 10);
    if (end == start || std::labs(e) > 100000) any = false;
    exponent += e;
    i = static_cast<std::size_t>(end - text.c_str());
  }
  if (!any || i != text.size()) throw std::invalid_argument("not a decimal number: '" + text + "'");
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return double_double(negative ? -0.0 : 0.0);
  detail::dd_int num(digits.substr(first)), den = 1;
  if (exponent > 400) // beyond any finite double_double
    return double_double(negative ? -HUGE_VAL : HUGE_VAL);
  if (exponent < -800 - static_cast<long>(digits.size())) // below half the least subnormal
    return double_double(negative ? -0.0 : 0.0);
  if (exponent >= 0)
    num *= boost::multiprecision::pow(detail::dd_int(10), static_cast<unsigned>(exponent));
  else
    den = boost::multiprecision::pow(detail::dd_int(10), static_cast<unsigned>(-exponent));
  if (negative) num = -num;
  return detail::nearest_double_double(num, den);
}

} // namespace polybatch
