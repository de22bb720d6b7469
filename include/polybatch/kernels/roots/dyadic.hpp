// Exact dyadic numbers m * 2^e (m a cpp_int): every float, double and long
// double is one, and sums and products of them stay dyadic, so root
// inclusion radii are computed without rounding and without the gcds of
// cpp_rational. Also: upward-rounded square roots and n-th roots of ratios.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

namespace polybatch::kernels::roots {

struct Dyadic {
  using integer = boost::multiprecision::cpp_int;
  integer m = 0;
  long e = 0;

  template <class T>
  static Dyadic from(T x) {
    static_assert(std::numeric_limits<T>::radix == 2, "Dyadic::from needs a binary floating-point type");
    Dyadic d;
    if (x == T(0)) return d;
    int ex = 0;
    T f = std::frexp(std::fabs(x), &ex); // in [0.5, 1)
    // The mantissa in exact 32-bit pieces, as many as the format has bits
    // (two for float, double and the x87 long double, four for a 113-bit one).
    constexpr int pieces = (std::numeric_limits<T>::digits + 31) / 32;
    for (int p = 0; p < pieces; ++p) {
      f = std::ldexp(f, 32);
      const auto whole = static_cast<std::uint64_t>(f);
      d.m = (d.m << 32) | integer(whole);
      f -= T(whole);
    }
    if (x < T(0)) d.m = -d.m;
    d.e = ex - 32L * pieces;
    return d;
  }
};

inline Dyadic operator*(const Dyadic& a, const Dyadic& b) {
  Dyadic r;
  r.m = a.m * b.m;
  r.e = r.m == 0 ? 0 : a.e + b.e;
  return r;
}

inline Dyadic operator+(const Dyadic& a, const Dyadic& b) {
  if (a.m == 0) return b;
  if (b.m == 0) return a;
  Dyadic r;
  if (a.e <= b.e) {
    r.m = a.m + (b.m << static_cast<unsigned>(b.e - a.e));
    r.e = a.e;
  } else {
    r.m = (a.m << static_cast<unsigned>(a.e - b.e)) + b.m;
    r.e = b.e;
  }
  return r;
}

inline Dyadic operator-(const Dyadic& a) {
  Dyadic r = a;
  r.m = -r.m;
  return r;
}

inline Dyadic operator-(const Dyadic& a, const Dyadic& b) { return a + (-b); }

inline int sign(const Dyadic& a) { return a.m > 0 ? 1 : (a.m < 0 ? -1 : 0); }

/// a < b exactly.
inline bool operator<(const Dyadic& a, const Dyadic& b) { return sign(a - b) < 0; }

/// Dyadic a * 2^k.
inline Dyadic times_pow2(Dyadic a, long k) {
  if (a.m != 0) a.e += k;
  return a;
}

/// log2 of a positive dyadic, to about double precision (for first guesses).
inline double approx_log2(const Dyadic& a) {
  const long bits = static_cast<long>(boost::multiprecision::msb(a.m));
  const long drop = bits > 60 ? bits - 60 : 0;
  const Dyadic::integer top = a.m >> static_cast<unsigned>(drop);
  return std::log2(static_cast<double>(top)) + static_cast<double>(drop + a.e);
}

/// Smallest double r found with r^k * y >= x (x >= 0, y > 0 dyadic; k >= 1):
/// an upper bound on (x / y)^(1/k), checked exactly. +inf if it exceeds the
/// double range.
inline double root_up(const Dyadic& x, const Dyadic& y, unsigned k) {
  if (sign(x) == 0) return 0.0;
  auto holds = [&](double r) {
    if (std::isinf(r)) return true;
    const Dyadic d = Dyadic::from(r);
    Dyadic p = y;
    for (unsigned i = 0; i < k; ++i) p = p * d;
    return !(p < x);
  };
  const double lg = (approx_log2(x) - approx_log2(y)) / static_cast<double>(k);
  if (lg > 1030) return std::numeric_limits<double>::infinity();
  double r = lg < -1080 ? std::numeric_limits<double>::denorm_min() : std::exp2(lg) * (1 + 1e-12);
  // The first guess is high by about 1e-12 relative; step up (rarely) or
  // bisect down towards the exact bound a few times to tighten it.
  while (!holds(r)) r = r == 0 ? std::numeric_limits<double>::denorm_min() : std::nextafter(r * (1 + 1e-13), INFINITY);
  for (int i = 0; i < 4 && r > 0; ++i) {
    const double lower = r * (1 - 4e-13);
    if (lower >= r || !holds(lower)) break;
    r = lower;
  }
  return r;
}

} // namespace polybatch::kernels::roots
