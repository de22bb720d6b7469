// Short-row convolution for float and double, vectorised ACROSS rows with
// the transposition in registers (kernels/simd/interleave.hpp): a group of W
// contiguous rows of each operand is M (resp. N) plain vector loads, turned
// into coefficient vectors by permutes and blends; the M x N products are
// vertical FMAs; the F = M + N - 1 result vectors go back to row-major
// order the same way and leave as F plain vector stores. Per row that is
// about (M + N + F) / W loads and stores plus a few shuffles, where the
// per-row kernel does M * N scalar FMAs and the L1 transposition of
// convolve_short.hpp moves every coefficient through memory twice.
//
// Operands that are not contiguous groups (broadcast or strided rows, a
// window of the product, the last partial group) are copied through a
// zero-padded group in L1 and take the same batch operations, so a row's
// bits never depend on where it falls in a tile or thread.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/simd/fused_multiply_add.hpp"
#include "polybatch/kernels/simd/interleave.hpp"

namespace polybatch::kernels::simd {

namespace interleaved_detail {

template <std::size_t S, class T, class A, std::size_t... K>
[[gnu::always_inline]] inline std::array<xsimd::batch<T, A>, S> load_group(const T* p, std::index_sequence<K...>) {
  constexpr std::size_t W = xsimd::batch<T, A>::size;
  return {xsimd::batch<T, A>::load_unaligned(p + K * W)...};
}

template <std::size_t S, class T, class A, std::size_t... K>
[[gnu::always_inline]] inline void store_group(const std::array<xsimd::batch<T, A>, S>& v, T* p,
                                               std::index_sequence<K...>) {
  constexpr std::size_t W = xsimd::batch<T, A>::size;
  (v[K].store_unaligned(p + K * W), ...);
}

/// acc[i + j] += a[i] * b[j] for one i, every j (ascending i overall: each
/// coefficient is summed in the order of the per-row and L1 kernels).
template <std::size_t M, std::size_t N, std::size_t I, class B, std::size_t... J>
[[gnu::always_inline]] inline void multiply_row(const std::array<B, M>& a, const std::array<B, N>& b,
                                                std::array<B, M + N - 1>& acc, std::index_sequence<J...>) {
  ((acc[I + J] = fused_multiply_add(a[I], b[J], acc[I + J])), ...);
}

template <std::size_t M, std::size_t N, class B, std::size_t... I>
[[gnu::always_inline]] inline void multiply(const std::array<B, M>& a, const std::array<B, N>& b,
                                            std::array<B, M + N - 1>& acc, std::index_sequence<I...>) {
  (multiply_row<M, N, I>(a, b, acc, std::make_index_sequence<N>{}), ...);
}

template <std::size_t N, class B, std::size_t... J>
[[gnu::always_inline]] inline std::array<B, N> reversed(const std::array<B, N>& v, std::index_sequence<J...>) {
  return {v[N - 1 - J]...};
}

/// W contiguous rows: a (W x M), b (W x N) -> out (W x (M + N - 1)); b's
/// coefficients reversed for correlation (a register renaming, so one
/// instantiation serves both).
template <class T, class A, std::size_t M, std::size_t N>
[[gnu::always_inline]] inline void convolve_group(const T* a, const T* b, bool reverse_b, T* out) {
  using batch = xsimd::batch<T, A>;
  constexpr std::size_t F = M + N - 1;
  const auto ca = rows_to_coefficients<M>(load_group<M, T, A>(a, std::make_index_sequence<M>{}));
  auto cb = rows_to_coefficients<N>(load_group<N, T, A>(b, std::make_index_sequence<N>{}));
  if (reverse_b) cb = reversed(cb, std::make_index_sequence<N>{});
  std::array<batch, F> acc;
  acc.fill(batch(T(0)));
  multiply<M, N>(ca, cb, acc, std::make_index_sequence<M>{});
  store_group<F, T, A>(coefficients_to_rows<F>(acc), out, std::make_index_sequence<F>{});
}

/// Groups ahead that the direct loop prefetches: measured from DRAM on
/// AVX-512, the hardware prefetcher alone left the wider cases (9 x 5 float)
/// 1.4x off the streaming bound, 4 groups ahead brought them within 1.1x.
inline constexpr std::size_t prefetch_groups = 4;
/// Tiles of at least this many groups peel rows to align the output.
inline constexpr std::size_t peel_min_groups = 64;

template <class T, std::size_t Bytes>
[[gnu::always_inline]] inline void prefetch_lines(const T* p) {
  for (std::size_t k = 0; k < Bytes; k += 64) __builtin_prefetch(reinterpret_cast<const char*>(p) + k);
}

template <class T, std::size_t M, std::size_t N>
[[gnu::noinline]] void convolve_rows(std::size_t rows, const T* a, std::size_t lda, const T* b, std::size_t ldb,
                                     bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  using A = xsimd::default_arch;
  constexpr std::size_t W = xsimd::batch<T, A>::size;
  constexpr std::size_t F = M + N - 1;
  std::size_t g = 0;
  alignas(A::alignment()) std::array<T, W * M> ga;
  alignas(A::alignment()) std::array<T, W * N> gb;
  alignas(A::alignment()) std::array<T, W * F> go;
  // Rows [g, end) through a zero-padded group in L1 (same operations, same
  // bits as the direct path).
  auto staged = [&](std::size_t end) {
    for (; g < end; g += W) {
      const std::size_t count = std::min(W, end - g);
      if (count < W) {
        // Zeros in the unused rows of the last group: defined values, no
        // floating-point traps.
        ga.fill(T(0));
        gb.fill(T(0));
      }
      for (std::size_t w = 0; w < count; ++w) {
        std::copy_n(a + (g + w) * lda, M, ga.data() + w * M);
        std::copy_n(b + (g + w) * ldb, N, gb.data() + w * N);
      }
      convolve_group<T, A, M, N>(ga.data(), gb.data(), reverse_b, go.data());
      for (std::size_t w = 0; w < count; ++w) std::copy_n(go.data() + w * F + offset, n, out + (g + w) * ldo);
    }
    g = end;
  };
  if (lda == M && ldb == N && offset == 0 && n == F && ldo == F) {
    // Peel up to W - 1 rows through the staged path so that the output's
    // vector stores are aligned to the cache line, where the row stride
    // allows it: a store that straddles two lines costs both. Measured at
    // B = 4,000,000 with std::vector buffers (16 bytes off a line): float
    // 2x4 1.8 -> 1.3 ns/row, double 2x4 3.7 -> 2.7; double 4x4 alone got
    // slower (5.5 -> 6.2) and is left unpeeled. Only for tiles long enough
    // to pay for up to W - 1 staged rows (not the short tiles of a fused
    // pass, which measured 1.1x -> 1.6x the bound with peeling).
    constexpr bool peel_pays = !(std::is_same_v<T, double> && M == 4 && N == 4);
    std::size_t peel = 0;
    if (peel_pays && rows >= peel_min_groups * W) {
      while (peel < W && reinterpret_cast<std::uintptr_t>(out + peel * F) % 64 != 0) ++peel;
      if (peel == W) peel = 0;
    }
    staged(peel);
    for (; g + W <= rows; g += W) {
      // Past the end of the operands only in the last groups: prefetches
      // never fault, and the addresses are computed, not dereferenced.
      prefetch_lines<T, M * W * sizeof(T)>(a + (g + prefetch_groups * W) * M);
      prefetch_lines<T, N * W * sizeof(T)>(b + (g + prefetch_groups * W) * N);
      convolve_group<T, A, M, N>(a + g * M, b + g * N, reverse_b, out + g * F);
    }
  }
  staged(rows);
}

} // namespace interleaved_detail

/// Whether the register-transposing kernels are compiled in for T: with
/// AVX2 or AVX-512 (W >= 8 float lanes), where they beat the per-row
/// kernel. With SSE2 (4 lanes, no FMA) they would not pay for their compile
/// time (about 0.3 s per length pair); defining
/// POLYBATCH_NO_REGISTER_TRANSPOSE turns them off for any architecture.
template <class T>
inline constexpr bool has_interleaved_kernels =
#ifdef POLYBATCH_NO_REGISTER_TRANSPOSE
    false;
#else
    (std::is_same_v<T, float> || std::is_same_v<T, double>)&&(std::is_base_of_v<xsimd::avx2, xsimd::default_arch> ||
                                                              std::is_base_of_v<xsimd::avx512f, xsimd::default_arch>);
#endif

/// The fixed_convolve_fn for lengths M, N (both in [1, max_fixed_length]).
template <class T, std::size_t M, std::size_t N, bool ReverseB>
void convolve_interleaved_rows(std::size_t rows, const T* a, std::size_t lda, const T* b, std::size_t ldb,
                               std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  interleaved_detail::convolve_rows<T, M, N>(rows, a, lda, b, ldb, ReverseB, offset, n, out, ldo);
}

} // namespace polybatch::kernels::simd
