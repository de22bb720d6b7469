// Rational rows whose common denominators outgrow a machine word but whose
// denominators are smooth (the odd part of each below smooth_bound, as for
// small denominators): the lcm is built from the factor tables instead of by
// gcds, and each output coefficient c / (La Lb) is reduced by divisibility
// tests instead of a multi-limb gcd, whatever c's length.
//
// The tests run on one word per group of La Lb's odd prime powers: for a
// group's product M (below 2^63), Montgomery reduction limb by limb, r <-
// (r + x_i + q M) / 2^64 with q making the sum divisible by 2^64, leaves r
// congruent to c 2^(-64 n) modulo M and below M + 2. 2^64 is prime to M, so
// each power of M's primes divides r exactly when it divides c: the tests of
// p, p^2, ..., p^e on r hit as often as p divides gcd(c, M) (as in
// rational_words.hpp, whose tests these are). c is then divided exactly by
// each group's hits (multiplication by the inverse modulo 2^64, limb by limb),
// and the denominator is the product of the groups' cofactors M / g.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "polybatch/core/int128.hpp"
#include "polybatch/kernels/exact/integer_access.hpp"
#include "polybatch/kernels/exact/limb_carry.hpp"
#include "polybatch/kernels/exact/rational_words.hpp"
#include "polybatch/kernels/exact/small_primes.hpp"

namespace polybatch::kernels::exact::limbs {

using words::inverse_mod_2_64;
using words::odd_prime;
using words::power_test;
using words::prime_power_test;
using words::small_prime_tables;
using words::small_primes;

/// Distinct odd primes of one row's lcm (at most factor_slots per denominator).
inline constexpr std::size_t max_row_primes = words::factor_slots * words::max_row;
/// Limbs of a row's lcm: 2^62 times at most max_row odd parts below 2^15
/// (below 2^302).
inline constexpr std::size_t max_lcm_limbs = 5;

/// The odd part of a row's common denominator in limbs (its power of two
/// and its factorisation stay in the words::rational_row it was built from).
struct smooth_denominator {
  limb_t value[max_lcm_limbs + 1];
  std::size_t size = 1;
};

/// x[0, n) *= w; returns the new length (x needs room for n + 1 limbs: the
/// carry limb is stored and kept by a count, not a branch).
inline std::size_t multiply_1(limb_t* x, std::size_t n, std::uint64_t w) {
  limb_t carry = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const uint128 p = static_cast<uint128>(x[i]) * w + carry;
    x[i] = static_cast<limb_t>(p);
    carry = static_cast<limb_t>(p >> 64);
  }
  x[n] = carry;
  return n + (carry != 0);
}

/// x[0, n) /= g for odd g dividing x exactly, g_inverse = g^-1 mod 2^64,
/// keeping n limbs: each quotient limb is the remaining low limb times
/// g^-1, and its product's high word is borrowed from the next limb.
inline void divide_exact_keep(limb_t* x, std::size_t n, std::uint64_t g, std::uint64_t g_inverse) {
  limb_t borrow = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const limb_t under = x[i] < borrow;
    const limb_t q = (x[i] - borrow) * g_inverse;
    x[i] = q;
    borrow = static_cast<limb_t>((static_cast<uint128>(q) * g) >> 64) + under;
  }
}

/// x[0, n) <<= s (x needs room for n + s / 64 + 1 limbs); returns the length.
inline std::size_t shift_left(limb_t* x, std::size_t n, unsigned s) {
  const std::size_t words = s / 64;
  const unsigned bits = s % 64;
  x[n + words] = 0;
  for (std::size_t i = n; i-- > 0;) {
    if (bits != 0) x[i + words + 1] |= x[i] >> (64 - bits);
    x[i + words] = x[i] << bits;
  }
  for (std::size_t i = 0; i < words; ++i) x[i] = 0;
  n += words + 1;
  while (n > 1 && x[n - 1] == 0) --n;
  return n;
}

