// Short-row convolution for float and double, vectorised ACROSS rows: a group
// of W rows (W = xsimd batch width of the architecture the user compiles
// for) is transposed into a structure-of-arrays block in L1, the M x N
// products are vertical FMAs on xsimd batches, and the F = M + N - 1
// coefficients are transposed back. Lengths are template parameters (a table
// of instantiations is indexed once per tile), so everything unrolls.
// Every row, including those of a last partial group (padded with zeros),
// goes through the same batch operations: a row's result does not depend on
// the tile or thread it falls in.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/simd/convolve_interleaved.hpp"
#include "polybatch/kernels/simd/fused_multiply_add.hpp"

namespace polybatch::kernels::simd {

/// Below this many multiply-adds per row the transposition costs more than
/// the vertical FMAs save (measured on AVX-512 and AVX2 for float; for
/// double the per-row kernel won or tied everywhere, see docs/performance.md).
inline constexpr std::size_t min_short_simd_work = 42;

/// One body per (M, N) for both directions, like the per-row kernels: here
/// b is already moved element by element into the transposed block, so it is
/// read through a run-time stride (-1 for correlation) at no extra cost.
template <class T, std::size_t M, std::size_t N>
[[gnu::noinline]] void convolve_short_rows_either(std::size_t rows, const T* a, std::size_t lda, const T* b,
                                                  std::size_t ldb, bool reverse_b, std::size_t offset, std::size_t n,
                                                  T* out, std::size_t ldo) {
  using batch = xsimd::batch<T>;
  constexpr std::size_t W = batch::size;
  constexpr std::size_t F = M + N - 1;
  constexpr std::size_t align = batch::arch_type::alignment();
  alignas(align) T sa[M][W];
  alignas(align) T sb[N][W];
  alignas(align) T so[F][W];
  const bool whole = offset == 0 && n == F;
  const std::ptrdiff_t bstep = reverse_b ? -1 : 1;

  for (std::size_t g = 0; g < rows; g += W) {
    const std::size_t count = std::min(W, rows - g);
    if (count < W) {
      // Pad the last partial group with zeros (defined values, no FP traps).
      for (std::size_t i = 0; i < M; ++i) std::fill(sa[i] + count, sa[i] + W, T(0));
      for (std::size_t j = 0; j < N; ++j) std::fill(sb[j] + count, sb[j] + W, T(0));
    }
    const T* ag = a + g * lda;
    const T* bg = b + g * ldb;
    const T* bfirst = bg + (reverse_b ? N - 1 : 0);
    // Transposition by scalar moves through L1: measured faster here than
    // the compiler's shuffle sequences for constant strides.
    for (std::size_t w = 0; w < count; ++w) {
      [&]<std::size_t... I>(std::index_sequence<I...>) { ((sa[I][w] = ag[w * lda + I]), ...); }
      (std::make_index_sequence<M>{});
      [&]<std::size_t... J>(std::index_sequence<J...>) {
        ((sb[J][w] = bfirst[static_cast<std::ptrdiff_t>(w * ldb) + static_cast<std::ptrdiff_t>(J) * bstep]), ...);
      }
      (std::make_index_sequence<N>{});
    }

    std::array<batch, F> acc;
    acc.fill(batch(T(0)));
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&]<std::size_t... J>(std::index_sequence<J...>, std::size_t i) {
            const batch ai = batch::load_aligned(sa[i]);
            ((acc[i + J] = fused_multiply_add(ai, batch::load_aligned(sb[J]), acc[i + J])), ...);
          }(std::make_index_sequence<N>{}, I),
          ...);
    }
    (std::make_index_sequence<M>{});
    [&]<std::size_t... K>(std::index_sequence<K...>) { (acc[K].store_aligned(so[K]), ...); }
    (std::make_index_sequence<F>{});

    T* og = out + g * ldo;
    if (whole) {
      for (std::size_t w = 0; w < count; ++w) [&]<std::size_t... K>(std::index_sequence<K...>) {
          ((og[w * ldo + K] = so[K][w]), ...);
        }
      (std::make_index_sequence<F>{});
    } else {
      for (std::size_t w = 0; w < count; ++w)
        for (std::size_t k = 0; k < n; ++k) og[w * ldo + k] = so[offset + k][w];
    }
  }
}

template <class T, std::size_t M, std::size_t N, bool ReverseB>
void convolve_short_rows(std::size_t rows, const T* a, std::size_t lda, const T* b, std::size_t ldb, std::size_t offset,
                         std::size_t n, T* out, std::size_t ldo) {
  convolve_short_rows_either<T, M, N>(rows, a, lda, b, ldb, ReverseB, offset, n, out, ldo);
}

namespace detail {
template <class T, bool ReverseB, std::size_t M, std::size_t N>
constexpr fixed_convolve_fn<T> short_entry() {
  if constexpr (has_interleaved_kernels<T>) {
    if constexpr (M >= 2 && N >= 2)
      return &convolve_interleaved_rows<T, M, N, ReverseB>;
    else
      return nullptr;
  } else if constexpr (std::is_same_v<T, float> && M * N >= min_short_simd_work)
    return &convolve_short_rows<T, M, N, ReverseB>;
  else
    return nullptr;
}
template <class T, bool ReverseB, std::size_t... Idx>
constexpr auto make_short_table(std::index_sequence<Idx...>) {
  return std::array<fixed_convolve_fn<T>, sizeof...(Idx)>{
      short_entry<T, ReverseB, Idx / max_fixed_length + 1, Idx % max_fixed_length + 1>()...};
}
} // namespace detail

/// The row-group kernel for lengths (la, lb), both in [1, max_fixed_length],
/// or nullptr where the per-row kernel is the better one: with AVX2 or
/// AVX-512, the register-transposing kernel for float and double whenever
/// both lengths are at least 2; otherwise (SSE2) the L1-transposing kernel
/// above for float where la * lb >= min_short_simd_work.
template <class T>
fixed_convolve_fn<T> short_convolve_kernel(std::size_t la, std::size_t lb, bool reverse_b) {
  static constexpr auto forward =
      detail::make_short_table<T, false>(std::make_index_sequence<max_fixed_length * max_fixed_length>{});
  static constexpr auto reversed =
      detail::make_short_table<T, true>(std::make_index_sequence<max_fixed_length * max_fixed_length>{});
  const std::size_t idx = (la - 1) * max_fixed_length + (lb - 1);
  return reverse_b ? reversed[idx] : forward[idx];
}

} // namespace polybatch::kernels::simd
