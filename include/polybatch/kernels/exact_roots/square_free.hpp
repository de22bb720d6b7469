// Square-free part of an integer polynomial, p / gcd(p, p') made primitive,
// so that a root of any multiplicity is counted once. Most rows are already
// square-free: a gcd computed modulo the prime 2^61 - 1 proves that in O(n^2)
// word operations, and the exact subresultant gcd runs only when it does not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "polybatch/core/int128.hpp"
#include "polybatch/kernels/exact_roots/integer_poly.hpp"
#include "polybatch/kernels/exact_roots/subresultant.hpp"

namespace polybatch::kernels::exact_roots {

namespace detail {

inline constexpr std::uint64_t mersenne61 = (std::uint64_t(1) << 61) - 1;

inline std::uint64_t mul_mod(std::uint64_t a, std::uint64_t b) {
  const uint128 x = static_cast<uint128>(a) * b;
  std::uint64_t r = static_cast<std::uint64_t>(x & mersenne61) + static_cast<std::uint64_t>(x >> 61);
  if (r >= mersenne61) r -= mersenne61;
  return r;
}
inline std::uint64_t pow_mod(std::uint64_t a, std::uint64_t e) {
  std::uint64_t r = 1;
  for (; e; e >>= 1, a = mul_mod(a, a))
    if (e & 1) r = mul_mod(r, a);
  return r;
}
inline std::uint64_t to_mod(const cpp_int& c) {
  cpp_int r = c % mersenne61;
  if (r.sign() < 0) r += mersenne61;
  return static_cast<std::uint64_t>(r);
}

/// Degree of gcd(a, b) over Z / (2^61 - 1), a and b reduced and trimmed by the
/// caller (b may be zero).
inline long gcd_degree_mod(std::vector<std::uint64_t> a, std::vector<std::uint64_t> b) {
  auto trim_mod = [](std::vector<std::uint64_t>& v) {
    while (!v.empty() && v.back() == 0) v.pop_back();
  };
  trim_mod(a);
  trim_mod(b);
  while (!b.empty()) {
    const std::uint64_t inv = pow_mod(b.back(), mersenne61 - 2);
    while (a.size() >= b.size()) {
      const std::uint64_t f = mul_mod(a.back(), inv);
      const std::size_t shift = a.size() - b.size();
      for (std::size_t j = 0; j < b.size(); ++j) {
        const std::uint64_t s = mul_mod(f, b[j]);
        std::uint64_t& x = a[shift + j];
        x = x >= s ? x - s : x + mersenne61 - s;
      }
      trim_mod(a);
    }
    std::swap(a, b);
  }
  return static_cast<long>(a.size()) - 1;
}

} // namespace detail

/// True when p (trimmed, degree >= 1) is certainly square-free: its leading
/// coefficient survives reduction modulo 2^61 - 1 and gcd(p, p') there is 1.
inline bool certainly_square_free(const zpoly& p) {
  std::vector<std::uint64_t> a(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) a[i] = detail::to_mod(p[i]);
  if (a.back() == 0) return false;
  std::vector<std::uint64_t> d(p.size() - 1);
  for (std::size_t i = 1; i < p.size(); ++i) d[i - 1] = detail::mul_mod(a[i], i % detail::mersenne61);
  return detail::gcd_degree_mod(std::move(a), std::move(d)) == 0;
}

/// The primitive square-free part of p (trimmed, degree >= 1), positive
/// leading coefficient.
inline zpoly square_free_part(const zpoly& p) {
  zpoly q = primitive_part(p);
  if (q.size() == 2 || certainly_square_free(q)) return q;
  const zpoly g = primitive_gcd(q, derivative(q));
  if (g.size() <= 1) return q;
  return primitive_part(exact_quotient(q, g));
}

} // namespace polybatch::kernels::exact_roots
