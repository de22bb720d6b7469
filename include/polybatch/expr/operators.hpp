// The operators that build expression nodes. Each is constrained, and the
// two classic misuses are deleted overloads whose constraint names the
// mistake: mixing coefficient types (use pb::cast<U>), and mixing a batch
// with an xtensor expression (xtensor's * is element-wise, ours convolves).
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include <xtensor/xexpression.hpp>

#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/expr/add_scalar.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/scalar/value_text.hpp"

namespace polybatch {

namespace detail {

/// Whether a built-in arithmetic value survives conversion to the built-in
/// type T unchanged. Decided without the conversions whose behaviour is
/// undefined (a floating value outside an integer type's range, NaN to an
/// integer, a rounded 2^63 back to int64), and catching integer round trips
/// that flip the sign (uint64 max -> int64 -1 -> uint64 max).
template <class T, class Source>
bool converts_exactly(Source s) {
  if constexpr (std::is_integral_v<Source> && std::is_integral_v<T>) {
    const T converted = static_cast<T>(s); // modular since C++20, never undefined
    bool source_negative = false, converted_negative = false;
    if constexpr (std::is_signed_v<Source>) source_negative = s < Source(0);
    if constexpr (std::is_signed_v<T>) converted_negative = converted < T(0);
    return static_cast<Source>(converted) == s && source_negative == converted_negative;
  } else if constexpr (std::is_integral_v<T>) { // floating point into an integer type
    // T's range is [min, 2^digits); both bounds are 0 or powers of two, exact in Source.
    const Source lowest = static_cast<Source>(std::numeric_limits<T>::min());
    const Source beyond = std::ldexp(Source(1), std::numeric_limits<T>::digits);
    if (!(s >= lowest && s < beyond)) return false; // NaN fails here too
    return static_cast<Source>(static_cast<T>(s)) == s;
  } else if constexpr (std::is_integral_v<Source>) { // integer into floating point: always in range
    const T converted = static_cast<T>(s);
    if (converted >= std::ldexp(T(1), std::numeric_limits<Source>::digits)) return false; // rounded past max
    return static_cast<Source>(converted) == s;
  } else { // floating point into floating point
    if (std::isnan(s) || std::isinf(s)) return true;
    if (std::fabs(s) > static_cast<Source>(std::numeric_limits<T>::max())) return false;
    return static_cast<Source>(static_cast<T>(s)) == s;
  }
}

/// The scalar of `operation` (a scale factor, or a constant added to the
/// constant term) as a T, refusing values T cannot hold exactly.
template <class T, class S>
T exact_scalar(S&& s, const char* operation, const char* role) {
  using Source = std::remove_cvref_t<S>;
  if constexpr (std::same_as<scalar_result_t<S>, T>) {
    return T(std::forward<S>(s));
  } else if constexpr (std::is_arithmetic_v<Source> && std::is_arithmetic_v<T>) {
    if (!converts_exactly<T>(s))
      throw domain_error(std::string(operation) + ": the " + role + " " + polybatch::detail::value_text(s) +
                         " is not exactly representable in the batch's coefficient type");
    return static_cast<T>(s);
  } else {
    const T converted(s);
    bool exact = static_cast<Source>(converted) == s;
    if constexpr (std::is_floating_point_v<Source>)
      exact = exact || (std::isnan(s) && std::isnan(static_cast<Source>(converted)));
    if (!exact)
      throw domain_error(std::string(operation) + ": the " + role + " " + polybatch::detail::value_text(s) +
                         " is not exactly representable in the batch's coefficient type");
    return converted;
  }
}

template <class T, class S>
T exact_scale_factor(S&& s) {
  return exact_scalar<T>(std::forward<S>(s), "s * a", "scale factor");
}

} // namespace detail

template <class A, class B>
concept MixesCoefficientTypes_UsePbCast =
    PolyExpression<A> && PolyExpression<B> && !std::same_as<value_type_of<A>, value_type_of<B>>;

template <class A, class B>
concept MixesPolyBatchWithXtensorExpression_WrapItInPolyBatch = (PolyExpression<A> &&
                                                                 xt::is_xexpression<std::remove_cvref_t<B>>::value) ||
                                                                (xt::is_xexpression<std::remove_cvref_t<A>>::value &&
                                                                 PolyExpression<B>);

// ---- a * b: row-wise polynomial product -----------------------------------
template <class A, class B>
requires SameScalarExpressions<A, B>
auto operator*(A&& a, B&& b) { return expr::Product<A, B>(std::forward<A>(a), std::forward<B>(b)); }

// ---- a + b, a - b ------------------------------------------------------------
template <class A, class B>
requires SameScalarExpressions<A, B>
auto operator+(A&& a, B&& b) { return expr::Sum<A, B, false>(std::forward<A>(a), std::forward<B>(b)); }
template <class A, class B>
requires SameScalarExpressions<A, B>
auto operator-(A&& a, B&& b) { return expr::Sum<A, B, true>(std::forward<A>(a), std::forward<B>(b)); }

// ---- -a, s * a, a * s ---------------------------------------------------------
template <PolyExpression A>
auto operator-(A&& a) {
  return expr::Negate<A>(std::forward<A>(a));
}
template <class S, PolyExpression A>
requires ScaleFactorFor<S, value_type_of<A>>
auto operator*(S&& s, A&& a) {
  return expr::Scaled<A>(detail::exact_scale_factor<value_type_of<A>>(std::forward<S>(s)), std::forward<A>(a));
}
template <PolyExpression A, class S>
requires ScaleFactorFor<S, value_type_of<A>>
auto operator*(A&& a, S&& s) {
  return expr::Scaled<A>(detail::exact_scale_factor<value_type_of<A>>(std::forward<S>(s)), std::forward<A>(a));
}

// ---- a + s, s + a, a - s, s - a: s added to (subtracted from) the constant term
// The scalar follows the scale factor's rule (ScaleFactorFor): T itself, or a
// built-in value T holds exactly, checked when the expression is built.
template <PolyExpression A, class S>
requires ScaleFactorFor<S, value_type_of<A>>
auto operator+(A&& a, S&& s) {
  return expr::AddScalar<A, false, false>(detail::exact_scalar<value_type_of<A>>(std::forward<S>(s), "a + s", "scalar"),
                                          std::forward<A>(a));
}
template <class S, PolyExpression A>
requires ScaleFactorFor<S, value_type_of<A>>
auto operator+(S&& s, A&& a) {
  return expr::AddScalar<A, false, false>(detail::exact_scalar<value_type_of<A>>(std::forward<S>(s), "s + a", "scalar"),
                                          std::forward<A>(a));
}
template <PolyExpression A, class S>
requires ScaleFactorFor<S, value_type_of<A>>
auto operator-(A&& a, S&& s) {
  return expr::AddScalar<A, false, true>(detail::exact_scalar<value_type_of<A>>(std::forward<S>(s), "a - s", "scalar"),
                                         std::forward<A>(a));
}
template <class S, PolyExpression A>
requires ScaleFactorFor<S, value_type_of<A>>
auto operator-(S&& s, A&& a) {
  return expr::AddScalar<A, true, false>(detail::exact_scalar<value_type_of<A>>(std::forward<S>(s), "s - a", "scalar"),
                                         std::forward<A>(a));
}

// ---- misuse: deleted, with the mistake in the constraint's name --------------
// A satisfied constraint is not printed, so the fix is also in the return
// type's name (g++: "use of deleted function 'MixingCoefficientTypes_UsePbCast
// operator*(...)'") and on the declaration's line, which both compilers quote.
namespace detail {
struct MixingCoefficientTypes_UsePbCast {};
} // namespace detail
template <class A, class B>
requires MixesCoefficientTypes_UsePbCast<A, B> detail::MixingCoefficientTypes_UsePbCast
operator*(A&&, B&&) = delete; // mixed scalars: convert with pb::cast<U>(e)
template <class A, class B>
requires MixesCoefficientTypes_UsePbCast<A, B> detail::MixingCoefficientTypes_UsePbCast
operator+(A&&, B&&) = delete; // mixed scalars: convert with pb::cast<U>(e)
template <class A, class B>
requires MixesCoefficientTypes_UsePbCast<A, B> detail::MixingCoefficientTypes_UsePbCast
operator-(A&&, B&&) = delete; // mixed scalars: convert with pb::cast<U>(e)

template <class A, class B>
requires MixesPolyBatchWithXtensorExpression_WrapItInPolyBatch<A, B>
void operator*(A&&, B&&) = delete;
template <class A, class B>
requires MixesPolyBatchWithXtensorExpression_WrapItInPolyBatch<A, B>
void operator+(A&&, B&&) = delete;
template <class A, class B>
requires MixesPolyBatchWithXtensorExpression_WrapItInPolyBatch<A, B>
void operator-(A&&, B&&) = delete;

} // namespace polybatch
