// Low 64 bits of lane products with AVX2, which has no 64-bit lane product
// (AVX-512DQ's vpmullq): formed from the 32-bit products vpmuludq gives.
// Always inlined: translation units built for different instruction sets
// include this, and no out-of-line copy of one may serve another. A plain
// x86-64 translation unit gets them too, for AVX2 by target attribute, for
// its kernels compiled for AVX2 that way (decimal_float_dot.hpp).
#pragma once

#if defined(__AVX2__)
#include <immintrin.h>
#define POLYBATCH_AVX2_LANE_FUNCTION [[gnu::always_inline]] inline
#elif (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#define POLYBATCH_AVX2_LANE_FUNCTION [[gnu::always_inline, gnu::target("avx2")]] inline
#endif

#if defined(POLYBATCH_AVX2_LANE_FUNCTION)

namespace polybatch::kernels::simd {

/// x * y mod 2^64 in each lane; y_high holds y >> 32 (a broadcast caller
/// forms it once for many products). Three 32-bit products.
POLYBATCH_AVX2_LANE_FUNCTION __m256i multiply_lanes(__m256i x, __m256i y, __m256i y_high) {
  const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), y), _mm256_mul_epu32(x, y_high));
  return _mm256_add_epi64(_mm256_mul_epu32(x, y), _mm256_slli_epi64(cross, 32));
}

/// x * small mod 2^64 in each lane, for small < 2^32: two 32-bit products.
POLYBATCH_AVX2_LANE_FUNCTION __m256i multiply_lanes_by_word(__m256i x, __m256i small) {
  return _mm256_add_epi64(_mm256_mul_epu32(x, small),
                          _mm256_slli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), small), 32));
}

} // namespace polybatch::kernels::simd
#endif // POLYBATCH_AVX2_LANE_FUNCTION
