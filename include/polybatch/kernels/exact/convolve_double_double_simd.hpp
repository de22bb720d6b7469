// double_double convolution vectorised across rows: W = xsimd::batch<double>
// lanes hold W rows; each lane runs exactly the scalar accumulation of
// double_double_dot.hpp (two_sum, fma-based two_prod, one error sum), so
// results are bit-identical to the scalar kernel whatever the lane count or
// thread split. Built only
// where the target has AVX2 and a hardware FMA (an unfused fma would not be
// error-free).
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/exact/double_double_dot.hpp"
#include "polybatch/scalar/double_double.hpp"

#if defined(__FMA__) && defined(__AVX2__)
#include <xsimd/xsimd.hpp>
#define POLYBATCH_DD_SIMD 1
#endif

namespace polybatch::kernels::exact {

#if defined(POLYBATCH_DD_SIMD)

namespace dd_simd {

// fma3<avx2> explicitly: xsimd 8.1's AVX-512 fma is computed unfused
// (x * y rounded, then + z), which would break two_prod. (Eight AVX-512
// lanes, with the fused intrinsics, measured no faster: the kernel is
// bound by moving the rows in and out, not by arithmetic.)
using batch = xsimd::batch<double, xsimd::fma3<xsimd::avx2>>;
inline constexpr std::size_t lanes = batch::size;
static_assert(lanes == 4, "the register transposition below is written for four lanes");

struct lane_dd {
  batch hi, lo;
};

inline void two_sum(batch a, batch b, batch& s, batch& e) {
  s = a + b;
  const batch bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}
/// double_double::from_parts's rule for a non-finite sum s of the products:
/// that sum, with a zero low part (the error terms there are NaN).
inline void settle(batch s, batch& hi, batch& lo) {
  const batch zero(0.0);
  hi = xsimd::select((s - s) == zero, hi, s);
  lo = xsimd::select((hi - hi) == zero, lo, zero);
}
/// double_double_dot (double_double_dot.hpp) in W lanes: the same
/// operations in the same order.
struct lane_dot {
  batch s, t;
};
inline void product(const lane_dd& x, const lane_dd& y, batch& p, batch& c) {
  p = x.hi * y.hi;
  c = xsimd::fma(x.hi, y.lo, xsimd::fma(x.lo, y.hi, xsimd::fms(x.hi, y.hi, p)));
}
inline void first_product(lane_dot& d, const lane_dd& x, const lane_dd& y) { product(x, y, d.s, d.t); }
inline void add_product(lane_dot& d, const lane_dd& x, const lane_dd& y) {
  batch p, c, f;
  product(x, y, p, c);
  two_sum(d.s, p, d.s, f);
  d.t = d.t + (f + c);
}

/// Four rows' values of one coefficient (hi, lo pairs 16 bytes apart in
/// memory) as a hi and a lo vector, in registers: lane order (row 0, row 2,
/// row 1, row 3), which store_rows undoes. (Through a stack buffer, every
/// vector load waited on four scalar stores.)
inline lane_dd load_rows(const double_double* r0, const double_double* r1, const double_double* r2,
                         const double_double* r3) {
  const __m256d x01 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(&r0->hi)), _mm_loadu_pd(&r1->hi), 1);
  const __m256d x23 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(&r2->hi)), _mm_loadu_pd(&r3->hi), 1);
  return {batch(_mm256_unpacklo_pd(x01, x23)), batch(_mm256_unpackhi_pd(x01, x23))};
}
inline void store_rows(batch hi, batch lo, double_double* r0, double_double* r1, double_double* r2, double_double* r3) {
  const __m256d x01 = _mm256_unpacklo_pd(hi, lo); // rows 0 and 1
  const __m256d x23 = _mm256_unpackhi_pd(hi, lo); // rows 2 and 3
  _mm_storeu_pd(&r0->hi, _mm256_castpd256_pd128(x01));
  _mm_storeu_pd(&r1->hi, _mm256_extractf128_pd(x01, 1));
  _mm_storeu_pd(&r2->hi, _mm256_castpd256_pd128(x23));
  _mm_storeu_pd(&r3->hi, _mm256_extractf128_pd(x23, 1));
}

} // namespace dd_simd

