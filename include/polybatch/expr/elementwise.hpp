// Coefficient-wise expression nodes: a + b, a - b, -a, s * a. They only hold
// operands and answer shape queries; evaluation lives in eval/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"
#include "polybatch/expr/shape.hpp"

namespace polybatch::expr {

/// a + b (Subtract = false) or a - b (Subtract = true); the shorter operand
/// is zero-padded, so the length is max(La, Lb).
template <class L, class R, bool Subtract>
class Sum {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<L>;
  using lhs_type = std::remove_cvref_t<L>;
  using rhs_type = std::remove_cvref_t<R>;
  static constexpr bool subtracts = Subtract;
  static constexpr const char* name = Subtract ? "a - b" : "a + b";

  template <class A, class B>
  Sum(A&& a, B&& b) : lhs_(std::forward<A>(a)), rhs_(std::forward<B>(b)) {
    (void)batch_size();
  }

  std::size_t batch_size() const { return broadcast_batch(name, lhs_, rhs_); }
  std::size_t length() const { return std::max<std::size_t>(lhs_.length(), rhs_.length()); }
  const lhs_type& lhs() const { return lhs_; }
  const rhs_type& rhs() const { return rhs_; }

private:
  closure_t<L> lhs_;
  closure_t<R> rhs_;
};

/// -a
template <class E>
class Negate {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  explicit Negate(A&& a) : operand_(std::forward<A>(a)) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return operand_.length(); }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<E> operand_;
};

/// s * a: every coefficient scaled by one scalar of the batch's type.
template <class E>
class Scaled {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  Scaled(value_type factor, A&& a) : factor_(std::move(factor)), operand_(std::forward<A>(a)) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return operand_.length(); }
  const value_type& factor() const { return factor_; }
  const operand_type& operand() const { return operand_; }

private:
  value_type factor_;
  closure_t<E> operand_;
};

} // namespace polybatch::expr
