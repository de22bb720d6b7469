// x * y + z with one rounding, always. xsimd 8.1 has FMA kernels for
// SSE/AVX with FMA3 but none for AVX-512: there xsimd::fma falls back to
// `x * y + z` and leaves fusing to the compiler's floating-point contraction,
// which GCC applies or not depending on the surrounding code (measured: the
// same group kernel fused in one code path and not in another, so rows
// differed in the last bit between the direct and staged paths). The kernels
// promise the same bits for a row whatever path computes it, so AVX-512
// batches use the FMA intrinsic; every other architecture goes to xsimd.
#pragma once

#include <type_traits>

#include <xsimd/xsimd.hpp>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace polybatch::kernels::simd {

template <class T, class A>
[[gnu::always_inline]] inline xsimd::batch<T, A>
fused_multiply_add(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& y, const xsimd::batch<T, A>& z) {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of_v<xsimd::avx512f, A> && std::is_same_v<T, float>)
    return _mm512_fmadd_ps(x, y, z);
  else if constexpr (std::is_base_of_v<xsimd::avx512f, A> && std::is_same_v<T, double>)
    return _mm512_fmadd_pd(x, y, z);
  else
#endif
    return xsimd::fma(x, y, z);
}

} // namespace polybatch::kernels::simd
