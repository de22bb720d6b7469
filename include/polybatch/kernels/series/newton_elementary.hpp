// Newton iteration for long float and double rows of sqrt, atan, sin/cos,
// sinh/cosh, tan and tanh, built on the Newton inverse and exp of newton.hpp
// and the fast products of kernels/convolve.hpp:
//   sqrt       s and h = 1/s refined together: s <- s + h (b - s^2) / 2;
//   atan       atan(a0) + integral(a' inv(1 + a^2));
//   sin, cos   with b = a - a0, g = cos b + i sin b = exp(i b) by the exp
//              Newton step g <- g (1 + i b - log g), where 1/g = conj(g), so
//              log g = integral(g' conj(g)) needs no inverse; then the
//              addition theorems with sin a0, cos a0;
//   sinh, cosh exp(b) by Newton, exp(-b) as its Newton inverse, then the
//              addition theorems with sinh a0, cosh a0;
//   tan, tanh  sin/cos (sinh/cosh) as above, then a Newton division.
// The constant terms and their domain checks are the recurrences' own
// (recurrences.hpp), so both paths accept and refuse the same rows. Aliasing:
// outputs must not overlap the inputs or each other. Workspace is per-thread
// (tags 42 to 44), grown to the longest row seen and then reused.
#pragma once

#include <cstddef>

#include "polybatch/kernels/series/newton.hpp"
#include "polybatch/kernels/series/recurrences.hpp"