/// The odd part of a smooth row's lcm (the lcm is it times 2^r.twos), from
/// the factorisation the word reader merged (r.prime, r.exponent).
inline void odd_lcm_from_factors(const words::rational_row& r, smooth_denominator& d) {
  const small_prime_tables& t = small_primes();
  d.value[0] = 1;
  d.size = 1;
  // Prime powers gathered in one word before each limb product: it takes
  // another prime (below 2^prime_bits) while below 2^(64 - prime_bits).
  constexpr int prime_bits = std::bit_width(words::smooth_bound - 1);
  std::uint64_t word = 1;
  for (std::size_t i = 0; i < r.prime_count; ++i) {
    const std::uint64_t p = t.primes[r.prime[i]].value;
    for (std::uint8_t e = 0; e < r.exponent[i]; ++e) {
      if ((word >> (64 - prime_bits)) != 0) {
        d.size = multiply_1(d.value, d.size, word);
        word = 1;
      }
      word *= p;
    }
  }
  d.size = multiply_1(d.value, d.size, word);
}

/// out = (x / g) w for odd g dividing x[0, n) exactly (g_inverse = g^-1 mod
/// 2^64), in one pass: each quotient limb as divide_exact_keep forms it, times
/// w with a carry. Returns the length (out needs n + 1 limbs).
inline std::size_t divide_exact_multiply_1(const limb_t* x, std::size_t n, std::uint64_t g, std::uint64_t g_inverse,
                                           std::uint64_t w, limb_t* out) {
  limb_t borrow = 0, carry = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const limb_t under = x[i] < borrow;
    const limb_t q = (x[i] - borrow) * g_inverse;
    borrow = static_cast<limb_t>((static_cast<uint128>(q) * g) >> 64) + under;
    const uint128 p = static_cast<uint128>(q) * w + carry;
    out[i] = static_cast<limb_t>(p);
    carry = static_cast<limb_t>(p >> 64);
  }
  out[n] = carry;
  std::size_t len = n + 1;
  while (len > 1 && out[len - 1] == 0) --len;
  return len;
}

/// |num| (L / den) into out as a magnitude, where L = odd_lcm 2^twos is the
/// lcm den divides: (odd_lcm / odd(den)) (|num| 2^(twos - zeros(den))), one
/// pass over the limbs when the second factor fits a word (small numerators:
/// always), a shift after it otherwise. Returns the length (out needs
/// max_lcm_limbs + 2 limbs).
inline std::size_t scale_to(const smooth_denominator& odd_lcm, int twos, std::int64_t num, std::uint64_t den,
                            limb_t* out) {
  const std::uint64_t m =
      num < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(num) : static_cast<std::uint64_t>(num);
  if (m == 0) {
    out[0] = 0;
    return 1;
  }
  const int zeros = std::countr_zero(den);
  const std::uint64_t odd = den >> zeros;
  const auto shift = static_cast<unsigned>(twos - zeros);
  const std::uint64_t inverse = small_primes().odd_inverse[odd / 2];
  if (std::bit_width(m) + shift <= 64)
    return divide_exact_multiply_1(odd_lcm.value, odd_lcm.size, odd, inverse, m << shift, out);
  const std::size_t n = divide_exact_multiply_1(odd_lcm.value, odd_lcm.size, odd, inverse, m, out);
  return shift_left(out, n, shift);
}

/// A row's values scaled to its lcm: magnitudes (at most max_lcm_limbs
/// limbs and one more: the lcm is below 2^302, a numerator below 2^63) and
/// signs. Limbs from size[k] up to max_size are zero.
struct scaled_row {
  smooth_denominator odd_lcm; // the lcm's odd part
  limb_t value[words::max_row][max_lcm_limbs + 2];
  std::size_t size[words::max_row];
  std::size_t max_size; // the largest size[k]
  bool negative[words::max_row];
};

