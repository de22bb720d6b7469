// Odd primes below 2^15 with their inverses modulo 2^64 and the limits of
// the Granlund-Montgomery divisibility test, and the factorisations of the
// odd numbers below 2^15 (256 KB, 128 KB of inverses; a row touches only its
// denominators' entries). With them, factoring a small
// denominator is a few table look-ups, and deciding whether an odd prime p
// divides a 64-bit value m is one multiplication and one comparison:
// p | m exactly when m * p^-1 mod 2^64 <= (2^64 - 1) / p (the same for any
// odd q in place of p; the higher powers of the primes whose square is below
// smooth_bound are tabled too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace polybatch::kernels::exact::words {

/// Odd parts of denominators below this bound are factored by table.
inline constexpr std::uint32_t smooth_bound = 32768;

struct odd_prime {
  std::uint64_t inverse; // p^-1 mod 2^64
  std::uint64_t limit;   // (2^64 - 1) / p
  std::uint32_t value;
};

/// The odd primes below smooth_bound: 3, 5, ..., 32749.
inline constexpr std::size_t odd_prime_count = 3511;

/// Distinct primes of an odd number below smooth_bound: at most five
/// (3 * 5 * 7 * 11 * 13 * 17 > 2^15).
inline constexpr std::size_t factor_slots = 5;

/// An odd number's prime factorisation. Unused slot s (1 to 4) holds the
/// index odd_prime_count + s - 1, past the primes, with exponent 0.
struct odd_factorisation {
  std::uint16_t prime[factor_slots];
  std::uint8_t exponent[factor_slots];
};

/// A divisibility test by a prime power q: x * inverse mod 2^64 <= limit
/// exactly when q divides x.
struct power_test {
  std::uint64_t inverse; // q^-1 mod 2^64
  std::uint64_t limit;   // (2^64 - 1) / q
};

/// Prime powers p^j, 2 <= j < power_slots + 2, are tabled for the primes
/// whose square is below smooth_bound: only their exponents in a
/// denominator (and in the product of two rows' lcms, twice that) exceed
/// one; 3^18 is the largest such power (3^10 > 2^15).
inline constexpr std::size_t power_slots = 17;

struct small_prime_tables {
  std::vector<odd_prime> primes;
  /// For the first powered_primes primes: power_test of p^j at index
  /// power_slots * prime index + j - 2 (zero where p^j >= 2^63, which no
  /// caller reaches: a denominator's powers, and two rows' products of
  /// them, stay below 2^30).
  std::vector<power_test> powers;
  std::size_t powered_primes = 0;
  /// For odd n = 2i + 1 in [3, smooth_bound): its factorisation.
  std::vector<odd_factorisation> factorisation;
  /// For odd n = 2i + 1 below smooth_bound: n^-1 mod 2^64.
  std::vector<std::uint64_t> odd_inverse;
};

/// n^-1 mod 2^64 for odd n: Newton's iteration x <- x (2 - n x) doubles
/// the correct low bits, and x = 3 n xor 2 is right to 5 bits (checked for
/// every odd residue modulo 32 below), so four steps give 80.
constexpr std::uint64_t inverse_mod_2_64(std::uint64_t n) {
  std::uint64_t x = (3 * n) ^ 2;
  for (int i = 0; i < 4; ++i) x *= 2 - n * x;
  return x;
}
static_assert([] {
  for (std::uint64_t n = 1; n < 32; n += 2)
    if ((n * ((3 * n) ^ 2)) % 32 != 1) return false;
  return true;
}());

inline small_prime_tables make_small_prime_tables() {
  small_prime_tables t;
  const std::size_t odd_count = smooth_bound / 2;
  // For odd n = 2i + 1 >= 3: the index in t.primes of its smallest prime
  // factor p, and n / p (0 until a prime marks it).
  std::vector<std::uint16_t> smallest_factor(odd_count, 0), cofactor(odd_count, 0);
  t.odd_inverse.resize(odd_count);
  for (std::size_t i = 0; i < odd_count; ++i) t.odd_inverse[i] = inverse_mod_2_64(2 * i + 1);
  for (std::uint32_t n = 3; n < smooth_bound; n += 2) {
    if (cofactor[n / 2] != 0) continue; // already has a smaller factor: composite
    const auto index = static_cast<std::uint16_t>(t.primes.size());
    t.primes.push_back({inverse_mod_2_64(n), ~std::uint64_t(0) / n, n});
    for (std::uint32_t m = n; m < smooth_bound; m += 2 * n)
      if (cofactor[m / 2] == 0) {
        smallest_factor[m / 2] = index;
        cofactor[m / 2] = static_cast<std::uint16_t>(m / n);
      }
  }
  if (t.primes.size() != odd_prime_count) throw std::logic_error("small_primes: odd_prime_count is wrong");
  while (std::uint64_t(t.primes[t.powered_primes].value) * t.primes[t.powered_primes].value < smooth_bound)
    ++t.powered_primes;
  t.powers.resize(t.powered_primes * power_slots);
  for (std::size_t i = 0; i < t.powered_primes; ++i) {
    const odd_prime& p = t.primes[i];
    std::uint64_t power = p.value, inverse = p.inverse;
    for (std::size_t j = 0; j < power_slots && !__builtin_mul_overflow(power, p.value, &power) && (power >> 63) == 0;
         ++j) {
      inverse *= p.inverse;
      t.powers[i * power_slots + j] = {inverse, ~std::uint64_t(0) / power};
    }
  }
  t.factorisation.resize(odd_count);
  for (std::uint32_t n = 3; n < smooth_bound; n += 2) {
    odd_factorisation& f = t.factorisation[n / 2];
    std::size_t slots = 0;
    for (std::uint32_t m = n; m != 1; m = cofactor[m / 2]) {
      const std::uint16_t index = smallest_factor[m / 2];
      if (slots > 0 && f.prime[slots - 1] == index) {
        ++f.exponent[slots - 1];
      } else {
        f.prime[slots] = index;
        f.exponent[slots] = 1;
        ++slots;
      }
    }
    for (; slots < factor_slots; ++slots) {
      f.prime[slots] = static_cast<std::uint16_t>(odd_prime_count + slots - 1);
      f.exponent[slots] = 0;
    }
  }
  return t;
}

/// Built once, on first use (thread-safe static initialisation).
inline const small_prime_tables& small_primes() {
  static const small_prime_tables tables = make_small_prime_tables();
  return tables;
}

/// The test of p^j for the prime at `index` and 1 <= j with p^j < 2^63:
/// from the tables, or formed (one division) for the powers they omit,
/// which only a product's denominator reaches.
inline power_test prime_power_test(const small_prime_tables& t, std::size_t index, std::size_t j) {
  const odd_prime& p = t.primes[index];
  if (j == 1) return {p.inverse, p.limit};
  if (index < t.powered_primes && j - 2 < power_slots) return t.powers[index * power_slots + j - 2];
  std::uint64_t power = 1, inverse = 1;
  for (std::size_t e = 0; e < j; ++e) power *= p.value, inverse *= p.inverse;
  return {inverse, ~std::uint64_t(0) / power};
}

} // namespace polybatch::kernels::exact::words
