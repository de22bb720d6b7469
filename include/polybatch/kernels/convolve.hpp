// Tile-level convolution dispatcher. `convolve_backend<T>` is the
// customisation point: the primary template is the schoolbook kernel for any
// scalar; other scalar families (multiprecision) specialise it in their own
// headers. Machine scalars, by length (la, lb of the operands as read):
//   both <= 9      float/double with AVX2 or AVX-512: groups of W rows
//                  transposed in registers, vertical FMAs across rows
//                  (simd/convolve_interleaved.hpp); otherwise unrolled
//                  fixed-length kernels one row at a time (lengths up to
//                  max_unrolled_length, else the loops below), or for float with
//                  la * lb >= 42 the L1-transposing simd/convolve_short.hpp
//   one <= 9, the other up to 36, whole product (float, double)
//                  the long row in pieces for the short-row kernels
//                  (kernels/convolve_pieces.hpp)
//   float, double  vectorised schoolbook, or Karatsuba when both lengths and
//                  the requested window reach karatsuba_threshold (groups of
//                  W rows vertically across xsimd lanes, leftovers per row)
//   integers       generic schoolbook (exact, no reassociation)
// With POLYBATCH_COMPILED_KERNELS (the polybatch::kernels library), float
// and double go to the compiled kernels of the machine's widest instruction
// set instead (kernels/compiled.hpp).
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <type_traits>

#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/kernels/checked_integer.hpp"
#include "polybatch/kernels/compiled.hpp"
#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/convolve_generic.hpp"
#include "polybatch/kernels/convolve_pieces.hpp"
#include "polybatch/kernels/convolve_schoolbook.hpp"
#include "polybatch/kernels/karatsuba.hpp"
#include "polybatch/kernels/simd/convolve_short.hpp"
#include "polybatch/kernels/simd/karatsuba_rows.hpp"

namespace polybatch::kernels {

/// For each of `rows` rows: out[k] = full product coefficient offset + k,
/// k < n, of a (length la) and b (length lb, reversed for correlation).
/// Row r of an operand starts at ptr + r * ld (ld = 0 broadcasts).
/// `acc` is one scratch scalar (multiprecision storage reused across rows).
/// Scalars with xsimd batches (the vectorised and Karatsuba paths).
template <class T>
inline constexpr bool is_simd_float = std::is_same_v<T, float> || std::is_same_v<T, double>;

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
    if constexpr (uses_compiled_kernels<T>)
      compiled::convolve_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
    else
      run_here(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, acc);
  }

  /// The kernels instantiated for this translation unit's instruction set.
  static void run_here(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                       std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo,
                       T& acc) {
    if constexpr (is_checked_integer<T>) {
      // Built-in integers: the fast kernels only where the tile's magnitudes
      // prove no sum can overflow, otherwise exact 128-bit sums, checked.
      if (!integer_product_fits(rows, a, lda, la, b, ldb, lb)) {
        for (std::size_t r = 0; r < rows; ++r)
          checked_convolve_window_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * ldo, r);
        return;
      }
    }
    if (la <= max_fixed_length && lb <= max_fixed_length) {
      if constexpr (is_simd_float<T>) {
        if (const auto kernel = simd::short_convolve_kernel<T>(la, lb, reverse_b)) {
          kernel(rows, a, lda, b, ldb, offset, n, out, ldo);
          return;
        }
      }
      if (la <= max_unrolled_length && lb <= max_unrolled_length) {
        fixed_convolve_kernel<T>(la, lb, reverse_b)(rows, a, lda, b, ldb, offset, n, out, ldo);
        return;
      }
    }
    if constexpr (is_simd_float<T>) {
      if (convolve_in_pieces(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo)) return;
      if (std::min(la, lb) >= karatsuba_threshold && n >= karatsuba_threshold) {
        // Whole groups of rows across SIMD lanes, the rest one row at a time
        // (same arithmetic, same bits).
        const std::size_t done =
            simd::karatsuba_row_groups(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
        karatsuba_rows(rows - done, a + done * lda, lda, la, b + done * ldb, ldb, lb, reverse_b, offset, n,
                       out + done * ldo, ldo);
      } else
        schoolbook_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
    } else {
      for (std::size_t r = 0; r < rows; ++r)
        convolve_window_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * ldo, acc);
    }
  }
};

template <class T>
void convolve_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                   std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo, T& acc) {
  convolve_backend<T>::run(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, acc);
}

} // namespace polybatch::kernels
