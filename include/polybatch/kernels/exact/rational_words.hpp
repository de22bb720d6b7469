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

/// One divisibility test, of a power p^j of a prime (j >= 1): x is
/// divisible by p^j exactly when x * inverse mod 2^64 <= limit (inverse and
/// limit of p^j). A row's tests are those of p, p^2, ..., p^e for each
/// prime power p^e of its denominator, all on the same value: a value hits
/// min(e, v_p(x)) of them, and each hit contributes one factor p to the
/// gcd (its inverse prime_inverse). No test's comparison waits on another
/// test; only the products of the hits into the gcd follow each other.
struct prime_test {
  std::uint64_t inverse, limit, prime_inverse, prime;
};

/// One rational row over its common denominator: value[k] = num[k] *
/// (denominator / den[k]), all below 2^63 in magnitude. `smooth` says the
/// odd part of every denominator is below smooth_bound; then `odd` is the
/// odd part of the denominator, `negated_inverse` is -odd^-1 mod 2^64,
/// `inverse_high` the high word of odd^-1 mod 2^128, `twos` its power of
/// two, and `tests` hold a test of p^j for j = 1 .. e for each prime power
/// p^e of `odd` (at most 39: 3^40 > 2^63).
struct rational_row {
  std::int64_t value[max_row];
  std::uint64_t denominator;
  std::uint64_t magnitude_or;
  bool smooth;
  int twos;
  std::uint64_t odd, negated_inverse, inverse_high;
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
    const std::uint16_t index = primes[i];
    const odd_prime& p = t.primes[index];
    const std::uint8_t e = exponent[index];
    w.prime[i] = index;
    w.exponent[i] = e;
    exponent[index] = 0;
    fits = fits && !__builtin_mul_overflow(odd, std::uint64_t(p.value), &odd) && (odd >> 63) == 0;
    if (fits) w.tests[tests++] = {p.inverse, p.limit, p.inverse, p.value};
    // A prime squared in a denominator below smooth_bound has its powers
    // in the tables.
    const power_test* powers = e > 1 ? &t.powers[index * power_slots] : nullptr;
    for (std::uint8_t j = 1; j < e && fits; ++j) {
      fits = !__builtin_mul_overflow(odd, std::uint64_t(p.value), &odd) && (odd >> 63) == 0;
      if (fits) w.tests[tests++] = {powers[j - 1].inverse, powers[j - 1].limit, p.inverse, p.value};
    }
  }
  w.prime_count = count;
  fits = fits && (odd >> (63 - twos)) == 0;
  w.twos = twos;
  w.odd = odd;
  const std::uint64_t inverse = inverse_mod_2_64(odd);
  w.negated_inverse = std::uint64_t(0) - inverse;
  // One Newton step lifts it to 2^128 (as divide_exact below).
  w.inverse_high = std::uint64_t(0) - inverse * static_cast<std::uint64_t>((static_cast<uint128>(odd) * inverse) >> 64);
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

/// (x, y) = (new_x, new_y) when value <= limit. Tests of small primes hit
/// often, in no pattern a predictor learns, and g++ compiles a conditional
/// here as a branch (it saves the multiplications that feed the selected
/// values); on x86-64 conditional moves, elsewhere masks.
inline void select_if_not_above(std::uint64_t value, std::uint64_t limit, std::uint64_t new_x, std::uint64_t new_y,
                                std::uint64_t& x, std::uint64_t& y) {
#if defined(__x86_64__)
  asm("cmpq %[limit], %[value]\n\t"
      "cmovbeq %[new_x], %[x]\n\t"
      "cmovbeq %[new_y], %[y]"
      : [x] "+r"(x), [y] "+r"(y)
      : [value] "r"(value), [limit] "r"(limit), [new_x] "r"(new_x), [new_y] "r"(new_y)
      : "cc");
#else
  const std::uint64_t mask = std::uint64_t(0) - std::uint64_t(value <= limit);
  x ^= (x ^ new_x) & mask;
  y ^= (y ^ new_y) & mask;
#endif
}

/// The part g of a row's common denominator that divides one value.
struct divisor_part {
  std::uint64_t inverse; // g^-1 mod 2^64
  std::uint64_t divisor; // g
};

