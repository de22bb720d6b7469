// The unit lane-parallel kernels compute with: one vector register of float
// or double lanes (GNU vector extensions, g++ and clang), or one scalar for
// other types. Written out because plain lane loops with selects do not
// vectorise without AVX-512: g++ keeps a division or a square root under
// the select's condition and, as those may trap, leaves the loop scalar
// (3x slower for the root iterations on AVX2), and AVX2 has no vector
// int64 <-> double conversion. Selections are bit masks, so nothing is
// computed conditionally; the same template code runs on ScalarOps and
// PackOps and gives the same values lane by lane.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "polybatch/kernels/roots/fast_math.hpp"
#include "polybatch/kernels/simd_bytes.hpp"

namespace polybatch::kernels {

/// One lane: bool masks, the standard functions.
template <class T>
struct ScalarOps {
  using pack = T;
  using mask = bool;
  using ubits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
  static constexpr std::size_t lanes = 1;
  static pack load(const T* p) { return *p; }
  static void store(T* p, pack v) { *p = v; }
  static pack splat(T x) { return x; }
  static pack select(mask m, pack a, pack b) { return m ? a : b; }
  static mask both(mask a, mask b) { return a && b; }
  /// a < b ? a : b and a > b ? a : b (b where either is NaN), as the
  /// vector instructions give them.
  static pack min(pack a, pack b) { return a < b ? a : b; }
  static pack max(pack a, pack b) { return a > b ? a : b; }
  static pack abs(pack x) { return std::fabs(x); }
  static pack sqrt_nonnegative(pack x) { return roots::sqrt_nonnegative(x); }
  /// The correctly rounded square root (x >= 0).
  static pack sqrt(pack x) { return std::sqrt(x); }
  static T sum(pack x) { return x; }
  /// The IEEE bits (float and double only).
  static ubits to_bits(pack x) { return std::bit_cast<ubits>(x); }
  static pack from_bits(ubits b) { return std::bit_cast<pack>(b); }
};

template <class T>
struct PackOps : ScalarOps<T> {};

template <class T>
requires(std::is_same_v<T, float> || std::is_same_v<T, double>) struct PackOps<T> {
  typedef T pack __attribute__((vector_size(simd_bytes)));
  using mask = decltype(pack{} < pack{});
  using bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
  typedef bits ubits __attribute__((vector_size(simd_bytes)));
  static constexpr std::size_t lanes = simd_bytes / sizeof(T);

  static pack load(const T* p) {
    pack v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(T* p, pack v) { std::memcpy(p, &v, sizeof v); }
  static pack splat(T x) { return pack{} + x; }
  static pack select(mask m, pack a, pack b) { return (pack)((m & (mask)a) | (~m & (mask)b)); }
  static mask both(mask a, mask b) { return a & b; }
  /// a < b ? a : b and a > b ? a : b (b where either is NaN), one
  /// instruction each where there is one (a select is two or three); the
  /// masked AVX-512 forms for the reason given at sqrt.
  static pack min(pack a, pack b) { return extremum<true>(a, b); }
  static pack max(pack a, pack b) { return extremum<false>(a, b); }
  template <bool Min>
  static pack extremum(pack a, pack b) {
#if defined(__AVX512F__)
    if constexpr (sizeof(pack) == 64 && sizeof(T) == 8)
      return (pack)(Min ? _mm512_maskz_min_pd(__mmask8(0xff), (__m512d)a, (__m512d)b)
                        : _mm512_maskz_max_pd(__mmask8(0xff), (__m512d)a, (__m512d)b));
    if constexpr (sizeof(pack) == 64 && sizeof(T) == 4)
      return (pack)(Min ? _mm512_maskz_min_ps(__mmask16(0xffff), (__m512)a, (__m512)b)
                        : _mm512_maskz_max_ps(__mmask16(0xffff), (__m512)a, (__m512)b));
#endif
#if defined(__AVX__)
    if constexpr (sizeof(pack) == 32 && sizeof(T) == 8)
      return (pack)(Min ? _mm256_min_pd((__m256d)a, (__m256d)b) : _mm256_max_pd((__m256d)a, (__m256d)b));
    if constexpr (sizeof(pack) == 32 && sizeof(T) == 4)
      return (pack)(Min ? _mm256_min_ps((__m256)a, (__m256)b) : _mm256_max_ps((__m256)a, (__m256)b));
#endif
#if defined(__SSE2__)
    if constexpr (sizeof(pack) == 16 && sizeof(T) == 8)
      return (pack)(Min ? _mm_min_pd((__m128d)a, (__m128d)b) : _mm_max_pd((__m128d)a, (__m128d)b));
    if constexpr (sizeof(pack) == 16 && sizeof(T) == 4)
      return (pack)(Min ? _mm_min_ps((__m128)a, (__m128)b) : _mm_max_ps((__m128)a, (__m128)b));
#endif
    return Min ? select(a < b, a, b) : select(a > b, a, b);
  }
  static pack abs(pack x) {
    const ubits magnitude = ubits{} + (std::numeric_limits<bits>::max() >> 1);
    return (pack)((ubits)x & magnitude);
  }
  /// roots::sqrt_nonnegative, lane by lane, with the same steps and result.
  static pack sqrt_nonnegative(pack x) {
    constexpr bits magic = sizeof(T) == 8 ? bits(0x5FE6EB50C7B537A9ull) : bits(0x5F375A86u);
    const mask usable = (x >= std::numeric_limits<T>::min()) & (x <= std::numeric_limits<T>::max());
    const pack one = splat(T(1));
    const pack xs = select(usable, x, one);
    pack y = (pack)((ubits{} + magic) - ((ubits)xs >> 1));
    const int steps = sizeof(T) == 8 ? 4 : 3;
    for (int i = 0; i < steps; ++i) y = y * (T(1.5) - T(0.5) * xs * y * y);
    const pack r = xs * y;
    return select(usable, r, select(x > one, x, pack{}));
  }
  /// The correctly rounded square root, lane by lane (x >= 0): the
  /// instruction, as std::sqrt in a lane loop does not vectorise (errno).
  static pack sqrt(pack x) {
#if defined(__AVX512F__)
    // The masked forms: g++ 12's _mm512_sqrt_pd reads an undefined vector,
    // which -Wuninitialized reports.
    if constexpr (sizeof(T) == 8)
      return (pack)_mm512_maskz_sqrt_pd(__mmask8(0xff), (__m512d)x);
    else
      return (pack)_mm512_maskz_sqrt_ps(__mmask16(0xffff), (__m512)x);
#elif defined(__AVX__)
    if constexpr (sizeof(T) == 8)
      return (pack)_mm256_sqrt_pd((__m256d)x);
    else
      return (pack)_mm256_sqrt_ps((__m256)x);
#elif defined(__SSE2__)
    if constexpr (sizeof(T) == 8)
      return (pack)_mm_sqrt_pd((__m128d)x);
    else
      return (pack)_mm_sqrt_ps((__m128)x);
#else
    pack r;
    for (std::size_t l = 0; l < lanes; ++l) r[l] = std::sqrt(x[l]);
    return r;
#endif
  }
  static T sum(pack x) {
    T s = T(0);
    for (std::size_t l = 0; l < lanes; ++l) s += x[l];
    return s;
  }
  static ubits to_bits(pack x) { return (ubits)x; }
  static pack from_bits(ubits b) { return (pack)b; }
};

} // namespace polybatch::kernels
