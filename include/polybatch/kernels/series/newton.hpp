// Newton iteration for long float and double power series on the fast
// products of kernels/convolve.hpp: inverse (g <- g + g (1 - a g)), division
// (num * inv(den)), log (log a0 + integral of a' inv(a)), exp (g and 1/g
// refined together) and pow (a0^s exp(s log(a / a0))). Each starts from the
// recurrences of recurrences.hpp for its first coefficients; the row drivers
// (rows.hpp) call it above the crossovers below. Aliasing: `out` must not
// overlap the inputs; workspace is a per-thread buffer that grows to the
// longest n seen, then is reused.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "polybatch/kernels/convolve.hpp"
#include "polybatch/kernels/series/recurrences.hpp"

namespace polybatch::kernels::series {

/// Scalars whose long series run by Newton iteration above the crossovers.
template <class T>
inline constexpr bool has_newton_series = std::is_same_v<T, float> || std::is_same_v<T, double>;

// Crossovers, measured by bench/bench_series.cpp's sweep (recurrence vs Newton,
// one thread, double, compiled AVX-512 products; table in docs/series.md,
// "Long series: Newton iteration"). Newton runs for n >= the constant; inv and
// exp start from the recurrence below it, and div, log and pow use the Newton
// inverse, log and exp with their own constants. With SSE2 products (a
// header-only build without -march) the sweep finds the same crossovers
// within its noise: the recurrence is scalar either way.
inline constexpr std::size_t newton_inv_threshold = 32;
inline constexpr std::size_t newton_div_threshold = 64;
inline constexpr std::size_t newton_log_threshold = 96;
inline constexpr std::size_t newton_exp_threshold = 64;
inline constexpr std::size_t newton_pow_threshold = 96;

/// Whether Newton can start from 1/x: x and 1/x finite. For a subnormal x
/// (a constant term, or exp(a0) for a0 below about -709 in double) 1/x
/// overflows where the recurrences, which divide by x, stay finite; such
/// rows, and those outside the domain (x = 0), take the recurrences.
template <class T>
bool newton_can_invert(const T& x) {
  return std::isfinite(x) && std::isfinite(T(1) / x);
}

/// Per-thread workspace scalars the Newton rows need for length n.
constexpr std::size_t newton_workspace(std::size_t n) { return 6 * n + 16; }

namespace newton_detail {

/// The lengths Newton passes through, ascending: n, ceil(n/2), ... down to the
/// first length below `start` (computed by the recurrence). Returns how many.
inline std::size_t length_chain(std::size_t n, std::size_t start, std::size_t (&chain)[64]) {
  std::size_t count = 0, m = n;
  while (true) {
    chain[count++] = m;
    if (m < start || m < 2) break;
    m = (m + 1) / 2;
  }
  std::reverse(chain, chain + count);
  return count;
}

/// out[0, count) = coefficients [offset, offset + count) of a (length la)
/// times b (length lb); coefficients past the full product are zero.
template <class T>
void product(const T* a, std::size_t la, const T* b, std::size_t lb, std::size_t offset, std::size_t count, T* out) {
  const std::size_t full = la + lb - 1;
  const std::size_t have = offset < full ? std::min(count, full - offset) : 0;
  T acc = T(0);
  if (have > 0) convolve_rows<T>(1, a, 0, la, b, 0, lb, false, offset, have, out, 0, acc);
  std::fill(out + have, out + count, T(0));
}

/// One Newton step of the inverse: g = 1/a mod x^m becomes 1/a mod x^m2
/// (m2 <= 2m): e = (a g)[m, m2), then g[m, m2) = -(g e) mod x^(m2 - m).
/// `e` holds m2 - m scalars.
template <class T>
void inverse_step(const T* a, std::size_t m, std::size_t m2, T* g, T* e) {
  const std::size_t h = m2 - m;
  product(a, m2, g, m, m, h, e);
  product(g, h, e, h, 0, h, g + m);
  for (std::size_t k = m; k < m2; ++k) g[k] = -g[k];
}

/// g = 1/a mod x^n; `e` holds n scalars.
template <class T>
void inverse(const T* a, std::size_t n, T* g, std::size_t row, const char* op, std::size_t start, T* e) {
  std::size_t chain[64];
  const std::size_t steps = length_chain(n, start, chain);
  g[0] = inv_constant(a[0], row, op);
  for (std::size_t k = 1; k < chain[0]; ++k) g[k] = inv_coeff(k, a, g);
  for (std::size_t i = 1; i < steps; ++i) inverse_step(a, chain[i - 1], chain[i], g, e);
}

} // namespace newton_detail

/// out = 1/a mod x^n by Newton from the recurrence's first coefficients
/// (those below `start`, and at least one).
template <class T>
void newton_inv_row(const T* a, std::size_t n, T* out, std::size_t row, std::size_t start = newton_inv_threshold) {
  T* work = thread_buffer<T, 40>(newton_workspace(n));
  newton_detail::inverse(a, n, out, row, "inv(a, n)", start, work);
}

/// out = num/den mod x^n as num * (1/den), the inverse by Newton from
/// `start` (as newton_inv_row).
template <class T>
void newton_div_row(const T* num, const T* den, std::size_t n, T* out, std::size_t row,
                    std::size_t start = newton_inv_threshold) {
  (void)div_constant(num[0], den[0], row); // the divisor's domain check, with div's message
  T* work = thread_buffer<T, 40>(newton_workspace(n));
  T* h = work;
  newton_detail::inverse(den, n, h, row, "div(a, b, n) (divisor b)", start, work + n);
  newton_detail::product(num, n, h, n, 0, n, out);
}

/// out = log(a) mod x^n = log(a0) + integral(a' / a), 1/a by Newton from
/// `start` (as newton_inv_row).
template <class T>
void newton_log_row(const T* a, std::size_t n, T* out, std::size_t row, std::size_t start = newton_inv_threshold) {
  out[0] = log_constant(a[0], row);
  if (n == 1) return;
  T* work = thread_buffer<T, 40>(newton_workspace(n));
  T* d = work;  // a', n - 1
  T* h = d + n; // 1/a, n - 1
  T* w = h + n; // a' / a, n - 1
  T* e = w + n; // the inverse's workspace
  for (std::size_t k = 0; k + 1 < n; ++k) {
    d[k] = a[k + 1];
    detail::times_index(d[k], k + 1);
  }
  newton_detail::inverse(a, n - 1, h, row, "log(a, n)", start, e);
  newton_detail::product(d, n - 1, h, n - 1, 0, n - 1, w);
  for (std::size_t k = 1; k < n; ++k) {
    out[k] = w[k - 1];
    detail::divide_index(out[k], k);
  }
}

/// out = exp(a) mod x^n by Newton, g and h = 1/g mod x^m refined together
/// (Hanrot and Zimmermann, "Newton iteration revisited"): with q = a' mod
/// x^(m-1), w = q + h (g' - g q) is g'/g mod x^(m2-1), and
/// g <- g (1 + a - integral w) mod x^m2. Only the new halves are computed.
/// `constant` is exp(a[0]), which exp_row computes to choose this path.
template <class T>
void newton_exp_row_from(const T* a, std::size_t n, T constant, T* out, std::size_t row,
                         std::size_t start = newton_exp_threshold) {
  std::size_t chain[64];
  const std::size_t steps = newton_detail::length_chain(n, start, chain);
  T* g = out;
  g[0] = std::move(constant);
  for (std::size_t k = 1; k < chain[0]; ++k) g[k] = exp_coeff(k, a, g);
  if (steps == 1) return;
  T* work = thread_buffer<T, 40>(newton_workspace(n));
  T* h = work;    // 1/g, n
  T* q = h + n;   // a', n
  T* r = q + n;   // (g q)[m-1, m2-1), then h times it
  T* c = r + n;   // n
  T* dlt = c + n; // a - log g on [m, m2)
  T* e = dlt + n; // the inverse step's workspace
  const std::size_t m0 = chain[0];
  h[0] = inv_constant(g[0], row, "exp(a, n)");
  for (std::size_t k = 1; k < m0; ++k) h[k] = inv_coeff(k, g, h);
  for (std::size_t k = 0; k + 1 < n; ++k) {
    q[k] = a[k + 1];
    detail::times_index(q[k], k + 1);
  }
  for (std::size_t i = 1; i < steps; ++i) {
    const std::size_t m = chain[i - 1], m2 = chain[i], len = m2 - m;
    // g' - g q vanishes below x^(m-1), and g' has no terms from x^(m-1) on:
    // only -(g q)[m-1, m2-1) is left; q is a' cut to m - 1 terms.
    newton_detail::product(g, m, q, m - 1, m - 1, len, r);
    newton_detail::product(h, len, r, len, 0, len, c);
    // w[m - 1 + j] = -c[j], so (a - integral w)[m + j] = a[m + j] + c[j] / (m + j).
    for (std::size_t j = 0; j < len; ++j) {
      T t = c[j];
      detail::divide_index(t, m + j);
      dlt[j] = a[m + j];
      dlt[j] += t;
    }
    newton_detail::product(g, len, dlt, len, 0, len, g + m);
    if (i + 1 < steps) newton_detail::inverse_step(g, m, m2, h, e);
  }
}

/// The same, exp(a[0]) computed here.
template <class T>
void newton_exp_row(const T* a, std::size_t n, T* out, std::size_t row, std::size_t start = newton_exp_threshold) {
  newton_exp_row_from(a, n, exp_constant(a[0], row), out, row, start);
}

/// out = a^s mod x^n for a0 != 0 as a0^s exp(s log(a / a0)): a / a0 starts
/// with 1, so any sign of a0 works where pow_constant allows it (integer s),
/// and the constant term is pow_constant's own. log and exp by Newton.
template <class T>
void newton_pow_row(const T* a, std::size_t n, const T& s, T* out, std::size_t row) {
  const T c0 = pow_constant(a[0], s, row);
  // Its own buffer: newton_log_row and newton_exp_row reuse theirs in turn.
  T* work = thread_buffer<T, 41>(2 * n);
  T* t = work;     // a / a0
  T* l = work + n; // s log(a / a0)
  for (std::size_t k = 0; k < n; ++k) t[k] = a[k] / a[0];
  t[0] = T(1);
  newton_log_row(t, n, l, row);
  for (std::size_t k = 1; k < n; ++k) l[k] *= s;
  l[0] = T(0);
  newton_exp_row(l, n, out, row);
  for (std::size_t k = 0; k < n; ++k) out[k] *= c0;
}

} // namespace polybatch::kernels::series
