// Decimal text for pb::double_double: `<<` (33 significant digits, enough to
// round-trip) and parse_double_double. Separate from double_double.hpp
// because both go through Boost.Multiprecision's cpp_bin_float_quad, which
// code that only computes in double-double need not compile.
#pragma once

#include <ostream>
#include <string>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include "polybatch/scalar/double_double.hpp"

namespace polybatch {

/// hi + lo with the stream's precision (33 significant digits round-trip).
inline std::ostream& operator<<(std::ostream& os, const double_double& a) {
  boost::multiprecision::cpp_bin_float_quad q(a.hi);
  q += a.lo;
  return os << q;
}

/// Parses a decimal string (as written by <<) to the nearest double_double.
inline double_double parse_double_double(const std::string& text) {
  const boost::multiprecision::cpp_bin_float_quad q(text);
  const double hi = static_cast<double>(q);
  const boost::multiprecision::cpp_bin_float_quad rest = q - hi;
  return double_double::from_parts(hi, static_cast<double>(rest));
}

} // namespace polybatch
