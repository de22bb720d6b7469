// derivative(a) and integral(a) as lazy nodes: coefficient k of the result
// depends on one coefficient of a, but at another index, so the evaluators
// treat them as product-like for aliasing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include "polybatch/core/checked_size.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"

namespace polybatch::expr {

/// d/dx a, length max(La - 1, 1): a constant's derivative is the zero
/// polynomial of length 1.
template <class E>
class Derivative {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  explicit Derivative(A&& a) : operand_(std::forward<A>(a)) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return std::max<std::size_t>(operand_.length(), 2) - 1; }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<E> operand_;
};

/// The antiderivative with constant term 0, length La + 1.
template <class E>
class Integral {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  explicit Integral(A&& a) : operand_(std::forward<A>(a)) {
    (void)length();
  }

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const {
    const std::size_t la = operand_.length();
    return detail::result_length<value_type>("integral(a)", "La + 1", detail::CheckedSize(la) + 1, {{"La", la}});
  }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<E> operand_;
};

} // namespace polybatch::expr

namespace polybatch {

/// d/dx, row by row: length max(La - 1, 1).
template <PolyExpression E>
auto derivative(E&& e) {
  return expr::Derivative<E>(std::forward<E>(e));
}

/// Antiderivative with constant term 0, row by row: length La + 1. For
/// integer scalars a coefficient a[k] not divisible by k + 1 throws
/// pb::domain_error at evaluation (the result would not be an integer).
template <PolyExpression E>
auto integral(E&& e) {
  return expr::Integral<E>(std::forward<E>(e));
}

} // namespace polybatch
