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
typename PackOps<T>::pack cube_root_magnitude(typename PackOps<T>::pack t) {
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
  P d[V], c[V], b[V], lead[V], x[V], s[V], b1[V], c2[V];
  M moving[V];
  for (std::size_t v = 0; v < V; ++v) {
    d[v] = K::load(in[0] + v * L);
    c[v] = K::load(in[1] + v * L);
    b[v] = K::load(in[2] + v * L);
    lead[v] = K::load(in[3] + v * L);
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
    x[v] = xi;
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
  const T u = std::numeric_limits<T>::epsilon() / T(2);
  const P tol2 = K::splat((T(8) * u) * (T(8) * u));
  T re[3][R], im[3][R], pass[R];
  for (std::size_t v = 0; v < V; ++v) {
    // For a large root, deflate from the constant term.
    const P xv = x[v];
    const M large = K::abs(lead[v]) * xv * xv > K::abs(d[v] / xv);
    const P c2l = -d[v] / xv;
    c2[v] = K::select(large, c2l, c2[v]);
    b1[v] = K::select(large, (c2l - c[v]) / xv, b1[v]);
    // lead x^2 + b1 x + c2, cancellation-free.
    const P disc = b1[v] * b1[v] - T(4) * lead[v] * c2[v];
    const M real = disc >= zero;
    const P root = K::sqrt(K::abs(disc));
    const auto sign = K::to_bits(b1[v]) & K::to_bits(-zero);
    const P big_root = -(b1[v] + K::from_bits(K::to_bits(root) | sign)) * T(0.5);
    const P y1 = big_root / lead[v], y2 = c2[v] / big_root;
    const P two_lead = T(2) * lead[v];
    // zero - y: a real part of +0, not -0, when b1 is zero.
    const P pr = zero - b1[v] / two_lead, pi = root / K::abs(two_lead);
    P zr[3] = {xv, K::select(real, y1, pr), K::select(real, y2, pr)};
    P zi[3] = {zero, K::select(real, zero, -pi), K::select(real, zero, pi)};
    // The backward-error test at each root; NaN and infinities fail it.
    M good = ~moving[v];
    for (int j = 0; j < 3; ++j) {
      const P ar = zr[j], ai = zi[j];
      const P mag = K::sqrt(ar * ar + ai * ai);
      P vr = lead[v], vi = zero, sum = K::abs(lead[v]);
      const P coef[3] = {b[v], c[v], d[v]};
      for (int k = 0; k < 3; ++k) {
        const P nr = vr * ar - vi * ai + coef[k];
        vi = vr * ai + vi * ar;
        vr = nr;
        sum = sum * mag + K::abs(coef[k]);
      }
      good = K::both(good, vr * vr + vi * vi <= tol2 * sum * sum);
    }
    // Sort by (real, imaginary): three compare-exchanges.
    const auto exchange = [&](int p, int q) {
      const M swap = (zr[q] < zr[p]) | K::both(zr[q] == zr[p], zi[q] < zi[p]);
      const P r0 = K::select(swap, zr[q], zr[p]), i0 = K::select(swap, zi[q], zi[p]);
      zr[q] = K::select(swap, zr[p], zr[q]);
      zi[q] = K::select(swap, zi[p], zi[q]);
      zr[p] = r0;
      zi[p] = i0;
    };
    exchange(0, 1);
    exchange(1, 2);
    exchange(0, 1);
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
