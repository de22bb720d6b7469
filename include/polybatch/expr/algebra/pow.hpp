// pow(a, k) as a lazy node: a to an integer power k >= 0, computed inside
// the tile by binary powering with truncated products.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <utility>

#include "polybatch/core/checked_size.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/expr/closure.hpp"

namespace polybatch::expr {

/// a^k, length k (La - 1) + 1; a^0 is the constant 1 of length 1.
template <class E>
class Pow {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  Pow(A&& a, std::size_t power) : operand_(std::forward<A>(a)), power_(power) {
    (void)length();
  }

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const {
    if (power_ == 0) return 1;
    const std::size_t la = operand_.length();
    return detail::result_length<value_type>("pow(a, k)", "k (La - 1) + 1", detail::CheckedSize(power_) * (la - 1) + 1,
                                             {{"k", power_}, {"La", la}});
  }
  std::size_t power() const { return power_; }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<E> operand_;
  std::size_t power_;
};

} // namespace polybatch::expr

namespace polybatch {

/// a^k row by row for an integer k >= 0 (a negative k is a domain_error);
/// pow(a, 0) is the constant 1.
template <PolyExpression E, std::integral K>
auto pow(E&& e, K k) {
  if constexpr (std::is_signed_v<K>)
    if (k < 0) throw domain_error("pow(a, k): the power must be a non-negative integer, got " + std::to_string(k));
  return expr::Pow<E>(std::forward<E>(e), static_cast<std::size_t>(k));
}

} // namespace polybatch
