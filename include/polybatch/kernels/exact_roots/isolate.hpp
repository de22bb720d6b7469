// Real roots of one integer polynomial, each distinct root once: the
// square-free part p / gcd(p, p'), the root 0, the positive roots and the
// negative ones (the positive roots of p(-x)) by Descartes bisection, then
// optional refinement that makes every rational root exact (lo == hi), and
// exact comparison of an isolated root with a rational.
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

#include "polybatch/kernels/exact_roots/descartes.hpp"
#include "polybatch/kernels/exact_roots/integer_poly.hpp"
#include "polybatch/kernels/exact_roots/real_interval.hpp"
#include "polybatch/kernels/exact_roots/square_free.hpp"

namespace polybatch::kernels::exact_roots {

/// Isolating intervals of the distinct real roots of sqf (square-free,
/// primitive, degree >= 1), in increasing order.
inline std::vector<real_interval> isolate_square_free(const zpoly& sqf) {
  std::vector<real_interval> out;
  zpoly p = sqf;
  if (p.front().is_zero()) { // 0 is a root, once
    out.push_back(real_interval{cpp_rational(0), cpp_rational(0)});
    p.erase(p.begin());
  }
  if (p.size() >= 2) {
    positive_roots(p, [&](cpp_rational lo, cpp_rational hi) {
      out.push_back(real_interval{std::move(lo), std::move(hi)});
    });
    positive_roots(reflect(p), [&](const cpp_rational& lo, const cpp_rational& hi) {
      out.push_back(real_interval{cpp_rational(-hi), cpp_rational(-lo)});
    });
  }
  std::sort(out.begin(), out.end(), [](const real_interval& x, const real_interval& y) {
    return x.lo < y.lo || (x.lo == y.lo && x.hi < y.hi);
  });
  return out;
}

/// Number of distinct real roots of sqf (square-free, degree >= 1).
inline std::size_t count_square_free(const zpoly& sqf) {
  std::size_t n = 0;
  zpoly p = sqf;
  if (p.front().is_zero()) {
    ++n;
    p.erase(p.begin());
  }
  if (p.size() >= 2) {
    auto tally = [&](const cpp_rational&, const cpp_rational&) { ++n; };
    positive_roots(p, tally);
    positive_roots(reflect(p), tally);
  }
  return n;
}

/// Sign of sqf just right of x: sign of sqf(x), or of sqf'(x) where x is a
/// (simple) root.
inline int sign_right_of(const zpoly& sqf, const zpoly& deriv, const cpp_rational& x) {
  const int s = sign_at(sqf, x);
  return s != 0 ? s : sign_at(deriv, x);
}

/// Sign of (root - t) for the only root of sqf in iv.
inline int compare_root(const zpoly& sqf, const zpoly& deriv, const real_interval& iv, const cpp_rational& t) {
  if (iv.lo == iv.hi) return iv.lo < t ? -1 : (iv.lo == t ? 0 : 1);
  if (t <= iv.lo) return 1;
  if (t >= iv.hi) return -1;
  const int s = sign_at(sqf, t);
  if (s == 0) return 0;
  return s == sign_right_of(sqf, deriv, iv.lo) ? 1 : -1;
}

namespace detail {
inline cpp_int floor_div(const cpp_int& a, const cpp_int& b) { // b > 0
  cpp_int q = a / b;
  if (a.sign() < 0 && q * b != a) --q;
  return q;
}
} // namespace detail

/// Makes iv exact (lo == hi) when its root is rational. A rational root
/// r = u / v in lowest terms has v | lc(sqf) (rational root theorem), so
/// lc(sqf) r is an integer inside lc(sqf) (lo, hi): bisecting at candidates
/// m / lc(sqf) halves their number at each step.
inline void refine_if_rational(const zpoly& sqf, const zpoly& deriv, real_interval& iv) {
  if (iv.lo == iv.hi) return;
  const cpp_int lead = abs(sqf.back());
  const int right_of_lo = sign_right_of(sqf, deriv, iv.lo);
  for (;;) {
    const cpp_rational a = iv.lo * lead;
    const cpp_rational b = iv.hi * lead;
    const cpp_int m_lo = detail::floor_div(numerator(a), denominator(a)) + 1;
    const cpp_int m_hi = -detail::floor_div(-numerator(b), denominator(b)) - 1;
    if (m_lo > m_hi) return; // no candidate: the root is irrational
    const cpp_int m = detail::floor_div(m_lo + m_hi, 2);
    const cpp_rational t(m, lead);
    const int s = sign_at(sqf, t);
    if (s == 0) {
      iv.lo = t;
      iv.hi = t;
      return;
    }
    if (s == right_of_lo)
      iv.lo = t; // the sign has not changed yet: the root is right of t
    else
      iv.hi = t;
  }
}

} // namespace polybatch::kernels::exact_roots
