// Convolution for pb::double_double: short rows vectorised across rows
// (convolve_double_double_simd.hpp, bit-identical to scalar), the remainder
// with the unrolled fixed-length kernels used for double, schoolbook for
// long rows. With POLYBATCH_COMPILED_KERNELS, the compiled library's copy.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <cstddef>

#include "polybatch/kernels/convolve.hpp"
#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/convolve_generic.hpp"
#include "polybatch/kernels/exact/convolve_double_double_simd.hpp"
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
                       std::size_t n, double_double* out, std::size_t ldo, double_double& acc) {
    if (la <= max_fixed_length && lb <= max_fixed_length) {
      std::size_t done = 0;
#if defined(POLYBATCH_DD_SIMD)
      done = exact::convolve_dd_rows_simd(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
#endif
      if (la <= max_unrolled_length && lb <= max_unrolled_length) {
        fixed_convolve_kernel<double_double>(la, lb, reverse_b)(rows - done, a + done * lda, lda, b + done * ldb, ldb,
                                                                offset, n, out + done * ldo, ldo);
        return;
      }
      a += done * lda;
      b += done * ldb;
      out += done * ldo;
      rows -= done;
    }
    for (std::size_t r = 0; r < rows; ++r)
      convolve_window_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * ldo, acc);
  }
};

} // namespace polybatch::kernels
