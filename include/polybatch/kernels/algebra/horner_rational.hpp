// Horner's rule for exact rationals over integers. In rational arithmetic
// each step r = r x + c_k normalises r by a gcd of numbers as long as r
// itself, so a row of n coefficients at an integer point costs O(n^3) digit
// operations (10,000 coefficients at x = 3: 6.6 s). Here the row is brought
// to one denominator D and the point x = p / q to integers: with N_k = c_k D,
//   sum c_k x^k = (sum N_k p^k q^(n-k)) / (D q^n),   n = len - 1,
// the sum by Horner's rule in integers (two products a step, no gcd), and one
// normalisation at the end: O(n^2).
#pragma once

#include <boost/multiprecision/number.hpp>
#include <cstddef>

#include "polybatch/scalar/convert.hpp"

namespace polybatch::kernels {

/// Boost rationals, which Horner's rule evaluates over integers here.
template <class T>
inline constexpr bool horner_over_integers = polybatch::detail::is_rational_scalar<T>;

/// out[r] = sum_k c[r * ldc + k] x[r * ldx]^k for r < rows, T a Boost
/// rational (cpp_rational, mpq_rational); len >= 1, ldc = 0 or ldx = 0
/// broadcasts one row or one point.
template <class T>
void horner_rows_rational(std::size_t rows, std::size_t len, const T* c, std::size_t ldc, const T* x, std::size_t ldx,
                          T* out) {
  using Int = typename boost::multiprecision::component_type<T>::type;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* row = c + r * ldc;
    const Int p = numerator(x[r * ldx]), q = denominator(x[r * ldx]);
    Int d = 1; // the row's common denominator
    for (std::size_t k = 0; k < len; ++k) {
      const Int dk = denominator(row[k]);
      if (dk != 1 && d % dk != 0) d = boost::multiprecision::lcm(d, dk);
    }
    const auto scaled = [&](std::size_t k) { return Int(numerator(row[k]) * (d / denominator(row[k]))); };
    Int acc = scaled(len - 1), q_power = 1; // q_power = q^(n - k) at step k
    for (std::size_t k = len - 1; k-- > 0;) {
      acc *= p;
      if (q != 1) q_power *= q;
      acc += q_power == 1 ? scaled(k) : Int(scaled(k) * q_power);
    }
    out[r] = T(acc, Int(d * q_power)); // normalised once
  }
}

} // namespace polybatch::kernels
