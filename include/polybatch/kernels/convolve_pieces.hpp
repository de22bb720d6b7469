// Products of one row a little longer than the short-row kernels take
// (an intermediate such as a*b of two short rows, 11 coefficients) and one
// short row: the long row is cut into pieces of at most max_fixed_length,
// each piece multiplied by a short-row kernel, and the overlapping
// coefficients summed. The general loops run such rows one at a time at a
// fraction of the short kernels' speed.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/simd/convolve_short.hpp"

namespace polybatch::kernels {

/// The short-row kernel this build has for (la, lb), or null.
template <class T>
fixed_convolve_fn<T> short_rows_kernel(std::size_t la, std::size_t lb, bool reverse_b) {
  if (la > max_fixed_length || lb > max_fixed_length) return nullptr;
  if (const auto kernel = simd::short_convolve_kernel<T>(la, lb, reverse_b)) return kernel;
  if (la <= max_unrolled_length && lb <= max_unrolled_length) return fixed_convolve_kernel<T>(la, lb, reverse_b);
  return nullptr;
}

/// Longest row cut into pieces: beyond this the general loops (vectorised
/// along the row) are as fast.
inline constexpr std::size_t max_piecewise_length = 4 * max_fixed_length;

/// Coefficients [offset, offset + n) of the product of a (length la) and b
/// (length lb, reversed for correlation) for `rows` rows, in pieces; false
/// (nothing written) where it does not apply: a short, b long, or no short
/// kernel for a piece. The pieces start at multiples of max_fixed_length
/// whatever la is, so a coefficient is the same sum in every window and for
/// every truncated operand: a prefix has the bits of the whole product. (So
/// b * a with b short is not cut: its coefficients would be summed in
/// another order than the short kernels' for a truncated a.)
template <class T>
bool convolve_in_pieces(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                        std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  if (la <= max_fixed_length || la > max_piecewise_length || lb > max_fixed_length) return false;
  constexpr std::size_t piece = max_fixed_length;
  const std::size_t pieces = (la + piece - 1) / piece;
  const std::size_t last = la - (pieces - 1) * piece;
  const fixed_convolve_fn<T> full_piece = short_rows_kernel<T>(piece, lb, reverse_b);
  const fixed_convolve_fn<T> last_piece = short_rows_kernel<T>(last, lb, reverse_b);
  if (!full_piece || !last_piece) return false;

  // Rows in groups whose partial products stay in L1. Piece p covers the
  // product's coefficients [start, start + len + lb - 1); its first lb - 1
  // also belong to piece p - 1, which has written them already.
  constexpr std::size_t group = 32;
  T partial[group * (2 * max_fixed_length - 1)];
  const std::size_t end = offset + n;
  for (std::size_t r0 = 0; r0 < rows; r0 += group) {
    const std::size_t g = std::min(group, rows - r0);
    const T* ar = a + r0 * lda;
    const T* br = b + r0 * ldb;
    T* orow = out + r0 * ldo;
    for (std::size_t p = 0; p < pieces; ++p) {
      const std::size_t start = p * piece;
      const std::size_t len = p + 1 == pieces ? last : piece;
      const std::size_t lo = std::max(start, offset), hi = std::min(start + len + lb - 1, end);
      if (lo >= hi) continue;
      const fixed_convolve_fn<T> kernel = p + 1 == pieces ? last_piece : full_piece;
      if (p == 0) {
        kernel(g, ar, lda, br, ldb, lo, hi - lo, orow + (lo - offset), ldo);
        continue;
      }
      const std::size_t count = hi - lo;
      kernel(g, ar + start, lda, br, ldb, lo - start, count, partial, count);
      const std::size_t shared = std::min(hi, start + lb - 1); // [lo, shared) adds to piece p - 1
      for (std::size_t r = 0; r < g; ++r) {
        T* o = orow + r * ldo + (lo - offset);
        const T* t = partial + r * count;
        for (std::size_t q = 0; q < shared - std::min(shared, lo); ++q) o[q] += t[q];
        for (std::size_t q = shared > lo ? shared - lo : 0; q < count; ++q) o[q] = t[q];
      }
    }
  }
  return true;
}

} // namespace polybatch::kernels