/// A row the word reader read (r.read) with smooth denominators, scaled.
inline void scale_row(const words::rational_row& r, std::size_t len, scaled_row& s) {
  s.max_size = 1;
  if (r.lcm_in_word) {
    // The lcm fits a word, so each value is one 64 x 64-bit product (the
    // row went to limbs because a value or a product outgrew words).
    const std::uint64_t* odd_inverse = small_primes().odd_inverse.data();
    for (std::size_t k = 0; k < len; ++k) {
      const int twos = std::countr_zero(r.den[k]);
      const std::uint64_t factor = (r.denominator >> twos) * odd_inverse[(r.den[k] >> twos) / 2];
      const std::int64_t num = r.num[k];
      const std::uint64_t m =
          num < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(num) : static_cast<std::uint64_t>(num);
      const uint128 p = static_cast<uint128>(m) * factor;
      s.value[k][0] = static_cast<limb_t>(p);
      s.value[k][1] = static_cast<limb_t>(p >> 64);
      s.size[k] = s.value[k][1] != 0 ? 2 : 1;
      s.max_size = std::max(s.max_size, s.size[k]);
      s.negative[k] = num < 0;
    }
  } else {
    odd_lcm_from_factors(r, s.odd_lcm);
    for (std::size_t k = 0; k < len; ++k) {
      s.size[k] = scale_to(s.odd_lcm, r.twos, r.num[k], r.den[k], s.value[k]);
      s.max_size = std::max(s.max_size, s.size[k]);
      s.negative[k] = r.num[k] < 0;
    }
  }
  for (std::size_t k = 0; k < len; ++k)
    for (std::size_t i = s.size[k]; i < s.max_size; ++i) s.value[k][i] = 0;
}

/// One group of La Lb's odd prime powers: their product and their tests
/// (p^j for j = 1 .. e for each p^e).
struct prime_group {
  std::uint64_t modulus, negated_inverse;
  std::size_t first_test, test_count;
};

/// La Lb's odd prime powers in groups below 2^63, with their tests.
struct pair_denominator {
  // La Lb's odd part is below 2^odd_bits (2 max_row odd parts below 2^15).
  // That bounds the tests (each prime is at least 3 > 2^1.5) and the groups
  // (a group is closed only when a prime power below 2^30 no longer fits
  // under 2^63, so every group but the last holds more than 33 bits).
  static constexpr std::size_t odd_bits = 2 * 15 * words::max_row;
  static constexpr std::size_t max_tests = odd_bits * 2 / 3 + 1;
  static constexpr std::size_t max_groups = odd_bits / 33 + 2;
  int twos = 0;
  std::size_t group_count = 0;
  prime_group groups[max_groups];
  words::prime_test tests[max_tests];
};

/// The groups of La Lb's odd part, for two smooth rows the word reader read.
inline void pair_groups(const words::rational_row& a, const words::rational_row& b, pair_denominator& out) {
  const small_prime_tables& t = small_primes();
  std::uint8_t* exponent = words::detail::prime_exponents();
  for (std::size_t i = 0; i < a.prime_count; ++i) exponent[a.prime[i]] = a.exponent[i];
  std::uint16_t extra[max_row_primes];
  std::size_t extra_count = 0;
  for (std::size_t i = 0; i < b.prime_count; ++i) {
    if (exponent[b.prime[i]] == 0) extra[extra_count++] = b.prime[i];
    exponent[b.prime[i]] = static_cast<std::uint8_t>(exponent[b.prime[i]] + b.exponent[i]);
  }
  out.twos = a.twos + b.twos;
  out.group_count = 0;
  std::size_t tests = 0;
  prime_group* g = nullptr;
  auto add = [&](std::uint16_t index) {
    const odd_prime& p = t.primes[index];
    std::uint64_t power = 1;
    for (std::uint8_t e = 0; e < exponent[index]; ++e) power *= p.value; // below 2^30: 32767^2
    if (g == nullptr || static_cast<uint128>(g->modulus) * power >= (uint128(1) << 63)) {
      g = &out.groups[out.group_count++];
      *g = {1, 0, tests, 0};
    }
    g->modulus *= power;
    for (std::uint8_t e = 0; e < exponent[index]; ++e) {
      const power_test test = prime_power_test(t, index, e + 1u);
      out.tests[tests++] = {test.inverse, test.limit, p.inverse, p.value};
    }
    g->test_count = tests - g->first_test;
    exponent[index] = 0;
  };
  for (std::size_t i = 0; i < a.prime_count; ++i) add(a.prime[i]);
  for (std::size_t i = 0; i < extra_count; ++i) add(extra[i]);
  for (std::size_t i = 0; i < out.group_count; ++i)
    out.groups[i].negated_inverse = std::uint64_t(0) - inverse_mod_2_64(out.groups[i].modulus);
}

