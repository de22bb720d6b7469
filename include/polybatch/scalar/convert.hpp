// Scalar conversion used by pb::cast, pb::rebind and pb::verify. From binary
// floating point (float, double, double_double, cpp_bin_float, float128,
// mpfr) to an exact type (rationals) the conversion is exact; to an integer
// type it is exact or throws domain_error: a fraction, a non-finite value and
// a value outside a built-in integer's range have no integer image. Boost's
// own conversions would truncate a rational or a double-double, and a
// built-in cast of an out-of-range double is undefined.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include <boost/multiprecision/cpp_int.hpp>

#include "polybatch/core/errors.hpp"
#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/double_double_io.hpp"
#include "polybatch/scalar/finite.hpp"
#include "polybatch/scalar/multiprecision.hpp"
#include "polybatch/scalar/value_text.hpp"

// Declared as boost/multiprecision/gmp.hpp declares it, so that mpz_int can be
// recognised without including GMP where it is not used.
namespace boost::multiprecision::backends {
struct gmp_int;
template <unsigned digits10>
struct gmp_float;
} // namespace boost::multiprecision::backends

namespace polybatch {

namespace detail {

template <class S>
inline constexpr bool is_rational_scalar = [] {
  if constexpr (requires { scalar_traits<S>::is_rational; })
    return scalar_traits<S>::is_rational;
  else
    return false;
}();

template <class S>
inline constexpr bool is_floating_scalar = std::is_floating_point_v<S> || std::is_same_v<S, double_double> ||
                                           (!std::numeric_limits<S>::is_integer && !std::numeric_limits<S>::is_exact &&
                                            !is_rational_scalar<S>);

/// Whether s (finite) is an integer.
template <class S>
bool is_integral_value(const S& s) {
  if constexpr (std::numeric_limits<S>::is_integer) {
    (void)s;
    return true;
  } else if constexpr (std::is_floating_point_v<S>) {
    return std::trunc(s) == s;
  } else if constexpr (std::is_same_v<S, double_double>) {
    // Normalised (|lo| <= ulp(hi) / 2): a fractional hi leaves a fraction
    // that lo cannot cancel, so the sum is whole exactly when both parts are.
    return std::trunc(s.hi) == s.hi && std::trunc(s.lo) == s.lo;
  } else if constexpr (is_rational_scalar<S>) {
    return denominator(s) == 1;
  } else {
    using boost::multiprecision::trunc;
    using std::trunc;
    const S t = trunc(s);
    return t == s;
  }
}

/// Whether the integer value s lies in the range of the built-in integer U.
template <class U, class S>
bool in_integer_range(const S& s) {
  using L = std::numeric_limits<U>;
  if constexpr (std::is_integral_v<S>) {
    return std::in_range<U>(s);
  } else if constexpr (std::is_floating_point_v<S> || std::is_same_v<S, double_double>) {
    // [-2^digits or 0, 2^digits): both ends are powers of two, exact in S.
    const double top = std::ldexp(1.0, L::digits);
    const double bottom = L::is_signed ? -top : 0.0;
    return S(bottom) <= s && s < S(top);
  } else if constexpr (is_floating_scalar<S>) {
    const S top = ldexp(S(1), L::digits);
    const S bottom = L::is_signed ? S(-top) : S(0);
    return bottom <= s && s < top;
  } else {
    return S(L::min()) <= s && s <= S(L::max());
  }
}

/// Boost's gmp integers (mpz_int): their conversion to floating types is
/// GMP's mpz_get_d, which truncates toward zero.
template <class S>
inline constexpr bool is_gmp_integer = false;
template <boost::multiprecision::expression_template_option ET>
inline constexpr bool is_gmp_integer<boost::multiprecision::number<boost::multiprecision::backends::gmp_int, ET>> =
    true;

/// Boost's gmp floats (mpf_float): their conversion to double is GMP's
/// mpf_get_d, which truncates toward zero.
template <class S>
inline constexpr bool is_gmp_float = false;
template <unsigned D, boost::multiprecision::expression_template_option ET>
inline constexpr bool is_gmp_float<boost::multiprecision::number<boost::multiprecision::backends::gmp_float<D>, ET>> =
    true;

} // namespace detail

/// s converted to U: exact into exact types (or domain_error), rounded to
/// nearest otherwise.
template <class U, class S>
U convert_scalar(const S& s) {
  if constexpr (std::is_same_v<U, S>) {
    return s;
  } else {
    if constexpr (std::numeric_limits<U>::is_exact || std::numeric_limits<U>::is_integer) {
      if (!detail::is_finite_value(s))
        throw domain_error("converting " + detail::value_text(s) + " to an exact type: it has no exact value");
    }
    if constexpr (std::numeric_limits<U>::is_integer) {
      if (!detail::is_integral_value(s))
        throw domain_error("converting " + detail::value_text(s) + " to an integer type: it is not an integer");
      if constexpr (std::is_integral_v<U>) {
        if (!detail::in_integer_range<U>(s))
          throw domain_error("converting " + detail::value_text(s) + " to a " +
                             std::to_string(std::numeric_limits<U>::digits + (std::is_signed_v<U> ? 1 : 0)) +
                             "-bit integer: it is out of range");
      }
    }
    if constexpr (detail::is_rational_scalar<S> && (std::is_floating_point_v<U> || std::is_same_v<U, double_double>)) {
      // Rounded once from the exact quotient, subnormals and overflow alike.
      const boost::multiprecision::cpp_int num(numerator(s)), den(denominator(s));
      if constexpr (std::is_same_v<U, double_double>)
        return detail::nearest_double_double(num, den);
      else
        return detail::nearest_binary<U>(num, den);
    } else if constexpr (detail::is_gmp_float<S> && (std::is_floating_point_v<U> || std::is_same_v<U, double_double>)) {
      // Through its exact rational value, rounded once.
      return convert_scalar<U>(boost::multiprecision::cpp_rational(s));
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
      } else if constexpr (std::numeric_limits<S>::is_integer) {
        // Through cpp_int: GMP's conversion truncates, and the rest of an
        // integer beyond double's range cannot be formed from an infinite hi.
        return detail::nearest_double_double(boost::multiprecision::cpp_int(s), 1);
      } else {
        const double hi = static_cast<double>(s);
        if (!std::isfinite(hi)) return double_double(hi); // beyond double's range: no rest to form
        const S rest = S(s - S(hi));
        return double_double::from_parts(hi, static_cast<double>(rest));
      }
    } else if constexpr (std::is_floating_point_v<U> && detail::is_gmp_integer<S>) {
      // cpp_int rounds to nearest (ties to even).
      return static_cast<U>(boost::multiprecision::cpp_int(s));
    } else if constexpr (std::is_integral_v<U> && detail::is_rational_scalar<S>) {
      // An integral rational, in range (checked above), by its numerator:
      // GMP's rational goes through double to a built-in integer.
      return static_cast<U>(boost::multiprecision::cpp_int(numerator(s)));
    } else if constexpr (std::is_arithmetic_v<U>) {
      return static_cast<U>(s);
    } else {
      return U(s);
    }
  }
}

namespace detail {

/// convert_scalar with the row and coefficient of a failure named.
template <class U, class S>
U convert_coefficient(const S& s, const char* operation, std::size_t row, std::size_t coefficient) {
  return in_context([&] { return convert_scalar<U>(s); },
                    [&] {
                      return std::string(operation) + ": row " + std::to_string(row) + ", coefficient " +
                             std::to_string(coefficient);
                    });
}

/// convert_scalar with the failing operation named (a scalar operand).
template <class U, class S>
U convert_named(const S& s, const char* operation) {
  return in_context([&] { return convert_scalar<U>(s); }, [&] { return std::string(operation); });
}

} // namespace detail

} // namespace polybatch
