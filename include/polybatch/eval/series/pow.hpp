// Evaluator for pb::series::pow(a, s, n): as the one-argument functions
// (materialise, copy each row, run the recurrence into the output), with
// the exponent carried by the node. O(n^2) per row.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/series/row_input.hpp"
#include "polybatch/expr/series/pow.hpp"
#include "polybatch/kernels/series/rows.hpp"

namespace polybatch::evaluation {

template <class E>
struct evaluator<expr::SeriesPow<E>> {
  using Node = expr::SeriesPow<E>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t have = std::min(n, e.operand().length());
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.operand(), r0, rows, have, scratch);
    T* in = scratch.take(n);
    for (std::size_t r = 0; r < rows; ++r) {
      series_detail::load_row(a, r, have, n, in);
      kernels::series::pow_row(in, n, e.exponent(), out + r * ldo, r0 + r);
    }
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    return detail::saturating_sum(materialize_need(e.operand(), std::min(n, e.operand().length())), n);
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.operand(), dst, false);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

} // namespace polybatch::evaluation
