// Order and step-size rules of the Taylor integrator (Jorba & Zou 2005, as
// heyoka uses them): the order from the tolerance, and each trajectory's
// step from the size of its last two Taylor coefficients.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>

#include "polybatch/kernels/pack.hpp"

namespace polybatch::taylor::detail {

/// Order p with truncation error about tol when the step is the series'
/// radius of convergence over e^2: ceil(-ln(tol) / 2 + 1), at least 2.
inline std::size_t order_from_tol(double tol) {
  const double p = std::ceil(-std::log(tol) / 2.0 + 1.0);
  return p < 2.0 ? 2 : static_cast<std::size_t>(p);
}

/// heyoka's safety factor exp(-0.7 / (p - 1)): keeps the next, neglected
/// terms below the last kept ones when coefficients decay irregularly.
inline double safety_factor(std::size_t order) {
  return order < 2 ? 0.5 : std::exp(-0.7 / static_cast<double>(order - 1));
}

/// log2(x) for x in [2^-1000, 2^1000] to about 1e-10 absolute, and 2^y for
/// y in [-1000, 1000] to about 1e-13 relative, in plain double arithmetic
/// and bit operations on a pack (kernels/pack.hpp: one double or one vector
/// register), so the lanes vectorise (std::pow does not, and two calls per
/// trajectory and step cost as much as a small jet). Integers go to and from
/// double by the 2^52 trick: AVX2 has no vector int64 <-> double conversion.
/// Step sizes are a heuristic: this accuracy is far more than they need.
template <class K>
typename K::pack approx_log2(typename K::pack x) {
  using P = typename K::pack;
  constexpr double two52 = 4503599627370496.0;
  const auto bits = K::to_bits(x);
  // The biased exponent e + 1023 < 2^12 as the low bits of 2^52's mantissa.
  P e = K::from_bits((bits >> 52) | 0x4330000000000000ULL) - K::splat(two52 + 1023.0);
  P m = K::from_bits((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL); // [1, 2)
  const auto high = m > K::splat(1.4142135623730951);
  m = K::select(high, m * 0.5, m); // [sqrt(1/2), sqrt(2)): |t| below 0.172
  e = K::select(high, e + 1.0, e);
  const P t = (m - 1.0) / (m + 1.0), t2 = t * t;
  // ln(m) = 2 atanh(t) = 2 (t + t^3/3 + t^5/5 + ...); t^11/11 < 4e-10.
  const P series = 1.0 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9 + t2 * (1.0 / 11)))));
  return e + 2.8853900817779268 * t * series; // 2 / ln 2
}
template <class K>
typename K::pack approx_exp2(typename K::pack y) {
  using P = typename K::pack;
  constexpr double shifter = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
  const P shifted = y + shifter;
  const P n = shifted - shifter;
  const P f = (y - n) * 0.6931471805599453; // ln 2 * [-1/2, 1/2]
  // exp(f) by Taylor to f^12 / 12!: relative error below 1e-14.
  const P p =
      1.0 +
      f * (1.0 +
           f * (1.0 / 2 +
                f * (1.0 / 6 +
                     f * (1.0 / 24 +
                          f * (1.0 / 120 +
                               f * (1.0 / 720 + f * (1.0 / 5040 +
                                                     f * (1.0 / 40320 + f * (1.0 / 362880 +
                                                                             f * (1.0 / 3628800 +
                                                                                  f * (1.0 / 39916800 +
                                                                                       f * (1.0 / 479001600))))))))))));
  // The low bits of `shifted` hold n in two's complement; shifted left by
  // 52, only its low 12 bits remain, which is all the exponent needs.
  return K::from_bits(K::to_bits(p) + (K::to_bits(shifted) << 52));
}

/// The steps of W trajectories: for each, min over m in {p - 1, p} of
/// (tol * rho / |c_m|)^(1/m) times the safety factor, where |c_m| is the
/// largest coefficient m over the state variables and rho = max(1, |state|).
/// Coefficients that are all zero impose no bound (the ratio is clamped to
/// 2^1000, a step no trajectory reaches); ratios below 2^-1000 (a blow-up)
/// are clamped to it, so the state turns non-finite instead.
/// `inv_pm1` = 1 / (p - 1), `inv_p` = 1 / p. On packs with mask selections
/// and unconditional divisions, so that the lanes vectorise.
template <std::size_t W>
void step_sizes(const double* tol_rho, const double* norm_pm1, const double* norm_p, double inv_pm1, double inv_p,
                double safety, double* h) {
  using Packs = kernels::PackOps<double>;
  using K = std::conditional_t<W % Packs::lanes == 0, Packs, kernels::ScalarOps<double>>;
  using P = typename K::pack;
  const P lo = K::splat(0x1p-1000), hi = K::splat(0x1p1000), zero = K::splat(0.0), one = K::splat(1.0);
  for (std::size_t w = 0; w < W; w += K::lanes) {
    const P n1 = K::load(norm_pm1 + w), n2 = K::load(norm_p + w), tr = K::load(tol_rho + w);
    const auto b1 = n1 > zero, b2 = n2 > zero;
    P q1 = K::select(b1, tr / K::select(b1, n1, one), hi);
    P q2 = K::select(b2, tr / K::select(b2, n2, one), hi);
    q1 = K::select(q1 < lo, lo, q1);
    q2 = K::select(q2 < lo, lo, q2);
    q1 = K::select(q1 > hi, hi, q1);
    q2 = K::select(q2 > hi, hi, q2);
    const P e1 = approx_log2<K>(q1) * inv_pm1;
    const P e2 = approx_log2<K>(q2) * inv_p;
    K::store(h + w, approx_exp2<K>(K::select(e2 < e1, e2, e1)) * safety);
  }
}

/// A double close to x, for step-size arithmetic on any scalar.
template <class T>
double to_double(const T& x) {
  return static_cast<double>(x);
}

} // namespace polybatch::taylor::detail
