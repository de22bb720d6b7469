// Rebuilds an expression with every leaf converted exactly to another scalar
// type (for pb::verify): the same tree, owning converted copies of the
// leaves. One `rebinder` specialisation per node kind; a cast node is
// dropped, so the exact tree computes the mathematically exact value.
#pragma once

#include <cstddef>
#include <utility>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/algebra/calculus.hpp"
#include "polybatch/expr/algebra/compose.hpp"
#include "polybatch/expr/algebra/pow.hpp"
#include "polybatch/expr/algebra/truncate.hpp"
#include "polybatch/expr/cast.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/scalar/convert.hpp"

namespace polybatch::exact {

/// rebinder<U, Node>::apply(e): e's tree over scalar U.
template <class U, class Node, class Enable = void>
struct rebinder {
  static_assert(sizeof(Node) == 0, "pb::verify: this expression node has no exact rebinding (exact/rebind.hpp)");
};

template <class U, class Node>
auto rebind_leaves(const Node& e) {
  return rebinder<U, std::remove_cvref_t<Node>>::apply(e);
}

template <class U, class Node>
requires PolyContainer<Node>
struct rebinder<U, Node> {
  static PolyBatch<U> apply(const Node& e) {
    PolyBatch<U> p(e.batch_size(), e.length());
    const auto* src = e.data();
    U* dst = p.data();
    for (std::size_t i = 0; i < e.batch_size() * e.length(); ++i) dst[i] = convert_scalar<U>(src[i]);
    return p;
  }
};

template <class U, class L, class R, bool Subtract>
struct rebinder<U, expr::Sum<L, R, Subtract>> {
  static auto apply(const expr::Sum<L, R, Subtract>& e) {
    auto a = rebind_leaves<U>(e.lhs());
    auto b = rebind_leaves<U>(e.rhs());
    return expr::Sum<decltype(a), decltype(b), Subtract>(std::move(a), std::move(b));
  }
};

template <class U, class E>
struct rebinder<U, expr::Negate<E>> {
  static auto apply(const expr::Negate<E>& e) {
    auto a = rebind_leaves<U>(e.operand());
    return expr::Negate<decltype(a)>(std::move(a));
  }
};

template <class U, class E>
struct rebinder<U, expr::Scaled<E>> {
  static auto apply(const expr::Scaled<E>& e) {
    auto a = rebind_leaves<U>(e.operand());
    return expr::Scaled<decltype(a)>(convert_scalar<U>(e.factor()), std::move(a));
  }
};

template <class U, class L, class R>
struct rebinder<U, expr::Product<L, R>> {
  static auto apply(const expr::Product<L, R>& e) {
    auto a = rebind_leaves<U>(e.lhs());
    auto b = rebind_leaves<U>(e.rhs());
    return expr::Product<decltype(a), decltype(b)>(std::move(a), std::move(b), e.kind(), e.output_mode());
  }
};

template <class U, class E>
struct rebinder<U, expr::Derivative<E>> {
  static auto apply(const expr::Derivative<E>& e) {
    auto a = rebind_leaves<U>(e.operand());
    return expr::Derivative<decltype(a)>(std::move(a));
  }
};

template <class U, class E>
struct rebinder<U, expr::Integral<E>> {
  static auto apply(const expr::Integral<E>& e) {
    auto a = rebind_leaves<U>(e.operand());
    return expr::Integral<decltype(a)>(std::move(a));
  }
};

template <class U, class E>
struct rebinder<U, expr::Pow<E>> {
  static auto apply(const expr::Pow<E>& e) {
    auto a = rebind_leaves<U>(e.operand());
    return expr::Pow<decltype(a)>(std::move(a), e.power());
  }
};

template <class U, class E>
struct rebinder<U, expr::Truncate<E>> {
  static auto apply(const expr::Truncate<E>& e) {
    auto a = rebind_leaves<U>(e.operand());
    return expr::Truncate<decltype(a)>(std::move(a), e.length());
  }
};

template <class U, class L, class R>
struct rebinder<U, expr::Compose<L, R>> {
  static auto apply(const expr::Compose<L, R>& e) {
    auto a = rebind_leaves<U>(e.outer());
    auto b = rebind_leaves<U>(e.inner());
    return expr::Compose<decltype(a), decltype(b)>(std::move(a), std::move(b));
  }
};

/// The exact value of cast<V>(e) is the exact value of e.
template <class U, class V, class E>
struct rebinder<U, expr::Cast<V, E>> {
  static auto apply(const expr::Cast<V, E>& e) { return rebind_leaves<U>(e.operand()); }
};

} // namespace polybatch::exact