/// A representative of x 2^(-64 n) modulo m (odd, below 2^63), below m + 2.
inline std::uint64_t montgomery_residue(const limb_t* x, std::size_t n, std::uint64_t m,
                                        std::uint64_t negated_inverse) {
  std::uint64_t r = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const uint128 sum = static_cast<uint128>(r) + x[i];
    const auto low = static_cast<std::uint64_t>(sum);
    const std::uint64_t q = low * negated_inverse;
    r = static_cast<std::uint64_t>(sum >> 64) + static_cast<std::uint64_t>((static_cast<uint128>(q) * m) >> 64) +
        (low != 0);
  }
  return r;
}

/// Limbs of a coefficient of a product of smooth rows: values below
/// 2^(64 max_lcm_limbs) 2^63, products of two, sums of max_row of them.
inline constexpr std::size_t max_reduced_limbs = 2 * (max_lcm_limbs + 1) + 1;

/// A coefficient c / (La Lb) in lowest terms.
struct reduced {
  limb_t num[max_reduced_limbs];
  limb_t den[2 * max_lcm_limbs + 3];
  std::size_t num_size, den_size;
};

/// acc[0, m) += x[0, nx) y[0, ny), schoolbook (acc holds the sum).
inline void add_product(limb_t* acc, std::size_t m, const limb_t* x, std::size_t nx, const limb_t* y, std::size_t ny) {
  for (std::size_t i = 0; i < nx; ++i) {
    limb_t carry = 0;
    for (std::size_t j = 0; j < ny; ++j) {
      const uint128 t = static_cast<uint128>(x[i]) * y[j] + acc[i + j] + carry;
      acc[i + j] = static_cast<limb_t>(t);
      carry = static_cast<limb_t>(t >> 64);
    }
    for (std::size_t k = i + ny; carry != 0 && k < m; ++k) {
      const limb_t sum = acc[k] + carry;
      carry = sum < carry;
      acc[k] = sum;
    }
  }
}

/// Coefficient k of a * b (rows of la and lb values): its magnitude into
/// mag[0, max_reduced_limbs), its length returned, its sign in negative.
/// Positive and negative terms are summed apart and subtracted once.
inline std::size_t coefficient_any(const scaled_row& a, std::size_t la, const scaled_row& b, std::size_t lb,
                                   std::size_t k, limb_t* mag, bool& negative) {
  // The sum of at most max_row (16) products below 2^(64 (sa + sb)) fits
  // sa + sb + 1 limbs: only those are cleared, summed into and compared.
  const std::size_t m = std::min(max_reduced_limbs, a.max_size + b.max_size + 1);
  limb_t sums[2][max_reduced_limbs];
  for (std::size_t t = 0; t < m; ++t) sums[0][t] = sums[1][t] = 0;
  const std::size_t first = k + 1 > lb ? k + 1 - lb : 0, last = std::min(k + 1, la);
  for (std::size_t i = first; i < last; ++i) {
    const std::size_t j = k - i;
    add_product(sums[a.negative[i] != b.negative[j]], m, a.value[i], a.size[i], b.value[j], b.size[j]);
  }
  std::size_t top = m;
  while (top > 0 && sums[0][top - 1] == sums[1][top - 1]) --top;
  negative = top > 0 && sums[1][top - 1] > sums[0][top - 1];
  const limb_t* big = sums[negative];
  const limb_t* small = sums[!negative];
  limb_t borrow = 0;
  for (std::size_t t = 0; t < top; ++t) {
    const limb_t d = big[t] - small[t];
    mag[t] = d - borrow;
    borrow = (big[t] < small[t]) | (d < borrow);
  }
  if (top == 0) mag[top++] = 0;
  while (top > 1 && mag[top - 1] == 0) --top;
  return top;
}

