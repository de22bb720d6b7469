// compose(a, b) = a(b(x)) for one row of built-in integers in 128 bits: the
// retry of a row whose Horner steps leave T although the composition itself
// may fit (a partial value of Horner's rule can be far larger than the
// result: (y - 2^21)^3 at y = x + 2^21 is x^3, with a step holding 2^63).
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "polybatch/kernels/checked_integer.hpp"

namespace polybatch::kernels {

/// Coefficients 0 .. n - 1 of a(b(x)) (a of length la >= 2, b's first nb
/// coefficients) into out; every step checked in 128 bits. A step that
/// leaves 128 bits, or a coefficient that does not fit T, throws
/// tile_overflow naming `row` (the tile's row).
template <class T>
void wide_compose_row(const T* a, std::size_t la, const T* b, std::size_t nb, std::size_t n, T* out, std::size_t row) {
  using W = wide_accumulator<T>;
  constexpr const char* operation = "compose(a, b)";
  constexpr const char* beyond = "a partial value of Horner's rule passes 128 bits";
  std::vector<W> cur(n), next(n);
  cur[0] = W(a[la - 1]);
  std::size_t len = 1;
  for (std::size_t i = la - 1; i-- > 0;) {
    const std::size_t m = std::min(n, len + nb - 1);
    for (std::size_t k = 0; k < m; ++k) {
      W sum = 0;
      for (std::size_t j = k >= nb ? k - nb + 1 : 0; j <= std::min(k, len - 1); ++j) {
        W term;
        if (__builtin_mul_overflow(cur[j], W(b[k - j]), &term) || __builtin_add_overflow(sum, term, &sum))
          throw tile_overflow{operation, row, k, beyond};
      }
      next[k] = sum;
    }
    if (__builtin_add_overflow(next[0], W(a[i]), &next[0])) throw tile_overflow{operation, row, 0, beyond};
    std::swap(cur, next);
    len = m;
  }
  for (std::size_t k = 0; k < n; ++k) out[k] = k < len ? checked_narrow<T>(cur[k], operation, row, k) : T(0);
}

} // namespace polybatch::kernels
