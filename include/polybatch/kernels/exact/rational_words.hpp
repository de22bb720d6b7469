// Machine-word path for short rows of small rationals (cpp_rational,
// mpq_rational): each row over its common denominator in 64-bit words, the
// product in __int128, and each output coefficient reduced once, then written
// as numerator and denominator with no further normalisation.
//
// Reduction. When the odd part of every denominator of both rows is below
// smooth_bound, a coefficient c / (La Lb) is reduced by divisibility tests
// against the primes of La, then of Lb (c / g1 and La / g1 are coprime, so
// with g1 = gcd(c, La) and g2 = gcd(c / g1, Lb), g1 g2 = gcd(c, La Lb)).
// Otherwise by two 64-bit binary gcds, g1 and g2 as above.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "polybatch/core/thread_local_address.hpp"
#include "polybatch/kernels/exact/integer_access.hpp"
#include "polybatch/kernels/exact/integer_words.hpp"
#include "polybatch/kernels/exact/small_primes.hpp"
#include "polybatch/kernels/simd/avx2_lane_products.hpp"

namespace polybatch::kernels::exact::words {

/// One divisibility test: a value x is divisible by `prime` exactly when
/// x * inverse mod 2^64 <= limit, and then that product is x / prime.
struct prime_test {
  std::uint64_t inverse, limit, prime;
};

/// One rational row over its common denominator: value[k] = num[k] *
/// (denominator / den[k]), all below 2^63 in magnitude. `smooth` says the
/// odd part of every denominator is below smooth_bound; then `odd` is the
/// odd part of the denominator, `negated_inverse` is -odd^-1 mod 2^64,
/// `twos` its power of two, and `tests` hold each prime of `odd` once per
/// power of it (at most 39: 3^40 > 2^63).
struct rational_row {
  std::int64_t value[max_row];
  std::uint64_t denominator;
  std::uint64_t magnitude_or;
  bool smooth;
  int twos;
  std::uint64_t odd, negated_inverse;
  std::size_t test_count;
  prime_test tests[40];
  // The values as read (in row order, reversed if asked), when every one
  // fits 63 bits: a smooth row whose lcm or scaled values outgrow a word
  // continues from them in limbs (rational_limbs.hpp).
  bool read;
  // The lcm fits 63 bits and `denominator` holds it (when read).
  bool lcm_in_word;
  std::int64_t num[max_row];
  std::uint64_t den[max_row];
  // A smooth row's lcm as 2^twos times prime[i]^exponent[i] (prime: an index
  // into small_primes().primes), whether or not it fits a word.
  std::size_t prime_count;
  std::uint16_t prime[factor_slots * max_row];
  std::uint8_t exponent[factor_slots * max_row];
};

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

namespace detail {

/// Exponents by prime index, zero between uses: merging factorisations
/// through it needs no search. The factor_slots - 1 entries past the primes belong to
/// the factorisations' unused slots and stay nonzero, so those slots never
/// count as new primes; each has its own entry, so a short factorisation's
/// unused slots do not wait on each other's stores.
struct prime_exponent_table {
  std::uint8_t exponent[odd_prime_count + factor_slots - 1];
};
constexpr prime_exponent_table initial_prime_exponents() {
  prime_exponent_table t{};
  for (std::size_t i = 0; i + 1 < factor_slots; ++i) t.exponent[odd_prime_count + i] = 0xff;
  return t;
}
inline std::uint8_t* prime_exponents() {
  thread_local constinit prime_exponent_table table = initial_prime_exponents();
  return thread_local_address(table.exponent);
}

/// The lcm of den[0..len) from the factor tables (every odd part below
/// smooth_bound) with its divisibility tests, and its factorisation in w
/// whether or not it fits; false when it does not fit 63 bits. Branch-free
/// merging: each factor is appended to the list and kept only if its prime
/// is new.
inline bool smooth_lcm(const std::uint64_t* den, std::size_t len, rational_row& w) {
  const small_prime_tables& t = small_primes();
  std::uint8_t* exponent = prime_exponents();
  std::uint16_t primes[factor_slots * max_row + 1];
  std::size_t count = 0;
  int twos = 0;
  for (std::size_t k = 0; k < len; ++k) {
    const int zeros = std::countr_zero(den[k]);
    twos = std::max(twos, zeros);
    const auto odd = static_cast<std::uint32_t>(den[k] >> zeros);
    if (odd == 1) continue;
    const odd_factorisation& factors = t.factorisation[odd / 2];
    for (std::size_t slot = 0; slot < factor_slots; ++slot) {
      const std::uint16_t index = factors.prime[slot];
      primes[count] = index;
      count += exponent[index] == 0;
      exponent[index] = std::max(exponent[index], factors.exponent[slot]);
    }
  }
  std::uint64_t odd = 1;
  bool fits = twos < 63;
  std::size_t tests = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const odd_prime& p = t.primes[primes[i]];
    w.prime[i] = primes[i];
    w.exponent[i] = exponent[primes[i]];
    for (std::uint8_t e = 0; e < w.exponent[i] && fits; ++e) {
      fits = !__builtin_mul_overflow(odd, std::uint64_t(p.value), &odd) && (odd >> 63) == 0;
      if (fits) w.tests[tests++] = {p.inverse, p.limit, p.value};
    }
    exponent[primes[i]] = 0;
  }
  w.prime_count = count;
  fits = fits && (odd >> (63 - twos)) == 0;
  w.twos = twos;
  w.odd = odd;
  w.negated_inverse = std::uint64_t(0) - inverse_mod_2_64(odd);
  w.test_count = tests;
  w.denominator = odd << twos;
  return fits;
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
  std::int64_t* num = w.num;
  std::uint64_t* den = w.den;
  std::uint64_t odd_parts_or = 0;
  w.read = false;
  for (std::size_t k = 0; k < len; ++k) {
    if (!R::read_small(x[reverse ? len - 1 - k : k], num[k], den[k])) return false;
    odd_parts_or |= den[k] >> std::countr_zero(den[k]);
  }
  w.read = true;
  w.lcm_in_word = false;
  w.smooth = odd_parts_or < smooth_bound;
  if (!(w.smooth ? detail::smooth_lcm(den, len, w) : detail::gcd_lcm(den, len, w.denominator))) return false;
  w.lcm_in_word = true;
  const std::uint64_t l = w.denominator;
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

namespace detail {

/// (x, y, z) = (new_x, new_y, new_z) when value <= limit. Half of the tests
/// hit, in no pattern a predictor learns, and g++ compiles a conditional
/// here as a branch (it saves the multiplications that feed the selected
/// values); on x86-64 conditional moves, elsewhere masks.
inline void select_if_not_above(std::uint64_t value, std::uint64_t limit, std::uint64_t new_x, std::uint64_t new_y,
                                std::uint64_t new_z, std::uint64_t& x, std::uint64_t& y, std::uint64_t& z) {
#if defined(__x86_64__)
  asm("cmpq %[limit], %[value]\n\t"
      "cmovbeq %[new_x], %[x]\n\t"
      "cmovbeq %[new_y], %[y]\n\t"
      "cmovbeq %[new_z], %[z]"
      : [x] "+r"(x), [y] "+r"(y), [z] "+r"(z)
      : [value] "r"(value), [limit] "r"(limit), [new_x] "r"(new_x), [new_y] "r"(new_y), [new_z] "r"(new_z)
      : "cc");
#else
  const std::uint64_t mask = std::uint64_t(0) - std::uint64_t(value <= limit);
  x ^= (x ^ new_x) & mask;
  y ^= (y ^ new_y) & mask;
  z ^= (z ^ new_z) & mask;
#endif
}

/// The part of a row's common denominator that divides one value.
struct divisor_part {
  std::uint64_t r;       // the value's representative, divided as tests hit
  std::uint64_t inverse; // g^-1 mod 2^64
  std::uint64_t divisor; // g
};

/// One test: a hit divides r by p, and multiplies g by p and g^-1 by p^-1. A
/// test that misses changes nothing, so the later tests of the same prime
/// miss too: no early exit, and no branch on the data.
inline void run_test(const prime_test& t, divisor_part& d) {
  select_if_not_above(d.r * t.inverse, t.limit, d.r * t.inverse, d.inverse * t.inverse, d.divisor * t.prime, d.r,
                      d.inverse, d.divisor);
}

#if (defined(__AVX512F__) && defined(__AVX512DQ__)) || defined(__AVX2__)
/// Values whose tests run side by side, in vector registers where the
/// machine has 64-bit lanes: each test three lane products, a comparison and
/// three selections per register. With AVX-512DQ registers of eight and up
/// to three of them (the 17 coefficients of a 9 x 9 product in one pass over
/// the tests, not a pass with two registers and another for the last one);
/// with AVX2 registers of four and up to five of them (17 coefficients in
/// one pass again: the values that do not fit the sixteen registers wait in
/// the first-level cache, which costs less than a second pass of one
/// register, whose tests are a chain of latencies).
/// Otherwise four named scalars (arrays indexed in an unrolled loop stayed on
/// the stack), four independent chains of multiplications and conditional
/// moves.
#if defined(__AVX512F__) && defined(__AVX512DQ__)
inline constexpr std::size_t register_bytes = 64;
inline constexpr std::size_t max_registers = 3;
#else
inline constexpr std::size_t register_bytes = 32;
inline constexpr std::size_t max_registers = 5;
#endif
/// Lanes of one test register.
inline constexpr std::size_t register_lanes = register_bytes / sizeof(std::uint64_t);

#if defined(__AVX512F__) && defined(__AVX512DQ__)
typedef std::uint64_t test_register __attribute__((vector_size(register_bytes)));

/// The tests on R registers of values (r, inverse and divisor hold
/// register_lanes R lanes each): R independent chains per test.
template <std::size_t R>
inline void run_tests_on(const prime_test* tests, std::size_t count, std::uint64_t* r, std::uint64_t* inverse,
                         std::uint64_t* divisor) {
  test_register x[R], i[R], d[R];
  for (std::size_t v = 0; v < R; ++v) {
    std::memcpy(&x[v], r + register_lanes * v, register_bytes);
    for (std::size_t w = 0; w < register_lanes; ++w) i[v][w] = d[v][w] = 1;
  }
  for (std::size_t t = 0; t < count; ++t) {
    const prime_test& p = tests[t];
    for (std::size_t v = 0; v < R; ++v) {
      const test_register q = x[v] * p.inverse;
      const auto hit = reinterpret_cast<test_register>(q <= p.limit);
      x[v] = (q & hit) | (x[v] & ~hit);
      i[v] = ((i[v] * p.inverse) & hit) | (i[v] & ~hit);
      d[v] = ((d[v] * p.prime) & hit) | (d[v] & ~hit);
    }
  }
  for (std::size_t v = 0; v < R; ++v) {
    std::memcpy(r + register_lanes * v, &x[v], register_bytes);
    std::memcpy(inverse + register_lanes * v, &i[v], register_bytes);
    std::memcpy(divisor + register_lanes * v, &d[v], register_bytes);
  }
}
#else
/// inverse[w], right in its low 32 bits for the odd divisor[w], lifted to
/// 2^64 by one Newton step x (2 - d x): d x = 1 + k 2^32 gives
/// d x (2 - d x) = 1 - k^2 2^64.
inline void lift_inverses(const std::uint64_t* divisor, std::uint64_t* inverse, std::size_t n) {
  for (std::size_t w = 0; w < n; ++w) inverse[w] *= 2 - divisor[w] * inverse[w];
}

/// AVX2 has no 64-bit lane product: the generic vector code's product is
/// three 32-bit ones, its unsigned comparison three operations and each
/// selection three. Written out, the product by a prime (below 2^32) is two,
/// the comparison one on values offset by 2^63 (the limits are below 2^63),
/// and a selection one blend. The divisor's inverse is tracked modulo 2^32
/// only, one 32-bit product a test where the full one takes three, and
/// lifted once at the end (lift_inverses); with AVX-512's one-instruction
/// lane product the lift costs more than it saves on short rows.
template <std::size_t R>
inline void run_tests_on(const prime_test* tests, std::size_t count, std::uint64_t* r, std::uint64_t* inverse,
                         std::uint64_t* divisor) {
  __m256i x[R], i[R], d[R];
  const __m256i one = _mm256_set1_epi64x(1);
  const __m256i offset = _mm256_set1_epi64x(std::numeric_limits<std::int64_t>::min());
  for (std::size_t v = 0; v < R; ++v) {
    x[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r + register_lanes * v));
    i[v] = d[v] = one;
  }
  for (std::size_t t = 0; t < count; ++t) {
    const prime_test& p = tests[t];
    const __m256i y = _mm256_set1_epi64x(static_cast<std::int64_t>(p.inverse));
    const __m256i y_high = _mm256_set1_epi64x(static_cast<std::int64_t>(p.inverse >> 32));
    const __m256i limit = _mm256_set1_epi64x(static_cast<std::int64_t>(p.limit ^ (std::uint64_t(1) << 63)));
    const __m256i prime = _mm256_set1_epi64x(static_cast<std::int64_t>(p.prime));
    for (std::size_t v = 0; v < R; ++v) {
      const __m256i q = simd::multiply_lanes(x[v], y, y_high);
      const __m256i miss = _mm256_cmpgt_epi64(_mm256_xor_si256(q, offset), limit);
      x[v] = _mm256_blendv_epi8(q, x[v], miss);
      i[v] = _mm256_blendv_epi8(_mm256_mul_epu32(i[v], y), i[v], miss);
      d[v] = _mm256_blendv_epi8(simd::multiply_lanes_by_word(d[v], prime), d[v], miss);
    }
  }
  for (std::size_t v = 0; v < R; ++v) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(r + register_lanes * v), x[v]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(inverse + register_lanes * v), i[v]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(divisor + register_lanes * v), d[v]);
  }
  lift_inverses(divisor, inverse, R * register_lanes);
}
#endif

