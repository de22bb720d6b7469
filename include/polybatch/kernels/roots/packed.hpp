// What the packed solvers of small degrees (cubic.hpp, quartic.hpp) share:
// rows loaded into coefficient-major vector registers, quadratics solved
// without cancellation, the backward-error test of Aberth's iteration, a
// checked Newton step, sorting networks, and the roots written back row by
// row. Float and double (PackOps registers); lanes never read each other.
#pragma once

#include <complex>
#include <cstddef>
#include <limits>

#include "polybatch/kernels/pack.hpp"
#include "polybatch/kernels/roots/closed_form.hpp"

namespace polybatch::kernels::roots {

/// Rows of n + 1 coefficients at `a` (row l at a + (n + 1) l), V registers
/// of them, coefficient-major: c[v][k] holds coefficient k of the rows
/// v L .. v L + L - 1. Lanes of rows that are not plain get `filler` (a
/// polynomial the solver handles without trapping; its roots are never
/// written).
template <class T, std::size_t V, std::size_t n>
void load_rows(const T* a, const bool* plain, const T (&filler)[n + 1], typename PackOps<T>::pack (&c)[V][n + 1]) {
  using K = PackOps<T>;
  constexpr std::size_t L = K::lanes;
  T in[n + 1][L * V];
  for (std::size_t l = 0; l < L * V; ++l)
    for (std::size_t k = 0; k <= n; ++k) in[k][l] = plain[l] ? a[(n + 1) * l + k] : filler[k];
  for (std::size_t v = 0; v < V; ++v)
    for (std::size_t k = 0; k <= n; ++k) c[v][k] = K::load(in[k] + v * L);
}

/// The n roots of each lane, gathered register by register (put) and then
/// written row by row (write) where the row is plain and passed.
template <class T, std::size_t V, std::size_t n>
class RootsOut {
public:
  using K = PackOps<T>;
  static constexpr std::size_t L = K::lanes;

  void put(std::size_t v, const typename K::pack* zr, const typename K::pack* zi, typename K::mask good) {
    for (std::size_t j = 0; j < n; ++j) {
      K::store(re_[j] + v * L, zr[j]);
      K::store(im_[j] + v * L, zi[j]);
    }
    K::store(pass_ + v * L, K::select(good, K::splat(T(1)), K::splat(T(0))));
  }
  /// Rows at out + n l; ok[l] tells whether row l was written.
  void write(std::complex<T>* out, const bool* plain, bool* ok) const {
    for (std::size_t l = 0; l < L * V; ++l) {
      ok[l] = plain[l] && pass_[l] != T(0);
      if (ok[l])
        for (std::size_t j = 0; j < n; ++j) out[n * l + j] = {re_[j][l], im_[j][l]};
    }
  }

private:
  T re_[n][L * V], im_[n][L * V], pass_[L * V];
};

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

/// One Newton step z - p(z)/p'(z) for the polynomial c[0..n] at z, per lane
/// (complex; a real z stays real). Returns whether z, before the step, met
/// the backward-error test of meets_backward_error, as Aberth's iteration
/// tests a root and then still applies its step.
template <class T, std::size_t n>
[[gnu::always_inline]] inline typename PackOps<T>::mask
newton_step_pack(const typename PackOps<T>::pack* c, typename PackOps<T>::pack& zr, typename PackOps<T>::pack& zi) {
  using K = PackOps<T>;
  using P = typename K::pack;
  const T tol = T(2 * (n + 1)) * (std::numeric_limits<T>::epsilon() / T(2));
  const P mag = K::sqrt(zr * zr + zi * zi);
  P pr = c[n], pi = K::splat(T(0)), dr = pi, di = pi, sum = K::abs(c[n]);
  for (std::size_t k = n; k-- > 0;) {
    const P ndr = dr * zr - di * zi + pr;
    const P ndi = dr * zi + di * zr + pi;
    const P npr = pr * zr - pi * zi + c[k];
    const P npi = pr * zi + pi * zr;
    dr = ndr;
    di = ndi;
    pr = npr;
    pi = npi;
    sum = sum * mag + K::abs(c[k]);
  }
  const P inv = T(1) / (dr * dr + di * di);
  zr = zr - (pr * dr + pi * di) * inv;
  zi = zi - (pi * dr - pr * di) * inv;
  // NaN and infinities fail the test, and a NaN step leaves NaN behind.
  return pr * pr + pi * pi <= (tol * tol) * sum * sum;
}

} // namespace polybatch::kernels::roots
