// Machine-word path for short rows of small rationals (cpp_rational,
// mpq_rational): each row over its common denominator in 64-bit words, the
// product in __int128, and each output coefficient reduced once, by two
// 64-bit gcds against the two row denominators, then written as numerator
// and denominator with no further normalisation.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "polybatch/kernels/exact/integer_access.hpp"
#include "polybatch/kernels/exact/integer_words.hpp"
#include "polybatch/kernels/exact/small_primes.hpp"

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

/// The odd part of a row's common denominator as prime powers (indices
/// into small_primes().primes) and its power of two. At most 14 distinct
/// odd primes fit below 2^63 (3 * 5 * ... * 53 > 2^63).
struct smooth_factors {
  static constexpr std::size_t capacity = 16;
  std::uint16_t prime[capacity];
  std::uint8_t exponent[capacity];
  std::uint8_t count;
  std::uint8_t twos;
};

/// One rational row over its common denominator: value[k] = num[k] *
/// (denominator / den[k]), all below 2^63 in magnitude. `smooth` says the
/// odd part of every denominator is below smooth_bound, and then `factors`
/// holds the common denominator's factorisation.
struct rational_row {
  std::int64_t value[max_row];
  std::uint64_t denominator;
  std::uint64_t magnitude_or;
  smooth_factors factors;
  bool smooth;
};

namespace detail {

/// Adds p^e (p = primes[index]) to the lcm's factorisation; false when the
/// list is full.
inline bool raise_exponent(smooth_factors& f, std::uint16_t index, std::uint8_t e) {
  for (std::size_t i = 0; i < f.count; ++i)
    if (f.prime[i] == index) {
      if (f.exponent[i] < e) f.exponent[i] = e;
      return true;
    }
  if (f.count == smooth_factors::capacity) return false;
  f.prime[f.count] = index;
  f.exponent[f.count] = e;
  ++f.count;
  return true;
}

/// The lcm of den[0..len) from the factor tables (every odd part below
/// smooth_bound); false when it does not fit 63 bits.
inline bool smooth_lcm(const std::uint64_t* den, std::size_t len, smooth_factors& f, std::uint64_t& lcm) {
  const small_prime_tables& t = small_primes();
  f.count = 0;
  f.twos = 0;
  for (std::size_t k = 0; k < len; ++k) {
    const int twos = std::countr_zero(den[k]);
    if (twos > f.twos) f.twos = static_cast<std::uint8_t>(twos);
    std::uint32_t odd = static_cast<std::uint32_t>(den[k] >> twos);
    while (odd != 1) {
      const std::uint16_t index = t.smallest_factor[odd / 2];
      std::uint8_t e = 0;
      do {
        odd = t.cofactor[odd / 2];
        ++e;
      } while (odd != 1 && t.smallest_factor[odd / 2] == index);
      if (!raise_exponent(f, index, e)) return false;
    }
  }
  if (f.twos >= 63) return false;
  std::uint64_t l = std::uint64_t(1) << f.twos;
  for (std::size_t i = 0; i < f.count; ++i)
    for (std::uint8_t e = 0; e < f.exponent[i]; ++e)
      if (__builtin_mul_overflow(l, std::uint64_t(t.primes[f.prime[i]].value), &l) || (l >> 63) != 0) return false;
  lcm = l;
  return true;
}

/// The lcm of den[0..len) by gcds; false when it does not fit 63 bits.
inline bool gcd_lcm(const std::uint64_t* den, std::size_t len, std::uint64_t& lcm) {
  std::uint64_t l = 1;
  for (std::size_t k = 0; k < len; ++k)
    if (den[k] != 1 && l % den[k] != 0) {
      const std::uint64_t g = gcd64(l % den[k], den[k]);
      if (__builtin_mul_overflow(l, den[k] / g, &l) || (l >> 63) != 0) return false;
    }
  lcm = l;
  return true;
}

} // namespace detail