/// The most values run_tests_for takes.
inline constexpr std::size_t max_test_lanes = max_registers * register_lanes;
/// Lanes that take part for count values: whole registers.
inline std::size_t lanes_for(std::size_t count) {
  return (count + register_lanes - 1) / register_lanes * register_lanes;
}
/// The tests on values r[0, values) (r, inverse and divisor have room for
/// lanes_for(values)); the lanes that fill the last register test 1.
inline void run_tests_for(std::size_t values, const prime_test* tests, std::size_t count, std::uint64_t* r,
                          std::uint64_t* inverse, std::uint64_t* divisor) {
  const std::size_t used = lanes_for(values);
  for (std::size_t w = values; w < used; ++w) r[w] = 1;
  switch (used / register_lanes) {
  case 1:
    return run_tests_on<1>(tests, count, r, inverse, divisor);
  case 2:
    return run_tests_on<2>(tests, count, r, inverse, divisor);
  case 3:
    return run_tests_on<3>(tests, count, r, inverse, divisor);
  case 4:
    return run_tests_on<std::min<std::size_t>(4, max_registers)>(tests, count, r, inverse, divisor);
  default:
    return run_tests_on<max_registers>(tests, count, r, inverse, divisor);
  }
}
#else
inline constexpr std::size_t test_lanes = 4;

