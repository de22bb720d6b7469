// Evaluator for pow(a, k): left-to-right binary powering inside the tile.
// Each step is a truncated product (squaring, or multiplying by a) between
// two scratch buffers of n coefficients per row, so truncate(pow(a, k), n)
// costs O(log k n^2) per row and the full power about half of k-1 repeated
// products. A scalar type may power whole rows itself first
// (kernels::power_backend). Product-like for aliasing.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <limits>
#include <utility>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/algebra/pow.hpp"
#include "polybatch/kernels/algebra/power.hpp"
#include "polybatch/kernels/convolve.hpp"
#include "polybatch/kernels/elementwise.hpp"
#include "polybatch/kernels/series/recurrences.hpp"

namespace polybatch::evaluation {

template <class E>
struct evaluator<expr::Pow<E>> {
  using Node = expr::Pow<E>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static std::size_t needed(const Node& e, std::size_t n) {
    return e.power() == 0 ? 0 : std::min(n, e.operand().length());
  }

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t k = e.power();
    if (k == 0) { // the constant 1 (n <= 1)
      for (std::size_t r = 0; r < rows; ++r) out[r * ldo] = T(1);
      return;
    }
    const std::size_t la = needed(e, n);
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.operand(), r0, rows, la, scratch);
    if (k == 1) {
      kernels::copy_rows(rows, la, a.data, a.ld, out, ldo);
      scratch.release(mark);
      return;
    }
    if constexpr (kernels::series::coprime_rational_power<T>::value) {
      // A rational constant (p/q)^k is p^k / q^k, already in lowest terms:
      // two integer powers instead of log2 k rational squarings, each with
      // a gcd of ever longer integers (a minute for k near 2^20).
      if (la == 1 && k <= std::numeric_limits<unsigned>::max()) {
        for (std::size_t r = 0; r < rows; ++r)
          out[r * ldo] = kernels::series::coprime_rational_power<T>::power(a.data[r * a.ld], k, false);
        scratch.release(mark);
        return;
      }
    }
    if constexpr (kernels::power_backend<T>::available) {
      if (kernels::power_backend<T>::takes(la, k)) {
        // Rows the type's own kernel takes (small integers in machine words)
        // are written by it; runs of rows it declines are powered together
        // (the product kernels work on blocks of rows).
        std::size_t declined_from = rows;
        const auto flush = [&](std::size_t end) {
          if (declined_from == rows) return;
          power_by_squaring(end - declined_from, a.data + declined_from * a.ld, a.ld, la, k, n,
                            out + declined_from * ldo, ldo, scratch);
          declined_from = rows;
        };
        for (std::size_t r = 0; r < rows; ++r) {
          if (kernels::power_backend<T>::row(a.data + r * a.ld, la, k, n, out + r * ldo)) {
            flush(r);
          } else if (declined_from == rows) {
            declined_from = r;
          }
        }
        flush(rows);
        scratch.release(mark);
        return;
      }
    }
    power_by_squaring(rows, a.data, a.ld, la, k, n, out, ldo, scratch);
    scratch.release(mark);
  }

  /// Rows of a^k (k >= 2) by left-to-right binary powering between two
  /// scratch buffers of n coefficients per row.
  static void power_by_squaring(std::size_t rows, const T* a, std::size_t lda, std::size_t la, std::size_t k,
                                std::size_t n, T* out, std::size_t ldo, Scratch<T>& scratch) {
    const std::size_t mark = scratch.mark();
    T* cur = scratch.take(rows * n);
    T* next = scratch.take(rows * n);
    kernels::copy_rows(rows, la, a, lda, cur, n);
    std::size_t len = la; // computed length of the current power, min(n, j (La - 1) + 1)
    for (int bit = static_cast<int>(std::bit_width(k)) - 2; bit >= 0; --bit) {
      std::size_t m = std::min(n, 2 * len - 1);
      kernels::convolve_rows(rows, cur, n, len, cur, n, len, false, 0, m, next, n, scratch.accumulator());
      std::swap(cur, next);
      len = m;
      if ((k >> bit) & 1u) {
        m = std::min(n, len + la - 1);
        kernels::convolve_rows(rows, cur, n, len, a, lda, la, false, 0, m, next, n, scratch.accumulator());
        std::swap(cur, next);
        len = m;
      }
    }
    kernels::copy_rows(rows, len, cur, n, out, ldo);
    kernels::zero_fill_rows(rows, len, n, out, ldo);
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    if (e.power() == 0) return 0;
    const std::size_t own = e.power() == 1 ? 0 : n;
    return detail::saturating_sum(materialize_need(e.operand(), needed(e, n)), own, own);
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool writes_dst) {
    return e.power() != 0 && operand_unsafe(e.operand(), dst, writes_dst);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

} // namespace polybatch::evaluation
