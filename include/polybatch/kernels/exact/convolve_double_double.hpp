// Convolution for pb::double_double: every coefficient is one
// double_double_dot accumulation (double_double_dot.hpp); short rows are
// vectorised across rows (convolve_double_double_simd.hpp, bit-identical to
// the scalar loop), the rest row by row. With POLYBATCH_COMPILED_KERNELS,
// the compiled library's copy.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <cstddef>

#include "polybatch/kernels/convolve.hpp"
#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/exact/convolve_double_double_simd.hpp"
#include "polybatch/kernels/exact/double_double_dot.hpp"
#include "polybatch/scalar/double_double.hpp"

namespace polybatch::kernels {

template <>
struct convolve_backend<double_double> {
  static void run(std::size_t rows, const double_double* a, std::size_t lda, std::size_t la, const double_double* b,
                  std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n,
                  double_double* out, std::size_t ldo, double_double& acc) {
    if constexpr (uses_compiled_kernels<double_double>)
      compiled::convolve_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
    else
      run_here(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, acc);
  }

  static void run_here(std::size_t rows, const double_double* a, std::size_t lda, std::size_t la,
                       const double_double* b, std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset,
                       std::size_t n, double_double* out, std::size_t ldo, double_double&) {
    std::size_t done = 0;
#if defined(POLYBATCH_DD_SIMD)
    if (la <= max_fixed_length && lb <= max_fixed_length)
      done = exact::convolve_dd_rows_simd_any(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
#endif
    for (std::size_t r = done; r < rows; ++r)
      exact::convolve_double_double_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * ldo);
  }
};

} // namespace polybatch::kernels