inline void run_tests(const prime_test* tests, std::size_t count, std::uint64_t* r, std::uint64_t* inverse,
                      std::uint64_t* divisor) {
  divisor_part d0{r[0], 1, 1}, d1{r[1], 1, 1}, d2{r[2], 1, 1}, d3{r[3], 1, 1};
  for (std::size_t i = 0; i < count; ++i) {
    const prime_test& t = tests[i];
    run_test(t, d0);
    run_test(t, d1);
    run_test(t, d2);
    run_test(t, d3);
  }
  const divisor_part* d[test_lanes] = {&d0, &d1, &d2, &d3};
  for (std::size_t w = 0; w < test_lanes; ++w) r[w] = d[w]->r, inverse[w] = d[w]->inverse, divisor[w] = d[w]->divisor;
}

inline constexpr std::size_t max_test_lanes = test_lanes;
inline void run_tests_for(std::size_t values, const prime_test* tests, std::size_t count, std::uint64_t* r,
                          std::uint64_t* inverse, std::uint64_t* divisor) {
  for (std::size_t w = values; w < test_lanes; ++w) r[w] = 1;
  run_tests(tests, count, r, inverse, divisor);
}
#endif

/// g = gcd(m, odd) for count <= max_test_lanes values m < 2^127 at once.
/// Each m is first brought below 2^64 by one Montgomery step, to a
/// representative of m 2^-64 mod odd, which each power of odd's primes
/// divides exactly when it divides m.
inline void gcd_with_row(const rational_row& row, const uint128* m, std::size_t count, divisor_part* out) {
  std::uint64_t r[max_test_lanes], inverse[max_test_lanes], divisor[max_test_lanes];
  for (std::size_t w = 0; w < count; ++w) {
    // (low + q odd) / 2^64 is the high word of q odd, plus 1 unless
    // low = 0; adding high (< 2^63) stays below 2^64 as odd < 2^63.
    const auto low = static_cast<std::uint64_t>(m[w]);
    const std::uint64_t q = low * row.negated_inverse;
    r[w] = static_cast<std::uint64_t>(m[w] >> 64) +
           static_cast<std::uint64_t>((static_cast<uint128>(q) * row.odd) >> 64) + (low != 0);
  }
  run_tests_for(count, row.tests, row.test_count, r, inverse, divisor);
  for (std::size_t w = 0; w < count; ++w) out[w] = {r[w], inverse[w], divisor[w]};
}

