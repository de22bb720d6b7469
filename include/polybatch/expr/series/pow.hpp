// pb::series::pow(a, s, n) as a lazy node: a^s mod x^n for a scalar
// exponent s of the coefficient type (any real s for floating types).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"

namespace polybatch::expr {

template <class E>
class SeriesPow {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  SeriesPow(A&& a, value_type s, std::size_t n) : operand_(std::forward<A>(a)), exponent_(std::move(s)), length_(n) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return length_; }
  const operand_type& operand() const { return operand_; }
  const value_type& exponent() const { return exponent_; }

private:
  closure_t<E> operand_;
  value_type exponent_;
  std::size_t length_;
};

} // namespace polybatch::expr
