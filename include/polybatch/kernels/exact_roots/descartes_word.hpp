// The Descartes bisection of descartes.hpp on machine words: coefficients in
// __int128, every shift, sum and Taylor-shift addition checked for overflow.
// Small rows (the common case) never touch cpp_int; on any overflow the
// caller is told so and reruns the row in cpp_int, so results stay exact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "polybatch/core/int128.hpp"

namespace polybatch::kernels::exact_roots::word {

/// A root of the scaled polynomial: exactly num / 2^k (exact) or the only
/// root in the open (num / 2^k, (num + 1) / 2^k).
struct found_root {
  std::uint64_t num;
  long k;
  bool exact;
};

/// Bits of |x| (0 for 0).
inline long bit_length(int128 x) {
  const uint128 a = x < 0 ? uint128(0) - static_cast<uint128>(x) : static_cast<uint128>(x);
  const auto hi = static_cast<std::uint64_t>(a >> 64);
  const auto lo = static_cast<std::uint64_t>(a);
  if (hi) return 128 - __builtin_clzll(hi);
  return lo ? 64 - __builtin_clzll(lo) : 0;
}

/// x << s, or false when that leaves the range of int128.
inline bool shift_left(int128& x, long s) {
  if (x == 0 || s == 0) return true;
  if (s < 0 || s > 125 || bit_length(x) + s > 126) return false;
  x = static_cast<int128>(static_cast<uint128>(x) << s);
  return true;
}

inline int sign_variations(const int128* p, std::size_t n) {
  int v = 0;
  bool last_neg = false;
  bool seen = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] == 0) continue;
    const bool neg = p[i] < 0;
    if (seen && neg != last_neg) ++v;
    last_neg = neg;
    seen = true;
  }
  return v;
}

/// p(x + 1) in place; false on overflow (p is then garbage).
inline bool taylor_shift_1(int128* p, std::size_t n) {
  bool bad = false;
  for (std::size_t i = 0; i + 1 < n; ++i)
    for (std::size_t j = n - 1; j-- > i;) bad |= __builtin_add_overflow(p[j], p[j + 1], &p[j]);
  return !bad;
}

inline void remove_power_of_two(int128* p, std::size_t n) {
  uint128 bits = 0;
  for (std::size_t i = 0; i < n; ++i) bits |= static_cast<uint128>(p[i]);
  if (bits == 0) return;
  const auto lo = static_cast<std::uint64_t>(bits);
  const int s = lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll(static_cast<std::uint64_t>(bits >> 64));
  if (s == 0) return;
  for (std::size_t i = 0; i < n; ++i) p[i] >>= s; // exact: every p[i] is a multiple of 2^s
}

/// The exponent of root_bound_exponent (descartes.hpp), on words.
inline long root_bound_exponent(const int128* p, std::size_t len) {
  const long n = static_cast<long>(len) - 1;
  const long bn = bit_length(p[n]);
  long best = -(1L << 20);
  for (long i = 1; i <= n; ++i) {
    const int128 c = p[n - i];
    if (c == 0) continue;
    const long num = bit_length(c) - bn + 1;
    const long e = num >= 0 ? (num + i - 1) / i : -((-num) / i);
    if (e > best) best = e;
  }
  return best == -(1L << 20) ? 0 : best + 1;
}

/// Reusable buffers, so that a row costs no allocation once they have grown.
struct scratch {
  std::vector<int128> pool; // node coefficients, one slot of `len` per stack entry
  struct node {
    std::size_t size;
    std::uint64_t c;
    long k;
  };
  std::vector<node> stack;
  std::vector<int128> f, t;
};

/// The positive roots of p (len coefficients, trimmed, square-free, degree
/// >= 1, p(0) != 0) scaled by 2^-e, e = root_bound_exponent(p, len), into
/// out, in the order descartes.hpp emits them. False when a value leaves the
/// range of int128 (out is then incomplete).
inline bool positive_roots(const int128* p, std::size_t len, long e, std::vector<found_root>& out, scratch& s) {
  const std::size_t n = len - 1;
  s.pool.resize(len * 4);
  s.f.resize(len);
  s.t.resize(len);
  s.stack.clear();
  int128* q = s.pool.data();
  for (std::size_t i = 0; i <= n; ++i) {
    q[i] = p[i];
    const long sh = e >= 0 ? e * static_cast<long>(i) : -e * static_cast<long>(n - i);
    if (!shift_left(q[i], sh)) return false;
  }
  remove_power_of_two(q, len);
  s.stack.push_back({len, 0, 0});
  int128* f = s.f.data();
  int128* t = s.t.data();
  while (!s.stack.empty()) {
    const scratch::node nd = s.stack.back();
    s.stack.pop_back();
    const std::size_t size = nd.size;
    const int128* src = s.pool.data() + s.stack.size() * len;
    for (std::size_t i = 0; i < size; ++i) f[i] = src[i];
    if (size < 2) continue;
    if (sign_variations(f, size) == 0) continue;
    for (std::size_t i = 0; i < size; ++i) t[i] = f[size - 1 - i];
    if (!taylor_shift_1(t, size)) return false;
    const int v = sign_variations(t, size);
    if (v == 0) continue;
    if (v == 1) {
      out.push_back({nd.c, nd.k, false});
      continue;
    }
    if (nd.k >= 62) return false; // num would leave 64 bits
    const std::size_t m = size - 1;
    int128 at_one = 0;
    bool bad = false;
    for (std::size_t i = 0; i < m; ++i) bad |= !shift_left(f[i], static_cast<long>(m - i));
    for (std::size_t i = 0; i <= m; ++i) bad |= __builtin_add_overflow(at_one, f[i], &at_one);
    if (bad) return false;
    const std::uint64_t c2 = nd.c * 2;
    std::size_t fsize = size;
    if (at_one == 0) {
      out.push_back({c2 + 1, nd.k + 1, true});
      // divide by (x - 1): synthetic division, exact over Z
      int128 carry = 0;
      for (std::size_t i = m; i-- > 0;) {
        bad |= __builtin_add_overflow(carry, f[i + 1], &carry);
        t[i] = carry;
      }
      if (bad) return false;
      for (std::size_t i = 0; i < m; ++i) f[i] = t[i];
      fsize = m;
    }
    remove_power_of_two(f, fsize);
    // push the right half, then the left one (popped first)
    const std::size_t depth = s.stack.size();
    if (s.pool.size() < (depth + 2) * len) s.pool.resize((depth + 2) * len * 2);
    int128* right = s.pool.data() + depth * len;
    int128* left = right + len;
    for (std::size_t i = 0; i < fsize; ++i) right[i] = left[i] = f[i];
    if (!taylor_shift_1(right, fsize)) return false;
    remove_power_of_two(right, fsize);
    s.stack.push_back({fsize, c2 + 1, nd.k + 1});
    s.stack.push_back({fsize, c2, nd.k + 1});
  }
  return true;
}

} // namespace polybatch::kernels::exact_roots::word
