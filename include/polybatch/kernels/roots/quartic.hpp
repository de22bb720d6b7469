// Roots of real quartics a register of rows at a time, by Ferrari's
// factorisation: the monic quartic shifted to y^4 + p y^2 + q y + r (a
// Taylor shift by synthetic division), the largest root m of the resolvent
// cubic m^3 + p m^2 + (p^2/4 - r) m - q^2/8 (Kahan's iteration for one real
// root, the deflated quadratic for the others), which splits it into
// y^2 -+ s y + (p/2 + m +- q/(2s)), s = sqrt(2m), each solved
// cancellation-free (without a positive m, q is about 0 and the biquadratic
// formula serves). The formulas lose accuracy where the shift or the
// resolvent cancel, so each root then takes a Newton step on the original
// coefficients and a polishing step, and then the backward-error test of
// Aberth's iteration; a row with a root that fails the test (an overflow, a
// multiple root, a cluster) is reported so that the caller runs it through
// Aberth's iteration instead. Lanes never read each other.
#pragma once

#include <complex>
#include <cstddef>
#include <limits>

#include "polybatch/kernels/pack.hpp"
#include "polybatch/kernels/roots/closed_form.hpp"
#include "polybatch/kernels/roots/cubic.hpp"
#include "polybatch/kernels/roots/packed.hpp"

namespace polybatch::kernels::roots {

/// Roots of K::lanes * V quartics c0 + ... + c4 x^4, rows of five
/// coefficients at `a` (c0 and c4 nonzero, no coefficient needing scaling:
/// plain_row), written in lexicographic order to `out`, four per row,
/// for the rows with plain[l] set and ok[l] set (every root passed the
/// backward-error test); other rows have nothing written. Float and double.
template <class T, std::size_t V>
void quartic_rows(const T* a, std::complex<T>* out, const bool* plain, bool* ok) {
  using K = PackOps<T>;
  using P = typename K::pack;
  using M = typename K::mask;
  // Lanes of rows that are not plain get x^4 + 2 x^2 + 2 (q = 0 there, so
  // they fail; their roots are not written).
  constexpr T filler[5] = {2, 0, 2, 0, 1};
  const P zero = K::splat(T(0)), one = K::splat(T(1));
  P c[V][5], h[V], p[V], q[V], rc[V], m[V], b1[V], c2[V];
  M settled[V];
  load_rows<T, V, 4>(a, plain, filler, c);
  for (std::size_t v = 0; v < V; ++v) {
    const P inv = one / c[v][4];
    // Descending monic coefficients, shifted to x = y - h by synthetic
    // division at -h: e[2], e[3], e[4] become p, q, r (e[1] is about 0).
    P e[5] = {one, c[v][3] * inv, c[v][2] * inv, c[v][1] * inv, c[v][0] * inv};
    h[v] = e[1] * T(0.25);
    const P at = -h[v];
    for (std::size_t i = 0; i < 4; ++i)
      for (std::size_t j = 1; j <= 4 - i; ++j) e[j] = e[j] + at * e[j - 1];
    p[v] = e[2];
    q[v] = e[3];
    rc[v] = e[4];
  }
  P lead[V], rb[V], rcc[V], rd[V];
  for (std::size_t v = 0; v < V; ++v) {
    lead[v] = one;
    rb[v] = p[v];
    rcc[v] = p[v] * p[v] * T(0.25) - rc[v];
    rd[v] = -(q[v] * q[v]) * T(0.125);
  }
  kahan_real_roots<T, V>(lead, rb, rcc, rd, m, b1, c2, settled);
  RootsOut<T, V, 4> roots;
  for (std::size_t v = 0; v < V; ++v) {
    // The largest real root of the resolvent.
    P mr[2], mi[2];
    quadratic_pack<T>(one, b1[v], c2[v], mr, mi);
    const M real = mi[1] == zero;
    const P other = K::select(mr[1] > mr[0], mr[1], mr[0]);
    const P largest = K::select(K::both(real, other > m[v]), other, m[v]);
    const M split = K::both(settled[v], largest > zero);
    const P s = K::sqrt(K::select(split, T(2) * largest, one));
    const P e = q[v] / (T(2) * s);
    const P base = p[v] * T(0.5) + largest;
    P zr[4], zi[4];
    quadratic_pack<T>(one, -s, base + e, zr, zi);
    quadratic_pack<T>(one, s, base - e, zr + 2, zi + 2);
    // No positive resolvent root: q is about 0, and y^4 + p y^2 + r has the
    // roots +-sqrt(w), w^2 + p w + r = 0 (complex square roots); skipped
    // when no lane needs them (five square roots a register).
    if (K::sum(K::select(split, zero, one)) != T(0)) {
      P wr[2], wi[2];
      quadratic_pack<T>(one, p[v], rc[v], wr, wi);
      for (std::size_t k = 0; k < 2; ++k) {
        const P mag = K::sqrt(wr[k] * wr[k] + wi[k] * wi[k]);
        const P sr = K::sqrt(K::abs(mag + wr[k]) * T(0.5));
        const P si_abs = K::sqrt(K::abs(mag - wr[k]) * T(0.5));
        const auto sign = K::to_bits(wi[k]) & K::to_bits(-zero);
        const P si = K::from_bits(K::to_bits(si_abs) | sign);
        zr[2 * k] = K::select(split, zr[2 * k], sr);
        zi[2 * k] = K::select(split, zi[2 * k], si);
        zr[2 * k + 1] = K::select(split, zr[2 * k + 1], -sr);
        zi[2 * k + 1] = K::select(split, zi[2 * k + 1], -si);
      }
    }
    M good = zero == zero;
    for (std::size_t j = 0; j < 4; ++j) {
      zr[j] = zr[j] - h[v];
      // Two steps, then the test on the root returned: near a cluster p
      // and p' are rounding noise, and a step can leave the cluster from a
      // root that met the test. NaN fails it.
      newton_step_pack<T, 4>(c[v], zr[j], zi[j]);
      newton_step_pack<T, 4>(c[v], zr[j], zi[j]);
      good = K::both(good, meets_backward_error<T, 4>(c[v], zr[j], zi[j]));
    }
    sort_roots_pack<T, 4>(zr, zi);
    roots.put(v, zr, zi, good);
  }
  roots.write(out, plain, ok);
}

} // namespace polybatch::kernels::roots
