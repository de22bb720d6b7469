// Roots of real cubics a register of rows at a time, by W. Kahan's method
// ("To solve a real cubic equation", 1986): one real root by Newton's
// iteration from a starting point on the far side of it, where the
// iteration is monotone and stops when it no longer advances; the quotient
// quadratic from the deflation that is stable for that root's size, solved
// cancellation-free. Every root is then checked against the backward-error
// test of the Aberth iteration (|p(z)| <= 2 (n + 1) u sum |a_k| |z|^k); a
// row with a root that fails it, or whose Newton iteration has not settled
// within a few steps (a multiple root, an overflow), is reported so that
// the caller runs it through Aberth's iteration instead. Lanes never read
// each other, so a row's result does not depend on its register mates.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "polybatch/kernels/pack.hpp"
#include "polybatch/kernels/roots/closed_form.hpp"

namespace polybatch::kernels::roots {

namespace detail {

/// |t|^(1/3) for normal t, to about 1e-12 relative (double; float to its
/// rounding): a start from the
/// exponent bits (bits / 3 as a sum of shifts: AVX2 has no vector 64-bit
/// division or int-to-double conversion), then two Halley steps.

template <class T>
[[gnu::always_inline]] inline typename PackOps<T>::pack cube_root_magnitude(typename PackOps<T>::pack t) {
  using K = PackOps<T>;
  using P = typename K::pack;
  using bits = typename K::bits;
  constexpr bits magic = sizeof(T) == 8 ? bits(0x2A9F7893782DA1CEull) : bits(0x2A5137A0u);
  const P a = K::abs(t);
  const auto b = K::to_bits(a);
  auto third = b >> 2;
  for (int s = 4; s < int(sizeof(bits) * 8); s += 2) third += b >> s;
  P y = K::from_bits(third + magic);
  const P two = K::splat(T(2));
  for (int step = 0; step < 2; ++step) {
    const P y3 = y * y * y;
    y = y * (y3 + two * a) / (two * y3 + a);
  }
  return y;
}

} // namespace detail

/// Newton steps a lane may take before its row goes to Aberth's iteration.
inline constexpr int cubic_newton_cap = 24;

/// One real root x of each lane of V packs of cubics
/// lead x^3 + b x^2 + c x + d (lead and d nonzero), and the quotient
/// lead x^2 + b1 x + c2 of the deflation by it, by Kahan's iteration.
/// settled is false where the iteration did not stop within the cap (or met
/// NaN); those lanes' values are meaningless.

template <class T, std::size_t V>
[[gnu::always_inline]] inline void
kahan_real_roots(const typename PackOps<T>::pack* lead, const typename PackOps<T>::pack* b,
                 const typename PackOps<T>::pack* c, const typename PackOps<T>::pack* d, typename PackOps<T>::pack* x,
                 typename PackOps<T>::pack* b1, typename PackOps<T>::pack* c2, typename PackOps<T>::mask* settled) {
  using K = PackOps<T>;
  using P = typename K::pack;
  using M = typename K::mask;
  constexpr std::size_t L = K::lanes;
  const P zero = K::splat(T(0)), one = K::splat(T(1));
  P s[V];
  M moving[V];
  for (std::size_t v = 0; v < V; ++v) {
    // The inflection point, and p there by synthetic division.
    const P xi = -(b[v] / lead[v]) / T(3);
    const P q0 = lead[v] * xi;
    const P bb = q0 + b[v];
    const P cc = bb * xi + c[v];
    const P q = cc * xi + d[v];
    const P dq = (q0 + bb) * xi + cc;
    const P t = q / lead[v];
    // The real root lies within r of xi, on the side opposite to t's sign.
    P r = detail::cube_root_magnitude<T>(t) * T(sizeof(T) == 8 ? 1 + 1e-9 : 1 + 1e-5);
    const P slope = -dq / lead[v];
    const P root_slope = K::sqrt(K::select(slope > zero, slope, zero));
    r = K::select(slope > zero, T(1.324718) * K::select(r > root_slope, r, root_slope), r);
    s[v] = K::select(t < zero, -one, one);
    b1[v] = bb;
    c2[v] = cc;
    moving[v] = t != zero;
    x[v] = K::select(moving[v], xi - s[v] * r, xi);
  }
  // Newton from the far side: s x grows until rounding stops it.
  for (int step = 0; step < cubic_newton_cap; ++step) {
    bool any = false;
    for (std::size_t v = 0; v < V; ++v) {
      const P q0 = lead[v] * x[v];
      const P bb = q0 + b[v];
      const P cc = bb * x[v] + c[v];
      const P q = cc * x[v] + d[v];
      const P dq = (q0 + bb) * x[v] + cc;
      const P next = x[v] - (q / dq) / T(1 + 4 * std::numeric_limits<T>::epsilon());
      b1[v] = K::select(moving[v], bb, b1[v]);
      c2[v] = K::select(moving[v], cc, c2[v]);
      // dq == 0 or a NaN step: the comparison fails and the lane stops.
      const M advances = s[v] * next > s[v] * x[v];
      moving[v] = K::both(moving[v], advances);
      x[v] = K::select(moving[v], next, x[v]);
      for (std::size_t l = 0; l < L; ++l) any = any || moving[v][l];
    }
    if (!any) break;
  }
  for (std::size_t v = 0; v < V; ++v) {
    settled[v] = ~moving[v];
    // For a large root, deflate from the constant term.
    const P xv = x[v];
    const M large = K::abs(lead[v]) * xv * xv > K::abs(d[v] / xv);
    const P c2l = -d[v] / xv;
    c2[v] = K::select(large, c2l, c2[v]);
    b1[v] = K::select(large, (c2l - c[v]) / xv, b1[v]);
  }
}

/// Roots of lead y^2 + b1 y + c2 (lead nonzero), cancellation-free: the
/// pair (zr[0] + i zi[0], zr[1] + i zi[1]), conjugates in increasing
/// imaginary part when complex.

template <class T>
[[gnu::always_inline]] inline void quadratic_pack(typename PackOps<T>::pack lead, typename PackOps<T>::pack b1,
                                                  typename PackOps<T>::pack c2, typename PackOps<T>::pack* zr,
                                                  typename PackOps<T>::pack* zi) {
  using K = PackOps<T>;
  using P = typename K::pack;
  const P zero = K::splat(T(0));
  const P disc = b1 * b1 - T(4) * lead * c2;
  const auto real = disc >= zero;
  const P root = K::sqrt(K::abs(disc));
  const auto sign = K::to_bits(b1) & K::to_bits(-zero);
  const P big_root = -(b1 + K::from_bits(K::to_bits(root) | sign)) * T(0.5);
  const P y1 = big_root / lead, y2 = c2 / big_root;
  const P two_lead = T(2) * lead;
  // zero - y: a real part of +0, not -0, when b1 is zero.
  const P pr = zero - b1 / two_lead, pi = root / K::abs(two_lead);
  zr[0] = K::select(real, y1, pr);
  zr[1] = K::select(real, y2, pr);
  zi[0] = K::select(real, zero, -pi);
  zi[1] = K::select(real, zero, pi);
}

/// Sorts the m roots (zr[j], zi[j]) of each lane by (real, imaginary), by
/// a sorting network of compare-exchanges (m = 3 or 4).

template <class T, std::size_t m>
[[gnu::always_inline]] inline void sort_roots_pack(typename PackOps<T>::pack* zr, typename PackOps<T>::pack* zi) {
  using K = PackOps<T>;
  using P = typename K::pack;
  const auto exchange = [&](std::size_t p, std::size_t q) {
    const auto swap = (zr[q] < zr[p]) | K::both(zr[q] == zr[p], zi[q] < zi[p]);
    const P r0 = K::select(swap, zr[q], zr[p]), i0 = K::select(swap, zi[q], zi[p]);
    zr[q] = K::select(swap, zr[p], zr[q]);
    zi[q] = K::select(swap, zi[p], zi[q]);
    zr[p] = r0;
    zi[p] = i0;
  };
  static_assert(m == 3 || m == 4, "networks for three and four roots");
  if constexpr (m == 3) {
    exchange(0, 1);
    exchange(1, 2);
    exchange(0, 1);
  } else {
    exchange(0, 1);
    exchange(2, 3);
    exchange(0, 2);
    exchange(1, 3);
    exchange(1, 2);
  }
}

/// Whether the root z = zr + i zi of the polynomial c[0] + ... + c[n] x^n
/// (per lane) meets the backward-error test of Aberth's iteration,
/// |p(z)| <= 2 (n + 1) u sum |c_k| |z|^k; NaN and infinities fail it.

template <class T, std::size_t n>
[[gnu::always_inline]] inline typename PackOps<T>::mask
meets_backward_error(const typename PackOps<T>::pack* c, typename PackOps<T>::pack zr, typename PackOps<T>::pack zi) {
  using K = PackOps<T>;
  using P = typename K::pack;
  const T tol = T(2 * (n + 1)) * (std::numeric_limits<T>::epsilon() / T(2));
  const P mag = K::sqrt(zr * zr + zi * zi);
  P vr = c[n], vi = K::splat(T(0)), sum = K::abs(c[n]);
  for (std::size_t k = n; k-- > 0;) {
    const P nr = vr * zr - vi * zi + c[k];
    vi = vr * zi + vi * zr;
    vr = nr;
    sum = sum * mag + K::abs(c[k]);
  }
  return vr * vr + vi * vi <= (tol * tol) * sum * sum;
}

/// Roots of K::lanes * V cubics c0 + c1 x + c2 x^2 + c3 x^3, rows of four
/// coefficients at `a` (c0 and c3 nonzero, no coefficient needing scaling:
/// plain_cubic), written in lexicographic order (real part, then imaginary
/// part) to `out`, three per row, for the rows with plain[l] set. ok[l] is
/// set for the rows whose roots passed the backward-error test; rows with
/// plain[l] but not ok[l] have nothing written. Float and double.

template <class T, std::size_t V>
void cubic_rows(const T* a, std::complex<T>* out, const bool* plain, bool* ok) {
  using K = PackOps<T>;
  using P = typename K::pack;
  using M = typename K::mask;
  constexpr std::size_t L = K::lanes;
  constexpr std::size_t R = L * V;
  T in[4][R];
  for (std::size_t l = 0; l < R; ++l) {
    // Lanes of rows that are not plain get x^3 - 1.
    in[0][l] = plain[l] ? a[4 * l] : T(-1);
    in[1][l] = plain[l] ? a[4 * l + 1] : T(0);
    in[2][l] = plain[l] ? a[4 * l + 2] : T(0);
    in[3][l] = plain[l] ? a[4 * l + 3] : T(1);
  }
  const P zero = K::splat(T(0)), one = K::splat(T(1));
  P d[V], c[V], b[V], lead[V], x[V], b1[V], c2[V];
  M settled[V];
  for (std::size_t v = 0; v < V; ++v) {
    d[v] = K::load(in[0] + v * L);
    c[v] = K::load(in[1] + v * L);
    b[v] = K::load(in[2] + v * L);
    lead[v] = K::load(in[3] + v * L);
  }
  kahan_real_roots<T, V>(lead, b, c, d, x, b1, c2, settled);
  T re[3][R], im[3][R], pass[R];
  for (std::size_t v = 0; v < V; ++v) {
    P zr[3] = {x[v]}, zi[3] = {zero};
    quadratic_pack<T>(lead[v], b1[v], c2[v], zr + 1, zi + 1);
    M good = settled[v];
    const P coef[4] = {d[v], c[v], b[v], lead[v]};
    for (int j = 0; j < 3; ++j) good = K::both(good, meets_backward_error<T, 3>(coef, zr[j], zi[j]));
    sort_roots_pack<T, 3>(zr, zi);
    for (int j = 0; j < 3; ++j) {
      K::store(re[j] + v * L, zr[j]);
      K::store(im[j] + v * L, zi[j]);
    }
    K::store(pass + v * L, K::select(good, one, zero));
  }
  for (std::size_t l = 0; l < R; ++l) {
    ok[l] = plain[l] && pass[l] != T(0);
    if (ok[l])
      for (int j = 0; j < 3; ++j) out[3 * l + j] = {re[j][l], im[j][l]};
  }
}

/// Whether cubic_rows takes the row c0 + c1 x + c2 x^2 + c3 x^3: c0 and c3
/// nonzero and no coefficient needing scaling.

template <class T>
bool plain_cubic(const T* c) {
  return c[0] != T(0) && c[3] != T(0) && needs_no_scaling(c[0]) && needs_no_scaling(c[1]) && needs_no_scaling(c[2]) &&
         needs_no_scaling(c[3]);
}

} // namespace polybatch::kernels::roots
