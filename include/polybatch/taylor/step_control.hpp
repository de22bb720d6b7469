// Order and step-size rules of the Taylor integrator (Jorba & Zou 2005, as
// heyoka uses them): the order from the tolerance, and each trajectory's
// step from the size of its last two Taylor coefficients.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "polybatch/kernels/pack.hpp"
#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/finite.hpp"

namespace polybatch::taylor::detail {

/// Order p with truncation error about tol when the step is the series'
/// radius of convergence over e^c: ceil(-ln(tol) / c + 1), at least 2.
/// heyoka's c = 2 minimises the O(p^2) work of a step per unit of time; it
/// stays for double-double and MPFR, whose arithmetic is all of a step's
/// cost. float and double lanes run their products in vector registers, so
/// the per-step work that does not grow with p^2 (step sizes, Horner, lane
/// bookkeeping) weighs more and longer steps pay: c = 1/0.6, measured in
/// bench_taylor at 0.5, 0.6, 0.7 (docs/taylor.md): 0.6 was 10-40% faster
/// than 0.5 at equal accuracy on all four ensembles, 0.7 slower on Lorenz.
template <class T>
std::size_t order_from_tol(double tol) {
  const double per_digit = std::is_same_v<T, float> || std::is_same_v<T, double> ? 0.6 : 0.5;
  const double p = std::ceil(-std::log(tol) * per_digit + 1.0);
  return p < 2.0 ? 2 : static_cast<std::size_t>(p);
}

/// heyoka's safety factor exp(-0.7 / (p - 1)): keeps the next, neglected
/// terms below the last kept ones when coefficients decay irregularly.
inline double safety_factor(std::size_t order) {
  return order < 2 ? 0.5 : std::exp(-0.7 / static_cast<double>(order - 1));
}

/// log2(x) for normal x to about 3e-5 absolute, and 2^y for y in [-1000,
/// 1000] to about 3e-6 relative, in plain double arithmetic and bit
/// operations on a pack (kernels/pack.hpp: one double or one vector
/// register), so the lanes vectorise (std::pow does not, and two calls per
/// trajectory and step cost as much as a small jet). Polynomials only, no
/// division: a step size is a heuristic, and the relative error these leave
/// in it (below 1e-5 for orders above 4) is far below what it needs.
/// Integers go to and from double by the 2^52 trick: AVX2 has no vector
/// int64 <-> double conversion.
template <class K>
typename K::pack approx_log2(typename K::pack x) {
  using P = typename K::pack;
  constexpr double two52 = 4503599627370496.0;
  const auto bits = K::to_bits(x);
  // The biased exponent e + 1023 < 2^12 as the low bits of 2^52's mantissa.
  P e = K::from_bits((bits >> 52) | 0x4330000000000000ULL) - K::splat(two52 + 1023.0);
  P m = K::from_bits((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL); // [1, 2)
  const auto high = m > K::splat(1.4142135623730951);
  m = K::select(high, m * 0.5, m); // [sqrt(1/2), sqrt(2))
  e = K::select(high, e + 1.0, e);
  const P t = m - 1.0;
  // log2(1 + t) / t, least squares at Chebyshev nodes of t in
  // [sqrt(1/2) - 1, sqrt(2) - 1]: 2.6e-5 largest error of log2(1 + t).
  const P t2 = t * t;
  const P q = (1.4426475745511165 + t * -0.7205412109097544) +
              t2 * ((0.48521405718178556 + t * -0.39112317300325916) + t2 * 0.255666871630598);
  return e + t * q;
}
/// log2(x) for normal x to within 0.044: the bits of x read as a fixed-point
/// number are the exponent plus the mantissa's fraction f, and f lies below
/// log2(1 + f) by 0 to 0.086 (half of that is added). The step rule
/// divides these logarithms by orders m >= 2 (by 9 to 30 at the usual
/// tolerances), so a step comes out within 1.5% (0.35%) of the rule's.
template <class K>
typename K::pack coarse_log2(typename K::pack x) {
  constexpr double two52 = 4503599627370496.0;
  // bits / 2^20 < 2^44 as an integer in the low bits of 2^52's mantissa.
  const typename K::pack fixed = K::from_bits((K::to_bits(x) >> 20) | 0x4330000000000000ULL) - K::splat(two52);
  return fixed * 0x1p-32 - K::splat(1023.0 - 0.043035666028894);
}
template <class K>
typename K::pack approx_exp2(typename K::pack y) {
  using P = typename K::pack;
  constexpr double shifter = 6755399441055744.0; // 1.5 * 2^52: adding it rounds to an integer
  const P shifted = y + shifter;
  const P n = shifted - shifter;
  const P f = (y - n) * 0.6931471805599453; // ln 2 * [-1/2, 1/2]
  // exp(f) by Taylor to f^5 / 5!: relative error below 2.5e-6.
  const P f2 = f * f;
  const P p = (1.0 + f) + f2 * ((1.0 / 2 + f * (1.0 / 6)) + f2 * (1.0 / 24 + f * (1.0 / 120)));
  // The low bits of `shifted` hold n in two's complement; shifted left by
  // 52, only its low 12 bits remain, which is all the exponent needs.
  return K::from_bits(K::to_bits(p) + (K::to_bits(shifted) << 52));
}

/// The steps of W trajectories: for each, min over m in {p - 2, p - 1, p}
/// of (tol * rho / |c_m|)^(1/m) times the safety factor, where |c_m| is the
/// largest coefficient m over the state variables and rho = max(1, |state|).
/// Jorba and Zou (and heyoka) take m in {p - 1, p}; with the orders chosen
/// for float and double (order_from_tol) that missed a pendulum step whose
/// coefficients p - 1 and p were both small by accident (energy drift 1e-13
/// at tol 1e-15, 100x the others); the third coefficient caught it for about
/// 8% more steps. In logarithms: (log2(tol rho) - log2 |c_m|) / m, clamped to
/// [-1000, 1000] after the division (clamped before it, a state whose high
/// coefficients vanish, as on any polynomial motion, was held to steps of
/// 2^(1000/m), 4.6e13 at order 22: t1 = 1e100 took forever). Coefficients
/// that are zero or NaN impose no bound (2^1000: a step no trajectory
/// reaches); an infinite one gives 2^-1000 (a blow-up), so the state turns
/// non-finite or the step underflows instead. step_norm passes subnormal
/// coefficients as the smallest normal; types beyond double's range take
/// step_sizes_from_logs. `norms[j][w]` holds
/// |c_m| of lane w and `inverse_m[j]` 1 / m for m = p - 2 + j (below order
/// 6 the caller takes only m >= p - 1, and m = p at orders 1 and 2, repeated:
/// a low m would bound the step by tol^(1/m)). On packs with mask selections, so that the lanes vectorise.
template <std::size_t W>
void step_sizes(const double* tol_rho, const double (&norms)[3][W], const double (&inverse_m)[3], double safety,
                double* h) {
  using Packs = kernels::PackOps<double>;
  using K = std::conditional_t<W % Packs::lanes == 0, Packs, kernels::ScalarOps<double>>;
  using P = typename K::pack;
  const P lo = K::splat(-1000.0), hi = K::splat(1000.0), tiny = K::splat(0x1p-1022),
          huge = K::splat(std::numeric_limits<double>::max());
  for (std::size_t w = 0; w < W; w += K::lanes) {
    const P log_tr = approx_log2<K>(K::load(tol_rho + w));
    P e = hi;
    for (std::size_t j = 0; j < 3; ++j) {
      const P n = K::load(norms[j] + w);
      const P q = K::min(K::max((log_tr - coarse_log2<K>(n)) * inverse_m[j], lo), hi);
      e = K::min(K::select(n >= tiny, K::select(n > huge, lo, q), hi), e);
    }
    K::store(h + w, approx_exp2<K>(e) * safety);
  }
}

/// A double close to x, for step-size arithmetic on any scalar.
template <class T>
double to_double(const T& x) {
  return static_cast<double>(x);
}

/// |x| as a double for the step rule (types within double's range): a
/// subnormal counts as the smallest normal, a finite bound on the safe side
/// of its own, which coarse_log2 (normal numbers only) can take.
template <class T>
double step_norm(const T& x) {
  constexpr double smallest_normal = 0x1p-1022;
  const double d = std::abs(to_double(x));
  return d != 0 && d < smallest_normal ? smallest_normal : d;
}

/// Whether T reaches beyond double's exponent range (long double on x86,
/// quad, MPFR, decimal floats): its coefficients can be finite and nonzero
/// where double reads 0 or inf, so the step rule takes their logarithms in
/// T (step_sizes_from_logs) instead of their values in double.
template <class T>
inline constexpr bool wider_than_double =
    std::numeric_limits<T>::max_exponent10 > std::numeric_limits<double>::max_exponent10;

/// log2 |x|: -inf for 0, inf for an infinity, NaN for NaN; beyond double's
/// range from T's own exponent.
template <class T>
double log2_magnitude(const T& x) {
  const double d = std::abs(to_double(x));
  if constexpr (wider_than_double<T>) {
    using std::isfinite; // Boost.Multiprecision's by argument-dependent lookup
    if ((d == 0 && x != T(0)) || (std::isinf(d) && static_cast<bool>(isfinite(x)))) {
      using std::frexp;
      int e = 0;
      const T m = frexp(x, &e);
      return std::log2(std::abs(to_double(m))) + e;
    }
  }
  return std::log2(d);
}

/// step_sizes from logarithms, lane by lane: log_tol_rho[w] = log2(tol rho)
/// and log_norms[j][w] = log2 |c_m| as log2_magnitude gives them (-inf and
/// NaN: no bound; inf: a blow-up), the same rule with exact logarithms.
template <std::size_t W>
void step_sizes_from_logs(const double* log_tol_rho, const double (&log_norms)[3][W], const double (&inverse_m)[3],
                          double safety, double* h) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (std::size_t w = 0; w < W; ++w) {
    double e = 1000.0;
    for (std::size_t j = 0; j < 3; ++j) {
      const double n = log_norms[j][w];
      const double q = std::isnan(n) || n == -inf ? 1000.0
                       : n == inf                 ? -1000.0
                                                  : std::clamp((log_tol_rho[w] - n) * inverse_m[j], -1000.0, 1000.0);
      e = std::min(e, q);
    }
    h[w] = std::exp2(e) * safety;
  }
}

} // namespace polybatch::taylor::detail
