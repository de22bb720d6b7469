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
#include "polybatch/kernels/roots/packed.hpp"

namespace polybatch::kernels::roots {

namespace detail {

/// |t|^(1/3) for normal t, to about 1e-12 relative (double; float to its
/// rounding): a start from the exponent bits (bits / 3 as a sum of shifts:
/// AVX2 has no vector 64-bit division or int-to-double conversion), then two
/// Halley steps.
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

/// Roots of K::lanes * V cubics c0 + c1 x + c2 x^2 + c3 x^3, rows of four
/// coefficients at `a` (c0 and c3 nonzero, no coefficient needing scaling:
/// plain_row), written in lexicographic order (real part, then imaginary
/// part) to `out`, three per row, for the rows with plain[l] set. ok[l] is
/// set for the rows whose roots passed the backward-error test; rows with
/// plain[l] but not ok[l] have nothing written. Float and double.
template <class T, std::size_t V>
void cubic_rows(const T* a, std::complex<T>* out, const bool* plain, bool* ok) {
  using K = PackOps<T>;
  using P = typename K::pack;
  using M = typename K::mask;
  // Lanes of rows that are not plain get x^3 - 1.
  constexpr T filler[4] = {-1, 0, 0, 1};
  P coef[V][4], x[V], b1[V], c2[V], lead[V], b[V], c1[V], d[V];
  M settled[V];
  load_rows<T, V, 3>(a, plain, filler, coef);
  for (std::size_t v = 0; v < V; ++v) {
    d[v] = coef[v][0];
    c1[v] = coef[v][1];
    b[v] = coef[v][2];
    lead[v] = coef[v][3];
  }
  kahan_real_roots<T, V>(lead, b, c1, d, x, b1, c2, settled);
  RootsOut<T, V, 3> roots;
  for (std::size_t v = 0; v < V; ++v) {
    P zr[3] = {x[v]}, zi[3] = {K::splat(T(0))};
    quadratic_pack<T>(lead[v], b1[v], c2[v], zr + 1, zi + 1);
    M good = settled[v];
    for (int j = 0; j < 3; ++j) good = K::both(good, meets_backward_error<T, 3>(coef[v], zr[j], zi[j]));
    sort_roots_pack<T, 3>(zr, zi);
    roots.put(v, zr, zi, good);
  }
  roots.write(out, plain, ok);
}

} // namespace polybatch::kernels::roots
