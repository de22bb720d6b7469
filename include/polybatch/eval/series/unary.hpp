// Evaluator for the one-argument power-series functions (inv, exp, log,
// sqrt, sin, cos, tan, atan, sinh, cosh, tanh): the operand's first n
// coefficients are materialised for the tile, then each row is copied into a
// work buffer and run through its recurrence straight into the output.
// O(n^2) per row. Rows are copied before they are written, so a leaf with
// the destination's layout is safe in place.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/series/row_input.hpp"
#include "polybatch/expr/series/unary.hpp"
#include "polybatch/kernels/series/rows.hpp"

namespace polybatch::evaluation {

template <expr::series_fn F, class E>
struct evaluator<expr::SeriesUnary<F, E>> {
  using Node = expr::SeriesUnary<F, E>;
  using T = typename Node::value_type;
  using fn = expr::series_fn;
  static constexpr bool is_leaf = false;
  /// Functions computed with a second series beside the result.
  static constexpr bool has_aux = F != fn::inv && F != fn::exp && F != fn::log && F != fn::sqrt;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t la = e.operand().length();
    std::size_t have = std::min(n, la);
    const std::size_t mark = scratch.mark();
    ConstRows<T> a = materialize(e.operand(), r0, rows, have, scratch);
    if constexpr (F == fn::sqrt) {
      // x^v b: sqrt reads up to n - 1 + v/2 coefficients; fetch 2n when a
      // row starts with zero and the operand has more than n.
      if (la > n) {
        bool zero_start = false;
        for (std::size_t r = 0; r < rows && !zero_start; ++r) zero_start = a.data[r * a.ld] == T(0);
        if (zero_start) {
          scratch.release(mark);
          have = std::min(2 * n, la);
          a = materialize(e.operand(), r0, rows, have, scratch);
        }
      }
    }
    const std::size_t width = F == fn::sqrt ? 2 * n : n;
    T* in = scratch.take(width);
    T* aux = scratch.take(has_aux ? n : 0);
    for (std::size_t r = 0; r < rows; ++r) {
      series_detail::load_row(a, r, have, width, in);
      run_row(in, n, out + r * ldo, aux, r0 + r);
    }
    scratch.release(mark);
  }

  static void run_row(const T* in, std::size_t n, T* out, T* aux, std::size_t row) {
    namespace ks = kernels::series;
    if constexpr (F == fn::inv)
      ks::inv_row(in, n, out, row);
    else if constexpr (F == fn::exp)
      ks::exp_row(in, n, out, row);
    else if constexpr (F == fn::log)
      ks::log_row(in, n, out, row);
    else if constexpr (F == fn::sqrt)
      ks::sqrt_row(in, 2 * n, n, out, row);
    else if constexpr (F == fn::sin)
      ks::sincos_row(in, n, out, aux, row, false, ks::pair_output::first);
    else if constexpr (F == fn::cos)
      ks::sincos_row(in, n, aux, out, row, false, ks::pair_output::second);
    else if constexpr (F == fn::sinh)
      ks::sincos_row(in, n, out, aux, row, true, ks::pair_output::first);
    else if constexpr (F == fn::cosh)
      ks::sincos_row(in, n, aux, out, row, true, ks::pair_output::second);
    else if constexpr (F == fn::tan)
      ks::tan_row(in, n, out, aux, row, false);
    else if constexpr (F == fn::tanh)
      ks::tan_row(in, n, out, aux, row, true);
    else
      ks::atan_row(in, n, out, aux, row);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    const std::size_t la = e.operand().length();
    const std::size_t have = F == fn::sqrt ? std::min(2 * n, la) : std::min(n, la);
    return detail::saturating_sum(materialize_need(e.operand(), have), n, F == fn::sqrt ? n : 0, has_aux ? n : 0);
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.operand(), dst, false);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

} // namespace polybatch::evaluation
