// Fully unrolled row convolution for machine scalars when both lengths are
// small (<= max_fixed_length). Lengths are known only at run time, so a
// table of instantiations is indexed once per tile, never per row.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

namespace polybatch::kernels {

/// Short rows: both lengths at most this go to the short-row kernels (the
/// SIMD row-group kernels where the instruction set has them, else the
/// unrolled ones below where unrolled, else the general loops).
inline constexpr std::size_t max_fixed_length = 9;

// How many lengths get an unrolled body (max^2 bodies per scalar type and
// direction). They are most of the compile time of a translation unit that
// evaluates a product (hello world at g++ -O2: about 4 s for lengths up to 9,
// under 1 s up to 4), so header-only builds unroll up to 4 by default; the
// compiled kernels library (polybatch::kernels) unrolls up to 9 and passes
// that on to the programs that link it. Define it alike in every translation
// unit of a program.
#ifndef POLYBATCH_MAX_UNROLLED_LENGTH
#define POLYBATCH_MAX_UNROLLED_LENGTH 4
#endif
static_assert(POLYBATCH_MAX_UNROLLED_LENGTH >= 1 && POLYBATCH_MAX_UNROLLED_LENGTH <= 9,
              "POLYBATCH_MAX_UNROLLED_LENGTH must be between 1 and 9");
inline constexpr std::size_t max_unrolled_length = POLYBATCH_MAX_UNROLLED_LENGTH;

template <class T>
using fixed_convolve_fn = void (*)(std::size_t rows, const T* a, std::size_t lda, const T* b, std::size_t ldb,
                                   std::size_t offset, std::size_t n, T* out, std::size_t ldo);

/// The unrolled body, forward direction. Not inlined into the correlation
/// wrapper below, so each (M, N) is compiled once: with a body per direction
/// the 162 unrolled bodies per scalar type were most of the compile time of
/// a translation unit that evaluates products (test_alias: 91 s at g++ -O3,
/// 64 s with one body per (M, N)).
template <class T, std::size_t M, std::size_t N>
[[gnu::noinline]] void convolve_fixed_rows_forward(std::size_t rows, const T* a, std::size_t lda, const T* b,
                                                   std::size_t ldb, std::size_t offset, std::size_t n, T* out,
                                                   std::size_t ldo) {
  constexpr std::size_t F = M + N - 1;
  const bool whole = offset == 0 && n == F;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    const T* br = b + r * ldb;
    T* o = out + r * ldo;
    T acc[F] = {};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&]<std::size_t... J>(std::index_sequence<J...>, std::size_t i) {
            const T ai = ar[i];
            ((acc[i + J] += ai * br[J]), ...);
          }(std::make_index_sequence<N>{}, I),
          ...);
    }
    (std::make_index_sequence<M>{});
    if (whole) {
      [&]<std::size_t... K>(std::index_sequence<K...>) { ((o[K] = acc[K]), ...); }
      (std::make_index_sequence<F>{});
    } else {
      for (std::size_t k = 0; k < n; ++k) o[k] = acc[offset + k];
    }
  }
}

/// Correlation: chunks of b rows reversed into a small buffer, then the
/// forward body (same operations in the same order, so the same bits as a
/// body that reads b backwards).
template <class T, std::size_t M, std::size_t N>
void convolve_fixed_rows_reversed(std::size_t rows, const T* a, std::size_t lda, const T* b, std::size_t ldb,
                                  std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  constexpr std::size_t chunk = 64;
  T reversed[chunk * N];
  for (std::size_t r0 = 0; r0 < rows; r0 += chunk) {
    // A broadcast b (ldb = 0) is reversed once and stays broadcast.
    const std::size_t count = ldb == 0 ? 1 : std::min(chunk, rows - r0);
    for (std::size_t w = 0; w < count; ++w)
      for (std::size_t j = 0; j < N; ++j) reversed[w * N + j] = b[(r0 + w) * ldb + N - 1 - j];
    const std::size_t done = std::min(chunk, rows - r0);
    convolve_fixed_rows_forward<T, M, N>(done, a + r0 * lda, lda, reversed, ldb == 0 ? 0 : N, offset, n, out + r0 * ldo,
                                         ldo);
  }
}

template <class T, std::size_t M, std::size_t N, bool ReverseB>
void convolve_fixed_rows(std::size_t rows, const T* a, std::size_t lda, const T* b, std::size_t ldb, std::size_t offset,
                         std::size_t n, T* out, std::size_t ldo) {
  if constexpr (ReverseB)
    convolve_fixed_rows_reversed<T, M, N>(rows, a, lda, b, ldb, offset, n, out, ldo);
  else
    convolve_fixed_rows_forward<T, M, N>(rows, a, lda, b, ldb, offset, n, out, ldo);
}

namespace detail {
template <class T, bool ReverseB, std::size_t... Idx>
constexpr auto make_fixed_table(std::index_sequence<Idx...>) {
  return std::array<fixed_convolve_fn<T>, sizeof...(Idx)>{
      &convolve_fixed_rows<T, Idx / max_unrolled_length + 1, Idx % max_unrolled_length + 1, ReverseB>...};
}
} // namespace detail

/// The unrolled kernel for lengths (la, lb), both in [1, max_unrolled_length].
template <class T>
fixed_convolve_fn<T> fixed_convolve_kernel(std::size_t la, std::size_t lb, bool reverse_b) {
  static constexpr auto forward =
      detail::make_fixed_table<T, false>(std::make_index_sequence<max_unrolled_length * max_unrolled_length>{});
  static constexpr auto reversed =
      detail::make_fixed_table<T, true>(std::make_index_sequence<max_unrolled_length * max_unrolled_length>{});
  const std::size_t idx = (la - 1) * max_unrolled_length + (lb - 1);
  return reverse_b ? reversed[idx] : forward[idx];
}

} // namespace polybatch::kernels
