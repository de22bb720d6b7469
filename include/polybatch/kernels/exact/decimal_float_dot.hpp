// Correctly rounded sums of products for Boost's decimal float
// (cpp_dec_float up to 16 limbs, so cpp_dec_float_50 and _100). A value is
// sum_k d[k] * 10^(exp - 8k) with base-10^8 limbs d[k] and exp a multiple of
// 8, so a product of two values is an integer convolution of their limbs
// placed at the sum of their limb exponents: a coefficient's terms add
// exactly into signed 64-bit columns (each column gets below 2^54 per limb
// product; max_terms * max_limbs products stay below 2^63), the carries
// are resolved once, and the sum is rounded once, to nearest even at the
// type's last limb. The naive loop instead normalises and rounds after
// every multiply and every add.
//
// Boost exposes the limbs only through the backend's serialization hook
// (`serialize(Archive&, unsigned)`, public); `fields` is an archive that
// records where each member lives instead of writing it anywhere. Sums
// whose terms spread over more than `max_spread` limbs, rows with a value
// that is not finite or has a reduced precision, and results near the
// exponent range's ends are left to the caller (the naive loop), so nothing
// here ever rounds twice or loses a term.
//
// The definitions are in decimal_float_dot_kernel.hpp, included here for
// the instruction set the translation unit is compiled for. A translation
// unit for plain x86-64 (no -mavx2, the compilers' default) includes them a
// second time compiled for AVX2 by target attributes, and the row frame
// takes that copy where the machine runs AVX2 (`avx2_by_attribute::runs_here`,
// which honours POLYBATCH_ARCH like the compiled library): the AVX2 limb
// products and carry passes are 1.6x the speed of the scalar ones, and
// header-only users rarely build with -march flags. The compiled library's
// per-target objects build one copy each, for their own flags.
#pragma once

#include <algorithm>
#include <boost/core/nvp.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && !defined(__AVX2__) &&                           \
    !defined(POLYBATCH_KERNEL_TARGET)
#define POLYBATCH_DECIMAL_AVX2_BY_ATTRIBUTE 1
#include "polybatch/core/isa.hpp"
#endif
#if defined(__AVX2__) || defined(__AVX512F__) || defined(POLYBATCH_DECIMAL_AVX2_BY_ATTRIBUTE)
#include <immintrin.h>
#endif

#include "polybatch/kernels/simd/avx2_lane_products.hpp"

namespace polybatch::kernels::exact::decimal_dot {

// The lane types and the accumulator's layout depend on the instruction set
// the translation unit is compiled for; the inline namespace gives each set
// its own names, so translation units built with different flags never
// share (and mix layouts in) one definition. FMA changes the carry passes
// of the AVX2 and AVX-512F copies (not their results), so it names its own.
#if defined(__AVX512F__) && defined(__AVX512DQ__)
inline namespace avx512dq {
#elif defined(__AVX512F__) && defined(__FMA__)
inline namespace avx512f_fma {
#elif defined(__AVX512F__)
inline namespace avx512f {
#elif defined(__AVX2__) && defined(__FMA__)
inline namespace avx2_fma {
#elif defined(__AVX2__)
inline namespace avx2 {
#else
inline namespace scalar {
#endif
#if defined(__AVX512F__) && defined(__AVX512DQ__)
#define POLYBATCH_DECIMAL_AVX512DQ 1
#else
#define POLYBATCH_DECIMAL_AVX512DQ 0
#endif
#if defined(__AVX512F__)
#define POLYBATCH_DECIMAL_AVX512F 1
#else
#define POLYBATCH_DECIMAL_AVX512F 0
#endif
#if defined(__AVX2__)
#define POLYBATCH_DECIMAL_AVX2 1
#else
#define POLYBATCH_DECIMAL_AVX2 0
#endif
#if defined(__FMA__)
#define POLYBATCH_DECIMAL_FMA 1
#else
#define POLYBATCH_DECIMAL_FMA 0
#endif
#define POLYBATCH_DECIMAL_TARGET_BEGIN
#define POLYBATCH_DECIMAL_TARGET_END
#include "polybatch/kernels/exact/decimal_float_dot_kernel.hpp"
#undef POLYBATCH_DECIMAL_AVX512DQ
#undef POLYBATCH_DECIMAL_AVX512F
#undef POLYBATCH_DECIMAL_AVX2
#undef POLYBATCH_DECIMAL_FMA
#undef POLYBATCH_DECIMAL_TARGET_BEGIN
#undef POLYBATCH_DECIMAL_TARGET_END
} // inline namespace

#if defined(POLYBATCH_DECIMAL_AVX2_BY_ATTRIBUTE)
/// The AVX2 copy of a plain x86-64 translation unit. Its functions carry
/// the target attribute, so nothing outside calls into it on a machine
/// without AVX2 as long as callers check `runs_here` first.
namespace avx2_by_attribute {
#define POLYBATCH_DECIMAL_AVX512DQ 0
#define POLYBATCH_DECIMAL_AVX512F 0
#define POLYBATCH_DECIMAL_AVX2 1
#define POLYBATCH_DECIMAL_FMA 1
#if defined(__clang__)
#define POLYBATCH_DECIMAL_TARGET_BEGIN                                                                                 \
  _Pragma("clang attribute push(__attribute__((target(\"avx2,fma\"))), apply_to = function)")
#define POLYBATCH_DECIMAL_TARGET_END _Pragma("clang attribute pop")
#else
#define POLYBATCH_DECIMAL_TARGET_BEGIN _Pragma("GCC push_options") _Pragma("GCC target(\"avx2,fma\")")
#define POLYBATCH_DECIMAL_TARGET_END _Pragma("GCC pop_options")
#endif
#include "polybatch/kernels/exact/decimal_float_dot_kernel.hpp"
#undef POLYBATCH_DECIMAL_AVX512DQ
#undef POLYBATCH_DECIMAL_AVX512F
#undef POLYBATCH_DECIMAL_AVX2
#undef POLYBATCH_DECIMAL_FMA
#undef POLYBATCH_DECIMAL_TARGET_BEGIN
#undef POLYBATCH_DECIMAL_TARGET_END

/// Whether this process takes the AVX2 copy: the machine runs AVX2 with FMA
/// and POLYBATCH_ARCH, if set, does not ask for sse2. Decided at the first
/// call; an invalid POLYBATCH_ARCH throws, as the compiled library does.
inline bool runs_here() {
  static const bool avx2 = isa_from_environment() != isa::sse2;
  return avx2;
}
} // namespace avx2_by_attribute
#endif

} // namespace polybatch::kernels::exact::decimal_dot
