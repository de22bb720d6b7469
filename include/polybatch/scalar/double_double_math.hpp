// Elementary functions of pb::double_double (sqrt, exp, log, pow, sin, cos,
// tan, atan, sinh, cosh, tanh), found by argument-dependent lookup like the
// std:: and Boost.Multiprecision ones. The power-series functions need them
// only for the constant term; each is accurate to a few units of 2^-104 for
// arguments of moderate size (sin/cos reduce by a three-part pi/2, exp by a
// three-part log 2). log reduces by
// the exponent, so it holds over the whole range, subnormals included;
// sin/cos beyond 2^60 and of inf or NaN give double's values.
// Constrained templates, so a double never converts to double-double silently.
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>

#include "polybatch/scalar/double_double.hpp"

namespace polybatch {

namespace dd_detail {

inline constexpr double ln2_hi = 0x1.62e42fefa39efp-1, ln2_lo = 0x1.abc9e3b39803fp-56, ln2_lo2 = 0x1.7b57a079a1934p-111;
inline constexpr double pio2_0 = 0x1.921fb54442d18p+0, pio2_1 = 0x1.1a62633145c07p-54, pio2_2 = -0x1.f1976b7ed8fbcp-110;

inline double_double scale2(const double_double& a, int e) {
  return double_double::from_parts(std::ldexp(a.hi, e), std::ldexp(a.lo, e));
}

/// exp(r) - 1 for |r| <= ln2 / 2, by Taylor's series at r / 2^10 and ten
/// doublings expm1(2x) = 2 p + p^2 (no cancellation against the 1).
inline double_double expm1_reduced(const double_double& r) {
  const double_double x = scale2(r, -10);
  double_double term = x, sum = x;
  for (int i = 2; i <= 12; ++i) {
    term *= x;
    term /= double_double(i);
    sum += term;
  }
  for (int i = 0; i < 10; ++i) sum = scale2(sum, 1) + sum * sum;
  return sum;
}

/// sin and cos of |r| <= pi/4 by Taylor's series.
inline void sincos_reduced(const double_double& r, double_double& s, double_double& c) {
  const double_double r2 = r * r;
  double_double term = r;
  s = r;
  for (int i = 1; i < 16; ++i) {
    term *= r2;
    term /= double_double(-(2.0 * i) * (2.0 * i + 1));
    s += term;
  }
  term = double_double(1.0);
  c = term;
  for (int i = 1; i < 16; ++i) {
    term *= r2;
    term /= double_double(-(2.0 * i - 1) * (2.0 * i));
    c += term;
  }
}

/// sinh of |x| < 1 by Taylor's series (no cancellation near 0).
inline double_double sinh_small(const double_double& x) {
  const double_double x2 = x * x;
  double_double term = x, sum = x;
  for (int i = 1; i < 16; ++i) {
    term *= x2;
    term /= double_double((2.0 * i) * (2.0 * i + 1));
    sum += term;
  }
  return sum;
}

inline double_double nan() { return double_double(std::numeric_limits<double>::quiet_NaN()); }

} // namespace dd_detail

template <std::same_as<double_double> D>
D sqrt(const D& a) {
  if (a.hi <= 0) return a.hi == 0 ? double_double(0.0) : dd_detail::nan();
  if (!std::isfinite(a.hi)) return a;
  const double_double y(std::sqrt(a.hi));
  return y + (a - y * y) / (2.0 * y); // one Newton step from 53 bits
}

template <std::same_as<double_double> D>
D exp(const D& a) {
  if (std::isnan(a.hi)) return a;
  if (a.hi > 709.79) return double_double(std::numeric_limits<double>::infinity());
  if (a.hi < -745.2) return double_double(0.0);
  const double k = std::nearbyint(a.hi / dd_detail::ln2_hi);
  // r = a - k log 2 with log 2 in three parts, each product by k exact: a
  // two-part log 2 times k (up to 1,075) left errors of 2^-97.
  double_double r = a - double_double(dd_detail::ln2_hi) * double_double(k);
  r -= double_double(dd_detail::ln2_lo) * double_double(k);
  r -= double_double(dd_detail::ln2_lo2 * k);
  const double_double e = dd_detail::expm1_reduced(r) + double_double(1.0);
  return dd_detail::scale2(e, static_cast<int>(k));
}

template <std::same_as<double_double> D>
D log(const D& a) {
  if (a.hi <= 0) return double_double(a.hi == 0 ? -std::numeric_limits<double>::infinity() : dd_detail::nan().hi);
  if (!std::isfinite(a.hi)) return a;
  // log(m 2^e) = log(m) + e log 2 with m in [1, 2): exp(-log(a)) would leave
  // double's range for a below 2^-1022 (NaN) or round to a subnormal for a
  // near the top (double accuracy only).
  const int e = std::ilogb(a.hi);
  const double_double m = dd_detail::scale2(a, -e);
  const double_double y(std::log(m.hi));
  const double_double u = m * exp(-y) - double_double(1.0); // |u| ~ 2^-52
  const double_double log_m = y + (u - u * u * 0.5 + u * u * u / 3.0);
  if (e == 0) return log_m;
  return log_m + double_double::from_parts(dd_detail::ln2_hi, dd_detail::ln2_lo) * double_double(e);
}

template <std::same_as<double_double> D>
D pow(const D& a, const D& s) {
  if (s == double_double(0.0) || a == double_double(1.0)) return double_double(1.0); // as std::pow, NaN included
  return exp(s * log(a));
}

/// sin and cos together (one argument reduction).
template <std::same_as<double_double> D>
void sincos(const D& a, double_double& s, double_double& c) {
  if (!(std::abs(a.hi) < 0x1p60)) {
    // Beyond the three-part pi/2's reach (and inf, NaN): double's values.
    s = double_double(std::sin(a.hi));
    c = double_double(std::cos(a.hi));
    return;
  }
  const double q = std::nearbyint(a.hi / dd_detail::pio2_0);
  double_double r = a - double_double(dd_detail::pio2_0) * double_double(q);
  r -= double_double(dd_detail::pio2_1) * double_double(q);
  r -= double_double(dd_detail::pio2_2) * double_double(q);
  double_double rs, rc;
  dd_detail::sincos_reduced(r, rs, rc);
  const auto quadrant = static_cast<std::int64_t>(std::fmod(q, 4.0) + 4.0) % 4;
  switch (quadrant) {
  case 0:
    s = rs, c = rc;
    break;
  case 1:
    s = rc, c = -rs;
    break;
  case 2:
    s = -rs, c = -rc;
    break;
  default:
    s = -rc, c = rs;
    break;
  }
}

template <std::same_as<double_double> D>
D sin(const D& a) {
  double_double s, c;
  sincos(a, s, c);
  return s;
}
template <std::same_as<double_double> D>
D cos(const D& a) {
  double_double s, c;
  sincos(a, s, c);
  return c;
}
template <std::same_as<double_double> D>
D tan(const D& a) {
  double_double s, c;
  sincos(a, s, c);
  return s / c;
}

/// One Newton-like step from the double atan: atan(x) = y + atan(d) with
/// d = tan(atan(x) - y) = (x cos y - sin y) / (cos y + x sin y), |d| ~ 2^-53.
template <std::same_as<double_double> D>
D atan(const D& x) {
  if (!std::isfinite(x.hi)) return double_double(std::atan(x.hi));
  const double_double y(std::atan(x.hi));
  double_double s, c;
  sincos(y, s, c);
  const double_double d = (x * c - s) / (c + x * s);
  return y + (d - d * d * d / 3.0);
}

namespace dd_detail {
/// exp(|x|) / 2 for |x| > 700, where e^-|x| is below the last bit: as
/// exp(|x| - log 2), finite up to |x| = 710.47 where exp(|x|) is not.
inline double_double half_exp_of_large(const double_double& x) {
  const double_double magnitude = x.hi < 0 ? -x : x;
  return exp(magnitude - double_double::from_parts(ln2_hi, ln2_lo));
}
} // namespace dd_detail

template <std::same_as<double_double> D>
D sinh(const D& x) {
  if (std::abs(x.hi) > 700) {
    const double_double h = dd_detail::half_exp_of_large(x);
    return x.hi < 0 ? -h : h;
  }
  if (std::abs(x.hi) < 1) return dd_detail::sinh_small(x);
  const double_double e = exp(x);
  return (e - 1.0 / e) * 0.5;
}
template <std::same_as<double_double> D>
D cosh(const D& x) {
  if (std::abs(x.hi) > 700) return dd_detail::half_exp_of_large(x);
  const double_double e = exp(x);
  return (e + 1.0 / e) * 0.5;
}
template <std::same_as<double_double> D>
D tanh(const D& x) {
  if (std::abs(x.hi) > 40) return double_double(x.hi > 0 ? 1.0 : -1.0);
  if (std::abs(x.hi) < 1) {
    const double_double s = dd_detail::sinh_small(x);
    return s / sqrt(1.0 + s * s);
  }
  const double_double e2 = exp(2.0 * x);
  return (e2 - 1.0) / (e2 + 1.0);
}

} // namespace polybatch
