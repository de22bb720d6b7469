// Order and step-size rules of the Taylor integrator (Jorba & Zou 2005, as
// heyoka uses them): the order from the tolerance, and each trajectory's
// step from the size of its last two Taylor coefficients.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

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
/// and bit operations, so a loop over lanes vectorises (std::pow does not,
/// and two calls per trajectory and step cost as much as a small jet). Step
/// sizes are a heuristic: this accuracy is far more than they need.
inline double approx_log2(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  double e = static_cast<double>(static_cast<std::int64_t>(bits >> 52) - 1023);
  double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL); // [1, 2)
  const bool high = m > 1.4142135623730951;
  m = high ? 0.5 * m : m; // [sqrt(1/2), sqrt(2)): |t| below 0.172
  e = high ? e + 1.0 : e;
  const double t = (m - 1.0) / (m + 1.0), t2 = t * t;
  // ln(m) = 2 atanh(t) = 2 (t + t^3/3 + t^5/5 + ...); t^11/11 < 4e-10.
  const double series = 1.0 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9 + t2 * (1.0 / 11)))));
  return e + 2.8853900817779268 * t * series; // 2 / ln 2
}
inline double approx_exp2(double y) {
  constexpr double shifter = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
  const double shifted = y + shifter;
  const double n = shifted - shifter;
  const double f = (y - n) * 0.6931471805599453; // ln 2 * [-1/2, 1/2]
  // exp(f) by Taylor to f^12 / 12!: relative error below 1e-14.
  const double p =
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
  // The low 32 bits of `shifted` hold n in two's complement.
  const auto n_bits = static_cast<std::int64_t>(
      static_cast<std::int32_t>(static_cast<std::uint32_t>(std::bit_cast<std::uint64_t>(shifted))));
  return std::bit_cast<double>(std::bit_cast<std::uint64_t>(p) + (static_cast<std::uint64_t>(n_bits) << 52));
}

/// The steps of W trajectories: for each, min over m in {p - 1, p} of
/// (tol * rho / |c_m|)^(1/m) times the safety factor, where |c_m| is the
/// largest coefficient m over the state variables and rho = max(1, |state|).
/// Coefficients that are all zero impose no bound (the ratio is clamped to
/// 2^1000, a step no trajectory reaches); ratios below 2^-1000 (a blow-up)
/// are clamped to it, so the state turns non-finite instead.
/// `inv_pm1` = 1 / (p - 1), `inv_p` = 1 / p. Three plain passes over the
/// lanes with unconditional divisions: fused into one loop, g++ turns the
/// selections into branches and the loop stays scalar (a third of a step's
/// time for small systems).
template <std::size_t W>
void step_sizes(const double* tol_rho, const double* norm_pm1, const double* norm_p, double inv_pm1, double inv_p,
                double safety, double* h) {
  constexpr double lo = 0x1p-1000, hi = 0x1p1000;
  double e1[W], e2[W];
  for (std::size_t w = 0; w < W; ++w) {
    const bool b1 = norm_pm1[w] > 0, b2 = norm_p[w] > 0;
    double q1 = tol_rho[w] / (b1 ? norm_pm1[w] : 1.0), q2 = tol_rho[w] / (b2 ? norm_p[w] : 1.0);
    q1 = b1 ? q1 : hi;
    q2 = b2 ? q2 : hi;
    q1 = q1 < lo ? lo : q1;
    q2 = q2 < lo ? lo : q2;
    e1[w] = q1 > hi ? hi : q1;
    e2[w] = q2 > hi ? hi : q2;
  }
  for (std::size_t w = 0; w < W; ++w) {
    e1[w] = approx_log2(e1[w]) * inv_pm1;
    e2[w] = approx_log2(e2[w]) * inv_p;
  }
  for (std::size_t w = 0; w < W; ++w) h[w] = approx_exp2(e2[w] < e1[w] ? e2[w] : e1[w]) * safety;
}

/// A double close to x, for step-size arithmetic on any scalar.
template <class T>
double to_double(const T& x) {
  return static_cast<double>(x);
}

} // namespace polybatch::taylor::detail
