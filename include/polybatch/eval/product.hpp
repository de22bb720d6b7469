// Evaluator for convolution/correlation nodes. Only the coefficients asked
// for are computed, and only the operand coefficients they depend on are
// materialised, which is what makes truncate(a * b, n) O(n^2) per row.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/kernels/convolve.hpp"

namespace polybatch::evaluation {

template <class L, class R>
struct evaluator<expr::Product<L, R>> {
  using Node = expr::Product<L, R>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  /// Operand prefixes needed for the first n output coefficients: full
  /// product coefficient j only uses a[i] with i <= j (and b[j - i]); a
  /// reversed operand is needed whole.
  struct Needs {
    std::size_t offset, la, lb;
  };
  static Needs needs(const Node& e, std::size_t n) {
    const expr::Window w = e.window();
    const std::size_t upto = w.offset + n;
    const std::size_t la = std::min(e.lhs().length(), upto);
    const std::size_t lb = e.reverses_rhs() ? e.rhs().length() : std::min(e.rhs().length(), upto);
    return {w.offset, la, lb};
  }

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const Needs need = needs(e, n);
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.lhs(), r0, rows, need.la, scratch);
    const ConstRows<T> b = materialize(e.rhs(), r0, rows, need.lb, scratch);
    kernels::convolve_rows(rows, a.data, a.ld, need.la, b.data, b.ld, need.lb, e.reverses_rhs(), need.offset, n, out,
                           ldo, scratch.accumulator());
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    const Needs need = needs(e, n);
    return detail::saturating_sum(materialize_need(e.lhs(), need.la), materialize_need(e.rhs(), need.lb));
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool writes_dst) {
    return operand_unsafe(e.lhs(), dst, writes_dst) || operand_unsafe(e.rhs(), dst, writes_dst);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.lhs()); }
};

} // namespace polybatch::evaluation