/// Reads len rationals (reversed if asked) through R::read_small; false if
/// a value, the row's lcm or a scaled numerator does not fit 63 bits.
template <class R, class T>
bool read_rational_row(const T* x, std::size_t len, bool reverse, rational_row& w) {
  std::int64_t num[max_row];
  std::uint64_t den[max_row];
  std::uint64_t odd_parts_or = 0;
  for (std::size_t k = 0; k < len; ++k) {
    if (!R::read_small(x[reverse ? len - 1 - k : k], num[k], den[k])) return false;
    odd_parts_or |= den[k] >> std::countr_zero(den[k]);
  }
  std::uint64_t l;
  w.smooth = odd_parts_or < smooth_bound;
  if (!(w.smooth ? detail::smooth_lcm(den, len, w.factors, l) : detail::gcd_lcm(den, len, l))) return false;
  const std::uint64_t* odd_inverse = small_primes().odd_inverse.data();
  std::uint64_t any = 0;
  for (std::size_t k = 0; k < len; ++k) {
    // l / den[k] is exact; a smooth row divides by multiplying with the
    // inverse of the denominator's odd part.
    const int twos = std::countr_zero(den[k]);
    const std::uint64_t factor = w.smooth ? (l >> twos) * odd_inverse[(den[k] >> twos) / 2] : l / den[k];
    std::int64_t v;
    if (__builtin_mul_overflow(num[k], static_cast<std::int64_t>(factor), &v) || v == INT64_MIN) return false;
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

/// The divisibility tests that reduce the product coefficients of two
/// smooth rows: each odd prime of da (then of db) once per power of it in
/// da (db), and the powers of two apart. Whether a test hits depends on the
/// numerator only, so the tests of da's primes may all run before db's.
struct prime_reduction {
  struct test {
    std::uint64_t inverse_low, inverse_high; // p^-1 mod 2^128
    uint128 limit;                           // (2^128 - 1) / p
  };
  /// At most 39 odd prime factors each (3^40 > 2^63).
  test tests[2 * 40];
  std::size_t count_a, count;
  std::uint64_t da, db;
  int twos_a, twos_b;
};

namespace detail {
inline void add_prime_tests(const smooth_factors& f, prime_reduction& plan) {
  const small_prime_tables& t = small_primes();
  for (std::size_t i = 0; i < f.count; ++i) {
    const odd_prime& p = t.primes[f.prime[i]];
    for (std::uint8_t e = 0; e < f.exponent[i]; ++e)
      plan.tests[plan.count++] = {static_cast<std::uint64_t>(p.inverse), static_cast<std::uint64_t>(p.inverse >> 64),
                                  p.limit};
  }
}
} // namespace detail

inline void plan_prime_reduction(const rational_row& a, const rational_row& b, prime_reduction& plan) {
  plan.count = 0;
  detail::add_prime_tests(a.factors, plan);
  plan.count_a = plan.count;
  detail::add_prime_tests(b.factors, plan);
  plan.da = a.denominator;
  plan.db = b.denominator;
  plan.twos_a = a.factors.twos;
  plan.twos_b = b.factors.twos;
}

namespace detail {

/// W numerators (low and high words) run through tests [from, to) in
/// lockstep, in registers: W independent dependency chains. A hit divides
/// the numerator by p and d by p. A missed test leaves the numerator as it
/// was, so the later tests of the same prime miss too: no early exit is
/// needed and nothing branches on the data.
template <std::size_t W>
inline void run_prime_tests(const prime_reduction::test* from, const prime_reduction::test* to, std::uint64_t* low,
                            std::uint64_t* high, std::uint64_t* d) {
  std::uint64_t l[W], h[W], x[W];
  for (std::size_t w = 0; w < W; ++w) {
    l[w] = low[w];
    h[w] = high[w];
    x[w] = d[w];
  }
  for (const prime_reduction::test* p = from; p != to; ++p) {
    const std::uint64_t inverse_low = p->inverse_low, inverse_high = p->inverse_high;
    const uint128 limit = p->limit;
#pragma GCC unroll 8
    for (std::size_t w = 0; w < W; ++w) {
      const uint128 product = static_cast<uint128>(l[w]) * inverse_low;
      const auto q_low = static_cast<std::uint64_t>(product);
      const std::uint64_t q_high = static_cast<std::uint64_t>(product >> 64) + l[w] * inverse_high + h[w] * inverse_low;
      // A mask, not a conditional: g++ turns the selections into branches,
      // which the data make unpredictable.
      const std::uint64_t hit =
          std::uint64_t(0) - std::uint64_t(((static_cast<uint128>(q_high) << 64) | q_low) <= limit);
      l[w] ^= (l[w] ^ q_low) & hit;
      h[w] ^= (h[w] ^ q_high) & hit;
      x[w] ^= (x[w] ^ (x[w] * inverse_low)) & hit;
    }
  }
  for (std::size_t w = 0; w < W; ++w) {
    low[w] = l[w];
    high[w] = h[w];
    d[w] = x[w];
  }
}

} // namespace detail

/// c[k] / (da * db), k < n, in lowest terms by the primes of da * db; each
/// division by a prime of da (db) also takes it out of that coefficient's
/// da (db).
inline void reduce_row(const int128* c, std::size_t n, const prime_reduction& plan, uint128* num, bool* negative,
                       uint128* den) {
  constexpr std::size_t W = 2;
  constexpr std::size_t capacity = 2 * max_row + W;
  std::uint64_t low[capacity], high[capacity], da[capacity], db[capacity];
  for (std::size_t k = 0; k < n; ++k) {
    const uint128 m = magnitude(c[k]);
    negative[k] = c[k] < 0;
    const auto lo = static_cast<std::uint64_t>(m);
    const int zeros = lo != 0 ? std::countr_zero(lo) : 64 + std::countr_zero(static_cast<std::uint64_t>(m >> 64));
    // zero: every power of two goes, and the odd tests leave 0 / 1
    const int twos = std::min(zeros, plan.twos_a + plan.twos_b);
    const int twos_a = std::min(twos, plan.twos_a);
    low[k] = static_cast<std::uint64_t>(m >> twos);
    high[k] = static_cast<std::uint64_t>((m >> twos) >> 64);
    da[k] = plan.da >> twos_a;
    db[k] = plan.db >> (twos - twos_a);
  }
  for (std::size_t k = n; k < (n + W - 1) / W * W; ++k) low[k] = high[k] = da[k] = db[k] = 1;
  const prime_reduction::test* tests = plan.tests;
  for (std::size_t k = 0; k < n; k += W) {
    detail::run_prime_tests<W>(tests, tests + plan.count_a, low + k, high + k, da + k);
    detail::run_prime_tests<W>(tests + plan.count_a, tests + plan.count, low + k, high + k, db + k);
  }
  for (std::size_t k = 0; k < n; ++k) {
    num[k] = (static_cast<uint128>(high[k]) << 64) | low[k];
    den[k] = num[k] == 0 ? 1 : static_cast<uint128>(da[k]) * db[k];
  }
}

} // namespace polybatch::kernels::exact::words
