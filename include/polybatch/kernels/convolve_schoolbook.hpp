// Vectorised schoolbook convolution of long rows for float and double:
// output coefficients in register chunks, b read from a zero-padded
// per-thread copy. Each output coefficient is summed over i in ascending
// order with the same batch operations whatever the window, tile or thread.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "polybatch/kernels/simd/fused_multiply_add.hpp"

namespace polybatch::kernels {

/// Output chunks of this many batches are accumulated in registers.
inline constexpr std::size_t schoolbook_chunk_batches = 4;

/// Scalars of zero padding on each side of b for schoolbook_row_padded.
template <class T>
constexpr std::size_t schoolbook_padding() {
  return schoolbook_chunk_batches * xsimd::batch<T>::size;
}

/// Coefficients [offset, offset + n) of the full product of a (length la)
/// and b (length lb), written to out[0, n). `bpad` points at b[0] inside a
/// buffer with schoolbook_padding<T>() zeros before and after it. Output is
/// computed in register chunks of 4 batches: per term one broadcast of
/// a[i], one unaligned load of b and one FMA per batch.
template <class T>
void schoolbook_row_padded(const T* a, std::size_t la, const T* bpad, std::size_t lb, std::size_t offset, std::size_t n,
                           T* out) {
  using batch = xsimd::batch<T>;
  constexpr std::size_t W = batch::size;
  constexpr std::size_t C = schoolbook_chunk_batches;
  constexpr std::size_t chunk = C * W;
  for (std::size_t k0 = 0; k0 < n; k0 += chunk) {
    const std::size_t j0 = offset + k0; // first full-product index of the chunk
    const std::size_t j1 = j0 + chunk;  // one past the last
    const std::size_t i_lo = j0 >= lb ? j0 - lb + 1 : 0;
    const std::size_t i_hi = std::min(la, j1); // exclusive
    batch acc[C];
    for (auto& x : acc) x = batch(T(0));
    for (std::size_t i = i_lo; i < i_hi; ++i) {
      const batch ai(a[i]);
      // b[j - i] for j in [j0, j1): may start up to chunk - 1 before b[0].
      const T* bj = bpad + j0 - i;
      for (std::size_t c = 0; c < C; ++c)
        acc[c] = simd::fused_multiply_add(ai, batch::load_unaligned(bj + c * W), acc[c]);
    }
    if (k0 + chunk <= n) {
      for (std::size_t c = 0; c < C; ++c) acc[c].store_unaligned(out + k0 + c * W);
    } else {
      alignas(batch::arch_type::alignment()) T tail[chunk];
      for (std::size_t c = 0; c < C; ++c) acc[c].store_aligned(tail + c * W);
      std::copy(tail, tail + (n - k0), out + k0);
    }
  }
}

/// A per-thread buffer reused across calls: it grows to the largest size
/// asked for and is never shrunk, so only the first long-row tile of a
/// thread allocates.
template <class T, int Tag>
T* thread_buffer(std::size_t count) {
  thread_local std::vector<T> buffer;
  if (buffer.size() < count) buffer.resize(count);
  return buffer.data();
}

/// Copies b (reversed if asked) into `pad` between zero margins; returns
/// the address of b[0] inside it. `pad` holds lb + 2 * schoolbook_padding.
template <class T>
const T* pad_row(const T* b, std::size_t lb, bool reverse, T* pad) {
  constexpr std::size_t P = schoolbook_padding<T>();
  std::fill_n(pad, P, T(0));
  if (reverse)
    std::reverse_copy(b, b + lb, pad + P);
  else
    std::copy_n(b, lb, pad + P);
  std::fill_n(pad + P + lb, P, T(0));
  return pad + P;
}

/// Coefficients [offset, offset + n) of a * b (b reversed if asked) for one
/// row, with a per-thread padded copy of b.
template <class T>
void schoolbook_row(const T* a, std::size_t la, const T* b, std::size_t lb, std::size_t offset, std::size_t n, T* out,
                    bool reverse_b = false) {
  T* pad = thread_buffer<T, 0>(lb + 2 * schoolbook_padding<T>());
  schoolbook_row_padded(a, la, pad_row(b, lb, reverse_b, pad), lb, offset, n, out);
}

} // namespace polybatch::kernels

namespace polybatch::kernels {

/// schoolbook over a tile of rows; a broadcast b (ldb = 0) is padded once.
template <class T>
void schoolbook_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                     std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  T* pad = thread_buffer<T, 0>(lb + 2 * schoolbook_padding<T>());
  const T* bp = nullptr;
  for (std::size_t r = 0; r < rows; ++r) {
    if (r == 0 || ldb != 0) bp = pad_row(b + r * ldb, lb, reverse_b, pad);
    schoolbook_row_padded(a + r * lda, la, bp, lb, offset, n, out + r * ldo);
  }
}

} // namespace polybatch::kernels
