// Roots of degree 1 and 2 in closed form, as accurate as Aberth's iteration:
// the linear root is one rounding; the quadratic uses the cancellation-free
// pair q = -(b + sign(b) sqrt(d)) / 2, x1 = q / a, x2 = c / q and a
// discriminant with its products' rounding errors recovered by fma (Kahan).
//
// quadratic_rows does the same for a pack of rows at once, branch-free, with
// the same operations: its roots are quadratic_roots', bit for bit, sorted.
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>

#include "polybatch/kernels/pack.hpp"

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

/// Whether c is zero or within 2^(+-emax/4): a row of such coefficients
/// needs no scaling, as nothing in the root iterations over- or underflows.
template <class T>
bool needs_no_scaling(T c) {
  constexpr T high = [] {
    T x = 1;
    for (int i = 0; i < std::numeric_limits<T>::max_exponent / 4; ++i) x *= 2;
    return x;
  }();
  const T m = std::fabs(c);
  return m == T(0) || (m >= T(1) / high && m <= high);
}

/// Whether a row of n + 1 coefficients suits the packed solvers
/// (quadratic_rows, cubic_rows, quartic_rows): the end coefficients nonzero
/// and none needing scaling (the rows normalise_row leaves as they are).
template <class T, std::size_t n>
bool plain_row(const T* c) {
  bool tame = c[0] != T(0) && c[n] != T(0);
  for (std::size_t k = 0; k <= n; ++k) tame = tame && needs_no_scaling(c[k]);
  return tame;
}

/// Roots of Ops::lanes quadratics at once, rows of three coefficients at
/// `a`, written in lexicographic order (real part, then imaginary part) to
/// `out`, two per row, for the rows with plain[l] set (plain_row<T, 2>);
/// the other lanes compute values that are not written. Float and double.
template <class T>
void quadratic_rows(const T* a, std::complex<T>* out, const bool* plain) {
  using Ops = PackOps<T>;
  using pack = typename Ops::pack;
  constexpr std::size_t W = Ops::lanes;
  T c0s[W], c1s[W], c2s[W], p_error[W], q_error[W];
  for (std::size_t l = 0; l < W; ++l) {
    // Lanes of rows that are not plain get a harmless quadratic.
    c0s[l] = plain[l] ? a[3 * l] : T(-1);
    c1s[l] = plain[l] ? a[3 * l + 1] : T(0);
    c2s[l] = plain[l] ? a[3 * l + 2] : T(1);
  }
  const pack c0 = Ops::load(c0s), c1 = Ops::load(c1s), c2 = Ops::load(c2s);
  const pack p = c1 * c1;
  const pack four_c2 = T(4) * c2;
  const pack q = four_c2 * c0;
  // The products' rounding errors (as in discriminant), by fma lane by lane.
  T ps[W], qs[W], four_c2s[W];
  Ops::store(ps, p);
  Ops::store(qs, q);
  Ops::store(four_c2s, four_c2);
  for (std::size_t l = 0; l < W; ++l) {
    p_error[l] = std::fma(c1s[l], c1s[l], -ps[l]);
    q_error[l] = std::fma(four_c2s[l], c0s[l], -qs[l]);
  }
  const pack d = (p - q) + (Ops::load(p_error) - Ops::load(q_error));
  const auto real = d >= pack{};
  const pack root = Ops::sqrt(Ops::abs(d));
  // copysign(root, c1): root is not negative, so its sign bit is free.
  const auto sign = Ops::to_bits(c1) & Ops::to_bits(-pack{});
  const pack signed_root = Ops::from_bits(Ops::to_bits(root) | sign);
  const pack half = Ops::splat(T(0.5));
  const pack big_root = -(c1 + signed_root) * half;
  const pack x1 = big_root / c2, x2 = c0 / big_root;
  const auto first_lower = x1 < x2;
  const pack low = Ops::select(first_lower, x1, x2), high = Ops::select(first_lower, x2, x1);
  const pack two_c2 = T(2) * c2;
  const pack re = -c1 / two_c2, im = root / Ops::abs(two_c2);
  T re0[W], im0[W], re1[W], im1[W];
  Ops::store(re0, Ops::select(real, low, re));
  Ops::store(im0, Ops::select(real, pack{}, -im));
  Ops::store(re1, Ops::select(real, high, re));
  Ops::store(im1, Ops::select(real, pack{}, im));
  for (std::size_t l = 0; l < W; ++l)
    if (plain[l]) {
      out[2 * l] = {re0[l], im0[l]};
      out[2 * l + 1] = {re1[l], im1[l]};
    }
}

} // namespace polybatch::kernels::roots
