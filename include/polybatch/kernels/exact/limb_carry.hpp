// Add with carry and one row of a schoolbook product on 64-bit limbs, for
// the fixed-size limb arithmetic of the exact kernels.
#pragma once

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <cstddef>

#include "polybatch/core/int128.hpp"
#include "polybatch/kernels/exact/integer_access.hpp"

namespace polybatch::kernels::exact {

/// a + b + carry_in -> (sum, carry out). On x86-64 the intrinsic keeps the
/// chain in the carry flag: with __int128 sums g++ 12 spills every partial
/// sum to the stack (the unrolled 4 x 4 products ran 1.6x slower).
inline unsigned char add_with_carry(unsigned char carry, limb_t a, limb_t b, limb_t& sum) {
#if defined(__x86_64__)
  unsigned long long s = 0;
  const unsigned char c = _addcarry_u64(carry, a, b, &s);
  sum = static_cast<limb_t>(s);
  return c;
#else
  const uint128 t = static_cast<uint128>(a) + b + carry;
  sum = static_cast<limb_t>(t);
  return static_cast<unsigned char>(t >> 64);
#endif
}

/// acc[0, N] += x y[0, N), where the sum fits N + 1 limbs (no carry out):
/// the N products' low and high words added in two carry chains.
template <std::size_t N>
[[gnu::always_inline]] inline void add_row_product(limb_t* acc, limb_t x, const limb_t* y) {
  limb_t lo[N], hi[N], row[N + 1];
  for (std::size_t v = 0; v < N; ++v) {
    const uint128 t = static_cast<uint128>(x) * y[v];
    lo[v] = static_cast<limb_t>(t);
    hi[v] = static_cast<limb_t>(t >> 64);
  }
  row[0] = lo[0];
  unsigned char c = 0;
  for (std::size_t v = 1; v < N; ++v) c = add_with_carry(c, lo[v], hi[v - 1], row[v]);
  row[N] = hi[N - 1] + c; // x y < 2^(64 (N + 1)): no carry out
  c = 0;
  for (std::size_t v = 0; v <= N; ++v) c = add_with_carry(c, acc[v], row[v], acc[v]);
}

} // namespace polybatch::kernels::exact