/// coefficient_any for rows whose values all fit SA and SB limbs (read as
/// exactly that many, the zero limbs above their sizes included): each
/// product has a fixed shape and is added or subtracted, by a mask, into one
/// two's complement sum of SA + SB + 1 limbs (16 products below
/// 2^(64 (SA + SB)) need 4 bits more and a sign), with no loop bound or carry
/// propagation that depends on the data.
template <std::size_t SA, std::size_t SB>
std::size_t coefficient_fixed(const scaled_row& a, std::size_t la, const scaled_row& b, std::size_t lb, std::size_t k,
                              limb_t* mag, bool& negative) {
  constexpr std::size_t P = SA + SB, M = P + 1;
  limb_t sum[M] = {};
  const std::size_t first = k + 1 > lb ? k + 1 - lb : 0, last = std::min(k + 1, la);
  for (std::size_t i = first; i < last; ++i) {
    const std::size_t j = k - i;
    const limb_t* x = a.value[i];
    const limb_t* y = b.value[j];
    // p = x y by rows x[u] y, their carries in the flag (__int128 sums of
    // three terms spilled to the stack).
    limb_t p[P] = {};
    for (std::size_t u = 0; u < SA; ++u) add_row_product<SB>(p + u, x[u], y);
    // sum -= p where the signs differ: sum + (p ^ mask) + 1, mask = ~0.
    const limb_t mask = limb_t(0) - limb_t(a.negative[i] != b.negative[j]);
    auto c = static_cast<unsigned char>(mask & 1);
    for (std::size_t t = 0; t < P; ++t) c = add_with_carry(c, sum[t], p[t] ^ mask, sum[t]);
    sum[P] += mask + c;
  }
  negative = (sum[P] >> 63) != 0;
  const limb_t mask = limb_t(0) - limb_t(negative);
  auto c = static_cast<unsigned char>(mask & 1);
  for (std::size_t t = 0; t < M; ++t) c = add_with_carry(c, sum[t] ^ mask, 0, mag[t]);
  std::size_t top = M;
  while (top > 1 && mag[top - 1] == 0) --top;
  return top;
}

/// The coefficient function for two scaled rows: a fixed shape where both
/// rows' values fit three limbs (values below 2^1000 with smooth
/// denominators up to about 2^20), coefficient_any otherwise.
using coefficient_fn = std::size_t (*)(const scaled_row&, std::size_t, const scaled_row&, std::size_t, std::size_t,
                                       limb_t*, bool&);
inline coefficient_fn coefficient_for(const scaled_row& a, const scaled_row& b) {
  constexpr std::size_t widest = 3;
  static constexpr coefficient_fn fixed[widest][widest] = {
      {&coefficient_fixed<1, 1>, &coefficient_fixed<1, 2>, &coefficient_fixed<1, 3>},
      {&coefficient_fixed<2, 1>, &coefficient_fixed<2, 2>, &coefficient_fixed<2, 3>},
      {&coefficient_fixed<3, 1>, &coefficient_fixed<3, 2>, &coefficient_fixed<3, 3>}};
  if (a.max_size <= widest && b.max_size <= widest) return fixed[a.max_size - 1][b.max_size - 1];
  return &coefficient_any;
}

/// Coefficient k of a * b: as coefficient_any (magnitude, length, sign).
inline std::size_t coefficient(const scaled_row& a, std::size_t la, const scaled_row& b, std::size_t lb, std::size_t k,
                               limb_t* mag, bool& negative) {
  return coefficient_for(a, b)(a, la, b, lb, k, mag, negative);
}

/// Coefficients reduce_lanes takes at once: the lanes of the test
/// registers.
inline constexpr std::size_t lanes = words::detail::max_test_lanes;
using words::detail::run_tests_for;

/// x[0, n) >>= s for s < 64 n, keeping n limbs (the top ones become zero):
/// the same steps whatever the value, so lanes of one length take one path.
inline void shift_right_keep(limb_t* x, std::size_t n, unsigned s) {
  const std::size_t words = s / 64;
  const unsigned bits = s % 64;
  for (std::size_t i = 0; i < n; ++i) {
    const limb_t low = i + words < n ? x[i + words] : 0;
    const limb_t high = i + words + 1 < n ? x[i + words + 1] : 0;
    // (high << 1) << (63 - bits) is high << (64 - bits), and 0 for bits = 0.
    x[i] = (low >> bits) | ((high << 1) << (63 - bits));
  }
}

