// Dense polynomials over the integers (cpp_int coefficients, constant term
// first): the few operations the exact root, gcd and resultant algorithms
// share. Every function takes its operands by const reference or by value and
// returns a new polynomial, so no aliasing contract is needed.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

namespace polybatch::kernels::exact_roots {

using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;
/// Coefficients a_0 .. a_n; trimmed polynomials have a_n != 0 (the zero
/// polynomial is the empty vector).
using zpoly = std::vector<cpp_int>;

/// Drops zero leading coefficients.
inline void trim(zpoly& p) {
  while (!p.empty() && p.back().is_zero()) p.pop_back();
}

/// Degree of a trimmed polynomial; -1 for zero.
inline long degree(const zpoly& p) { return static_cast<long>(p.size()) - 1; }

/// Positive gcd of the coefficients (0 for the zero polynomial).
inline cpp_int content(const zpoly& p) {
  cpp_int g = 0;
  for (const cpp_int& c : p) {
    if (c.is_zero()) continue;
    g = g.is_zero() ? cpp_int(abs(c)) : cpp_int(gcd(g, c));
    if (g == 1) break;
  }
  return g;
}

/// p divided by its content, with a positive leading coefficient.
inline zpoly primitive_part(zpoly p) {
  trim(p);
  if (p.empty()) return p;
  cpp_int g = content(p);
  if (p.back().sign() < 0) g = -g;
  if (g != 1)
    for (cpp_int& c : p) c /= g;
  return p;
}

inline zpoly derivative(const zpoly& p) {
  zpoly d;
  if (p.size() < 2) return d;
  d.resize(p.size() - 1);
  for (std::size_t i = 1; i < p.size(); ++i) d[i - 1] = p[i] * cpp_int(i);
  return d;
}

/// R with lc(b)^(deg a - deg b + 1) a = Q b + R, deg R < deg b (a, b trimmed,
/// b non-zero, deg a >= deg b).
inline zpoly pseudo_remainder(zpoly r, const zpoly& b) {
  const std::size_t db = b.size() - 1;
  const cpp_int& lb = b.back();
  long spare = degree(r) - degree(b) + 1;
  while (!r.empty() && r.size() - 1 >= db) {
    const cpp_int lr = r.back();
    const std::size_t shift = r.size() - 1 - db;
    for (cpp_int& c : r) c *= lb;
    for (std::size_t j = 0; j < db; ++j) r[shift + j] -= lr * b[j];
    r.pop_back();
    trim(r);
    --spare;
  }
  if (spare > 0 && !r.empty()) {
    cpp_int f = pow(lb, static_cast<unsigned>(spare));
    for (cpp_int& c : r) c *= f;
  }
  return r;
}

/// a / b for b dividing a exactly in Z[x] (a, b trimmed, b non-zero).
inline zpoly exact_quotient(zpoly a, const zpoly& b) {
  if (a.size() < b.size()) return {};
  const std::size_t db = b.size() - 1;
  zpoly q(a.size() - db);
  for (std::size_t i = q.size(); i-- > 0;) {
    q[i] = a[i + db] / b.back();
    if (q[i].is_zero()) continue;
    for (std::size_t j = 0; j < db; ++j) a[i + j] -= q[i] * b[j];
  }
  return q;
}

/// p(x + 1), the classical O(n^2) additions, in place.
inline void taylor_shift_1(zpoly& p) {
  const std::size_t n = p.size();
  for (std::size_t i = 0; i + 1 < n; ++i)
    for (std::size_t j = n - 1; j-- > i;) p[j] += p[j + 1];
}

/// Sign changes in the coefficient sequence, zeros skipped.
inline int sign_variations(const zpoly& p) {
  int v = 0;
  int last = 0;
  for (const cpp_int& c : p) {
    const int s = c.sign();
    if (s == 0) continue;
    if (last != 0 && s != last) ++v;
    last = s;
  }
  return v;
}

/// Sign of p at the rational t: the sign of den^n p(num / den), by Horner
/// in homogeneous form so that only integers are multiplied.
inline int sign_at(const zpoly& p, const cpp_rational& t) {
  if (p.empty()) return 0;
  const cpp_int num = numerator(t);
  const cpp_int den = denominator(t);
  cpp_int acc = p.back();
  cpp_int dpow = 1;
  for (std::size_t i = p.size() - 1; i-- > 0;) {
    dpow *= den;
    acc *= num;
    acc += p[i] * dpow;
  }
  return acc.sign();
}

/// p(-x).
inline zpoly reflect(zpoly p) {
  for (std::size_t i = 1; i < p.size(); i += 2) p[i] = -p[i];
  return p;
}

/// Divides out the largest power of two common to all coefficients.
inline void remove_power_of_two(zpoly& p) {
  unsigned shift = ~0u;
  for (const cpp_int& c : p)
    if (!c.is_zero()) {
      const unsigned s = static_cast<unsigned>(boost::multiprecision::lsb(cpp_int(abs(c))));
      if (s < shift) shift = s;
      if (shift == 0) return;
    }
  if (shift == ~0u || shift == 0) return;
  for (cpp_int& c : p) c >>= shift;
}

} // namespace polybatch::kernels::exact_roots
