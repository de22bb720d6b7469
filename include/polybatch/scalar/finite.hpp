// Whether a scalar value is finite, for every scalar the library takes.
// Integers and rationals always are; built-in floats, double-double and the
// Boost.Multiprecision floats answer through their own isfinite, found by
// argument-dependent lookup, so the test is made in the value's own type (a
// long double or MPFR value beyond double's range is finite) and this header
// includes no Boost header.
#pragma once

#include <cmath>
#include <limits>

#include "polybatch/scalar/double_double.hpp"

namespace polybatch::detail {

template <class T>
bool is_finite_value(const T& x) {
  if constexpr (std::numeric_limits<T>::is_integer || std::numeric_limits<T>::is_exact) {
    (void)x;
    return true;
  } else {
    using std::isfinite;
    return static_cast<bool>(isfinite(x));
  }
}

} // namespace polybatch::detail
