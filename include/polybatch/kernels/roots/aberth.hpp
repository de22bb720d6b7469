// Aberth-Ehrlich iteration (simultaneous Newton with the Aberth correction)
// over a tile of W rows of the same degree, in lockstep: coefficients and
// roots are stored structure-of-arrays (lane fastest), so every loop below
// runs over the W lanes in packs of one vector register (kernels/pack.hpp).
// A root is frozen once its backward error is at rounding level; lanes
// (rows) finish at different iterations and simply stop changing, so a
// row's result never depends on its tile mates.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "polybatch/kernels/pack.hpp"

namespace polybatch::kernels::roots {

/// Where Horner evaluates a root z: z itself for |z| <= 1, else x = 1/z on
/// the reversed polynomial, so that no term exceeds the coefficients; `ax`
/// is |x|, for the running bound sum |c_k| |x|^k.
template <class K>
struct HornerPoint {
  typename K::mask big;
  typename K::pack xr, xi, ax;
};
template <class K>
HornerPoint<K> horner_point(typename K::pack zr, typename K::pack zi) {
  using P = typename K::pack;
  const P one = K::splat(1);
  // |z|^2 from z / m, m = max(|zr|, |zi|): a row whose roots span more than
  // the square root of the type's range (1 and 1e300, scaled to 1e-150 and
  // 1e150) would overflow zr^2 + zi^2 to inf, and x = 1/z to NaN.
  const P m = K::max(K::abs(zr), K::abs(zi));
  HornerPoint<K> h;
  h.big = m > one;
  const P scale = K::select(h.big, one / m, one);
  const P ur = zr * scale, ui = zi * scale;
  const P u2 = ur * ur + ui * ui;                  // in [1/2, 2] where big
  const P r = K::sqrt_nonnegative(u2);             // |z| where not big
  const P inv = K::select(h.big, scale / u2, one); // 1 / (m |u|^2)
  h.xr = K::select(h.big, ur * inv, zr);           // conj(z) / |z|^2 = conj(u) / (m |u|^2)
  h.xi = K::select(h.big, -ui * inv, zi);
  h.ax = K::select(h.big, r * inv, r); // 1 / |z| = |u| / (m |u|^2)
  return h;
}

/// The backward-error test |p| <= tol s as |p / s|^2 <= tol^2: p and s both
/// scale with the coefficients, and on rows scaled to roots of very
/// different sizes both can be near 1e-200, whose squares underflow to 0 and
/// would pass every root where it starts (s >= the lead coefficient > 0).
template <class K>
typename K::mask below_tolerance(typename K::pack pr, typename K::pack pi, typename K::pack s, typename K::pack tol2) {
  using P = typename K::pack;
  const P inv = K::splat(1) / s;
  const P ur = pr * inv, ui = pi * inv;
  return ur * ur + ui * ui <= tol2;
}

/// The rounding level of Horner's evaluation at degree n, 2 (n + 1) u: the
/// backward error below which a root is frozen.
template <class T>
T horner_tolerance(std::size_t n) {
  return T(2 * (n + 1)) * (std::numeric_limits<T>::epsilon() / T(2));
}

/// One Aberth sweep over the n roots (zr, zi)[j * W + l] of the W polynomials
/// c[k * W + l], k = 0..n (c[0] and c[n] nonzero, magnitudes scaled to about
/// 1). `done` (n * W values of T, 0 or 1) marks frozen roots: a root whose
/// flag is 0 on entry gets flag 1 when it met
///   |p(z)| <= tol * sum_k |c_k| |z|^k,   tol = 2 (n + 1) u,
/// the backward-error criterion, evaluated at z; the Aberth step computed
/// there is still applied (a polishing step), and frozen roots never move.
/// For |z| > 1 the reversed polynomial is evaluated at 1/z, so Horner never
/// sums terms larger than the coefficients. A lane's sweep reads only its own
/// lane, so rows can enter and leave lanes between sweeps.
///
/// With `suspect` (one value a lane, 0 or 1), a lane gets 1 when one of its
/// roots is frozen by a step that its neighbours skewed: |N S| > 1/2 for the
/// Newton quotient N = p/p' and the Aberth sum S, the step being
/// N / (1 - N S). Where |N S| <= 1/2 the step leaves |p| below its value at
/// the test, to first order (p(z - w) ~ -p N S / (1 - N S)); a larger skew,
/// from neighbours still far from their roots, can carry a frozen root away
/// (Wilkinson's polynomial of degree 20: a backward error of 1,900 u). The
/// caller then tests such a lane's roots where they stand
/// (backward_error_holds) before it takes them.
///
/// With `seed_step` > 0 (roots that only seed an iteration in a wider type,
/// which applies the backward-error test itself) a root is also frozen once
/// the step just applied was at most seed_step |z|: after a step that small
/// Aberth's cubic convergence leaves it at rounding level, so the sweep that
/// would only confirm it is saved.
template <class T, std::size_t W>
void aberth_sweep(std::size_t n, const T* c, T* zr, T* zi, T* done, T seed_step = T(0), T* suspect = nullptr) {
  using K = kernels::PackOps<T>;
  using P = typename K::pack;
  using M = typename K::mask;
  constexpr std::size_t L = K::lanes;
  static_assert(W % L == 0, "a tile is a whole number of packs");
  constexpr std::size_t V = W / L;
  const T tol = horner_tolerance<T>(n);
  const P tol2 = K::splat(tol * tol);
  const P seed2 = K::splat(seed_step * seed_step);
  const P deg = K::splat(T(n));
  const P one = K::splat(T(1));
  const P zero = K::splat(T(0));
  // Flags are T (0 or 1) in memory and masks in registers.
  for (std::size_t j = 0; j < n; ++j) {
    P open = zero;
    for (std::size_t v = 0; v < V; ++v) open += one - K::load(done + j * W + v * L);
    if (K::sum(open) == T(0)) continue;
    // Local copies: the compiler then knows no store aliases the tile.
    P zrj[V], zij[V], dj[V];
    for (std::size_t v = 0; v < V; ++v) {
      zrj[v] = K::load(zr + j * W + v * L);
      zij[v] = K::load(zi + j * W + v * L);
      dj[v] = K::load(done + j * W + v * L);
    }
    M big[V];
    P xr[V], xi[V], ax[V], pr[V], pi[V], dr[V], di[V], s[V];
    for (std::size_t v = 0; v < V; ++v) {
      const HornerPoint<K> h = horner_point<K>(zrj[v], zij[v]);
      big[v] = h.big;
      xr[v] = h.xr;
      xi[v] = h.xi;
      ax[v] = h.ax;
      const P lead = K::select(big[v], K::load(c + v * L), K::load(c + n * W + v * L));
      pr[v] = lead;
      pi[v] = zero;
      dr[v] = zero;
      di[v] = zero;
      s[v] = K::abs(lead);
    }
    for (std::size_t k = 1; k <= n; ++k) {
      const T* fwd = c + (n - k) * W;
      const T* rev = c + k * W;
      for (std::size_t v = 0; v < V; ++v) {
        const P coef = K::select(big[v], K::load(rev + v * L), K::load(fwd + v * L));
        const P ndr = dr[v] * xr[v] - di[v] * xi[v] + pr[v];
        const P ndi = dr[v] * xi[v] + di[v] * xr[v] + pi[v];
        const P npr = pr[v] * xr[v] - pi[v] * xi[v] + coef;
        const P npi = pr[v] * xi[v] + pi[v] * xr[v];
        dr[v] = ndr;
        di[v] = ndi;
        pr[v] = npr;
        pi[v] = npi;
        s[v] = s[v] * ax[v] + K::abs(coef);
      }
    }
    // Aberth sum over the other roots (their newest values).
    P sr[V], si[V];
    for (std::size_t v = 0; v < V; ++v) sr[v] = si[v] = zero;
    for (std::size_t k = 0; k < n; ++k) {
      if (k == j) continue;
      // zr[j * W ..] may be stale here, but k != j.
      for (std::size_t v = 0; v < V; ++v) {
        const P er = zrj[v] - K::load(zr + k * W + v * L);
        const P ei = zij[v] - K::load(zi + k * W + v * L);
        const P e2 = er * er + ei * ei;
        const P inv = K::select(e2 > zero, one / e2, zero);
        sr[v] += er * inv;
        si[v] -= ei * inv;
      }
    }
    for (std::size_t v = 0; v < V; ++v) {
      const M b = big[v];
      // Newton quotient p/p' = num/den; for |z| > 1 with q(x) the reversed
      // polynomial at x = 1/z: p/p' = z q / (n q - x q').
      const P nr = K::select(b, zrj[v] * pr[v] - zij[v] * pi[v], pr[v]);
      const P ni = K::select(b, zrj[v] * pi[v] + zij[v] * pr[v], pi[v]);
      const P br = K::select(b, deg * pr[v] - (xr[v] * dr[v] - xi[v] * di[v]), dr[v]);
      const P bi = K::select(b, deg * pi[v] - (xr[v] * di[v] + xi[v] * dr[v]), di[v]);
      // Aberth step w = N / (1 - N S) = num / (den - num S).
      const P tr = nr * sr[v] - ni * si[v], ti = nr * si[v] + ni * sr[v]; // num S
      const P qr = br - tr;
      const P qi = bi - ti;
      const P q2 = qr * qr + qi * qi;
      const P inv = one / q2;
      const P wr = (nr * qr + ni * qi) * inv;
      const P wi = (ni * qr - nr * qi) * inv;
      // x - x == 0 is false exactly for infinities and NaN.
      const M finite = K::both((wr - wr) == zero, (wi - wi) == zero);
      const M converged = below_tolerance<K>(pr[v], pi[v], s[v], tol2);
      const M move = K::both(dj[v] == zero, finite);
      if (seed_step > T(0)) {
        // At the point the step starts from; NaN steps compare false.
        const M small_step = wr * wr + wi * wi <= seed2 * (zrj[v] * zrj[v] + zij[v] * zij[v]);
        dj[v] = K::select(K::both(move, small_step), one, dj[v]);
      }
      if (suspect != nullptr) {
        // |num S| > |den| / 2: |N S| > 1/2 (NaN compares false: a
        // non-finite step does not move the root).
        const M skewed = K::both(K::both(move, converged), T(4) * (tr * tr + ti * ti) > br * br + bi * bi);
        K::store(suspect + v * L, K::select(skewed, one, K::load(suspect + v * L)));
      }
      zrj[v] = K::select(move, zrj[v] - wr, zrj[v]);
      zij[v] = K::select(move, zij[v] - wi, zij[v]);
      dj[v] = K::select(converged, one, dj[v]);
    }
    for (std::size_t v = 0; v < V; ++v) {
      K::store(zr + j * W + v * L, zrj[v]);
      K::store(zi + j * W + v * L, zij[v]);
      K::store(done + j * W + v * L, dj[v]);
    }
  }
}

/// aberth_sweep's backward-error test (tolerance 2 (n + 1) u) for root j of
/// lane l alone, at its current value (the tile's layout: c[k * W + l],
/// zr[j * W + l]), by the sweep's formulas (horner_point, below_tolerance;
/// the compiler may contract them into fused multiply-adds differently):
/// whether it holds there.
template <class T, std::size_t W>
bool backward_error_holds(std::size_t n, const T* c, const T* zr, const T* zi, std::size_t j, std::size_t l) {
  using std::abs;
  const T z_r = zr[j * W + l], z_i = zi[j * W + l];
  const T m = std::max(abs(z_r), abs(z_i));
  if (!(m <= std::numeric_limits<T>::max())) return false; // inf or NaN
  // |z| > 1: the reversed polynomial at x = 1/z, as horner_point forms it.
  const bool big = m > T(1);
  const T scale = big ? T(1) / m : T(1);
  const T ur = z_r * scale, ui = z_i * scale;
  const T u2 = ur * ur + ui * ui;
  const T r = std::sqrt(u2);
  const T inv = big ? scale / u2 : T(1);
  const T xr = big ? ur * inv : z_r, xi = big ? -ui * inv : z_i, ax = big ? r * inv : r;
  T pr = big ? c[l] : c[n * W + l], pi = T(0), s = abs(pr);
  for (std::size_t k = 1; k <= n; ++k) {
    const T coef = big ? c[k * W + l] : c[(n - k) * W + l];
    const T npr = pr * xr - pi * xi + coef;
    pi = pr * xi + pi * xr;
    pr = npr;
    s = s * ax + abs(coef);
  }
  const T tol = horner_tolerance<T>(n), s_inv = T(1) / s, vr = pr * s_inv, vi = pi * s_inv;
  return vr * vr + vi * vi <= tol * tol;
}

/// Reopens (flag 0) each frozen root of lane l that fails
/// backward_error_holds where it stands; whether one did.
template <class T, std::size_t W>
bool reopen_failing_roots(std::size_t n, const T* c, const T* zr, const T* zi, T* done, std::size_t l) {
  bool reopened = false;
  for (std::size_t j = 0; j < n; ++j)
    if (done[j * W + l] != T(0) && !backward_error_holds<T, W>(n, c, zr, zi, j, l)) {
      done[j * W + l] = T(0);
      reopened = true;
    }
  return reopened;
}

/// aberth_sweep's backward-error test alone, at the roots' current values,
/// with half its tolerance ((n + 1) u): flags each open root of the tile that
/// meets it and moves none. A root it passes is returned as it is, with no
/// polishing step after the test, hence the stricter bound (with the sweep's
/// own, the largest backward error over 200,000 random degree-8 rows went
/// from 6.4 u to 15 u; with this one it is 8.4 u). Roots seeded
/// from a converged narrower iteration usually need one sweep to reach full
/// accuracy; this test then stands in for the second sweep, which would only
/// confirm them (about a quarter of its cost: p alone, no derivative, no
/// Aberth sum, no division but one).
template <class T, std::size_t W>
void aberth_check(std::size_t n, const T* c, const T* zr, const T* zi, T* done) {
  using K = kernels::PackOps<T>;
  using P = typename K::pack;
  using M = typename K::mask;
  constexpr std::size_t L = K::lanes;
  static_assert(W % L == 0, "a tile is a whole number of packs");
  constexpr std::size_t V = W / L;
  const T tol = horner_tolerance<T>(n) / T(2);
  const P tol2 = K::splat(tol * tol);
  const P one = K::splat(T(1));
  for (std::size_t j = 0; j < n; ++j) {
    M big[V];
    P xr[V], xi[V], ax[V], pr[V], pi[V], s[V];
    for (std::size_t v = 0; v < V; ++v) {
      const HornerPoint<K> h = horner_point<K>(K::load(zr + j * W + v * L), K::load(zi + j * W + v * L));
      big[v] = h.big;
      xr[v] = h.xr;
      xi[v] = h.xi;
      ax[v] = h.ax;
      pr[v] = K::select(big[v], K::load(c + v * L), K::load(c + n * W + v * L));
      pi[v] = K::splat(T(0));
      s[v] = K::abs(pr[v]);
    }
    for (std::size_t k = 1; k <= n; ++k) {
      const T* fwd = c + (n - k) * W;
      const T* rev = c + k * W;
      for (std::size_t v = 0; v < V; ++v) {
        const P coef = K::select(big[v], K::load(rev + v * L), K::load(fwd + v * L));
        const P npr = pr[v] * xr[v] - pi[v] * xi[v] + coef;
        const P npi = pr[v] * xi[v] + pi[v] * xr[v];
        pr[v] = npr;
        pi[v] = npi;
        s[v] = s[v] * ax[v] + K::abs(coef);
      }
    }
    for (std::size_t v = 0; v < V; ++v) {
      const M converged = below_tolerance<K>(pr[v], pi[v], s[v], tol2);
      K::store(done + j * W + v * L, K::select(converged, one, K::load(done + j * W + v * L)));
    }
  }
}

} // namespace polybatch::kernels::roots
