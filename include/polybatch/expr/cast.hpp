// pb::cast<U>(e): e evaluated in its own scalar type, each coefficient then
// converted to U (exactly where U is exact; see scalar/convert.hpp). The
// node is the one explicit way to mix scalar types in an expression.
#pragma once

#include <cstddef>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"

namespace polybatch {
namespace expr {

template <class U, class E>
class Cast {
public:
  using is_polybatch_expression = void;
  using value_type = U;
  using source_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  explicit Cast(A&& a) : operand_(std::forward<A>(a)) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return operand_.length(); }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<E> operand_;
};

} // namespace expr

/// e with every coefficient converted to U (lazy; fused into the pass).
template <Scalar U, PolyExpression E>
auto cast(E&& e) {
  return expr::Cast<U, E>(std::forward<E>(e));
}

} // namespace polybatch
