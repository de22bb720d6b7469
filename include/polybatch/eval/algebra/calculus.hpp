// Evaluators for derivative(a) and integral(a). Only the operand
// coefficients the requested output needs are materialised (n + 1 for the
// derivative, n - 1 for the integral). Product-like for aliasing: output
// coefficient k reads another index of the operand.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/algebra/calculus.hpp"
#include "polybatch/kernels/algebra/calculus.hpp"
#include "polybatch/kernels/elementwise.hpp"

namespace polybatch::evaluation {

template <class E>
struct evaluator<expr::Derivative<E>> {
  using Node = expr::Derivative<E>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static std::size_t needed(const Node& e, std::size_t n) { return std::min(n + 1, e.operand().length()); }

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t na = needed(e, n);
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.operand(), r0, rows, na, scratch);
    kernels::derivative_rows(rows, n, a.data, a.ld, na, out, ldo);
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    return materialize_need(e.operand(), needed(e, n));
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool writes_dst) {
    return operand_unsafe(e.operand(), dst, writes_dst);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

template <class E>
struct evaluator<expr::Integral<E>> {
  using Node = expr::Integral<E>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  /// Output coefficient k >= 1 reads a[k - 1]; n <= La + 1.
  static std::size_t needed(std::size_t n) { return n - 1; }

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t na = needed(n);
    if (na == 0) {
      kernels::zero_fill_rows(rows, 0, n, out, ldo);
      return;
    }
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.operand(), r0, rows, na, scratch);
    kernels::integral_rows(rows, n, a.data, a.ld, out, ldo, r0);
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    return needed(n) == 0 ? 0 : materialize_need(e.operand(), needed(n));
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool writes_dst) {
    return operand_unsafe(e.operand(), dst, writes_dst);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

} // namespace polybatch::evaluation
