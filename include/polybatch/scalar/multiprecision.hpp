// Scalar layer for Boost.Multiprecision: every boost::multiprecision::number
// (et_on and et_off, any backend) is a polybatch coefficient type, scalar
// expressions decay to their number type, and variable-precision numbers
// (mpfr_float, mpf_float) build scratch at the operand's precision.
#pragma once

#include <boost/multiprecision/number.hpp>
#include <boost/multiprecision/traits/is_variable_precision.hpp>
#include <limits>
#include <type_traits>

#include "polybatch/core/scalar_traits.hpp"

namespace polybatch {

template <class Backend, boost::multiprecision::expression_template_option ET>
inline constexpr bool enable_scalar<boost::multiprecision::number<Backend, ET>> = true;

/// `a * b` on Boost numbers with et_on is an expression template holding
/// references; it decays to the number it evaluates to.
template <class Tag, class A1, class A2, class A3, class A4>
struct scalar_result<boost::multiprecision::detail::expression<Tag, A1, A2, A3, A4>> {
  using type = typename boost::multiprecision::detail::expression<Tag, A1, A2, A3, A4>::result_type;
};
template <class Tag, class A1, class A2, class A3, class A4>
struct scalar_result<const boost::multiprecision::detail::expression<Tag, A1, A2, A3, A4>>
    : scalar_result<boost::multiprecision::detail::expression<Tag, A1, A2, A3, A4>> {};

namespace detail {
template <class T>
inline constexpr bool is_boost_number = false;
template <class Backend, boost::multiprecision::expression_template_option ET>
inline constexpr bool is_boost_number<boost::multiprecision::number<Backend, ET>> = true;
} // namespace detail

/// True for numbers whose precision is chosen at run time (mpfr_float,
/// mpf_float): their results take the largest precision among the operands.
template <class T>
inline constexpr bool has_runtime_precision = boost::multiprecision::detail::is_variable_precision<T>::value;

template <class Backend, boost::multiprecision::expression_template_option ET>
struct scalar_traits<boost::multiprecision::number<Backend, ET>> {
  using number_type = boost::multiprecision::number<Backend, ET>;
  static constexpr int category = boost::multiprecision::number_category<number_type>::value;

  static constexpr bool is_exact = std::numeric_limits<number_type>::is_exact;
  static constexpr bool is_field = category != boost::multiprecision::number_kind_integer;
  static constexpr bool is_machine = false;
  /// Integers that never wrap (cpp_int, mpz_int), as opposed to fixed-width
  /// cpp_int instantiations (int128_t, checked or not).
  static constexpr bool is_unbounded_integer =
      category == boost::multiprecision::number_kind_integer && !std::numeric_limits<number_type>::is_bounded;
  static constexpr bool is_rational = category == boost::multiprecision::number_kind_rational;
  static constexpr bool is_floating = category == boost::multiprecision::number_kind_floating_point;

  /// Zero at `like`'s precision: never the thread default for mpfr_float.
  static number_type zero_like(const number_type& like) {
    if constexpr (has_runtime_precision<number_type>) {
      number_type z;
      z.precision(like.precision());
      z = 0;
      return z;
    } else {
      (void)like;
      return number_type(0);
    }
  }
};

} // namespace polybatch
