// Certified inclusion radii for approximate roots of one row, in exact dyadic
// arithmetic (kernels/roots/dyadic.hpp), rounded up to double:
//  * Newton: p'/p(z) = sum 1/(z - x_i), so some root x_i has
//    |z - x_i| <= n |p(z) / p'(z)|; if p'(z) = 0, |p(z) / a_n| = prod |z - x_i|
//    gives |z - x_i| <= (|p(z)| / |a_n|)^(1/n).
//  * Weierstrass-Gerschgorin: with n distinct points and W_j = p(z_j) /
//    (a_n prod_{k != j} (z_j - z_k)), the roots of p are the eigenvalues of
//    diag(z) - W 1^T (p(x) / a_n = prod (x - z_k) (1 + sum W_k / (x - z_k))),
//    whose Gerschgorin disks D(z_j - W_j, (n - 1)|W_j|) lie in D(z_j, n|W_j|);
//    if these n disks are pairwise disjoint, each holds exactly one root.
// Each reported disk holds at least one root; if the n disks are pairwise
// disjoint, each holds exactly one (n disjoint disks, n roots).
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <vector>

#include "polybatch/kernels/roots/dyadic.hpp"

namespace polybatch::kernels::roots {

struct DyadicComplex {
  Dyadic re, im;
};

inline DyadicComplex operator*(const DyadicComplex& a, const DyadicComplex& b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
inline DyadicComplex operator+(const DyadicComplex& a, const DyadicComplex& b) { return {a.re + b.re, a.im + b.im}; }
inline DyadicComplex operator-(const DyadicComplex& a, const DyadicComplex& b) { return {a.re - b.re, a.im - b.im}; }
inline Dyadic norm(const DyadicComplex& a) { return a.re * a.re + a.im * a.im; }

/// Disks D(z_j, r_j), D(z_k, r_k) are disjoint: (r_j + r_k)^2 < |z_j - z_k|^2.
inline bool disjoint(const DyadicComplex& zj, double rj, const DyadicComplex& zk, double rk) {
  if (std::isinf(rj) || std::isinf(rk)) return false;
  const Dyadic s = Dyadic::from(rj) + Dyadic::from(rk);
  return s * s < norm(zj - zk);
}

/// All pairs of the disks are disjoint.
inline bool pairwise_disjoint(const std::vector<DyadicComplex>& z, const std::vector<double>& r) {
  for (std::size_t j = 0; j < z.size(); ++j)
    for (std::size_t k = j + 1; k < z.size(); ++k)
      if (!disjoint(z[j], r[j], z[k], r[k])) return false;
  return true;
}

/// Radii for row a[0..len) at points z[0..places) (NaN points get NaN).
/// Returns whether the row's disks isolate its roots: the row has degree
/// n >= 0, exactly n points are given, and their disks are pairwise disjoint.
template <class T>
bool inclusion_radii(const T* a, std::size_t len, const std::complex<T>* z, std::size_t places, double* radius) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::size_t top = len;
  while (top > 0 && a[top - 1] == T(0)) --top;
  std::vector<std::size_t> at; // indices of the given (non-NaN) points
  for (std::size_t j = 0; j < places; ++j) {
    radius[j] = nan;
    if (!std::isnan(z[j].real()) && !std::isnan(z[j].imag())) at.push_back(j);
  }
  if (top == 0) { // the zero polynomial: every point is a root
    for (std::size_t j : at) radius[j] = 0.0;
    return false;
  }
  const std::size_t n = top - 1;
  std::vector<Dyadic> c(top);
  for (std::size_t k = 0; k < top; ++k) c[k] = Dyadic::from(a[k]);
  const Dyadic lead2 = c[n] * c[n];
  std::vector<DyadicComplex> pts;
  std::vector<Dyadic> value2; // |p(z_j)|^2
  std::vector<double> r;
  bool finite = true;
  for (std::size_t j : at) {
    if (!std::isfinite(z[j].real()) || !std::isfinite(z[j].imag())) {
      radius[j] = inf;
      finite = false;
      continue;
    }
    const DyadicComplex x{Dyadic::from(z[j].real()), Dyadic::from(z[j].imag())};
    DyadicComplex p{c[n], Dyadic{}}, d{};
    for (std::size_t k = n; k-- > 0;) {
      d = d * x + p;
      p = p * x + DyadicComplex{c[k], Dyadic{}};
    }
    const Dyadic p2 = norm(p), d2 = norm(d);
    double rj = 0.0;
    if (n == 0)
      rj = inf; // a nonzero constant has no root
    else if (sign(p2) == 0)
      rj = 0.0;
    else if (sign(d2) != 0)
      rj = root_up(p2 * Dyadic::from(double(n * n)), d2, 2);
    else
      rj = root_up(p2, lead2, static_cast<unsigned>(2 * n));
    radius[j] = rj;
    pts.push_back(x);
    value2.push_back(p2);
    r.push_back(rj);
  }
  if (!finite || pts.size() != n) return false;
  // Weierstrass disks, where the points are distinct.
  std::vector<double> w(n, inf);
  bool distinct = true;
  for (std::size_t j = 0; j < n && distinct; ++j) {
    DyadicComplex prod{Dyadic::from(1.0), Dyadic{}};
    for (std::size_t k = 0; k < n; ++k)
      if (k != j) prod = prod * (pts[j] - pts[k]);
    const Dyadic q2 = norm(prod);
    if (sign(q2) == 0)
      distinct = false;
    else
      w[j] = root_up(value2[j] * Dyadic::from(double(n * n)), lead2 * q2, 2);
  }
  if (distinct && pairwise_disjoint(pts, w))
    for (std::size_t j = 0; j < n; ++j) r[j] = std::min(r[j], w[j]);
  std::size_t i = 0;
  for (std::size_t j : at) radius[j] = r[i++];
  return pairwise_disjoint(pts, r);
}

} // namespace polybatch::kernels::roots
