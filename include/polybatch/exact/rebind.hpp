// Rebuilds an expression over another scalar type U: the same tree, with every
// leaf converted to U as pb::cast converts. Two leaf policies: pb::verify owns
// converted copies of the leaves (Lazy = false); pb::rebind wraps each leaf in
// a node that converts its rows tile by tile (Lazy = true: fused, no copy).
// One `rebinder` specialisation per node kind; cast and rebind nodes are
// dropped, so the tree computes e's mathematical value in U.
#pragma once

#include <cstddef>
#include <utility>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/add_scalar.hpp"
#include "polybatch/expr/algebra/calculus.hpp"
#include "polybatch/expr/algebra/compose.hpp"
#include "polybatch/expr/algebra/pow.hpp"
#include "polybatch/expr/algebra/truncate.hpp"
#include "polybatch/expr/cast.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/expr/rebind.hpp"
#include "polybatch/scalar/convert.hpp"

namespace polybatch::exact {

/// rebinder<U, Node, Lazy>::apply(e): e's tree over scalar U.
template <class U, class Node, bool Lazy>
struct rebinder {
  static_assert(sizeof(Node) == 0,
                "pb::verify / pb::rebind: this expression node has no rebinding to another scalar (exact/rebind.hpp)");
};

/// e's tree over U, owning converted copies of the leaves (Lazy = false) or
/// converting them tile by tile from e's leaves, which must then outlive the
/// tree (Lazy = true).
template <class U, bool Lazy = false, class Node>
auto rebind_leaves(const Node& e) {
  return rebinder<U, std::remove_cvref_t<Node>, Lazy>::apply(e);
}

/// Names of the scalars in a tree for conversion errors, after the call that
/// converts them (pb::rebind builds the lazy tree, pb::verify the other).
template <bool Lazy>
inline constexpr const char* factor_name =
    Lazy ? "pb::rebind: the factor of a scaled operand" : "pb::verify: the factor of a scaled operand";
template <bool Lazy>
inline constexpr const char* sum_scalar_name =
    Lazy ? "pb::rebind: the scalar of a sum" : "pb::verify: the scalar of a sum";

template <class U, class Node>
requires PolyContainer<Node>
struct rebinder<U, Node, true> {
  static expr::ConvertLeaf<U, const Node&> apply(const Node& e) { return expr::ConvertLeaf<U, const Node&>(e); }
};

template <class U, class Node>
requires PolyContainer<Node>
struct rebinder<U, Node, false> {
  static PolyBatch<U> apply(const Node& e) {
    PolyBatch<U> p(e.batch_size(), e.length());
    const auto* src = e.data();
    U* dst = p.data();
    const std::size_t len = e.length();
    for (std::size_t i = 0; i < e.batch_size() * len; ++i)
      dst[i] = polybatch::detail::convert_coefficient<U>(src[i], "pb::verify", i / len, i % len);
    return p;
  }
};

template <class U, class L, class R, bool Subtract, bool Lazy>
struct rebinder<U, expr::Sum<L, R, Subtract>, Lazy> {
  static auto apply(const expr::Sum<L, R, Subtract>& e) {
    auto a = rebind_leaves<U, Lazy>(e.lhs());
    auto b = rebind_leaves<U, Lazy>(e.rhs());
    return expr::Sum<decltype(a), decltype(b), Subtract>(std::move(a), std::move(b));
  }
};

template <class U, class E, bool Lazy>
struct rebinder<U, expr::Negate<E>, Lazy> {
  static auto apply(const expr::Negate<E>& e) {
    auto a = rebind_leaves<U, Lazy>(e.operand());
    return expr::Negate<decltype(a)>(std::move(a));
  }
};

template <class U, class E, bool Lazy>
struct rebinder<U, expr::Scaled<E>, Lazy> {
  static auto apply(const expr::Scaled<E>& e) {
    auto a = rebind_leaves<U, Lazy>(e.operand());
    return expr::Scaled<decltype(a)>(polybatch::detail::convert_named<U>(e.factor(), factor_name<Lazy>), std::move(a));
  }
};

template <class U, class L, class R, bool Lazy>
struct rebinder<U, expr::Product<L, R>, Lazy> {
  static auto apply(const expr::Product<L, R>& e) {
    auto a = rebind_leaves<U, Lazy>(e.lhs());
    auto b = rebind_leaves<U, Lazy>(e.rhs());
    return expr::Product<decltype(a), decltype(b)>(std::move(a), std::move(b), e.kind(), e.output_mode());
  }
};

template <class U, class E, bool Lazy>
struct rebinder<U, expr::Derivative<E>, Lazy> {
  static auto apply(const expr::Derivative<E>& e) {
    auto a = rebind_leaves<U, Lazy>(e.operand());
    return expr::Derivative<decltype(a)>(std::move(a));
  }
};

template <class U, class E, bool Lazy>
struct rebinder<U, expr::Integral<E>, Lazy> {
  static auto apply(const expr::Integral<E>& e) {
    auto a = rebind_leaves<U, Lazy>(e.operand());
    return expr::Integral<decltype(a)>(std::move(a));
  }
};

template <class U, class E, bool Lazy>
struct rebinder<U, expr::Pow<E>, Lazy> {
  static auto apply(const expr::Pow<E>& e) {
    auto a = rebind_leaves<U, Lazy>(e.operand());
    return expr::Pow<decltype(a)>(std::move(a), e.power());
  }
};

template <class U, class E, bool Lazy>
struct rebinder<U, expr::Truncate<E>, Lazy> {
  static auto apply(const expr::Truncate<E>& e) {
    auto a = rebind_leaves<U, Lazy>(e.operand());
    return expr::Truncate<decltype(a)>(std::move(a), e.length());
  }
};

template <class U, class L, class R, bool Lazy>
struct rebinder<U, expr::Compose<L, R>, Lazy> {
  static auto apply(const expr::Compose<L, R>& e) {
    auto a = rebind_leaves<U, Lazy>(e.outer());
    auto b = rebind_leaves<U, Lazy>(e.inner());
    return expr::Compose<decltype(a), decltype(b)>(std::move(a), std::move(b));
  }
};

/// The exact value of cast<V>(e) is the exact value of e.
template <class U, class V, class E, bool Lazy>
struct rebinder<U, expr::Cast<V, E>, Lazy> {
  static auto apply(const expr::Cast<V, E>& e) { return rebind_leaves<U, Lazy>(e.operand()); }
};

/// rebind<V>(e) and its converted leaves stand for e's leaves themselves.
template <class U, class V, class E, bool Lazy>
struct rebinder<U, expr::Rebind<V, E>, Lazy> {
  static auto apply(const expr::Rebind<V, E>& e) { return rebind_leaves<U, Lazy>(e.operand()); }
};
template <class U, class V, class Leaf, bool Lazy>
struct rebinder<U, expr::ConvertLeaf<V, Leaf>, Lazy> {
  static auto apply(const expr::ConvertLeaf<V, Leaf>& e) { return rebind_leaves<U, Lazy>(e.operand()); }
};

template <class U, class E, bool NegateOperand, bool SubtractScalar, bool Lazy>
struct rebinder<U, expr::AddScalar<E, NegateOperand, SubtractScalar>, Lazy> {
  static auto apply(const expr::AddScalar<E, NegateOperand, SubtractScalar>& e) {
    auto a = rebind_leaves<U, Lazy>(e.operand());
    return expr::AddScalar<decltype(a), NegateOperand, SubtractScalar>(
        polybatch::detail::convert_named<U>(e.scalar(), sum_scalar_name<Lazy>), std::move(a));
  }
};

} // namespace polybatch::exact
