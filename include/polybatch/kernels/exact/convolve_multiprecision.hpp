// convolve_backend for every boost::multiprecision::number: unbounded
// integers with limb access take the exact width-selecting kernel, known
// rationals the common-denominator kernel, floating types the in-place
// accumulation kernel (cpp_dec_float_50 and _100 the compiled library's
// copy of it, with POLYBATCH_COMPILED_KERNELS); anything else the schoolbook
// kernel.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <boost/multiprecision/number.hpp>
#include <cstddef>

#include "polybatch/kernels/compiled_decimal.hpp"
#include "polybatch/kernels/convolve.hpp"
#include "polybatch/kernels/convolve_generic.hpp"
#include "polybatch/kernels/exact/convolve_float.hpp"
#include "polybatch/kernels/exact/convolve_integer.hpp"
#include "polybatch/kernels/exact/convolve_rational.hpp"
#include "polybatch/kernels/exact/cpp_int_word_ops.hpp"
#include "polybatch/kernels/exact/integer_power.hpp"
#include "polybatch/scalar/multiprecision.hpp"

namespace polybatch::kernels {

template <class Backend, boost::multiprecision::expression_template_option ET>
struct convolve_backend<boost::multiprecision::number<Backend, ET>> {
  using T = boost::multiprecision::number<Backend, ET>;
  using traits = scalar_traits<T>;

  static void run(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                  std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo, T& acc) {
    if constexpr (traits::is_unbounded_integer && exact::integer_access<T>::available) {
      exact::convolve_integer_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
    } else if constexpr (traits::is_rational && exact::rational_access<T>::available) {
      exact::convolve_rational_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
    } else if constexpr (uses_compiled_decimal<T>) {
      compiled::convolve_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
    } else if constexpr (traits::is_floating) {
      exact::convolve_float_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
    } else {
      for (std::size_t r = 0; r < rows; ++r)
        convolve_window_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * ldo, acc);
    }
  }
};

} // namespace polybatch::kernels
