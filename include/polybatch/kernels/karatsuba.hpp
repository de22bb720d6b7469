// Karatsuba multiplication of long rows for float and double, for lengths
// where it beats the vectorised schoolbook (kernels/convolve_schoolbook.hpp).
// Rows of unequal length are cut into blocks of the shorter length. The full
// product is formed in a per-thread workspace and the requested window copied
// out. Accuracy: like schoolbook, each coefficient is a sum of products with
// rounding errors bounded by a small multiple of u * sum_i |a_i| |b_(j-i)|,
// the multiple growing by about a factor 3 per recursion level (about 5
// levels at length 4096 with the base case below); measured errors are in
// docs/performance.md.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/kernels/convolve_schoolbook.hpp"

namespace polybatch::kernels {

/// Below this length the schoolbook kernel does the work (measured).
inline constexpr std::size_t karatsuba_base_length = 32;
/// Rows whose shorter operand has at least this many coefficients use
/// Karatsuba (measured crossover; see docs/performance.md).
inline constexpr std::size_t karatsuba_threshold = 32;

/// Workspace scalars needed by karatsuba_square for length n.
constexpr std::size_t karatsuba_workspace(std::size_t n) { return 8 * n + 64; }

/// out[0, 2n - 1) = a * b for two rows of length n. `work` holds
/// karatsuba_workspace(n) scalars. out must not overlap a, b or work.
template <class T>
void karatsuba_square(const T* a, const T* b, std::size_t n, T* out, T* work) {
  if (n <= karatsuba_base_length) {
    schoolbook_row(a, n, b, n, 0, 2 * n - 1, out);
    return;
  }
  const std::size_t m = n / 2; // low halves a0, b0 of length m
  const std::size_t k = n - m; // high halves a1, b1 of length k >= m
  // z0 = a0 b0 into out[0, 2m - 1), z2 = a1 b1 into out[2m, 2n - 1).
  karatsuba_square(a, b, m, out, work);
  out[2 * m - 1] = T(0);
  karatsuba_square(a + m, b + m, k, out + 2 * m, work);
  // z1 = (a0 + a1)(b0 + b1) - z0 - z2, added at x^m.
  T* sa = work;
  T* sb = work + k;
  T* z1 = work + 2 * k;
  for (std::size_t i = 0; i < k; ++i) {
    sa[i] = i < m ? T(a[m + i] + a[i]) : a[m + i];
    sb[i] = i < m ? T(b[m + i] + b[i]) : b[m + i];
  }
  karatsuba_square(sa, sb, k, z1, work + 4 * k);
  for (std::size_t i = 0; i < 2 * m - 1; ++i) z1[i] -= out[i];
  for (std::size_t i = 0; i < 2 * k - 1; ++i) z1[i] -= out[2 * m + i];
  for (std::size_t i = 0; i < 2 * k - 1; ++i) out[m + i] += z1[i];
}

/// out[0, la + lb - 1) = a * b for any lengths: the longer row is cut into
/// blocks of the shorter length (the last block zero-padded), each block
/// multiplied by Karatsuba. `work` holds karatsuba_rows_workspace(la, lb).
template <class T>
void karatsuba_full(const T* a, std::size_t la, const T* b, std::size_t lb, T* out, T* work) {
  if (la < lb) {
    std::swap(a, b);
    std::swap(la, lb);
  }
  const std::size_t full = la + lb - 1;
  std::fill_n(out, full, T(0));
  T* block = work;             // a zero-padded block of a
  T* product = work + lb;      // 2 lb - 1
  T* inner = product + 2 * lb; // karatsuba_workspace(lb)
  for (std::size_t start = 0; start < la; start += lb) {
    const std::size_t len = std::min(lb, la - start);
    const T* src = a + start;
    if (len < lb) {
      std::copy_n(src, len, block);
      std::fill(block + len, block + lb, T(0));
      src = block;
    }
    karatsuba_square(src, b, lb, product, inner);
    const std::size_t count = std::min(2 * lb - 1, full - start);
    for (std::size_t i = 0; i < count; ++i) out[start + i] += product[i];
  }
}

constexpr std::size_t karatsuba_full_workspace(std::size_t la, std::size_t lb) {
  const std::size_t s = std::min(la, lb);
  return 3 * s + karatsuba_workspace(s);
}

/// Window [offset, offset + n) of a (*) b for a tile of rows, through
/// Karatsuba. Workspace: a per-thread buffer that grows to the largest
/// lengths seen and is then reused (the first long-row tile of a thread
/// allocates, later ones do not).
template <class T>
void karatsuba_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                    std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  const std::size_t full = la + lb - 1;
  T* buffer = thread_buffer<T, 1>(full + lb + karatsuba_full_workspace(la, lb));
  T* product = buffer;
  T* reversed = buffer + full;
  T* work = reversed + lb;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* br = b + r * ldb;
    if (reverse_b) {
      std::reverse_copy(br, br + lb, reversed);
      br = reversed;
    }
    karatsuba_full(a + r * lda, la, br, lb, product, work);
    std::copy_n(product + offset, n, out + r * ldo);
  }
}

} // namespace polybatch::kernels
