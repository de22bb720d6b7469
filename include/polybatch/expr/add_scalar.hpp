// Scalar-constant node: a + s, s + a, a - s, s - a. The scalar touches only
// the constant term; every other coefficient is a's (negated for s - a). It
// only holds the operand and the scalar; evaluation lives in eval/.
#pragma once

#include <cstddef>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"

namespace polybatch::expr {

/// (NegateOperand ? -a : a) + (SubtractScalar ? -s : s): a + s is <false,
/// false>, a - s <false, true>, s - a <true, false>. The length is La.
template <class E, bool NegateOperand, bool SubtractScalar>
class AddScalar {
  static_assert(!(NegateOperand && SubtractScalar), "-a - s is not a form the operators build");

public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;
  static constexpr bool negates_operand = NegateOperand;
  static constexpr bool subtracts_scalar = SubtractScalar;
  static constexpr const char* name = NegateOperand ? "s - a" : SubtractScalar ? "a - s" : "a + s";

  template <class A>
  AddScalar(value_type scalar, A&& a) : scalar_(std::move(scalar)), operand_(std::forward<A>(a)) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return operand_.length(); }
  const value_type& scalar() const { return scalar_; }
  const operand_type& operand() const { return operand_; }

private:
  value_type scalar_;
  closure_t<E> operand_;
};

} // namespace polybatch::expr
