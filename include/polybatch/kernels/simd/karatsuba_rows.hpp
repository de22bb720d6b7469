// Karatsuba across rows: W rows (W = xsimd batch width) are transposed into
// a structure-of-arrays block, so every addition, subtraction and base-case
// FMA of kernels/karatsuba.hpp is one vertical batch operation with no
// wasted lanes. The recursion, the additions and the base-case summation
// order are exactly those of the one-row version, so a row gets the same
// bits whichever of the two computes it.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include "polybatch/kernels/karatsuba.hpp"
#include "polybatch/kernels/simd/fused_multiply_add.hpp"
#include "polybatch/kernels/simd/interleave.hpp"

namespace polybatch::kernels::simd {

/// Lane-vectors of T: element i of a block is the batch at p + i * W.
template <class T>
struct Lanes {
  using batch = xsimd::batch<T>;
  static constexpr std::size_t W = batch::size;
  static batch load(const T* p, std::size_t i) { return batch::load_aligned(p + i * W); }
  static void store(T* p, std::size_t i, const batch& v) { v.store_aligned(p + i * W); }
};

/// Register block of the base case: K consecutive outputs by I consecutive
/// terms, I + (K + I - 1) loads for K * I FMAs instead of 5 loads per 4 FMAs
/// (about 4% of the whole at length 1024: the base case is about 40% of the
/// time there, the additions between levels most of the rest). 16 vector
/// registers (AVX2) hold 4 x 4, 32 (AVX-512) hold 8 x 4.
template <class T>
struct BaseBlock {
  static constexpr std::size_t registers = xsimd::batch<T>::arch_type::alignment() >= 64 ? 32 : 16;
  static constexpr std::size_t K = registers >= 32 ? 8 : 4;
  static constexpr std::size_t I = 4;
};

/// acc[t] += a[i + u] * b[k0 + t - i - u] for u ascending in [0, U): the
/// terms of each output in ascending order of their a index.
template <class T, std::size_t K, std::size_t U>
inline void base_terms(const T* a, std::size_t i, const T* bz, std::ptrdiff_t first_b, xsimd::batch<T> (&acc)[K]) {
  using L = Lanes<T>;
  using batch = typename L::batch;
  constexpr std::size_t W = L::W;
  batch av[U];
  batch bw[K + U - 1]; // bw[s] = b[first_b + s], first_b = k0 - i - (U - 1)
  for (std::size_t u = 0; u < U; ++u) av[u] = L::load(a, i + u);
  for (std::size_t s = 0; s < K + U - 1; ++s)
    bw[s] = batch::load_aligned(bz + (first_b + static_cast<std::ptrdiff_t>(s)) * static_cast<std::ptrdiff_t>(W));
  for (std::size_t u = 0; u < U; ++u)
    for (std::size_t t = 0; t < K; ++t) acc[t] = fused_multiply_add(av[u], bw[t + U - 1 - u], acc[t]);
}

/// Base case: out[k] = sum over ascending i of a[i] b[k - i], by FMA from 0,
/// in register blocks (BaseBlock) over a zero-padded copy of b. The extra
/// terms the blocks take in are exact zeros, so each sum is that of the
/// one-row schoolbook, bit for bit.
template <class T>
void schoolbook_square_lanes(const T* a, const T* b, std::size_t n, T* out) {
  using L = Lanes<T>;
  using batch = typename L::batch;
  constexpr std::size_t W = L::W;
  constexpr std::size_t K = BaseBlock<T>::K;
  constexpr std::size_t I = BaseBlock<T>::I;
  constexpr std::size_t front = K + I, back = K;
  alignas(batch::arch_type::alignment()) T bp[(karatsuba_base_length + front + back) * W];
  std::fill_n(bp, front * W, T(0));
  std::copy_n(b, n * W, bp + front * W);
  std::fill_n(bp + (front + n) * W, back * W, T(0));
  const T* bz = bp + front * W; // bz[j] valid for j in [-front, n + back)
  const std::size_t full = 2 * n - 1;
  for (std::size_t k0 = 0; k0 < full; k0 += K) {
    const std::size_t lo = k0 >= n - 1 ? k0 - (n - 1) : 0;
    const std::size_t end = std::min(n, k0 + K); // terms i in [lo, end)
    batch acc[K];
    for (auto& x : acc) x = batch(T(0));
    const auto k = static_cast<std::ptrdiff_t>(k0);
    std::size_t i = lo;
    for (; i + I <= end; i += I) base_terms<T, K, I>(a, i, bz, k - static_cast<std::ptrdiff_t>(i + I - 1), acc);
    for (; i < end; ++i) base_terms<T, K, 1>(a, i, bz, k - static_cast<std::ptrdiff_t>(i), acc);
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

/// Rows -> lane-vectors: dst[i * W + w] = row_w[i] for i < len (row_w =
/// rows + w * ld), or row_w[len - 1 - i] if reversed. W x W blocks go
/// through a register transpose: element by element, the stores hit a new
/// cache line each and took a third of the time at length 1024.
template <class T>
void rows_to_lanes(const T* rows, std::size_t ld, std::size_t len, bool reverse, T* dst) {
  using batch = typename Lanes<T>::batch;
  constexpr std::size_t W = Lanes<T>::W;
  std::array<batch, W> v;
  std::size_t i0 = 0;
  for (; i0 + W <= len; i0 += W) {
    // The source block: row_w[i0, i0 + W), or its mirror when reversed.
    const std::size_t start = reverse ? len - i0 - W : i0;
    for (std::size_t w = 0; w < W; ++w) v[w] = batch::load_unaligned(rows + w * ld + start);
    interleave_detail::transpose(v);
    for (std::size_t i = 0; i < W; ++i) Lanes<T>::store(dst, i0 + (reverse ? W - 1 - i : i), v[i]);
  }
  for (std::size_t w = 0; w < W; ++w)
    for (std::size_t i = i0; i < len; ++i) dst[i * W + w] = rows[w * ld + (reverse ? len - 1 - i : i)];
}

/// Lane-vectors -> rows: row_w[k] = src[(offset + k) * W + w] for k < n
/// (row_w = out + w * ldo), by the same W x W register transposes.
template <class T>
void lanes_to_rows(const T* src, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  using batch = typename Lanes<T>::batch;
  constexpr std::size_t W = Lanes<T>::W;
  std::array<batch, W> v;
  std::size_t k0 = 0;
  for (; k0 + W <= n; k0 += W) {
    for (std::size_t i = 0; i < W; ++i) v[i] = Lanes<T>::load(src, offset + k0 + i);
    interleave_detail::transpose(v);
    for (std::size_t w = 0; w < W; ++w) v[w].store_unaligned(out + w * ldo + k0);
  }
  for (std::size_t w = 0; w < W; ++w)
    for (std::size_t k = k0; k < n; ++k) out[w * ldo + k] = src[(offset + k) * W + w];
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
    // b reversed for correlation, as the one-row path does.
    rows_to_lanes(a + g * W * lda, lda, la, false, swap ? sv : lv);
    rows_to_lanes(b + g * W * ldb, ldb, lb, reverse_b, swap ? lv : sv);
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
    lanes_to_rows(result, offset, n, out + g * W * ldo, ldo);
  }
  return groups * W;
}

} // namespace polybatch::kernels::simd
