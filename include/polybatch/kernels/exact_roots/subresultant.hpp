// Greatest common divisor and resultant of integer polynomials by the
// subresultant pseudo-remainder sequence (Collins; Brown-Traub), as in
// Cohen, "A Course in Computational Algebraic Number Theory", algorithms
// 3.3.1 and 3.3.7: the exact divisions by g h^delta keep the coefficients of
// the sequence as small as subresultants, without a content computation per
// step.
#pragma once

#include <utility>

#include "polybatch/kernels/exact_roots/integer_poly.hpp"

namespace polybatch::kernels::exact_roots {

namespace detail {

/// h^(1 - delta) g^delta for delta >= 0, an exact quotient when delta > 1.
inline cpp_int subresultant_h(const cpp_int& h, const cpp_int& g, long delta) {
  if (delta == 0) return h;
  const cpp_int num = pow(g, static_cast<unsigned>(delta));
  if (delta == 1) return num;
  return num / pow(h, static_cast<unsigned>(delta - 1));
}

} // namespace detail

/// The primitive greatest common divisor of a and b with a positive leading
/// coefficient; zero when both are zero. Contents are ignored (the result is
/// the gcd over the rationals, scaled to be primitive).
inline zpoly primitive_gcd(zpoly a, zpoly b) {
  trim(a);
  trim(b);
  if (a.size() < b.size()) std::swap(a, b);
  if (b.empty()) return primitive_part(std::move(a));
  a = primitive_part(std::move(a));
  b = primitive_part(std::move(b));
  cpp_int g = 1;
  cpp_int h = 1;
  for (;;) {
    const long delta = degree(a) - degree(b);
    zpoly r = pseudo_remainder(a, b);
    if (r.empty()) break;
    if (r.size() == 1) return zpoly{cpp_int(1)};
    a = std::move(b);
    const cpp_int divisor = g * pow(h, static_cast<unsigned>(delta));
    for (cpp_int& c : r) c /= divisor;
    b = std::move(r);
    g = a.back();
    h = detail::subresultant_h(h, g, delta);
  }
  return primitive_part(std::move(b));
}

/// res(a, b) for the actual degrees of a and b (zero leading coefficients
/// ignored); zero when either is the zero polynomial.
inline cpp_int resultant(zpoly a, zpoly b) {
  trim(a);
  trim(b);
  if (a.empty() || b.empty()) return 0;
  const cpp_int ca = content(a);
  const cpp_int cb = content(b);
  cpp_int t = pow(ca, static_cast<unsigned>(degree(b))) * pow(cb, static_cast<unsigned>(degree(a)));
  for (cpp_int& c : a) c /= ca;
  for (cpp_int& c : b) c /= cb;
  int s = 1;
  if (a.size() < b.size()) {
    std::swap(a, b);
    if (degree(a) % 2 == 1 && degree(b) % 2 == 1) s = -1;
  }
  cpp_int g = 1;
  cpp_int h = 1;
  for (;;) {
    const long delta = degree(a) - degree(b);
    if (degree(a) % 2 == 1 && degree(b) % 2 == 1) s = -s;
    zpoly r = pseudo_remainder(a, b);
    a = std::move(b);
    const cpp_int divisor = g * pow(h, static_cast<unsigned>(delta));
    for (cpp_int& c : r) c /= divisor;
    b = std::move(r);
    g = a.back();
    h = detail::subresultant_h(h, g, delta);
    if (degree(b) <= 0) break;
  }
  const long da = degree(a);
  if (b.empty()) return da > 0 ? cpp_int(0) : cpp_int(s * t * h);
  if (da > 0) h = detail::subresultant_h(h, b.back(), da);
  cpp_int out = t * h;
  if (s < 0) out = -out;
  return out;
}

} // namespace polybatch::kernels::exact_roots
