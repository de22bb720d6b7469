// pb::double_double (alias pb::dd): an unevaluated sum hi + lo of two doubles
// with |lo| <= ulp(hi)/2, about 106 bits of precision, built from error-free
// transformations (two_sum, fma-based two_prod). Trivially copyable and
// branch-free in + - *, so it runs in the same unrolled kernels as double.
// Infinities, NaN and overflow give what double arithmetic gives (the high
// part, with a zero low part), not the NaN of their error terms.
#pragma once

#include <cmath>
#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "polybatch/core/int128.hpp"
#include "polybatch/core/scalar_traits.hpp"

namespace polybatch {

namespace dd_detail {

/// s + e == a + b exactly (Knuth's two_sum, no ordering assumption).
constexpr void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}
/// s + e == a + b exactly, given |a| >= |b| (or a == 0).
constexpr void quick_two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  e = b - (s - a);
}
/// p + e == a * b exactly (one fma).
inline void two_prod(double a, double b, double& p, double& e) {
  p = a * b;
  e = std::fma(a, b, -p);
}

/// x is neither infinite nor NaN (branch-free, usable in constant expressions).
constexpr bool finite(double x) { return x - x == 0.0; }

/// Where an operation's high part is not finite, its result is `plain`, the
/// value double arithmetic gives there (inf, -inf or NaN), with a zero low
/// part: the error terms of an infinite or overflowed operation are
/// inf - inf = NaN and would otherwise turn inf into NaN. Selections, not
/// branches, so the operations stay branch-free.
constexpr void settle(double& hi, double& lo, double plain) {
  const bool ok = finite(hi);
  hi = ok ? hi : plain;
  lo = ok ? lo : 0.0;
}

} // namespace dd_detail

struct double_double {
  double hi = 0.0;
  double lo = 0.0;

  constexpr double_double() = default;
  /// Exact from any double (and so from float).
  constexpr double_double(double x) : hi(x), lo(0.0) {}
  constexpr double_double(float x) : hi(x), lo(0.0) {}
  /// Exact from every 64-bit integer: the part a double cannot hold goes to lo.
  template <std::integral I>
  requires(!std::same_as<I, bool>) constexpr double_double(I x) {
    if constexpr (sizeof(I) <= 4) {
      hi = static_cast<double>(x);
    } else if constexpr (std::is_signed_v<I>) {
      hi = static_cast<double>(x);
      // hi may round up to 2^63, outside int64: subtract in halves.
      const double h2 = hi / 2;
      const auto half = static_cast<std::int64_t>(h2);
      // x - hi = (x - half) - (hi - half); hi - half is exact (half = h2 when
      // hi is even, hi - half = hi - trunc(hi / 2) for small odd hi).
      lo = static_cast<double>((static_cast<std::int64_t>(x) - half) -
                               static_cast<std::int64_t>(hi - static_cast<double>(half)));
    } else {
      hi = static_cast<double>(x);
      const double h2 = hi / 2;
      const auto half = static_cast<std::uint64_t>(h2);
      const std::uint64_t ux = static_cast<std::uint64_t>(x);
      // x - hi = (x - half) - (hi - half) as a signed difference (wraps mod 2^64).
      lo = static_cast<double>(
          static_cast<std::int64_t>(ux - half - static_cast<std::uint64_t>(hi - static_cast<double>(half))));
    }
    dd_detail::quick_two_sum(hi, lo, hi, lo);
  }
  /// From a (hi, lo) pair, renormalised; a non-finite h is the value.
  static double_double from_parts(double h, double l) {
    double_double r;
    dd_detail::two_sum(h, l, r.hi, r.lo);
    dd_detail::settle(r.hi, r.lo, dd_detail::finite(h) ? r.hi : h);
    return r;
  }

  /// Nearest A (double: hi); integers truncate toward zero like a double would.
  template <class A>
  requires std::is_arithmetic_v<A>
  explicit operator A() const {
    if constexpr (std::is_same_v<A, double>) {
      return hi + lo;
    } else if constexpr (std::is_floating_point_v<A> && std::numeric_limits<A>::digits > 53) {
      // One rounding of the exact sum (long double holds hi and lo exactly).
      return static_cast<A>(hi) + static_cast<A>(lo);
    } else if constexpr (std::is_floating_point_v<A>) {
      // Rounding hi to A is the nearest A to hi + lo unless hi lies exactly
      // halfway between two A (|lo| is below half a unit of hi, and hi is at
      // least a unit of hi away from any other midpoint): then lo's sign
      // picks the side, where rounding hi alone would pick the even one.
      const A f = static_cast<A>(hi);
      if (std::isinf(f) && std::isfinite(hi)) {
        // hi rounded past A's largest value: exactly at the midpoint to
        // infinity, a low part toward zero keeps the sum below it.
        constexpr A largest = std::numeric_limits<A>::max();
        const double midpoint = static_cast<double>(largest) + std::ldexp(1.0, std::numeric_limits<A>::max_exponent -
                                                                                   std::numeric_limits<A>::digits - 1);
        const bool toward_zero = hi > 0 ? lo < 0 : lo > 0;
        return std::abs(hi) == midpoint && toward_zero ? (hi > 0 ? largest : -largest) : f;
      }
      const double below = hi - static_cast<double>(f); // exact: the bits of hi below A's precision
      if (lo == 0 || below == 0 || !std::isfinite(f)) return f;
      const A other =
          std::nextafter(f, below > 0 ? std::numeric_limits<A>::infinity() : -std::numeric_limits<A>::infinity());
      const bool halfway = static_cast<double>(f) + 2 * below == static_cast<double>(other);
      return halfway && (lo > 0) == (below > 0) ? other : f;
    } else if constexpr (sizeof(A) <= 4) {
      return static_cast<A>(hi + lo);
    } else {
      // |hi| >= 2^53 is already an integer; lo carries the rest. Truncate
      // the exact total toward zero, in 128 bits: hi may be 2^63 (or 2^64)
      // with a negative lo and the total still in A's range, where casting
      // hi alone to A would be undefined (and a negative rest to unsigned).
      const double th = std::trunc(hi);
      const double rest = (hi - th) + lo;
      const int128 whole = static_cast<int128>(th);
      const int128 part = static_cast<int128>(hi + lo >= 0 ? std::floor(rest) : std::ceil(rest));
      return static_cast<A>(whole + part);
    }
  }

