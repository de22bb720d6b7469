// Positive real roots of a square-free integer polynomial by Descartes' rule
// of signs with bisection (Vincent-Collins-Akritas, in the form of Rouillier
// and Zimmermann): the roots are scaled into (0, 1) by a power-of-two bound;
// an interval whose Moebius transform (x + 1)^n q(1 / (x + 1)) has 0 or 1 sign
// variations holds 0 or 1 roots; otherwise it is halved by the homothety
// 2^n q(x / 2) and the Taylor shift by 1. A root met at a midpoint is exact.
// Rows whose values stay within __int128 run on words (descartes_word.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "polybatch/kernels/exact_roots/descartes_word.hpp"
#include "polybatch/kernels/exact_roots/integer_poly.hpp"
#include "polybatch/kernels/exact_roots/real_interval.hpp"

namespace polybatch::kernels::exact_roots {

/// e with every complex root of p (trimmed, degree >= 1) below 2^e in
/// absolute value: Fujiwara's bound 2 max |a_(n-i) / a_n|^(1/i), each ratio
/// rounded up to a power of two from the coefficients' bit lengths.
inline long root_bound_exponent(const zpoly& p) {
  const long n = degree(p);
  const long bn = static_cast<long>(boost::multiprecision::msb(cpp_int(abs(p.back())))) + 1;
  long best = -(1L << 20);
  for (long i = 1; i <= n; ++i) {
    const cpp_int& c = p[static_cast<std::size_t>(n - i)];
    if (c.is_zero()) continue;
    const long bits = static_cast<long>(boost::multiprecision::msb(cpp_int(abs(c)))) + 1;
    const long num = bits - bn + 1; // |a_(n-i) / a_n| < 2^num
    const long e = num >= 0 ? (num + i - 1) / i : -((-num) / i);
    best = std::max(best, e);
  }
  return best == -(1L << 20) ? 0 : best + 1;
}

/// Calls emit(lo, hi) for each positive root of p: lo == hi for a root found
/// exactly, otherwise the only root in the open (lo, hi). p: trimmed,
/// square-free, degree >= 1, p(0) != 0. Not in increasing order.
template <class Emit>
void positive_roots(const zpoly& p, Emit&& emit) {
  // Descartes' rule on (0, oo): no sign variation, no positive root.
  const int v_all = sign_variations(p);
  if (v_all == 0) return;
  const std::size_t n = p.size() - 1;
  auto point = [](const cpp_int& num, long s) -> cpp_rational { // num 2^s
    if (s >= 0) return cpp_rational(cpp_int(num << static_cast<unsigned>(s)));
    return cpp_rational(num, cpp_int(cpp_int(1) << static_cast<unsigned>(-s)));
  };
  // Words first: with every coefficient below 2^62 in absolute value, most
  // rows finish in __int128; an overflow anywhere reruns the row in cpp_int.
  bool small = true;
  for (const cpp_int& c : p) small = small && (c.is_zero() || boost::multiprecision::msb(abs(c)) < 62);
  if (small) {
    thread_local word::scratch s;
    thread_local std::vector<word::found_root> found;
    thread_local std::vector<int128> w;
    w.resize(p.size());
    for (std::size_t i = 0; i <= n; ++i) w[i] = static_cast<int128>(static_cast<std::int64_t>(p[i]));
    const long e = word::root_bound_exponent(w.data(), w.size());
    if (v_all == 1) { // exactly one positive root, below the bound 2^e
      emit(cpp_rational(0), point(1, e));
      return;
    }
    found.clear();
    if (word::positive_roots(w.data(), w.size(), e, found, s)) {
      for (const word::found_root& r : found) {
        const cpp_rational lo = point(cpp_int(r.num), e - r.k);
        if (r.exact)
          emit(lo, lo);
        else
          emit(lo, point(cpp_int(r.num) + 1, e - r.k));
      }
      return;
    }
  }
  const long e = root_bound_exponent(p);
  if (v_all == 1) {
    emit(cpp_rational(0), point(1, e));
    return;
  }
  // q(y) = p(2^e y) (times 2^(-e n) when e < 0): its positive roots lie in (0, 1).
  zpoly q = p;
  for (std::size_t i = 0; i <= n; ++i) {
    const long s = e >= 0 ? e * static_cast<long>(i) : -e * static_cast<long>(n - i);
    if (s > 0) q[i] <<= static_cast<unsigned>(s);
  }
  remove_power_of_two(q);
  // Node: q over (c / 2^k, (c + 1) / 2^k) of the scaled axis.
  struct Node {
    zpoly q;
    cpp_int c;
    long k;
  };
  std::vector<Node> stack;
  stack.push_back(Node{std::move(q), cpp_int(0), 0});
  zpoly t;
  while (!stack.empty()) {
    Node node = std::move(stack.back());
    stack.pop_back();
    zpoly& f = node.q;
    if (f.size() < 2) continue;
    // Descartes' bound for (0, 1): variations of (x + 1)^n f(1 / (x + 1)).
    if (sign_variations(f) == 0) continue; // no positive root at all
    t.assign(f.rbegin(), f.rend());
    taylor_shift_1(t);
    const int v = sign_variations(t);
    if (v == 0) continue;
    if (v == 1) {
      emit(point(node.c, e - node.k), point(node.c + 1, e - node.k));
      continue;
    }
    // Left half: 2^m f(x / 2); its value at 1 is 2^m f(1/2).
    const std::size_t m = f.size() - 1;
    for (std::size_t i = 0; i < m; ++i) f[i] <<= static_cast<unsigned>(m - i);
    cpp_int at_one = 0;
    for (const cpp_int& c : f) at_one += c;
    const cpp_int c2 = node.c * 2;
    if (at_one.is_zero()) {
      emit(point(c2 + 1, e - node.k - 1), point(c2 + 1, e - node.k - 1));
      // divide by (x - 1): synthetic division, exact over Z
      zpoly d(m);
      cpp_int carry = 0;
      for (std::size_t i = m; i-- > 0;) {
        carry += f[i + 1];
        d[i] = carry;
      }
      f = std::move(d);
    }
    remove_power_of_two(f);
    zpoly right = f;
    taylor_shift_1(right);
    remove_power_of_two(right);
    stack.push_back(Node{std::move(right), c2 + 1, node.k + 1});
    stack.push_back(Node{std::move(f), c2, node.k + 1});
  }
}

} // namespace polybatch::kernels::exact_roots