/// m / g, exact: g^-1 lifted from 2^64 to 2^128 by one Newton step,
/// y (2 - g y) with g y = 1 + h 2^64, that is y - (y h mod 2^64) 2^64;
/// then the low 128 bits of m times it, in 64-bit products.
inline uint128 divide_exact(uint128 m, const divisor_part& d) {
  const auto h = static_cast<std::uint64_t>((static_cast<uint128>(d.divisor) * d.inverse) >> 64);
  const std::uint64_t inverse_high = std::uint64_t(0) - d.inverse * h;
  const auto m_low = static_cast<std::uint64_t>(m), m_high = static_cast<std::uint64_t>(m >> 64);
  const uint128 low_product = static_cast<uint128>(m_low) * d.inverse;
  const std::uint64_t high = static_cast<std::uint64_t>(low_product >> 64) + m_low * inverse_high + m_high * d.inverse;
  return (static_cast<uint128>(high) << 64) | static_cast<std::uint64_t>(low_product);
}

} // namespace detail

/// c[k] / (La Lb), k < n, in lowest terms, for two smooth rows: the powers
/// of two, then g1 = gcd(m, odd(La)), then g2 = gcd(m / g1, odd(Lb)).
inline void reduce_row(const int128* c, std::size_t n, const rational_row& a, const rational_row& b, int128* num,
                       uint128* den) {
  constexpr std::size_t lanes = detail::max_test_lanes;
  constexpr std::size_t capacity = 2 * max_row;
  uint128 m[capacity];
  int twos_left[capacity];
  detail::divisor_part da[capacity], db[capacity];
  for (std::size_t k = 0; k < n; ++k) {
    const uint128 v = magnitude(c[k]);
    const auto low = static_cast<std::uint64_t>(v);
    const int zeros = low != 0 ? std::countr_zero(low) : 64 + std::countr_zero(static_cast<std::uint64_t>(v >> 64));
    const int twos = std::min(zeros, a.twos + b.twos); // zero: every power of two goes
    m[k] = v >> twos;
    twos_left[k] = a.twos + b.twos - twos;
  }
  // A row without odd primes in its denominator divides nothing out.
  if (a.test_count != 0) {
    for (std::size_t k = 0; k < n; k += lanes) detail::gcd_with_row(a, m + k, std::min(lanes, n - k), da + k);
    for (std::size_t k = 0; k < n; ++k) m[k] = detail::divide_exact(m[k], da[k]);
  } else {
    for (std::size_t k = 0; k < n; ++k) da[k].inverse = 1;
  }
  if (b.test_count != 0) {
    for (std::size_t k = 0; k < n; k += lanes) detail::gcd_with_row(b, m + k, std::min(lanes, n - k), db + k);
    for (std::size_t k = 0; k < n; ++k) m[k] = detail::divide_exact(m[k], db[k]);
  } else {
    for (std::size_t k = 0; k < n; ++k) db[k].inverse = 1;
  }
  for (std::size_t k = 0; k < n; ++k) {
    const uint128 quotient = m[k];
    // odd / g is exact, so odd g^-1 mod 2^64 is it.
    const uint128 odd_den = static_cast<uint128>(a.odd * da[k].inverse) * (b.odd * db[k].inverse);
    den[k] = quotient == 0 ? 1 : odd_den << twos_left[k];
    num[k] = c[k] < 0 ? -static_cast<int128>(quotient) : static_cast<int128>(quotient);
  }
}

} // namespace polybatch::kernels::exact::words
