// Evaluators for coefficient-wise nodes (a + b, a - b, -a, s * a). Their
// kernels may write over an operand with the destination's exact layout, so
// they never force a temporary by themselves.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/kernels/elementwise.hpp"

namespace polybatch::evaluation {

template <class L, class R, bool Subtract>
struct evaluator<expr::Sum<L, R, Subtract>> {
  using Node = expr::Sum<L, R, Subtract>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t na = std::min(n, e.lhs().length());
    const std::size_t nb = std::min(n, e.rhs().length());
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.lhs(), r0, rows, na, scratch);
    const ConstRows<T> b = materialize(e.rhs(), r0, rows, nb, scratch);
    kernels::add_rows<Subtract>(rows, n, a.data, a.ld, na, b.data, b.ld, nb, out, ldo);
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    return detail::saturating_sum(materialize_need(e.lhs(), std::min(n, e.lhs().length())),
                                  materialize_need(e.rhs(), std::min(n, e.rhs().length())));
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.lhs(), dst, false) || operand_unsafe(e.rhs(), dst, false);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.lhs()); }
};

template <class E>
struct evaluator<expr::Negate<E>> {
  using Node = expr::Negate<E>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.operand(), r0, rows, n, scratch);
    kernels::negate_rows(rows, n, a.data, a.ld, out, ldo);
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) { return materialize_need(e.operand(), n); }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.operand(), dst, false);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

template <class E>
struct evaluator<expr::Scaled<E>> {
  using Node = expr::Scaled<E>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.operand(), r0, rows, n, scratch);
    kernels::scale_rows(rows, n, e.factor(), a.data, a.ld, out, ldo);
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) { return materialize_need(e.operand(), n); }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.operand(), dst, false);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

} // namespace polybatch::evaluation
