// pb::rebind<U>(e): the same expression evaluated in U. Every leaf is
// converted to U as pb::cast converts (exactly from binary floating point to
// rationals), then the whole tree is computed in U, so
// rebind<cpp_rational>(d * d) is the exact product of the doubles while
// cast<cpp_rational>(d * d) converts the rounded double product.
#pragma once

#include <concepts>
#include <cstddef>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"
#include "polybatch/scalar/double_double.hpp"

namespace polybatch {

/// Coefficients of type S convert to U (the conversions pb::cast makes:
/// constructors, and double-double through its two parts).
template <class S, class U>
concept ConvertibleScalar = Scalar<S> && Scalar<U> &&
    (std::same_as<S, U> || std::same_as<S, double_double> || std::same_as<U, double_double> ||
     std::constructible_from<U, const S&>);

namespace expr {

/// rebind<U>(e): holds e (closure rule); the evaluator rebuilds e's tree over
/// U with ConvertLeaf leaves when it runs (exact/rebind.hpp).
template <class U, class E>
class Rebind {
public:
  using is_polybatch_expression = void;
  using value_type = U;
  using source_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  explicit Rebind(A&& a) : operand_(std::forward<A>(a)) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return operand_.length(); }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<E> operand_;
};

/// A container's rows converted to U, tile by tile, where a rebound tree
/// reads them (a node, not a leaf: its values are computed, not stored).
template <class U, class Leaf>
class ConvertLeaf {
public:
  using is_polybatch_expression = void;
  using value_type = U;
  using source_type = value_type_of<Leaf>;
  using operand_type = std::remove_cvref_t<Leaf>;

  template <class A>
  explicit ConvertLeaf(A&& a) : operand_(std::forward<A>(a)) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return operand_.length(); }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<Leaf> operand_;
};

} // namespace expr

/// e computed in U from its leaves converted to U (lazy; fused into the
/// pass). Casts inside e are dropped: the tree computes e's mathematical value.
template <Scalar U, PolyExpression E>
requires ConvertibleScalar<value_type_of<E>, U>
auto rebind(E&& e) { return expr::Rebind<U, E>(std::forward<E>(e)); }

} // namespace polybatch
