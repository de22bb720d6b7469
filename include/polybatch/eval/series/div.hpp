// Evaluator for pb::series::div(a, b, n): both operands materialised for the
// tile, each row's numerator and divisor copied into work buffers, then the
// division recurrence straight into the output. O(n^2) per row.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/series/row_input.hpp"
#include "polybatch/expr/series/div.hpp"
#include "polybatch/kernels/series/rows.hpp"

namespace polybatch::evaluation {

template <class L, class R>
struct evaluator<expr::SeriesDiv<L, R>> {
  using Node = expr::SeriesDiv<L, R>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t na = std::min(n, e.numerator().length());
    const std::size_t nb = std::min(n, e.denominator().length());
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.numerator(), r0, rows, na, scratch);
    const ConstRows<T> b = materialize(e.denominator(), r0, rows, nb, scratch);
    T* num = scratch.take(n);
    T* den = scratch.take(n);
    for (std::size_t r = 0; r < rows; ++r) {
      series_detail::load_row(a, r, na, n, num);
      series_detail::load_row(b, r, nb, n, den);
      kernels::series::div_row(num, den, n, out + r * ldo, r0 + r);
    }
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    return detail::saturating_sum(materialize_need(e.numerator(), std::min(n, e.numerator().length())),
                                  materialize_need(e.denominator(), std::min(n, e.denominator().length())), n, n);
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.numerator(), dst, false) || operand_unsafe(e.denominator(), dst, false);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.numerator()); }
};

} // namespace polybatch::evaluation