/// Rows [0, rows - rows % lanes) of a short convolution (la, lb <=
/// max_fixed_length) in SIMD; returns how many rows it did. LA and LB, when
/// not zero, are la and lb known at compile time: the loops unroll and the
/// accumulators stay in registers (with run-time lengths they live on the
/// stack, a load and a store per term).
template <std::size_t LA = 0, std::size_t LB = 0>
std::size_t convolve_dd_rows_simd(std::size_t rows, const double_double* a, std::size_t lda, std::size_t la_runtime,
                                  const double_double* b, std::size_t ldb, std::size_t lb_runtime, bool reverse_b,
                                  std::size_t offset, std::size_t n, double_double* out, std::size_t ldo) {
  using namespace dd_simd;
  constexpr std::size_t M = LA != 0 ? LA : max_fixed_length;
  constexpr std::size_t N = LB != 0 ? LB : max_fixed_length;
  const std::size_t la = LA != 0 ? LA : la_runtime;
  const std::size_t lb = LB != 0 ? LB : lb_runtime;
  const std::size_t done = rows - rows % lanes;
  lane_dd av[M], bv[N];
  lane_dot acc[M + N - 1];
  auto load = [&](const double_double* x, std::size_t ld, std::size_t r0, std::size_t k) -> lane_dd {
    const double_double* p = x + r0 * ld + k;
    return load_rows(p, p + ld, p + 2 * ld, p + 3 * ld);
  };
  for (std::size_t r0 = 0; r0 < done; r0 += lanes) {
    for (std::size_t i = 0; i < la; ++i) av[i] = load(a, lda, r0, i);
    for (std::size_t j = 0; j < lb; ++j) bv[j] = load(b, ldb, r0, reverse_b ? lb - 1 - j : j);
    // Coefficient k's terms in increasing i: the first is (0, k) for k < lb,
    // (k - lb + 1, lb - 1) after.
    for (std::size_t j = 0; j < lb; ++j) first_product(acc[j], av[0], bv[j]);
    for (std::size_t i = 1; i < la; ++i) {
      for (std::size_t j = 0; j + 1 < lb; ++j) add_product(acc[i + j], av[i], bv[j]);
      first_product(acc[i + lb - 1], av[i], bv[lb - 1]);
    }
    double_double* o = out + r0 * ldo;
    for (std::size_t k = 0; k < n; ++k) {
      batch hi, lo;
      two_sum(acc[offset + k].s, acc[offset + k].t, hi, lo);
      settle(acc[offset + k].s, hi, lo);
      store_rows(hi, lo, o + k, o + ldo + k, o + 2 * ldo + k, o + 3 * ldo + k);
    }
  }
  return done;
}

namespace dd_simd {
using rows_fn = std::size_t (*)(std::size_t, const double_double*, std::size_t, std::size_t, const double_double*,
                                std::size_t, std::size_t, bool, std::size_t, std::size_t, double_double*, std::size_t);
template <std::size_t... Idx>
constexpr auto make_fixed_table(std::index_sequence<Idx...>) {
  return std::array<rows_fn, sizeof...(Idx)>{
      &convolve_dd_rows_simd<Idx / max_unrolled_length + 1, Idx % max_unrolled_length + 1>...};
}
} // namespace dd_simd

/// convolve_dd_rows_simd with the lengths unrolled where both are at most
/// max_unrolled_length (as the double kernels: one table lookup per tile).
inline std::size_t convolve_dd_rows_simd_any(std::size_t rows, const double_double* a, std::size_t lda, std::size_t la,
                                             const double_double* b, std::size_t ldb, std::size_t lb, bool reverse_b,
                                             std::size_t offset, std::size_t n, double_double* out, std::size_t ldo) {
  static constexpr auto fixed =
      dd_simd::make_fixed_table(std::make_index_sequence<max_unrolled_length * max_unrolled_length>{});
  if (la >= 1 && lb >= 1 && la <= max_unrolled_length && lb <= max_unrolled_length)
    return fixed[(la - 1) * max_unrolled_length + (lb - 1)](rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out,
                                                            ldo);
  return convolve_dd_rows_simd(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
}

#endif

} // namespace polybatch::kernels::exact
