// Tile-level convolution dispatcher. `convolve_backend<T>` is the
// customisation point: the primary template is the schoolbook kernel for any
// scalar; machine scalars get unrolled fixed-length kernels; other scalar
// families (multiprecision) specialise it in their own headers.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <cstddef>
#include <type_traits>

#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/convolve_generic.hpp"

namespace polybatch::kernels {

/// For each of `rows` rows: out[k] = full product coefficient offset + k,
/// k < n, of a (length la) and b (length lb, reversed for correlation).
/// Row r of an operand starts at ptr + r * ld (ld = 0 broadcasts).
/// `acc` is one scratch scalar (multiprecision storage reused across rows).
template <class T, class Enable = void>
struct convolve_backend {
  static void run(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                  std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo, T& acc) {
    for (std::size_t r = 0; r < rows; ++r)
      convolve_window_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * ldo, acc);
  }
};

template <class T>
struct convolve_backend<T, std::enable_if_t<scalar_traits<T>::is_machine>> {
  static void run(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                  std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo, T& acc) {
    if (la <= max_fixed_length && lb <= max_fixed_length) {
      fixed_convolve_kernel<T>(la, lb, reverse_b)(rows, a, lda, b, ldb, offset, n, out, ldo);
      return;
    }
    for (std::size_t r = 0; r < rows; ++r)
      convolve_window_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * ldo, acc);
  }
};

template <class T>
void convolve_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                   std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo, T& acc) {
  convolve_backend<T>::run(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, acc);
}

} // namespace polybatch::kernels
