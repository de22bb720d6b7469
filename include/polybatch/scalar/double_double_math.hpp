// Elementary functions of pb::double_double (sqrt, exp, log, pow, sin, cos,
// tan, atan, sinh, cosh, tanh), found by argument-dependent lookup like the
// std:: and Boost.Multiprecision ones. The power-series functions need them
// only for the constant term; each is accurate to a few units of 2^-104 for
// arguments of any size (sin/cos reduce by a three-part pi/2 below 2^30 and
// away from multiples of pi/2, by 1,408 bits of 2/pi otherwise; exp by a
// three-part log 2). log reduces
// by the exponent, so it holds over the whole range, subnormals included;
// sin/cos of inf or NaN give double's values (NaN).
// Constrained templates, so a double never converts to double-double silently.
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>

#include "polybatch/core/int128.hpp"
#include "polybatch/scalar/double_double.hpp"

namespace polybatch {

namespace dd_detail {

inline constexpr double ln2_hi = 0x1.62e42fefa39efp-1, ln2_lo = 0x1.abc9e3b39803fp-56, ln2_lo2 = 0x1.7b57a079a1934p-111;
inline constexpr double pio2_0 = 0x1.921fb54442d18p+0, pio2_1 = 0x1.1a62633145c07p-54, pio2_2 = -0x1.f1976b7ed8fbcp-110;

inline double_double scale2(const double_double& a, int e) {
  return double_double::from_parts(std::ldexp(a.hi, e), std::ldexp(a.lo, e));
}

/// The first 1,408 bits of 2/pi after the binary point (mpmath at 1,600
/// bits), enough for the reduction of every finite double: a value below
/// 2^1024 needs the bits down to 2^-(971 + 254 + 117).
inline constexpr std::uint64_t two_over_pi_bits[22] = {
    0xa2f9836e4e441529ULL, 0xfc2757d1f534ddc0ULL, 0xdb6295993c439041ULL, 0xfe5163abdebbc561ULL, 0xb7246e3a424dd2e0ULL,
    0x06492eea09d1921cULL, 0xfe1deb1cb129a73eULL, 0xe88235f52ebb4484ULL, 0xe99c7026b45f7e41ULL, 0x3991d639835339f4ULL,
    0x9c845f8bbdf9283bULL, 0x1ff897ffde05980fULL, 0xef2f118b5a0a6d1fULL, 0x6d367ecf27cb09b7ULL, 0x4f463f669e5fea2dULL,
    0x7527bac7ebe5f17bULL, 0x3d0739f78a5292eaULL, 0x6bfb5fb11f8d5d08ULL, 0x56033046fc7b6babULL, 0xf0cfbc209af4361dULL,
    0xa9e391615ee61b08ULL, 0x6599855f14a06840ULL};

/// A number in [0, 4) as a 256-bit fixed-point value (2 integer bits, 254
/// fraction bits; words least significant first): arithmetic modulo 4 is
/// arithmetic modulo 2^256.
using quarter_turns = std::uint64_t[4];

/// acc += v 2^p (mod 2^256), bits below 2^0 dropped.
inline void add_shifted(quarter_turns& acc, uint128 v, int p) {
  if (p <= -128 || p >= 256) return;
  if (p < 0) {
    v >>= -p;
    p = 0;
  }
  const int k = p / 64, b = p % 64;
  const auto lo = static_cast<std::uint64_t>(v), hi = static_cast<std::uint64_t>(v >> 64);
  const std::uint64_t w[3] = {lo << b, b == 0 ? hi : (hi << b) | (lo >> (64 - b)), b == 0 ? 0 : hi >> (64 - b)};
  std::uint64_t carry = 0;
  for (int i = 0; k + i < 4; ++i) {
    const uint128 sum = uint128(acc[k + i]) + (i < 3 ? w[i] : 0) + carry;
    acc[k + i] = static_cast<std::uint64_t>(sum);
    carry = static_cast<std::uint64_t>(sum >> 64);
  }
}

/// y = -y (mod 2^256), in two's complement.
inline void negate(quarter_turns& y) {
  std::uint64_t borrow = 1;
  for (std::uint64_t& w : y) {
    w = ~w + borrow;
    borrow = borrow && w == 0;
  }
}

/// acc += d 2/pi (mod 4), d finite: d = m 2^e with an integer m < 2^53, and
/// each 64-bit word of 2/pi adds m times it at its place (words whose place is
/// a multiple of 4 add nothing; the last ones, below 2^-254, at most a few
/// units of 2^-254 together).
inline void add_quarter_turns(quarter_turns& acc, double d) {
  if (d == 0.0) return;
  int exponent = 0;
  const double fraction = std::frexp(std::abs(d), &exponent);
  const auto m = static_cast<std::uint64_t>(std::ldexp(fraction, 53));
  const int e = exponent - 53;
  quarter_turns part = {0, 0, 0, 0};
  for (int j = 0; j < 22; ++j) add_shifted(part, uint128(m) * two_over_pi_bits[j], e + 254 - 64 * (j + 1));
  if (d < 0.0) negate(part);
  add_shifted(acc, uint128(part[0]) | (uint128(part[1]) << 64), 0);
  add_shifted(acc, uint128(part[2]) | (uint128(part[3]) << 64), 128);
}

/// a = q pi/2 + r with |r| <= pi/4 (quadrant q mod 4), for finite a of any
/// size (Payne and Hanek's reduction): a 2/pi mod 4 in 254-bit fixed point,
/// from the bits of 2/pi at each part's place, so that r keeps double-double
/// accuracy wherever a lies (a three-part pi/2 loses it for large q, and
/// near multiples of pi/2, where r cancels down to its last bits).
inline double_double reduce_huge(const double_double& a, int& quadrant) {
  quarter_turns y = {0, 0, 0, 0};
  add_quarter_turns(y, a.hi);
  add_quarter_turns(y, a.lo);
  quadrant = static_cast<int>(y[3] >> 62);
  y[3] &= ~(std::uint64_t(3) << 62);
  // The fraction f in [0, 1) as a 254-bit integer; at f >= 1/2 the nearest
  // quadrant is the next one and r comes from f - 1.
  const bool next = (y[3] >> 61) != 0;
  if (next) {
    quadrant = (quadrant + 1) % 4;
    negate(y); // 2^254 - f, once the two integer bits are cleared
    y[3] &= ~(std::uint64_t(3) << 62);
  }
  // |f| as a double-double: its leading 128 bits, in three exact pieces.
  int top = 3;
  while (top > 0 && y[top] == 0) --top;
  if (y[top] == 0) return double_double(0.0);
  const int lead = 64 * top + 63 - __builtin_clzll(y[top]); // bit index of the leading one
  const auto bits_from = [&](int low) {                     // the 64 bits from bit `low` up
    if (low <= -64) return std::uint64_t(0);
    if (low < 0) return y[0] << -low;
    const int k = low / 64, b = low % 64;
    const std::uint64_t below = y[k] >> b;
    return b == 0 || k + 1 > 3 ? below : below | (y[k + 1] << (64 - b));
  };
  const int low = lead - 127;
  const std::uint64_t upper = bits_from(low + 64), lower = bits_from(low);
  double_double f = double_double(std::ldexp(static_cast<double>(upper >> 11), 11 + 64)) +
                    double_double(std::ldexp(static_cast<double>(((upper & 0x7ff) << 42) | (lower >> 22)), 22)) +
                    double_double(static_cast<double>(lower & 0x3fffff));
  f = scale2(f, low - 254);
  const double_double r = f * double_double::from_parts(pio2_0, pio2_1);
  return next ? -r : r;
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
  if (!std::isfinite(a.hi) || !std::isfinite(a.lo)) {
    const double nan = a.hi + a.lo; // NaN for every non-finite part
    s = double_double(std::sin(nan));
    c = double_double(std::cos(nan));
    return;
  }
  double_double r;
  std::int64_t quadrant = 0;
  bool reduced = false;
  if (std::abs(a.hi) < 0x1p30) {
    const double q = std::nearbyint(a.hi / dd_detail::pio2_0);
    r = a - double_double(dd_detail::pio2_0) * double_double(q);
    r -= double_double(dd_detail::pio2_1) * double_double(q);
    r -= double_double(dd_detail::pio2_2) * double_double(q);
    quadrant = static_cast<std::int64_t>(std::fmod(q, 4.0) + 4.0) % 4;
    // The three parts leave an error of about q 2^-163: beside a multiple of
    // pi/2 (q != 0) r cancels to where that error shows, so it is reduced
    // again from 2/pi's bits. At q = 0, r is a itself.
    reduced = q == 0.0 || std::abs(r.hi) >= 0x1p-20;
  }
  if (!reduced) {
    int q = 0;
    r = dd_detail::reduce_huge(a, q);
    quadrant = q;
  }
  double_double rs, rc;
  dd_detail::sincos_reduced(r, rs, rc);
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
