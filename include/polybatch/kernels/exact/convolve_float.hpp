// Convolution for Boost.Multiprecision floating types (cpp_bin_float_quad,
// float128, mpfr_float, cpp_dec_float_50, ...): each term is multiplied into
// one reused product value and added into one reused accumulator at the
// backend level, so no temporary is created per term (et_off types would
// otherwise build one per `acc += a * b`). Variable-precision numbers work at
// the largest precision found among the tile's operands and accumulate with
// one fused multiply-add per term (mpfr_fma), as Boost does for `acc += a * b`.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <boost/multiprecision/number.hpp>
#include <cstddef>

#include "polybatch/scalar/multiprecision.hpp"

namespace polybatch::kernels::exact {

/// The operand value of the tile with the largest run-time precision (the
/// first value for fixed-precision types).
template <class T>
const T& most_precise(const T* a, std::size_t lda, std::size_t rows_a, std::size_t la, const T* b, std::size_t ldb,
                      std::size_t rows_b, std::size_t lb) {
  const T* best = a;
  if constexpr (has_runtime_precision<T>) {
    auto scan = [&](const T* x, std::size_t ld, std::size_t nrows, std::size_t len) {
      for (std::size_t r = 0; r < nrows; ++r)
        for (std::size_t k = 0; k < len; ++k)
          if (x[r * ld + k].precision() > best->precision()) best = &x[r * ld + k];
    };
    scan(a, lda, rows_a, la);
    scan(b, ldb, rows_b, lb);
  } else {
    (void)lda, (void)rows_a, (void)la, (void)b, (void)ldb, (void)rows_b, (void)lb;
  }
  return *best;
}

template <class T>
void convolve_float_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                         std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  using boost::multiprecision::default_ops::eval_add;
  using boost::multiprecision::default_ops::eval_multiply;
  using boost::multiprecision::default_ops::eval_multiply_add;
  const T& like = most_precise(a, lda, lda ? rows : 1, la, b, ldb, ldb ? rows : 1, lb);
  T acc = scalar_traits<T>::zero_like(like);
  T product = scalar_traits<T>::zero_like(like);
  const T zero = scalar_traits<T>::zero_like(like);
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    const T* br = b + r * ldb;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t j = offset + k;
      const std::size_t lo = j >= lb ? j - lb + 1 : 0;
      const std::size_t hi = std::min(j, la - 1);
      acc.backend() = zero.backend();
      for (std::size_t i = lo; i <= hi; ++i) {
        const T& bj = reverse_b ? br[lb - 1 - j + i] : br[j - i];
        if constexpr (has_runtime_precision<T>) {
          // mpfr: one fused multiply-add (mpfr_fma), as Boost evaluates
          // `acc += a * b`; one rounding per term.
          eval_multiply_add(acc.backend(), ar[i].backend(), bj.backend());
        } else {
          eval_multiply(product.backend(), ar[i].backend(), bj.backend());
          eval_add(acc.backend(), product.backend());
        }
      }
      out[r * ldo + k] = acc;
    }
  }
}

} // namespace polybatch::kernels::exact
