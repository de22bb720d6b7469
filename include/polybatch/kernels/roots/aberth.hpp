// Aberth-Ehrlich iteration (simultaneous Newton with the Aberth correction)
// over a tile of W rows of the same degree, in lockstep: coefficients and
// roots are stored structure-of-arrays (lane fastest), so every loop below
// runs over the W lanes and vectorises. A root is frozen once its backward
// error is at rounding level; lanes (rows) finish at different iterations and
// simply stop changing, so a row's result never depends on its tile mates.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

#include "polybatch/kernels/roots/fast_math.hpp"

namespace polybatch::kernels::roots {

/// Iterates the n roots (zr, zi)[j * W + l] of the W polynomials
/// c[k * W + l], k = 0..n (c[0] and c[n] nonzero, magnitudes scaled to about
/// 1), starting from the given points. `done` (n * W values of T) must be zero on
/// entry; on exit done[j * W + l] (1 or 0) says root j of lane l met
///   |p(z)| <= tol * sum_k |c_k| |z|^k,   tol = 2 (n + 1) u,
/// the backward-error criterion, evaluated at z; the Aberth step computed
/// there is still applied once (a polishing step) before the root is frozen.
/// For |z| > 1 the reversed polynomial is evaluated at 1/z, so Horner never
/// sums terms larger than the coefficients. Returns the iterations used.
template <class T, std::size_t W>
std::size_t aberth_tile(std::size_t n, const T* c, T* zr, T* zi, T* done, std::size_t max_iterations) {
  const T u = std::numeric_limits<T>::epsilon() / T(2);
  const T tol = T(2 * (n + 1)) * u;
  const T tol2 = tol * tol;
  const T deg = T(n);
  // Flags are T (0 or 1) and selections are ternaries on T comparisons, so
  // that every lane loop is if-converted into vector blends.
  std::size_t it = 0;
  for (; it < max_iterations; ++it) {
    T pending = T(0);
    for (std::size_t j = 0; j < n; ++j) {
      T open = T(0);
      for (std::size_t l = 0; l < W; ++l) open += T(1) - done[j * W + l];
      if (open == T(0)) continue;
      // Local copies: the compiler then knows no store aliases the tile.
      T zrj[W], zij[W], dj[W];
      for (std::size_t l = 0; l < W; ++l) {
        zrj[l] = zr[j * W + l];
        zij[l] = zi[j * W + l];
        dj[l] = done[j * W + l];
      }
      T r2[W], r[W];
      for (std::size_t l = 0; l < W; ++l) {
        r2[l] = zrj[l] * zrj[l] + zij[l] * zij[l];
        r[l] = sqrt_nonnegative(r2[l]);
      }
      T big[W], xr[W], xi[W], ax[W], pr[W], pi[W], dr[W], di[W], s[W];
      for (std::size_t l = 0; l < W; ++l) {
        big[l] = r2[l] > T(1) ? T(1) : T(0);
        const bool b = big[l] != T(0);
        const T inv = T(1) / r2[l];
        const T inv_r = r[l] * inv;
        xr[l] = b ? zrj[l] * inv : zrj[l];
        xi[l] = b ? -zij[l] * inv : zij[l];
        ax[l] = b ? inv_r : r[l];
        const T lo = c[l];
        const T hi = c[n * W + l];
        const T lead = b ? lo : hi;
        pr[l] = lead;
        pi[l] = T(0);
        dr[l] = T(0);
        di[l] = T(0);
        s[l] = std::fabs(lead);
      }
      for (std::size_t k = 1; k <= n; ++k) {
        const T* fwd = c + (n - k) * W;
        const T* rev = c + k * W;
        for (std::size_t l = 0; l < W; ++l) {
          const T f = fwd[l];
          const T g = rev[l];
          const T coef = big[l] != T(0) ? g : f;
          const T ndr = dr[l] * xr[l] - di[l] * xi[l] + pr[l];
          const T ndi = dr[l] * xi[l] + di[l] * xr[l] + pi[l];
          const T npr = pr[l] * xr[l] - pi[l] * xi[l] + coef;
          const T npi = pr[l] * xi[l] + pi[l] * xr[l];
          dr[l] = ndr;
          di[l] = ndi;
          pr[l] = npr;
          pi[l] = npi;
          s[l] = s[l] * ax[l] + std::fabs(coef);
        }
      }
      // Aberth sum over the other roots (their newest values).
      T sr[W] = {}, si[W] = {};
      for (std::size_t k = 0; k < n; ++k) {
        if (k == j) continue;
        const T* zrk = zr + k * W;
        const T* zik = zi + k * W;
        // zr[j * W ..] may be stale here, but k != j.
        for (std::size_t l = 0; l < W; ++l) {
          const T er = zrj[l] - zrk[l];
          const T ei = zij[l] - zik[l];
          const T e2 = er * er + ei * ei;
          const T q = T(1) / e2;
          const T inv = e2 > T(0) ? q : T(0);
          sr[l] += er * inv;
          si[l] -= ei * inv;
        }
      }
      for (std::size_t l = 0; l < W; ++l) {
        const bool b = big[l] != T(0);
        // Newton quotient p/p' = num/den; for |z| > 1 with q(x) the reversed
        // polynomial at x = 1/z: p/p' = z q / (n q - x q').
        const T nr = b ? zrj[l] * pr[l] - zij[l] * pi[l] : pr[l];
        const T ni = b ? zrj[l] * pi[l] + zij[l] * pr[l] : pi[l];
        const T br = b ? deg * pr[l] - (xr[l] * dr[l] - xi[l] * di[l]) : dr[l];
        const T bi = b ? deg * pi[l] - (xr[l] * di[l] + xi[l] * dr[l]) : di[l];
        // Aberth step w = N / (1 - N S) = num / (den - num S).
        const T qr = br - (nr * sr[l] - ni * si[l]);
        const T qi = bi - (nr * si[l] + ni * sr[l]);
        const T q2 = qr * qr + qi * qi;
        const T inv = T(1) / q2;
        const T wr = (nr * qr + ni * qi) * inv;
        const T wi = (ni * qr - nr * qi) * inv;
        // x - x == 0 is false exactly for infinities and NaN.
        // Products of 0/1 values, not &&, keep the loop free of branches.
        const T finite = ((wr - wr) == T(0) ? T(1) : T(0)) * ((wi - wi) == T(0) ? T(1) : T(0));
        const bool converged = pr[l] * pr[l] + pi[l] * pi[l] <= tol2 * s[l] * s[l];
        const bool move = (T(1) - dj[l]) * finite != T(0);
        zrj[l] = move ? zrj[l] - wr : zrj[l];
        zij[l] = move ? zij[l] - wi : zij[l];
        dj[l] = converged ? T(1) : dj[l];
        pending += T(1) - dj[l];
      }
      for (std::size_t l = 0; l < W; ++l) {
        zr[j * W + l] = zrj[l];
        zi[j * W + l] = zij[l];
        done[j * W + l] = dj[l];
      }
    }
    if (pending == T(0)) break;
  }
  return it;
}

} // namespace polybatch::kernels::roots
