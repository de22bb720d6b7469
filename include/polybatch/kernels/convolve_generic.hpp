// Schoolbook row convolution for any scalar and any length, computing only a
// window of the full product (truncated series, numpy modes).
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <cstddef>

namespace polybatch::kernels {

/// out[k] = sum_i a[i] * b'[offset + k - i] for k < n, with b' = b, or b
/// reversed when `reverse_b` (correlation). `acc` is caller-owned scratch so
/// that multiprecision accumulation reuses one value's storage.
template <class T>
void convolve_window_row(const T* a, std::size_t la, const T* b, std::size_t lb, bool reverse_b, std::size_t offset,
                         std::size_t n, T* out, T& acc) {
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = offset + k;
    const std::size_t lo = j >= lb ? j - lb + 1 : 0;
    const std::size_t hi = std::min(j, la - 1);
    acc = T(0);
    if (reverse_b) {
      // b'[j - i] = b[lb - 1 - j + i]
      for (std::size_t i = lo; i <= hi; ++i) acc += a[i] * b[lb - 1 - j + i];
    } else {
      for (std::size_t i = lo; i <= hi; ++i) acc += a[i] * b[j - i];
    }
    out[k] = acc;
  }
}

} // namespace polybatch::kernels
