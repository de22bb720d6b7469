// Karatsuba across rows: W rows (W = xsimd batch width) are transposed into
// a structure-of-arrays block, so every addition, subtraction and base-case
// FMA of kernels/karatsuba.hpp is one vertical batch operation with no
// wasted lanes. The recursion, the additions and the base-case summation
// order are exactly those of the one-row version, so a row gets the same
// bits whichever of the two computes it.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include "polybatch/kernels/karatsuba.hpp"

namespace polybatch::kernels::simd {

/// Lane-vectors of T: element i of a block is the batch at p + i * W.
template <class T>
struct Lanes {
  using batch = xsimd::batch<T>;
  static constexpr std::size_t W = batch::size;
  static batch load(const T* p, std::size_t i) { return batch::load_aligned(p + i * W); }
  static void store(T* p, std::size_t i, const batch& v) { v.store_aligned(p + i * W); }
};

/// Base case: out[k] = sum over ascending i of a[i] b[k - i], by FMA from 0,
/// four outputs at a time from a zero-padded copy of b (the extra terms
/// are exact zeros, so the sums are those of the one-row schoolbook).
template <class T>
void schoolbook_square_lanes(const T* a, const T* b, std::size_t n, T* out) {
  using L = Lanes<T>;
  using batch = typename L::batch;
  constexpr std::size_t W = L::W;
  constexpr std::size_t K = 4; // outputs per pass
  constexpr std::size_t pad = K - 1;
  alignas(batch::arch_type::alignment()) T bp[(karatsuba_base_length + 2 * pad) * W];
  std::fill_n(bp, pad * W, T(0));
  std::copy_n(b, n * W, bp + pad * W);
  std::fill_n(bp + (pad + n) * W, pad * W, T(0));
  const T* bz = bp + pad * W; // bz[j] valid for j in [-pad, n + pad)
  const std::size_t full = 2 * n - 1;
  for (std::size_t k0 = 0; k0 < full; k0 += K) {
    const std::size_t lo = k0 >= n - 1 ? k0 - (n - 1) : 0;
    const std::size_t hi = std::min(n - 1, k0 + K - 1);
    batch acc[K];
    for (auto& x : acc) x = batch(T(0));
    for (std::size_t i = lo; i <= hi; ++i) {
      const batch ai = L::load(a, i);
      const T* bk =
          bz + (static_cast<std::ptrdiff_t>(k0) - static_cast<std::ptrdiff_t>(i)) * static_cast<std::ptrdiff_t>(W);
      for (std::size_t t = 0; t < K; ++t) acc[t] = xsimd::fma(ai, batch::load_aligned(bk + t * W), acc[t]);
    }
    for (std::size_t t = 0; t < K && k0 + t < full; ++t) L::store(out, k0 + t, acc[t]);
  }
}

/// karatsuba_square on lane-vectors (work: karatsuba_workspace(n) of them).
template <class T>
void karatsuba_square_lanes(const T* a, const T* b, std::size_t n, T* out, T* work) {
  using L = Lanes<T>;
  using batch = typename L::batch;
  constexpr std::size_t W = L::W;
  if (n <= karatsuba_base_length) {
    schoolbook_square_lanes(a, b, n, out);
    return;
  }
  const std::size_t m = n / 2;
  const std::size_t k = n - m;
  karatsuba_square_lanes(a, b, m, out, work);
  L::store(out, 2 * m - 1, batch(T(0)));
  karatsuba_square_lanes(a + m * W, b + m * W, k, out + 2 * m * W, work);
  T* sa = work;
  T* sb = work + k * W;
  T* z1 = work + 2 * k * W;
  for (std::size_t i = 0; i < k; ++i) {
    L::store(sa, i, i < m ? L::load(a, m + i) + L::load(a, i) : L::load(a, m + i));
    L::store(sb, i, i < m ? L::load(b, m + i) + L::load(b, i) : L::load(b, m + i));
  }
  karatsuba_square_lanes(sa, sb, k, z1, work + 4 * k * W);
  for (std::size_t i = 0; i < 2 * m - 1; ++i) L::store(z1, i, L::load(z1, i) - L::load(out, i));
  for (std::size_t i = 0; i < 2 * k - 1; ++i) L::store(z1, i, L::load(z1, i) - L::load(out, 2 * m + i));
  for (std::size_t i = 0; i < 2 * k - 1; ++i) L::store(out, m + i, L::load(out, m + i) + L::load(z1, i));
}

/// Windows of a (*) b for groups of W rows through lane-vector Karatsuba;
/// returns how many rows it did (a multiple of W; the caller does the rest
/// one row at a time with identical arithmetic). la >= lb is not required.
template <class T>
std::size_t karatsuba_row_groups(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b,
                                 std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n,
                                 T* out, std::size_t ldo) {
  using L = Lanes<T>;
  constexpr std::size_t W = L::W;
  const std::size_t groups = rows / W;
  if (groups == 0) return 0;
  // The longer operand is cut into blocks of the shorter length, as in
  // karatsuba_full (which swaps so that its first operand is the longer).
  const bool swap = la < lb;
  const std::size_t ll = swap ? lb : la, ls = swap ? la : lb;
  const std::size_t full = la + lb - 1;
  // Layout (in lane-vectors): long operand, short operand, block, product
  // block, result, workspace.
  const std::size_t need = ll + ls + ls + 2 * ls + full + karatsuba_workspace(ls);
  T* base = thread_buffer<T, 2>(need * W + W); // + W: room to align
  const std::size_t mis = reinterpret_cast<std::uintptr_t>(base) % (W * sizeof(T));
  if (mis) base += W - mis / sizeof(T);
  T* lv = base;
  T* sv = lv + ll * W;
  T* block = sv + ls * W;
  T* product = block + ls * W;
  T* result = product + 2 * ls * W;
  T* work = result + full * W;

  for (std::size_t g = 0; g < groups; ++g) {
    for (std::size_t w = 0; w < W; ++w) {
      const T* ar = a + (g * W + w) * lda;
      const T* br = b + (g * W + w) * ldb;
      // b reversed for correlation, as the one-row path does.
      for (std::size_t i = 0; i < la; ++i) (swap ? sv : lv)[i * W + w] = ar[i];
      for (std::size_t j = 0; j < lb; ++j) (swap ? lv : sv)[j * W + w] = br[reverse_b ? lb - 1 - j : j];
    }
    std::fill_n(result, full * W, T(0));
    for (std::size_t start = 0; start < ll; start += ls) {
      const std::size_t len = std::min(ls, ll - start);
      const T* src = lv + start * W;
      if (len < ls) {
        std::copy_n(src, len * W, block);
        std::fill(block + len * W, block + ls * W, T(0));
        src = block;
      }
      karatsuba_square_lanes(src, sv, ls, product, work);
      const std::size_t count = std::min(2 * ls - 1, full - start);
      for (std::size_t i = 0; i < count; ++i)
        L::store(result, start + i, L::load(result, start + i) + L::load(product, i));
    }
    for (std::size_t w = 0; w < W; ++w) {
      T* o = out + (g * W + w) * ldo;
      for (std::size_t k = 0; k < n; ++k) o[k] = result[(offset + k) * W + w];
    }
  }
  return groups * W;
}

} // namespace polybatch::kernels::simd