/// One test on r: a hit multiplies g by p and g^-1 by p^-1. No branch on
/// the data.
inline void run_test(const prime_test& t, std::uint64_t r, divisor_part& d) {
  select_if_not_above(r * t.inverse, t.limit, d.inverse * t.prime_inverse, d.divisor * t.prime, d.inverse, d.divisor);
}

#if (defined(__AVX512F__) && defined(__AVX512DQ__)) || defined(__AVX2__)
/// Values whose tests run side by side, in vector registers where the
/// machine has 64-bit lanes. With AVX-512DQ registers of eight and up to
/// three of them (the 17 coefficients of a 9 x 9 product in one pass over
/// the tests, not a pass with two registers and another for the last one);
/// with AVX2 registers of four and up to five of them (17 coefficients in
/// one pass again: the values that do not fit the sixteen registers wait in
/// the first-level cache, which costs less than a second pass of one
/// register).
/// Otherwise four named scalars (arrays indexed in an unrolled loop stayed on
/// the stack), four lanes of multiplications and conditional moves.
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
/// The tests on R registers of values (r, inverse and divisor hold
/// register_lanes R lanes each; the divisors only if Divisors). Each test is
/// one lane product, a comparison into a mask, and a product under that
/// mask into each of two accumulators per register, used by turns: a
/// masked product waits on its accumulator's last one (15 cycles on
/// Intel), so one accumulator would make the tests a chain of latencies. A
/// lane product takes three micro-operations on Intel, and the products
/// bound these tests, so callers that need no divisor skip its product.
inline constexpr bool divisors_optional = true;
template <std::size_t R, bool Divisors>
inline void run_tests_on(const prime_test* tests, std::size_t count, const std::uint64_t* r, std::uint64_t* inverse,
                         std::uint64_t* divisor) {
  constexpr std::size_t turns = 2;
  __m512i x[R], i[turns][R], d[turns][R];
  const __m512i one = _mm512_set1_epi64(1);
  for (std::size_t v = 0; v < R; ++v) {
    x[v] = _mm512_loadu_si512(r + register_lanes * v);
    for (std::size_t a = 0; a < turns; ++a) i[a][v] = d[a][v] = one;
  }
  const auto test = [&](const prime_test& p, std::size_t a) {
    const __m512i y = _mm512_set1_epi64(static_cast<long long>(p.inverse));
    const __m512i limit = _mm512_set1_epi64(static_cast<long long>(p.limit));
    const __m512i prime_inverse = _mm512_set1_epi64(static_cast<long long>(p.prime_inverse));
    const __m512i prime = _mm512_set1_epi64(static_cast<long long>(p.prime));
    for (std::size_t v = 0; v < R; ++v) {
      const __mmask8 hit = _mm512_cmple_epu64_mask(_mm512_mullo_epi64(x[v], y), limit);
      i[a][v] = _mm512_mask_mullo_epi64(i[a][v], hit, i[a][v], prime_inverse);
      if constexpr (Divisors) d[a][v] = _mm512_mask_mullo_epi64(d[a][v], hit, d[a][v], prime);
    }
  };
  std::size_t t = 0;
  for (; t + turns <= count; t += turns)
    for (std::size_t a = 0; a < turns; ++a) test(tests[t + a], a);
  for (; t < count; ++t) test(tests[t], 0);
  for (std::size_t v = 0; v < R; ++v) {
    _mm512_storeu_si512(inverse + register_lanes * v, _mm512_mullo_epi64(i[0][v], i[1][v]));
    if constexpr (Divisors) _mm512_storeu_si512(divisor + register_lanes * v, _mm512_mullo_epi64(d[0][v], d[1][v]));
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
/// selection three. Written out, the test's product is three 32-bit ones
/// (simd::multiply_lanes), the product by a prime (below 2^32) two, the
/// comparison one on values offset by 2^63 (the limits are below 2^63), and
/// a selection one blend. The divisor's inverse is tracked modulo 2^32
/// only, one 32-bit product a test where the full one takes three, and
/// lifted once at the end (lift_inverses); with AVX-512's one-instruction
/// lane product the lift costs more than it saves on short rows. The lift
/// needs the divisors, so they are always formed.
inline constexpr bool divisors_optional = false;
template <std::size_t R, bool>
inline void run_tests_on(const prime_test* tests, std::size_t count, const std::uint64_t* r, std::uint64_t* inverse,
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
    const __m256i prime_inverse = _mm256_set1_epi64x(static_cast<std::int64_t>(p.prime_inverse));
    const __m256i prime = _mm256_set1_epi64x(static_cast<std::int64_t>(p.prime));
    for (std::size_t v = 0; v < R; ++v) {
      const __m256i q = simd::multiply_lanes(x[v], y, y_high);
      const __m256i miss = _mm256_cmpgt_epi64(_mm256_xor_si256(q, offset), limit);
      i[v] = _mm256_blendv_epi8(_mm256_mul_epu32(i[v], prime_inverse), i[v], miss);
      d[v] = _mm256_blendv_epi8(simd::multiply_lanes_by_word(d[v], prime), d[v], miss);
    }
  }
  for (std::size_t v = 0; v < R; ++v) {
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
/// run_tests_on for `registers` registers.
template <bool Divisors>
inline void run_tests_in(std::size_t registers, const prime_test* tests, std::size_t count, const std::uint64_t* r,
                         std::uint64_t* inverse, std::uint64_t* divisor) {
  switch (registers) {
  case 1:
    return run_tests_on<1, Divisors>(tests, count, r, inverse, divisor);
  case 2:
    return run_tests_on<2, Divisors>(tests, count, r, inverse, divisor);
  case 3:
    return run_tests_on<3, Divisors>(tests, count, r, inverse, divisor);
  case 4:
    return run_tests_on<std::min<std::size_t>(4, max_registers), Divisors>(tests, count, r, inverse, divisor);
  default:
    return run_tests_on<max_registers, Divisors>(tests, count, r, inverse, divisor);
  }
}
/// g = gcd(r[w], d) and g^-1 mod 2^64, for d the product of the prime
/// powers p^e whose tests (p, ..., p^e) are given, for the values
/// r[0, values) (r, inverse and divisor have room for lanes_for(values));
/// the lanes that fill the last register test 1. A null divisor asks for
/// the inverses only.
inline void run_tests_for(std::size_t values, const prime_test* tests, std::size_t count, std::uint64_t* r,
                          std::uint64_t* inverse, std::uint64_t* divisor) {
  const std::size_t used = lanes_for(values);
  for (std::size_t w = values; w < used; ++w) r[w] = 1;
  if constexpr (divisors_optional)
    if (divisor == nullptr) return run_tests_in<false>(used / register_lanes, tests, count, r, inverse, divisor);
  std::uint64_t unused[max_test_lanes];
  run_tests_in<true>(used / register_lanes, tests, count, r, inverse, divisor != nullptr ? divisor : unused);
}
#else
inline constexpr std::size_t test_lanes = 4;

inline void run_tests(const prime_test* tests, std::size_t count, const std::uint64_t* r, std::uint64_t* inverse,
                      std::uint64_t* divisor) {
  divisor_part d0{1, 1}, d1{1, 1}, d2{1, 1}, d3{1, 1};
  for (std::size_t i = 0; i < count; ++i) {
    const prime_test& t = tests[i];
    run_test(t, r[0], d0);
    run_test(t, r[1], d1);
    run_test(t, r[2], d2);
    run_test(t, r[3], d3);
  }
  const divisor_part* d[test_lanes] = {&d0, &d1, &d2, &d3};
  for (std::size_t w = 0; w < test_lanes; ++w) inverse[w] = d[w]->inverse, divisor[w] = d[w]->divisor;
}

inline constexpr std::size_t max_test_lanes = test_lanes;
/// As above; a null divisor asks for the inverses only.
inline void run_tests_for(std::size_t values, const prime_test* tests, std::size_t count, std::uint64_t* r,
                          std::uint64_t* inverse, std::uint64_t* divisor) {
  for (std::size_t w = values; w < test_lanes; ++w) r[w] = 1;
  std::uint64_t unused[test_lanes];
  run_tests(tests, count, r, inverse, divisor != nullptr ? divisor : unused);
}
#endif

/// g^-1 mod 2^64 for g = gcd(m, odd), for count <= max_test_lanes values
/// m < 2^127 at once. Each m is first brought below 2^64 by one Montgomery
/// step, to a representative of m 2^-64 mod odd, which each power of odd's
/// primes divides exactly when it divides m.
inline void gcd_inverses(const rational_row& row, const uint128* m, std::size_t count, std::uint64_t* out) {
  std::uint64_t r[max_test_lanes], inverse[max_test_lanes];
  for (std::size_t w = 0; w < count; ++w) {
    // (low + q odd) / 2^64 is the high word of q odd, plus 1 unless
    // low = 0; adding high (< 2^63) stays below 2^64 as odd < 2^63.
    const auto low = static_cast<std::uint64_t>(m[w]);
    const std::uint64_t q = low * row.negated_inverse;
    r[w] = static_cast<std::uint64_t>(m[w] >> 64) +
           static_cast<std::uint64_t>((static_cast<uint128>(q) * row.odd) >> 64) + (low != 0);
  }
  run_tests_for(count, row.tests, row.test_count, r, inverse, nullptr);
  std::copy_n(inverse, count, out);
}

/// m / g, exact, given rest = odd / g for g | odd: g^-1 mod 2^128 is rest
/// times odd^-1 mod 2^128 (the row's inverse words), then the low 128 bits
/// of m times it, in 64-bit products.
inline uint128 divide_exact(uint128 m, std::uint64_t rest, const rational_row& row) {
  const std::uint64_t odd_inverse = std::uint64_t(0) - row.negated_inverse;
  const uint128 rest_product = static_cast<uint128>(rest) * odd_inverse;
  const auto inverse = static_cast<std::uint64_t>(rest_product);
  const std::uint64_t inverse_high = static_cast<std::uint64_t>(rest_product >> 64) + rest * row.inverse_high;
  const auto m_low = static_cast<std::uint64_t>(m), m_high = static_cast<std::uint64_t>(m >> 64);
  const uint128 low_product = static_cast<uint128>(m_low) * inverse;
  const std::uint64_t high = static_cast<std::uint64_t>(low_product >> 64) + m_low * inverse_high + m_high * inverse;
  return (static_cast<uint128>(high) << 64) | static_cast<std::uint64_t>(low_product);
}

/// rest[k] = odd / gcd(m[k], odd) for the row's odd part, and m[k] divided
/// by that gcd.
inline void divide_by_row(const rational_row& row, uint128* m, std::size_t n, std::uint64_t* rest) {
  constexpr std::size_t lanes = max_test_lanes;
  if (row.test_count == 0) { // no odd primes in the denominator: nothing divides out
    std::fill_n(rest, n, row.odd);
    return;
  }
  std::uint64_t inverse[2 * max_row];
  for (std::size_t k = 0; k < n; k += lanes) gcd_inverses(row, m + k, std::min(lanes, n - k), inverse + k);
  for (std::size_t k = 0; k < n; ++k) {
    rest[k] = row.odd * inverse[k]; // odd / g is exact, so odd g^-1 mod 2^64 is it
    m[k] = divide_exact(m[k], rest[k], row);
  }
}

} // namespace detail

/// c[k] / (La Lb), k < n, in lowest terms, for two smooth rows: the powers
/// of two, then g1 = gcd(m, odd(La)), then g2 = gcd(m / g1, odd(Lb)).
inline void reduce_row(const int128* c, std::size_t n, const rational_row& a, const rational_row& b, int128* num,
                       uint128* den) {
  constexpr std::size_t capacity = 2 * max_row;
  uint128 m[capacity];
  int twos_left[capacity];
  std::uint64_t rest_a[capacity], rest_b[capacity];
  for (std::size_t k = 0; k < n; ++k) {
    const uint128 v = magnitude(c[k]);
    const auto low = static_cast<std::uint64_t>(v);
    const int zeros = low != 0 ? std::countr_zero(low) : 64 + std::countr_zero(static_cast<std::uint64_t>(v >> 64));
    const int twos = std::min(zeros, a.twos + b.twos); // zero: every power of two goes
    m[k] = v >> twos;
    twos_left[k] = a.twos + b.twos - twos;
  }
  detail::divide_by_row(a, m, n, rest_a);
  detail::divide_by_row(b, m, n, rest_b);
  for (std::size_t k = 0; k < n; ++k) {
    const uint128 quotient = m[k];
    den[k] = quotient == 0 ? 1 : (static_cast<uint128>(rest_a[k]) * rest_b[k]) << twos_left[k];
    num[k] = c[k] < 0 ? -static_cast<int128>(quotient) : static_cast<int128>(quotient);
  }
}

} // namespace polybatch::kernels::exact::words
