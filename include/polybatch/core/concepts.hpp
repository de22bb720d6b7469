// Concepts that constrain every public operator and function, so that a
// misuse reads "constraint not satisfied: PolyExpression<...>" rather than a
// page of template backtrace.
#pragma once

#include <concepts>
#include <cstddef>
#include <type_traits>

#include "polybatch/core/scalar_traits.hpp"

namespace polybatch {

/// Anything polybatch can evaluate: containers, views and expression nodes.
/// A type opts in with a member `using is_polybatch_expression = void;`.
template <class E>
concept PolyExpression = requires(const std::remove_cvref_t<E>& e) {
  typename std::remove_cvref_t<E>::is_polybatch_expression;
  typename std::remove_cvref_t<E>::value_type;
  { e.batch_size() } -> std::convertible_to<std::size_t>;
  { e.length() } -> std::convertible_to<std::size_t>;
}
&&Scalar<typename std::remove_cvref_t<E>::value_type>;

template <class E>
using value_type_of = typename std::remove_cvref_t<E>::value_type;

/// Two expressions over the same coefficient type; mixing types needs an
/// explicit `pb::cast<U>`.
template <class A, class B>
concept SameScalarExpressions =
    PolyExpression<A> && PolyExpression<B> && std::same_as<value_type_of<A>, value_type_of<B>>;

/// A value usable as a scale factor for coefficients of type T: T itself or
/// a built-in arithmetic type that T can be built from. Whether the value
/// converts without loss is checked when the expression is built.
template <class S, class T>
concept ScaleFactorFor = !PolyExpression<S> && Scalar<T> &&
                         (std::same_as<scalar_result_t<S>, T> || (std::is_arithmetic_v<std::remove_cvref_t<S>> &&
                                                                  std::constructible_from<T, std::remove_cvref_t<S>>));

/// Marks types that own their coefficients or view memory (as opposed to
/// lazy expression nodes): their rows can be read in place.
template <class E>
concept PolyContainer = PolyExpression<E> && requires(const std::remove_cvref_t<E>& e) {
  { e.data() } -> std::convertible_to<const value_type_of<E>*>;
};

} // namespace polybatch
