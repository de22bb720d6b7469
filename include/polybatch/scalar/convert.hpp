// Scalar conversion used by pb::cast and pb::verify. From binary floating
// point (float, double, double_double, cpp_bin_float, float128, mpfr) to an
// exact type (rationals) the conversion is exact; to an integer type it is
// exact or throws domain_error (a fractional value has no integer image).
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

#include "polybatch/core/errors.hpp"
#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/double_double_io.hpp"
#include "polybatch/scalar/multiprecision.hpp"

namespace polybatch {

namespace detail {

template <class S>
bool is_integral_value(const S& s) {
  if constexpr (std::numeric_limits<S>::is_integer) {
    return true;
  } else if constexpr (std::is_floating_point_v<S>) {
    return std::isfinite(s) && std::trunc(s) == s;
  } else {
    using boost::multiprecision::trunc;
    using std::trunc;
    const S t = trunc(s);
    return t == s;
  }
}

} // namespace detail

/// s converted to U: exact into exact types (or domain_error), rounded to
/// nearest otherwise.
template <class U, class S>
U convert_scalar(const S& s) {
  if constexpr (std::is_same_v<U, S>) {
    return s;
  } else if constexpr (std::is_same_v<S, double_double>) {
    if constexpr (std::is_arithmetic_v<U>) {
      return static_cast<U>(s);
    } else {
      // hi + lo: both parts convert exactly to exact types.
      U hi = convert_scalar<U>(s.hi);
      hi += convert_scalar<U>(s.lo);
      return hi;
    }
  } else if constexpr (std::is_same_v<U, double_double>) {
    if constexpr (std::is_arithmetic_v<S>) {
      return double_double(s);
    } else {
      const double hi = static_cast<double>(s);
      const S rest = S(s - S(hi));
      return double_double::from_parts(hi, static_cast<double>(rest));
    }
  } else {
    if constexpr (std::numeric_limits<U>::is_integer && !std::numeric_limits<S>::is_integer &&
                  !std::numeric_limits<S>::is_exact) {
      if (!detail::is_integral_value(s))
        throw domain_error("pb::cast: a non-integral value cannot be converted exactly to an integer type");
    }
    if constexpr (std::is_arithmetic_v<U>)
      return static_cast<U>(s);
    else
      return U(s);
  }
}

} // namespace polybatch
