// Tile-level convolution dispatcher: picks the unrolled fixed-length kernel
// for short rows of machine scalars, the schoolbook kernel otherwise.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <cstddef>

#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/convolve_generic.hpp"

namespace polybatch::kernels {

/// For each of `rows` rows: out[k] = full product coefficient offset + k,
/// k < n, of a (length la) and b (length lb, reversed for correlation).
/// `acc` is one scratch scalar (multiprecision storage reused across rows).
template <class T>
void convolve_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                   std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo, T& acc) {
  if constexpr (scalar_traits<T>::is_machine) {
    if (la <= max_fixed_length && lb <= max_fixed_length) {
      fixed_convolve_kernel<T>(la, lb, reverse_b)(rows, a, lda, b, ldb, offset, n, out, ldo);
      return;
    }
  }
  for (std::size_t r = 0; r < rows; ++r)
    convolve_window_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * ldo, acc);
}

} // namespace polybatch::kernels
