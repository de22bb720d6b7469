// The scalar types of the command line: their names, how a value is read
// and written as text (dd needs more than the generic decimal rules), and the
// exact rational a value stands for (for --verify and the demo).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <polybatch/interop/scalar_text.hpp>
#include <polybatch/polybatch.hpp>

namespace polybatch::cli {

using rational = boost::multiprecision::cpp_rational;
using quad = boost::multiprecision::cpp_bin_float_quad;
using mpfr = boost::multiprecision::mpfr_float;
using dd = polybatch::double_double;

template <class T>
inline constexpr bool is_machine_scalar = std::is_arithmetic_v<T>;

template <class T>
interop::Parsed<T> parse_value(std::string_view token) {
  return interop::parse_scalar<T>(token);
}
template <class T>
std::string format_value(const T& v) {
  return interop::format_scalar(v);
}

/// The exact rational value of v (binary floating point values are dyadic
/// rationals, so this is always exact for finite values).
template <class T>
rational to_rational(const T& v) {
  if constexpr (std::is_same_v<T, rational>) {
    return v;
  } else if constexpr (std::is_same_v<T, dd>) {
    return rational(v.hi) + rational(v.lo);
  } else if constexpr (std::is_arithmetic_v<T>) {
    return rational(v);
  } else {
    // Multiprecision binary floats: v = m * 2^e with an integer m.
    if (v == 0) return rational(0);
    int e = 0;
    T m = boost::multiprecision::frexp(v, &e);
    while (m != boost::multiprecision::floor(m)) {
      m *= 2;
      --e;
    }
    boost::multiprecision::cpp_int mi = m.template convert_to<boost::multiprecision::cpp_int>();
    rational r(mi);
    if (e > 0) r *= rational(boost::multiprecision::cpp_int(1) << e);
    if (e < 0) r /= rational(boost::multiprecision::cpp_int(1) << -e);
    return r;
  }
}

} // namespace polybatch::cli