/// reduce_lanes at a length of Len limbs (0: len, known at run time only).
/// A fixed length unrolls the loops over limbs (residues, exact divisions,
/// shifts), which otherwise spend a branch and a count on every limb. Kept
/// out of line: four unrolled copies inlined into smooth_row_product made
/// rows that take the word path 4% slower.
template <std::size_t Len>
[[gnu::noinline]] void reduce_lanes_at(const limb_t* const* x, const std::size_t* n, std::size_t count,
                                       std::size_t run_time_len, const pair_denominator& d, reduced* out) {
  const std::size_t len = Len != 0 ? Len : run_time_len;
  unsigned twos[lanes];
  for (std::size_t w = 0; w < count; ++w) {
    limb_t* num = out[w].num;
    const limb_t* v = x[w];
    const std::size_t m = n[w];
    if (d.twos < 64) {
      // The usual case: the low limb decides the shift (a zero one has at
      // least d.twos zeros), and the shift moves no whole limb.
      const unsigned t =
          std::min(v[0] != 0 ? static_cast<unsigned>(std::countr_zero(v[0])) : 64u, static_cast<unsigned>(d.twos));
      twos[w] = t;
      for (std::size_t i = 0; i < len; ++i) {
        const limb_t low = i < m ? v[i] : 0, high = i + 1 < m ? v[i + 1] : 0;
        num[i] = (low >> t) | ((high << 1) << (63 - t));
      }
    } else {
      for (std::size_t i = 0; i < len; ++i) num[i] = i < m ? v[i] : 0;
      auto zeros = static_cast<unsigned>(64 * len); // for zero, which every test divides
      for (std::size_t i = len; i-- > 0;)
        zeros = num[i] != 0 ? static_cast<unsigned>(64 * i) + static_cast<unsigned>(std::countr_zero(num[i])) : zeros;
      twos[w] = std::min(zeros, static_cast<unsigned>(d.twos));
      shift_right_keep(num, len, twos[w]);
    }
    out[w].den[0] = 1;
    out[w].den_size = 1;
  }
  for (std::size_t j = 0; j < d.group_count; ++j) {
    const prime_group& g = d.groups[j];
    std::uint64_t r[lanes], inverse[lanes], divisor[lanes];
    for (std::size_t w = 0; w < count; ++w) r[w] = montgomery_residue(out[w].num, len, g.modulus, g.negated_inverse);
    run_tests_for(count, d.tests + g.first_test, g.test_count, r, inverse, divisor);
    for (std::size_t w = 0; w < count; ++w) {
      divide_exact_keep(out[w].num, len, divisor[w], inverse[w]);
      // modulus / g is exact, so modulus g^-1 mod 2^64 is it.
      out[w].den_size = multiply_1(out[w].den, out[w].den_size, g.modulus * inverse[w]);
    }
  }
  for (std::size_t w = 0; w < count; ++w) {
    std::size_t size = len;
    while (size > 1 && out[w].num[size - 1] == 0) --size;
    out[w].num_size = size;
    const bool zero = size == 1 && out[w].num[0] == 0;
    if (zero) {
      out[w].den[0] = 1;
      out[w].den_size = 1;
    } else if (const unsigned left = static_cast<unsigned>(d.twos) - twos[w]; left != 0) {
      out[w].den_size = shift_left(out[w].den, out[w].den_size, left);
    }
  }
}

/// Reduces |c_w| = x[w][0, n[w]) (n[w] <= max_reduced_limbs) over the
/// pair's denominator for w < count <= lanes (the signs are the caller's).
/// Every lane is carried at the longest length, zeros above its own: the
/// loops then run the same number of times in every lane, and whether a
/// test hit changes no branch (the residues of the zero limbs are harmless:
/// 2^64 is prime to every group).
inline void reduce_lanes(const limb_t* const* x, const std::size_t* n, std::size_t count, const pair_denominator& d,
                         reduced* out) {
  std::size_t len = 1;
  for (std::size_t w = 0; w < count; ++w) len = std::max(len, n[w]);
  // Lengths of products of values below 2^128 (values below 1000 or 32768
  // scaled to their rows' lcms take one or two limbs).
  switch (len) {
  case 2:
    return reduce_lanes_at<2>(x, n, count, len, d, out);
  case 3:
    return reduce_lanes_at<3>(x, n, count, len, d, out);
  case 4:
    return reduce_lanes_at<4>(x, n, count, len, d, out);
  case 5:
    return reduce_lanes_at<5>(x, n, count, len, d, out);
  default:
    return reduce_lanes_at<0>(x, n, count, len, d, out);
  }
}

} // namespace polybatch::kernels::exact::limbs
