// Add with carry on 64-bit limbs, for the fixed-size limb arithmetic of
// the exact kernels.
#pragma once

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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

} // namespace polybatch::kernels::exact
