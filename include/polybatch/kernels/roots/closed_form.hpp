// Roots of degree 1 and 2 in closed form, as accurate as Aberth's iteration:
// the linear root is one rounding; the quadratic uses the cancellation-free
// pair q = -(b + sign(b) sqrt(d)) / 2, x1 = q / a, x2 = c / q and a
// discriminant with its products' rounding errors recovered by fma (Kahan).
#pragma once

#include <cmath>
#include <complex>

namespace polybatch::kernels::roots {

/// Root of c0 + c1 x (c1 != 0).
template <class T>
std::complex<T> linear_root(T c0, T c1) {
  return {-c0 / c1, T(0)};
}

/// b^2 - 4ac with the two products' rounding errors added back.
template <class T>
T discriminant(T a, T b, T c) {
  const T p = b * b;
  const T q = T(4) * a * c;
  const T dp = std::fma(b, b, -p);
  const T dq = std::fma(T(4) * a, c, -q);
  return (p - q) + (dp - dq);
}

/// Roots of c0 + c1 x + c2 x^2 (c0 != 0, c2 != 0; magnitudes scaled to
/// about 1 so that nothing overflows), written to out[0], out[1].
template <class T>
void quadratic_roots(T c0, T c1, T c2, std::complex<T>* out) {
  const T d = discriminant(c2, c1, c0);
  if (d >= T(0)) {
    const T q = -(c1 + std::copysign(std::sqrt(d), c1)) / T(2);
    out[0] = {q / c2, T(0)};
    out[1] = {c0 / q, T(0)};
  } else {
    const T re = -c1 / (T(2) * c2);
    const T im = std::sqrt(-d) / (T(2) * std::fabs(c2));
    out[0] = {re, -im};
    out[1] = {re, im};
  }
}

} // namespace polybatch::kernels::roots
