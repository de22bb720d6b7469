// A scalar value as text for error messages, for every scalar the library
// takes: floating-point values with the digits that tell them apart (so a
// refused 1e-10 does not read as 0.000000), exact values in full. Boost
// numbers print with the digits of their own precision: a variable-precision
// MPFR type reports INT_MAX as max_digits10, and a stream set to that asks GMP
// for billions of digits. No Boost header is needed here.
#pragma once

#include <cmath>
#include <cstdio>
#include <ios>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>

#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/double_double_io.hpp"

namespace polybatch::detail {

template <class T>
std::string value_text(const T& x) {
  if constexpr (std::is_integral_v<T>) {
    return std::to_string(x);
  } else if constexpr (std::is_floating_point_v<T>) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*Lg", std::numeric_limits<T>::max_digits10, static_cast<long double>(x));
    return text;
  } else if constexpr (std::is_same_v<T, double_double>) {
    std::ostringstream os;
    os.precision(std::numeric_limits<double_double>::max_digits10);
    os << x;
    return os.str();
  } else if constexpr (requires { x.str(0, std::ios_base::scientific); }) {
    return x.str(0, std::ios_base::scientific);
  } else {
    std::ostringstream os;
    os << x;
    return os.str();
  }
}

} // namespace polybatch::detail
