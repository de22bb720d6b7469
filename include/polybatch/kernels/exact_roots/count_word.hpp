// The whole count of distinct real roots of one integer row on machine words,
// for rows with coefficients below 2^62: the zero root, a square-freeness
// proof modulo 2^61 - 1 and the Descartes bisection of descartes_word.hpp on
// p(x) and p(-x). It answers only when it is sure; otherwise (possible
// multiple roots, an overflow) the caller runs the cpp_int path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "polybatch/kernels/exact_roots/descartes_word.hpp"
#include "polybatch/kernels/exact_roots/square_free.hpp"

namespace polybatch::kernels::exact_roots::word {

inline std::uint64_t to_mod(int128 x) { // |x| < 2^62
  const auto r = static_cast<std::int64_t>(x % static_cast<int128>(detail::mersenne61));
  return r < 0 ? static_cast<std::uint64_t>(r + static_cast<std::int64_t>(detail::mersenne61))
               : static_cast<std::uint64_t>(r);
}

/// True when p (len coefficients, trimmed, degree >= 1, |p_i| < 2^62) is
/// square-free: gcd(p, p') = 1 modulo 2^61 - 1 with the leading coefficient
/// non-zero there (a repeated factor over Z would survive the reduction). The
/// remainder sequence is scaled by leading coefficients instead of divided,
/// so no modular inverse is needed.
inline bool certainly_square_free(const int128* p, std::size_t len, std::vector<std::uint64_t>& a,
                                  std::vector<std::uint64_t>& b) {
  using detail::mersenne61;
  using detail::mul_mod;
  a.resize(len);
  b.resize(len - 1);
  for (std::size_t i = 0; i < len; ++i) a[i] = to_mod(p[i]);
  if (a.back() == 0) return false;
  for (std::size_t i = 1; i < len; ++i) b[i - 1] = mul_mod(a[i], i % mersenne61);
  auto trim_mod = [](std::vector<std::uint64_t>& v) {
    while (!v.empty() && v.back() == 0) v.pop_back();
  };
  trim_mod(b);
  auto sub = [](std::uint64_t x, std::uint64_t y) { return x >= y ? x - y : x + mersenne61 - y; };
  while (!b.empty()) {
    while (a.size() >= b.size()) {
      const std::uint64_t la = a.back();
      const std::uint64_t lb = b.back();
      const std::size_t shift = a.size() - b.size();
      for (std::size_t j = 0; j < shift; ++j) a[j] = mul_mod(a[j], lb);
      for (std::size_t j = 0; j < b.size(); ++j) a[shift + j] = sub(mul_mod(a[shift + j], lb), mul_mod(la, b[j]));
      trim_mod(a);
    }
    std::swap(a, b);
  }
  return a.size() == 1;
}

/// Reusable buffers of count_real_roots.
struct count_scratch {
  std::vector<int128> p, r;
  std::vector<std::uint64_t> ma, mb;
  std::vector<found_root> found;
  scratch bisect;
};

/// Positive roots of p (len, trimmed, square-free, p(0) != 0) into n; false
/// on overflow.
inline bool count_positive(const int128* p, std::size_t len, std::size_t& n, count_scratch& s) {
  const int v = sign_variations(p, len);
  if (v <= 1) { // Descartes' rule on (0, oo) is exact for 0 and 1
    n += static_cast<std::size_t>(v);
    return true;
  }
  s.found.clear();
  if (!positive_roots(p, len, root_bound_exponent(p, len), s.found, s.bisect)) return false;
  n += s.found.size();
  return true;
}

/// The number of distinct real roots of the row c (len values of an integer
/// type, not all zero) into n, or false when the row needs cpp_int.
template <class I>
bool count_real_roots(const I* c, std::size_t len, std::size_t& n, count_scratch& s) {
  while (len > 0 && c[len - 1] == 0) --len;
  std::size_t low = 0;
  while (low < len && c[low] == 0) ++low;
  n = 0;
  if (len == 0) return true;
  if (low > 0) n = 1; // 0 is a root
  const std::size_t m = len - low;
  if (m < 2) return true;
  constexpr int128 limit = int128(1) << 62;
  s.p.resize(m);
  for (std::size_t i = 0; i < m; ++i) {
    const int128 x = static_cast<int128>(c[low + i]);
    if (x >= limit || x <= -limit) return false;
    s.p[i] = x;
  }
  if (m > 2 && !certainly_square_free(s.p.data(), m, s.ma, s.mb)) return false;
  s.r.resize(m);
  for (std::size_t i = 0; i < m; ++i) s.r[i] = i % 2 ? -s.p[i] : s.p[i];
  return count_positive(s.p.data(), m, n, s) && count_positive(s.r.data(), m, n, s);
}

} // namespace polybatch::kernels::exact_roots::word
