// Machine-word path for short rows of small rationals (cpp_rational,
// mpq_rational): each row over its common denominator in 64-bit words, the
// product in __int128, and each output coefficient reduced once, by two
// 64-bit gcds against the two row denominators, then written as numerator
// and denominator with no further normalisation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "polybatch/kernels/exact/integer_access.hpp"
#include "polybatch/kernels/exact/integer_words.hpp"

namespace polybatch::kernels::exact::words {

/// gcd of u, v < 2^63: binary gcd with the shift count of the next
/// difference computed while the minimum is taken (a shorter dependency
/// chain than swap-and-subtract).
inline std::uint64_t gcd64(std::uint64_t u, std::uint64_t v) {
  if (u == 0) return v;
  if (v == 0) return u;
  int zu = __builtin_ctzll(u);
  const int zv = __builtin_ctzll(v);
  const int shift = zu < zv ? zu : zv;
  v >>= zv;
  while (u != 0) {
    u >>= zu;
    const std::int64_t diff = static_cast<std::int64_t>(v) - static_cast<std::int64_t>(u);
    zu = __builtin_ctzll(static_cast<std::uint64_t>(diff) | (std::uint64_t(1) << 63)); // diff = 0 ends the loop
    v = u < v ? u : v;
    u = static_cast<std::uint64_t>(diff < 0 ? -diff : diff);
  }
  return v << shift;
}

/// One rational row over its common denominator: value[k] = num[k] *
/// (denominator / den[k]), all below 2^63 in magnitude.
struct rational_row {
  std::int64_t value[max_row];
  std::uint64_t denominator;
  std::uint64_t magnitude_or;
};

/// Reads len rationals (reversed if asked) through R::read_small; false if
/// a value, the row's lcm or a scaled numerator does not fit 63 bits.
template <class R, class T>
bool read_rational_row(const T* x, std::size_t len, bool reverse, rational_row& w) {
  std::int64_t num[max_row];
  std::uint64_t den[max_row];
  std::uint64_t l = 1;
  for (std::size_t k = 0; k < len; ++k) {
    if (!R::read_small(x[reverse ? len - 1 - k : k], num[k], den[k])) return false;
    if (den[k] != 1 && l % den[k] != 0) {
      const std::uint64_t g = gcd64(l % den[k], den[k]);
      if (__builtin_mul_overflow(l, den[k] / g, &l) || (l >> 63) != 0) return false;
    }
  }
  std::uint64_t any = 0;
  for (std::size_t k = 0; k < len; ++k) {
    std::int64_t v;
    if (__builtin_mul_overflow(num[k], static_cast<std::int64_t>(l / den[k]), &v) || v == INT64_MIN) return false;
    w.value[k] = v;
    any |= static_cast<std::uint64_t>(v < 0 ? -v : v);
  }
  w.denominator = l;
  w.magnitude_or = any;
  return true;
}

inline uint128 magnitude(int128 v) { return v < 0 ? -static_cast<uint128>(v) : static_cast<uint128>(v); }

/// c / (da * db) in lowest terms: gcd(c, da * db) = g1 * g2 with
/// g1 = gcd(c, da) and g2 = gcd(c / g1, db), since c / g1 and da / g1 are
/// coprime. `num` gets the signed numerator, `den` the denominator.
inline void reduce(int128 c, std::uint64_t da, std::uint64_t db, int128& num, uint128& den) {
  if (c == 0) {
    num = 0;
    den = 1;
    return;
  }
  const bool negative = c < 0;
  uint128 m = magnitude(c);
  // 64-bit division where the value allows: __int128 division is a call.
  auto mod = [&m](std::uint64_t d) -> std::uint64_t {
    return (m >> 64) == 0 ? static_cast<std::uint64_t>(m) % d : static_cast<std::uint64_t>(m % d);
  };
  auto divide = [&m](std::uint64_t d) {
    if ((m >> 64) == 0)
      m = static_cast<std::uint64_t>(m) / d;
    else
      m /= d;
  };
  const std::uint64_t g1 = da == 1 ? 1 : gcd64(mod(da), da);
  if (g1 != 1) divide(g1);
  const std::uint64_t g2 = db == 1 ? 1 : gcd64(mod(db), db);
  if (g2 != 1) divide(g2);
  num = negative ? -static_cast<int128>(m) : static_cast<int128>(m);
  den = static_cast<uint128>(da / g1) * (db / g2);
}

} // namespace polybatch::kernels::exact::words