  double_double& operator+=(const double_double& b) {
    double s1, s2, t1, t2;
    dd_detail::two_sum(hi, b.hi, s1, s2);
    dd_detail::two_sum(lo, b.lo, t1, t2);
    s2 += t1;
    const double first = s1; // hi + b.hi, as double arithmetic has it
    dd_detail::quick_two_sum(s1, s2, s1, s2);
    const double plain = dd_detail::finite(first) ? s1 : first;
    s2 += t2;
    dd_detail::quick_two_sum(s1, s2, hi, lo);
    dd_detail::settle(hi, lo, plain);
    return *this;
  }
  double_double& operator-=(const double_double& b) { return *this += double_double{-b.hi, -b.lo, raw{}}; }
  double_double& operator*=(const double_double& b) {
    double p1, p2;
    dd_detail::two_prod(hi, b.hi, p1, p2);
    p2 = std::fma(hi, b.lo, std::fma(lo, b.hi, p2));
    const double plain = dd_detail::finite(p1) ? p1 + p2 : p1;
    dd_detail::quick_two_sum(p1, p2, hi, lo);
    dd_detail::settle(hi, lo, plain);
    return *this;
  }
  double_double& operator/=(const double_double& b) {
    const double q1 = hi / b.hi;
    double_double r = *this;
    r -= b * double_double(q1);
    const double q2 = r.hi / b.hi;
    r -= b * double_double(q2);
    const double q3 = r.hi / b.hi;
    double s, e;
    dd_detail::quick_two_sum(q1, q2, s, e);
    *this = double_double{s, e, raw{}};
    *this += double_double(q3);
    // 1 / 0, x / inf, overflow: the correction terms are inf - inf or
    // inf * 0; q1 is double division's answer.
    dd_detail::settle(hi, lo, q1);
    return *this;
  }

  friend double_double operator+(double_double a, const double_double& b) { return a += b; }
  friend double_double operator-(double_double a, const double_double& b) { return a -= b; }
  friend double_double operator*(double_double a, const double_double& b) { return a *= b; }
  friend double_double operator/(double_double a, const double_double& b) { return a /= b; }
  friend constexpr double_double operator-(const double_double& a) { return double_double{-a.hi, -a.lo, raw{}}; }
  friend constexpr double_double operator+(const double_double& a) { return a; }

  friend constexpr bool operator==(const double_double& a, const double_double& b) {
    return a.hi == b.hi && a.lo == b.lo;
  }
  friend constexpr std::partial_ordering operator<=>(const double_double& a, const double_double& b) {
    if (a.hi != b.hi) return a.hi <=> b.hi;
    return a.lo <=> b.lo;
  }

private:
  struct raw {};
  constexpr double_double(double h, double l, raw) : hi(h), lo(l) {}
};

using dd = double_double;

inline double_double abs(const double_double& a) { return a.hi < 0 || (a.hi == 0 && a.lo < 0) ? -a : a; }
inline bool isfinite(const double_double& a) { return std::isfinite(a.hi) && std::isfinite(a.lo); }

template <>
inline constexpr bool enable_scalar<double_double> = true;

template <>
struct scalar_traits<double_double> {
  static constexpr bool is_exact = false;
  static constexpr bool is_field = true;
  /// Not a SIMD lane type: kernels for double_double are its own (unrolled).
  static constexpr bool is_machine = false;
  static double_double zero_like(const double_double&) { return double_double(); }
};

} // namespace polybatch

template <>
class std::numeric_limits<polybatch::double_double> {
  using T = polybatch::double_double;

public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr bool has_signaling_NaN = false;
  static constexpr bool is_iec559 = false;
  static constexpr bool is_bounded = true;
  static constexpr bool is_modulo = false;
  static constexpr int radix = 2;
  static constexpr int digits = 106;
  static constexpr int digits10 = 31;
  static constexpr int max_digits10 = 33;
  static constexpr int min_exponent = std::numeric_limits<double>::min_exponent + 53;
  static constexpr int max_exponent = std::numeric_limits<double>::max_exponent;
  static constexpr int min_exponent10 = std::numeric_limits<double>::min_exponent10 + 16;
  static constexpr int max_exponent10 = std::numeric_limits<double>::max_exponent10;
  static constexpr std::float_round_style round_style = std::round_to_nearest;
  static constexpr T min() noexcept { return T(std::numeric_limits<double>::min() * 0x1p53); }
  static constexpr T max() noexcept { return T(std::numeric_limits<double>::max()); }
  static constexpr T lowest() noexcept { return T(-std::numeric_limits<double>::max()); }
  /// 2^-104: the spacing of double_double values near 1 (hi + lo, lo >= ulp(1)/2^52).
  static constexpr T epsilon() noexcept { return T(0x1p-104); }
  static constexpr T round_error() noexcept { return T(0.5); }
  static constexpr T infinity() noexcept { return T(std::numeric_limits<double>::infinity()); }
  static constexpr T quiet_NaN() noexcept { return T(std::numeric_limits<double>::quiet_NaN()); }
  static constexpr T denorm_min() noexcept { return T(std::numeric_limits<double>::denorm_min()); }
};
