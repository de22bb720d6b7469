// The accumulation every double_double convolution uses for one output
// coefficient, sum_i x_i * y_i: the high parts' products are summed with
// error-free transformations (two_prod, two_sum) and every rounding error,
// with the cross terms x.hi y.lo + x.lo y.hi, goes into one plain double,
// added back once at the end (Ogita, Rump and Oishi's Dot2, extended to
// double-double operands). About 12 operations a term where a double_double
// multiply-then-add takes 27, with an error of a few units of 2^-106 times
// sum |x_i y_i| for the short rows it serves (docs/exact.md). The SIMD
// kernel runs the same operations in the same order, so its bits match.
#pragma once

#include <cmath>
#include <cstddef>

#include "polybatch/scalar/double_double.hpp"

namespace polybatch::kernels::exact {

struct double_double_dot {
  double s = 0.0; // sum of the rounded products x.hi * y.hi, exactly tracked
  double t = 0.0; // every error term, in one double

  /// x * y as p + c: p = x.hi * y.hi rounded, c its rounding error (by fma)
  /// plus the cross terms (x.lo * y.lo is below the result's last bit).
  static void product(const double_double& x, const double_double& y, double& p, double& c) {
    p = x.hi * y.hi;
    c = std::fma(x.hi, y.lo, std::fma(x.lo, y.hi, std::fma(x.hi, y.hi, -p)));
  }
  /// The first term: s = 0 needs no two_sum.
  void first_product(const double_double& x, const double_double& y) { product(x, y, s, t); }
  void add_product(const double_double& x, const double_double& y) {
    double p, c, f;
    product(x, y, p, c);
    dd_detail::two_sum(s, p, s, f);
    t += f + c;
  }
  /// s + t renormalised by one two_sum; s alone where it is not finite
  /// (s is the plain double sum of the products, what double arithmetic gives).
  double_double result() const { return double_double::from_parts(s, t); }
};

/// Coefficients offset .. offset + n - 1 of the product of one row pair,
/// terms in increasing index of a (the order the SIMD kernel uses).
inline void convolve_double_double_row(const double_double* a, std::size_t la, const double_double* b, std::size_t lb,
                                       bool reverse_b, std::size_t offset, std::size_t n, double_double* out) {
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = offset + k;
    const std::size_t lo = j >= lb ? j - lb + 1 : 0;
    const std::size_t hi = j < la ? j : la - 1;
    if (lo > hi) { // outside the full product
      out[k] = double_double(0.0);
      continue;
    }
    double_double_dot d;
    const auto b_at = [&](std::size_t i) -> const double_double& { return reverse_b ? b[lb - 1 - j + i] : b[j - i]; };
    d.first_product(a[lo], b_at(lo));
    for (std::size_t i = lo + 1; i <= hi; ++i) d.add_product(a[i], b_at(i));
    out[k] = d.result();
  }
}

} // namespace polybatch::kernels::exact
