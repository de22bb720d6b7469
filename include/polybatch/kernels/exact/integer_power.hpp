// Powers of short rows of small integers (cpp_int, mpz_int) in machine
// words: each power in int64 while the bound on its partial sums allows, in
// __int128 after, the last one written straight into its place in the
// output. The evaluator's binary powering instead goes through a row
// of objects per step and, once a power leaves int64, through the
// one-row-at-a-time __int128 product: pow(a, 3) of 5 values below 2^20 took
// 1.3x (cpp_int) and 1.2x (mpz_int) FLINT's fmpz_poly_pow.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "polybatch/kernels/algebra/power.hpp"
#include "polybatch/kernels/exact/convolve_integer.hpp"
#include "polybatch/kernels/exact/integer_access.hpp"
#include "polybatch/kernels/exact/integer_words.hpp"

namespace polybatch::kernels {

namespace exact {

/// Highest power taken in words: higher ones stay within the bounds only
/// for values of a few bits, and 8 keeps the rows on the stack at 121 words.
inline constexpr std::size_t max_word_power = 8;

/// Whether power_row_in_words can take rows of la values to the power k at
/// all (the values decide the rest).
inline bool takes_power(std::size_t la, std::size_t k) {
  return la != 0 && la <= words::max_row && k >= 2 && k <= max_word_power;
}

/// Whether every partial sum of a^2 .. a^k stays in __int128, for la values
/// below 2^bits_a (bits_a <= 63): each coefficient of a^j a is a sum of at
/// most min(len, la) products below 2^(bits + bits_a) (sum_bits).
inline bool power_fits_words(std::size_t la, std::size_t k, std::size_t bits_a) {
  std::size_t len = la, bits = bits_a;
  for (std::size_t j = 2; j <= k; ++j) {
    bits = sum_bits(bits, bits_a, std::min(len, la));
    if (bits > 127) return false;
    len += la - 1;
  }
  return true;
}

/// Coefficient i of p * a (p of lp values in P, a of la int64 values),
/// summed in I; the caller has bounded every partial sum.
template <class I, class P>
I power_coefficient(const P* p, std::size_t lp, const std::int64_t* a, std::size_t la, std::size_t i) {
  const std::size_t lo = i >= la ? i - la + 1 : 0;
  const std::size_t hi = i < lp ? i : lp - 1;
  I s = 0;
  for (std::size_t t = lo; t <= hi; ++t) s += static_cast<I>(p[t]) * static_cast<I>(a[i - t]);
  return s;
}

/// power_backend::row for integers with limb access, when every value of
/// the row fits 63 bits and every partial sum of its powers fits __int128
/// (power_fits_words); false otherwise, having written nothing. Powers are
/// kept in int64 while their bound allows, in __int128 after.
template <class T>
bool power_row_in_words(const T* a, std::size_t la, std::size_t k, std::size_t n, T* out) {
  using A = integer_access<T>;
  if (!takes_power(la, k)) return false;
  words::row ra;
  words::read_row(a, la, false, ra);
  const std::size_t bits_a = detail::bit_length(ra.magnitude_or);
  if (!ra.fits || bits_a > 63 || !power_fits_words(la, k, bits_a)) return false;
  constexpr std::size_t longest = max_word_power * (words::max_row - 1) + 1;
  std::int64_t narrow[longest];
  int128 wide[2][longest];
  int128* power = wide[0];
  int128* next = wide[1];
  std::copy_n(ra.value, la, narrow);
  bool is_wide = false; // the current power is in `power`, not `narrow`
  std::size_t len = la, bits = bits_a;
  for (std::size_t j = 2; j <= k; ++j) {
    const std::size_t m = len + la - 1;
    bits = sum_bits(bits, bits_a, std::min(len, la));
    const bool wide_sums = bits > 63;
    if (j == k) {
      // The last power straight into the output.
      const std::size_t written = std::min(n, m);
      for (std::size_t i = 0; i < written; ++i) {
        if (!wide_sums)
          A::write_small(out[i], power_coefficient<std::int64_t>(narrow, len, ra.value, la, i));
        else if (is_wide)
          detail::write_int128(out[i], power_coefficient<int128>(power, len, ra.value, la, i));
        else
          detail::write_int128(out[i], power_coefficient<int128>(narrow, len, ra.value, la, i));
      }
      for (std::size_t i = written; i < n; ++i) A::write_small(out[i], 0);
      return true;
    }
    if (!wide_sums) {
      std::int64_t step[longest];
      for (std::size_t i = 0; i < m; ++i) step[i] = power_coefficient<std::int64_t>(narrow, len, ra.value, la, i);
      std::copy_n(step, m, narrow);
    } else {
      for (std::size_t i = 0; i < m; ++i)
        next[i] = is_wide ? power_coefficient<int128>(power, len, ra.value, la, i)
                          : power_coefficient<int128>(narrow, len, ra.value, la, i);
      std::swap(power, next);
      is_wide = true;
    }
    len = m;
  }
  return false; // not reached: k >= 2
}

} // namespace exact

template <class T>
struct power_backend<T, std::enable_if_t<exact::integer_access<T>::available>> {
  static constexpr bool available = true;
  static bool takes(std::size_t la, std::size_t k) { return exact::takes_power(la, k); }
  static bool row(const T* a, std::size_t la, std::size_t k, std::size_t n, T* out) {
    return exact::power_row_in_words(a, la, k, n, out);
  }
};

} // namespace polybatch::kernels
