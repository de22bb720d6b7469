// Evaluator for compose(a, b) = a(b(x)): Horner's scheme
//   p = a[La-1];  p = p * b + a[i]  for i = La-2 .. 0
// with every product truncated to the n coefficients asked for, between two
// scratch buffers of n per row. Cost O(La n min(Lb, n)) per row; all of a is
// needed even when truncated (b(0) may be non-zero). Product-like for
// aliasing.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/algebra/compose.hpp"
#include "polybatch/kernels/algebra/wide_compose.hpp"
#include "polybatch/kernels/checked_integer.hpp"
#include "polybatch/kernels/convolve.hpp"
#include "polybatch/kernels/elementwise.hpp"

namespace polybatch::evaluation {

template <class L, class R>
struct evaluator<expr::Compose<L, R>> {
  using Node = expr::Compose<L, R>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t la = e.outer().length();
    const std::size_t nb = std::min(n, e.inner().length());
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.outer(), r0, rows, la, scratch);
    if (la == 1) { // a constant: n <= 1
      kernels::copy_rows(rows, 1, a.data, a.ld, out, ldo);
      scratch.release(mark);
      return;
    }
    const ConstRows<T> b = materialize(e.inner(), r0, rows, nb, scratch);
    T* cur = scratch.take(rows * n);
    T* next = scratch.take(rows * n);
    const auto horner = [&] {
      for (std::size_t r = 0; r < rows; ++r) cur[r * n] = a.data[r * a.ld + la - 1];
      std::size_t len = 1;
      for (std::size_t i = la - 1; i-- > 0;) {
        const std::size_t m = std::min(n, len + nb - 1);
        kernels::convolve_rows(rows, cur, n, len, b.data, b.ld, nb, false, 0, m, next, n, scratch.accumulator());
        for (std::size_t r = 0; r < rows; ++r) {
          if constexpr (kernels::is_checked_integer<T>)
            next[r * n] = kernels::checked_add(next[r * n], a.data[r * a.ld + i], "compose(a, b)", r, std::size_t(0));
          else
            next[r * n] += a.data[r * a.ld + i];
        }
        std::swap(cur, next);
        len = m;
      }
      kernels::copy_rows(rows, len, cur, n, out, ldo);
      kernels::zero_fill_rows(rows, len, n, out, ldo);
    };
    if constexpr (kernels::is_checked_integer<T>) {
      // A step of Horner's rule can leave T where the composition fits:
      // the tile again, row by row, in 128 bits.
      try {
        horner();
      } catch (const kernels::tile_overflow&) {
        for (std::size_t r = 0; r < rows; ++r)
          kernels::wide_compose_row(a.data + r * a.ld, la, b.data + r * b.ld, nb, n, out + r * ldo, r);
      }
    } else {
      horner();
    }
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    const std::size_t la = e.outer().length();
    if (la == 1) return materialize_need(e.outer(), la);
    return detail::saturating_sum(materialize_need(e.outer(), la),
                                  materialize_need(e.inner(), std::min(n, e.inner().length())), n, n);
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool writes_dst) {
    return operand_unsafe(e.outer(), dst, writes_dst) || operand_unsafe(e.inner(), dst, writes_dst);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.outer()); }
};

} // namespace polybatch::evaluation
