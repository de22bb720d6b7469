// double_double convolution vectorised across rows: W = xsimd::batch<double>
// lanes hold W rows; each lane runs exactly the scalar double_double
// arithmetic (two_sum, fma-based two_prod), so results are bit-identical to
// the scalar kernel whatever the lane count or thread split. Built only
// where the target has AVX2 and a hardware FMA (an unfused fma would not be
// error-free).
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <cstddef>

#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/scalar/double_double.hpp"

#if defined(__FMA__) && defined(__AVX2__)
#include <xsimd/xsimd.hpp>
#define POLYBATCH_DD_SIMD 1
#endif

namespace polybatch::kernels::exact {

#if defined(POLYBATCH_DD_SIMD)

namespace dd_simd {

// fma3<avx2> explicitly: xsimd 8.1's AVX-512 fma is computed unfused
// (x * y rounded, then + z), which would break two_prod.
using batch = xsimd::batch<double, xsimd::fma3<xsimd::avx2>>;
inline constexpr std::size_t lanes = batch::size;

struct lane_dd {
  batch hi, lo;
};

inline void two_sum(batch a, batch b, batch& s, batch& e) {
  s = a + b;
  const batch bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}
inline void quick_two_sum(batch a, batch b, batch& s, batch& e) {
  s = a + b;
  e = b - (s - a);
}
/// acc += x * y, the same operations as double_double's *= then +=.
inline void multiply_add(lane_dd& acc, const lane_dd& x, const lane_dd& y) {
  batch p1 = x.hi * y.hi;
  batch p2 = xsimd::fms(x.hi, y.hi, p1);
  p2 = xsimd::fma(x.hi, y.lo, xsimd::fma(x.lo, y.hi, p2));
  batch ph, pl;
  quick_two_sum(p1, p2, ph, pl);
  batch s1, s2, t1, t2;
  two_sum(acc.hi, ph, s1, s2);
  two_sum(acc.lo, pl, t1, t2);
  s2 = s2 + t1;
  quick_two_sum(s1, s2, s1, s2);
  s2 = s2 + t2;
  quick_two_sum(s1, s2, acc.hi, acc.lo);
}

} // namespace dd_simd

/// Rows [0, rows - rows % lanes) of a short convolution (la, lb <=
/// max_fixed_length) in SIMD; returns how many rows it did. Operands are
/// transposed lane-wise into small stack arrays first.
inline std::size_t convolve_dd_rows_simd(std::size_t rows, const double_double* a, std::size_t lda, std::size_t la,
                                         const double_double* b, std::size_t ldb, std::size_t lb, bool reverse_b,
                                         std::size_t offset, std::size_t n, double_double* out, std::size_t ldo) {
  using namespace dd_simd;
  constexpr std::size_t M = max_fixed_length;
  const std::size_t full = la + lb - 1;
  const std::size_t done = rows - rows % lanes;
  alignas(64) double buf_hi[lanes], buf_lo[lanes];
  lane_dd av[M], bv[M], acc[2 * M - 1];
  auto load = [&](const double_double* x, std::size_t ld, std::size_t r0, std::size_t k) -> lane_dd {
    for (std::size_t l = 0; l < lanes; ++l) {
      const double_double& v = x[(r0 + l) * ld + k];
      buf_hi[l] = v.hi;
      buf_lo[l] = v.lo;
    }
    return {batch::load_aligned(buf_hi), batch::load_aligned(buf_lo)};
  };
  for (std::size_t r0 = 0; r0 < done; r0 += lanes) {
    for (std::size_t i = 0; i < la; ++i) av[i] = load(a, lda, r0, i);
    for (std::size_t j = 0; j < lb; ++j) bv[j] = load(b, ldb, r0, reverse_b ? lb - 1 - j : j);
    for (std::size_t k = 0; k < full; ++k) acc[k] = {batch(0.0), batch(0.0)};
    for (std::size_t i = 0; i < la; ++i)
      for (std::size_t j = 0; j < lb; ++j) multiply_add(acc[i + j], av[i], bv[j]);
    for (std::size_t k = 0; k < n; ++k) {
      acc[offset + k].hi.store_aligned(buf_hi);
      acc[offset + k].lo.store_aligned(buf_lo);
      for (std::size_t l = 0; l < lanes; ++l) {
        out[(r0 + l) * ldo + k].hi = buf_hi[l];
        out[(r0 + l) * ldo + k].lo = buf_lo[l];
      }
    }
  }
  return done;
}

#endif

} // namespace polybatch::kernels::exact
