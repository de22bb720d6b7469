// Starting points for simultaneous root iterations: circles whose radii come
// from the Newton polygon of the coefficient magnitudes (the upper convex hull
// of (k, log|a_k|)), as MPSolve and Bini's Aberth code choose them, so that
// roots spread over many magnitudes start near their own scale.
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>
#include <numbers>
#include <vector>

#include "polybatch/kernels/roots/fast_math.hpp"

namespace polybatch::kernels::roots {

/// Unit vectors for degree n, computed once per degree: the m-th roots of
/// unity for m = 1..n and one rotation per hull vertex, so that rows need no
/// trigonometry.
template <class T>
class StartTable {
public:
  void prepare(std::size_t n) {
    if (n == n_) return;
    n_ = n;
    const T two_pi = T(2) * std::numbers::pi_v<T>;
    unity_.assign(n * (n + 1) / 2, {});
    for (std::size_t m = 1; m <= n; ++m)
      for (std::size_t q = 0; q < m; ++q) unity_[m * (m - 1) / 2 + q] = std::polar(T(1), two_pi * T(q) / T(m));
    // Offsets keep circles from sharing angles and stay off the real axis,
    // where conjugate-symmetric iterations would stall.
    rotation_.assign(n + 1, {});
    for (std::size_t lo = 0; lo <= n; ++lo) rotation_[lo] = std::polar(T(1), two_pi * T(lo) / T(n) + T(0.4));
  }
  std::complex<T> point(std::size_t lo, std::size_t m, std::size_t q) const {
    return unity_[m * (m - 1) / 2 + q] * rotation_[lo];
  }

private:
  std::size_t n_ = 0;
  std::vector<std::complex<T>> unity_, rotation_;
};

/// Writes n = deg starting points (re[j * stride], im[j * stride]) for the
/// polynomial a[0..n] (a[0] != 0, a[n] != 0). `hull` is scratch of n + 1
/// indices, `logs` of n + 1 values; `table` prepared for n. Deterministic:
/// the same row always gets the same points.
template <class T>
void newton_polygon_starts(const T* a, std::size_t n, T* re, T* im, std::size_t stride, std::size_t* hull, T* logs,
                           const StartTable<T>& table) {
  // log2|a_k| (roughly: radii need not be exact); zero coefficients are
  // never hull vertices.
  for (std::size_t k = 0; k <= n; ++k) logs[k] = a[k] == T(0) ? T(0) : rough_log2(a[k]);
  std::size_t h = 0;
  for (std::size_t k = 0; k <= n; ++k) {
    if (a[k] == T(0)) continue;
    // Pop while the last vertex lies on or below the chord to k (upper hull).
    while (h >= 2) {
      const std::size_t i = hull[h - 2], j = hull[h - 1];
      const T cross = (logs[j] - logs[i]) * T(k - i) - (logs[k] - logs[i]) * T(j - i);
      if (cross > T(0)) break;
      --h;
    }
    hull[h++] = k;
  }
  std::size_t j = 0;
  for (std::size_t e = 0; e + 1 < h; ++e) {
    const std::size_t lo = hull[e], hi = hull[e + 1];
    const std::size_t m = hi - lo;
    const T radius = rough_exp2((logs[lo] - logs[hi]) / T(m));
    for (std::size_t q = 0; q < m; ++q, ++j) {
      const std::complex<T> p = table.point(lo, m, q);
      re[j * stride] = radius * p.real();
      im[j * stride] = radius * p.imag();
    }
  }
}

} // namespace polybatch::kernels::roots