namespace polybatch::kernels::series {

// Crossovers, measured by bench/bench_series.cpp's sweep (docs/series.md,
// "Long series: Newton iteration"), as newton.hpp's: Newton runs for
// n >= the threshold. sqrt's recurrence sums half its products (the square
// is symmetric), so one Newton step over it does not pay below n = 128, and
// its chain then starts below newton_sqrt_base (one more step than from
// 128: 1.2x-1.6x faster than the recurrence at n = 128 to 256, where a
// single step from n/2 was 0.9x). sinh and cosh run exp's Newton, which
// starts at 64. tan and tanh add a Newton division to sin/cos (ten products
// a step), which the cheap tan recurrence (one product and one square a
// coefficient) only trails from about n = 256.
inline constexpr std::size_t newton_sqrt_threshold = 128;
inline constexpr std::size_t newton_sqrt_base = 64;
inline constexpr std::size_t newton_atan_threshold = 64;
inline constexpr std::size_t newton_sincos_threshold = 48;
inline constexpr std::size_t newton_sinhcosh_threshold = 64;
inline constexpr std::size_t newton_tan_threshold = 256;

/// out = sqrt(b) mod x^n for b0 != 0 (the row driver factors out zero
/// constant terms), the first coefficients (below `start`) by the recurrence.
template <class T>
void newton_sqrt_row(const T* b, std::size_t n, T* out, std::size_t row, std::size_t start = newton_sqrt_base) {
  std::size_t chain[64];
  const std::size_t steps = newton_detail::length_chain(n, start, chain);
  T* s = out;
  s[0] = sqrt_constant(b[0], row);
  for (std::size_t k = 1; k < chain[0]; ++k) s[k] = sqrt_coeff(k, b, s);
  if (steps == 1) return;
  T* work = thread_buffer<T, 42>(4 * n);
  T* h = work;  // 1/s
  T* e = h + n; // b - s^2 on [m, m2)
  T* c = e + n; // h e
  T* w = c + n; // the inverse step's workspace
  const std::size_t m0 = chain[0];
  h[0] = inv_constant(s[0], row, "sqrt(a, n)");
  for (std::size_t k = 1; k < m0; ++k) h[k] = inv_coeff(k, s, h);
  for (std::size_t i = 1; i < steps; ++i) {
    const std::size_t m = chain[i - 1], m2 = chain[i], len = m2 - m;
    // (s + d)^2 = s^2 + 2 s d mod x^m2 for d = O(x^m), so d = h (b - s^2) / 2.
    newton_detail::product(s, m, s, m, m, len, e);
    for (std::size_t j = 0; j < len; ++j) e[j] = b[m + j] - e[j];
    newton_detail::product(h, len, e, len, 0, len, c);
    for (std::size_t j = 0; j < len; ++j) s[m + j] = c[j] / T(2);
    if (i + 1 < steps) newton_detail::inverse_step(s, m, m2, h, w);
  }
}

/// y = atan(a) mod x^n = atan(a0) + integral(a' / (1 + a^2)), the inverse
/// by Newton from `start`.
template <class T>
void newton_atan_row(const T* a, std::size_t n, T* y, std::size_t row, std::size_t start = newton_inv_threshold) {
  T q0;
  atan_constant(a[0], y[0], q0, row);
  if (n == 1) return;
  const std::size_t m = n - 1;
  T* work = thread_buffer<T, 42>(5 * n);
  T* q = work;  // 1 + a^2
  T* h = q + n; // 1/q
  T* d = h + n; // a'
  T* w = d + n; // a' / q
  T* e = w + n; // the inverse's workspace
  newton_detail::product(a, m, a, m, 0, m, q);
  q[0] += T(1);
  newton_detail::inverse(q, m, h, row, "atan(a, n)", start, e);
  for (std::size_t k = 0; k < m; ++k) {
    d[k] = a[k + 1];
    detail::times_index(d[k], k + 1);
  }
  newton_detail::product(d, m, h, m, 0, m, w);
  for (std::size_t k = 1; k < n; ++k) {
    y[k] = w[k - 1];
    detail::divide_index(y[k], k);
  }
}

namespace newton_detail {

/// c = cos(b), s = sin(b) mod x^n for b = a - a0 (a[0] is never read), the
/// coefficients below `start` by the recurrence. The exp step of newton.hpp
/// over g = c + i s with h = 1/g = conj(g) mod x^m (exact there, as |g| = 1):
/// r = g' - g (i b') vanishes below x^(m-1), and log g = i b + integral of
/// conj(g) r mod x^m2, so g[m, m2) = g d with d = -integral(conj(g) r).
/// With c and s cut to m terms, c' and s' have none from x^(m-1) on, so
/// there r = s b' - i c b'.
template <class T>
void sincos_zero_constant(const T* a, std::size_t n, T* s, T* c, std::size_t start) {
  std::size_t chain[64];
  const std::size_t steps = length_chain(n, start, chain);
  s[0] = T(0);
  c[0] = T(1);
  for (std::size_t k = 1; k < chain[0]; ++k) sincos_coeff(k, a, s, c);
  if (steps == 1) return;
  T* work = thread_buffer<T, 43>(9 * n);
  T* db = work;   // b'
  T* rr = db + n; // r's real part on [m-1, m2-1): s b'
  T* ci = rr + n; // minus its imaginary part: c b'
  T* p1 = ci + n;
  T* p2 = p1 + n;
  T* p3 = p2 + n;
  T* p4 = p3 + n;
  T* dr = p4 + n; // d on [m, m2), real part
  T* di = dr + n; // and imaginary part
  for (std::size_t k = 0; k + 1 < n; ++k) {
    db[k] = a[k + 1];
    detail::times_index(db[k], k + 1);
  }
  for (std::size_t i = 1; i < steps; ++i) {
    const std::size_t m = chain[i - 1], m2 = chain[i], len = m2 - m;
    product(s, m, db, m2 - 1, m - 1, len, rr);
    product(c, m, db, m2 - 1, m - 1, len, ci);
    // conj(g) r = (c - i s)(rr - i ci) = (c rr - s ci) - i (c ci + s rr).
    product(c, len, rr, len, 0, len, p1);
    product(s, len, ci, len, 0, len, p2);
    product(c, len, ci, len, 0, len, p3);
    product(s, len, rr, len, 0, len, p4);
    for (std::size_t j = 0; j < len; ++j) {
      T re = p2[j] - p1[j], im = p3[j] + p4[j]; // -(conj(g) r)
      detail::divide_index(re, m + j);
      detail::divide_index(im, m + j);
      dr[j] = re;
      di[j] = im;
    }
    // g[m, m2) = (g d) mod x^len: c gets c dr - s di, s gets s dr + c di.
    product(c, len, dr, len, 0, len, p1);
    product(s, len, di, len, 0, len, p2);
    product(s, len, dr, len, 0, len, p3);
    product(c, len, di, len, 0, len, p4);
    for (std::size_t j = 0; j < len; ++j) {
      c[m + j] = p1[j] - p2[j];
      s[m + j] = p3[j] + p4[j];
    }
  }
}

/// ch = cosh(b), sh = sinh(b) mod x^n for b = a - a0 (a[0] is never read):
/// exp(b) and its Newton inverse exp(-b).
template <class T>
void sinhcosh_zero_constant(const T* a, std::size_t n, T* sh, T* ch, std::size_t row) {
  T* work = thread_buffer<T, 43>(4 * n);
  T* b = work;    // a with constant term 0
  T* ep = b + n;  // exp(b)
  T* em = ep + n; // exp(-b)
  T* e = em + n;  // the inverse's workspace
  b[0] = T(0);
  for (std::size_t k = 1; k < n; ++k) b[k] = a[k];
  newton_exp_row(b, n, ep, row);
  inverse(ep, n, em, row, "sinh/cosh(a, n)", newton_inv_threshold, e);
  for (std::size_t k = 0; k < n; ++k) {
    sh[k] = (ep[k] - em[k]) / T(2);
    ch[k] = (ep[k] + em[k]) / T(2);
  }
}

} // namespace newton_detail

/// s = sin(a), c = cos(a) mod x^n (sinh and cosh with `hyperbolic`) by
/// Newton from `start`, then sin(a0 + b) = sin a0 cos b + cos a0 sin b and
/// the like.
template <class T>
void newton_sincos_row(const T* a, std::size_t n, T* s, T* c, std::size_t row, bool hyperbolic,
                       std::size_t start = newton_sincos_threshold) {
  T s0, c0;
  sincos_constant(a[0], s0, c0, row, hyperbolic);
  if (hyperbolic)
    newton_detail::sinhcosh_zero_constant(a, n, s, c, row);
  else
    newton_detail::sincos_zero_constant(a, n, s, c, start);
  for (std::size_t k = 0; k < n; ++k) {
    const T sb = s[k], cb = c[k];
    s[k] = s0 * cb + c0 * sb;
    c[k] = hyperbolic ? c0 * cb + s0 * sb : c0 * cb - s0 * sb;
  }
}

/// t = tan(a) (tanh with `hyperbolic`) mod x^n as sin/cos (sinh/cosh) by
/// Newton and a Newton division.
template <class T>
void newton_tan_row(const T* a, std::size_t n, T* t, std::size_t row, bool hyperbolic) {
  T t0, u0;
  tan_constant(a[0], t0, u0, row, hyperbolic);
  T* work = thread_buffer<T, 44>(4 * n);
  T* s = work;
  T* c = s + n;
  T* h = c + n; // 1/c
  T* e = h + n; // the inverse's workspace
  newton_sincos_row(a, n, s, c, row, hyperbolic);
  newton_detail::inverse(c, n, h, row, hyperbolic ? "tanh(a, n)" : "tan(a, n)", newton_inv_threshold, e);
  newton_detail::product(s, n, h, n, 0, n, t);
  t[0] = t0; // tan(a0) itself, as the recurrence has it
}

} // namespace polybatch::kernels::series
