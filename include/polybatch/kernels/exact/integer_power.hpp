// Powers of short rows of small integers (cpp_int, mpz_int) in machine
// words: a^2 .. a^(k-1) in int64 while the bound on their partial sums
// allows, a^k in int64 or __int128, each coefficient written into its place
// in the output. The evaluator's binary powering instead goes through a row
// of objects per step and, once a power leaves int64, through the
// one-row-at-a-time __int128 product: pow(a, 3) of 5 values below 2^20 took
// about 1.5x FLINT's fmpz_poly_pow.
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

/// Highest power taken in words: with values of one bit, a^8 of 16 values is
/// the longest row kept on the stack (121 words).
inline constexpr std::size_t max_word_power = 8;

/// power_backend::row for integers with limb access, when every value of
/// the row fits 63 bits and the bounds allow (choose_integer_width, power by
/// power); false otherwise, having written nothing.
template <class T>
bool power_row_in_words(const T* a, std::size_t la, std::size_t k, std::size_t n, T* out) {
  using A = integer_access<T>;
  if (la == 0 || la > words::max_row || k < 2 || k > max_word_power) return false;
  words::row ra;
  words::read_row(a, la, false, ra);
  const std::size_t bits_a = detail::bit_length(ra.magnitude_or);
  if (!ra.fits || bits_a > 63) return false;
  constexpr std::size_t longest = max_word_power * (words::max_row - 1) + 1;
  std::int64_t power[longest], next[longest];
  std::copy_n(ra.value, la, power);
  std::size_t len = la, bits = bits_a;
  for (std::size_t j = 2; j <= k; ++j) {
    const std::size_t m = len + la - 1, terms = std::min(len, la);
    const integer_width width = choose_integer_width(bits, bits_a, terms);
    if (j == k && width != integer_width::limbs) {
      // The last power straight into the output; its partial sums are
      // bounded as the earlier ones were.
      const std::size_t written = std::min(n, m);
      if (width == integer_width::int64)
        for (std::size_t i = 0; i < written; ++i)
          A::write_small(out[i], words::coefficient<std::int64_t>(power, len, ra.value, la, i));
      else
        for (std::size_t i = 0; i < written; ++i)
          detail::write_int128(out[i], words::coefficient<int128>(power, len, ra.value, la, i));
      for (std::size_t i = written; i < n; ++i) A::write_small(out[i], 0);
      return true;
    }
    if (width != integer_width::int64) return false;
    for (std::size_t i = 0; i < m; ++i) next[i] = words::coefficient<std::int64_t>(power, len, ra.value, la, i);
    std::copy_n(next, m, power);
    bits = sum_bits(bits, bits_a, terms);
    len = m;
  }
  return false; // not reached: k >= 2
}

} // namespace exact

template <class T>
struct power_backend<T, std::enable_if_t<exact::integer_access<T>::available>> {
  static constexpr bool available = true;
  static bool row(const T* a, std::size_t la, std::size_t k, std::size_t n, T* out) {
    return exact::power_row_in_words(a, la, k, n, out);
  }
};

} // namespace polybatch::kernels
