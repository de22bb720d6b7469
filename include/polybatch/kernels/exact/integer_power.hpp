// Powers of short rows of small integers (cpp_int, mpz_int) in machine
// words, by squares and products by a (binary powering, or products alone
// where only their tighter bounds fit): each power in int64 while the bound
// on its partial sums allows, in __int128 after, the last one written
// straight into its place in the output. The evaluator's binary powering
// instead goes through a row of objects per step and, once a power leaves int64, through the
// one-row-at-a-time __int128 product: pow(a, 3) of 5 values below 2^20 took
// 1.3x (cpp_int) and 1.2x (mpz_int) FLINT's fmpz_poly_pow.
#pragma once

#include <algorithm>
#include <bit>
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

/// One step from a power p of a to the next: p^2, or p a.
enum class power_step : unsigned char { square, times_a };

/// The steps from a to a^k, in order.
struct power_plan {
  power_step step[2 * max_word_power];
  std::size_t count = 0;
};

/// Left-to-right binary powering: for each bit of k below the leading one,
/// a square, then a product by a where the bit is set. a^4 = (a^2)^2 is one
/// square of 2 la - 1 int64 values (about la^2 / 2 products, each of two
/// words), where a^3 a multiplies __int128 values: 2.4x fewer products.
inline power_plan squaring_plan(std::size_t k) {
  power_plan plan;
  for (int bit = std::bit_width(k) - 2; bit >= 0; --bit) {
    plan.step[plan.count++] = power_step::square;
    if ((k >> bit) & 1) plan.step[plan.count++] = power_step::times_a;
  }
  return plan;
}

/// a^2, ..., a^k, each from the last times a: its bounds are tighter than
/// the squares' (a square of 2^b values sums more terms), so rows near the
/// limits that the squares cannot take may still fit.
inline power_plan product_plan(std::size_t k) {
  power_plan plan;
  for (std::size_t j = 2; j <= k; ++j) plan.step[plan.count++] = power_step::times_a;
  return plan;
}

/// Whether a plan stays in machine words for la values below 2^bits_a
/// (bits_a <= 63): every partial sum in __int128 (sum_bits bounds a
/// coefficient of p a by min(len, la) products, one of p^2 by len), and
/// every squared power in int64.
inline bool plan_fits(const power_plan& plan, std::size_t la, std::size_t bits_a) {
  std::size_t len = la, bits = bits_a;
  for (std::size_t s = 0; s < plan.count; ++s) {
    if (plan.step[s] == power_step::square) {
      if (bits > 63) return false;
      bits = sum_bits(bits, bits, len);
      len = 2 * len - 1;
    } else {
      bits = sum_bits(bits, bits_a, std::min(len, la));
      len += la - 1;
    }
    if (bits > 127) return false;
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

/// Coefficient i of p^2 (p of lp int64 values), summed in I: each product
/// p[t] p[i - t] with t < i - t once, doubled, and the middle square. The
/// partial sums stay within the full sum's bound.
template <class I>
I square_coefficient(const std::int64_t* p, std::size_t lp, std::size_t i) {
  std::size_t t = i >= lp ? i - lp + 1 : 0;
  I s = 0;
  for (; t < i - t; ++t) s += static_cast<I>(p[t]) * static_cast<I>(p[i - t]);
  s += s;
  if (t == i - t) s += static_cast<I>(p[t]) * static_cast<I>(p[t]);
  return s;
}

/// power_backend::row for integers with limb access, when every value of
/// the row fits 63 bits and the squaring plan or, failing that, the product
/// plan stays in words (plan_fits); false otherwise, having written nothing.
/// Powers are kept in int64 while their bound allows, in __int128 after;
/// the last step writes straight into the output.
template <class T>
bool power_row_in_words(const T* a, std::size_t la, std::size_t k, std::size_t n, T* out) {
  using A = integer_access<T>;
  if (!takes_power(la, k)) return false;
  words::row ra;
  words::read_row(a, la, false, ra);
  const std::size_t bits_a = detail::bit_length(ra.magnitude_or);
  if (!ra.fits || bits_a > 63) return false;
  power_plan plan = squaring_plan(k);
  if (!plan_fits(plan, la, bits_a)) {
    plan = product_plan(k);
    if (!plan_fits(plan, la, bits_a)) return false;
  }
  constexpr std::size_t longest = max_word_power * (words::max_row - 1) + 1;
  std::int64_t narrow[longest];
  int128 wide[2][longest];
  int128* power = wide[0];
  int128* next = wide[1];
  std::copy_n(ra.value, la, narrow);
  bool is_wide = false; // the current power is in `power`, not `narrow` (never for a square's operand)
  std::size_t len = la, bits = bits_a;
  for (std::size_t s = 0; s < plan.count; ++s) {
    const bool square = plan.step[s] == power_step::square;
    const bool last = s + 1 == plan.count;
    const std::size_t m = square ? 2 * len - 1 : len + la - 1;
    bits = square ? sum_bits(bits, bits, len) : sum_bits(bits, bits_a, std::min(len, la));
    // One loop for each kind of coefficient (int64 or __int128 sums, of a
    // square or of a product), each coefficient(i) inlined into it.
    const auto run = [&](auto coefficient) {
      constexpr bool in_words = std::is_same_v<decltype(coefficient(std::size_t(0))), std::int64_t>;
      if (last) {
        // The last power straight into the output.
        const std::size_t written = std::min(n, m);
        for (std::size_t i = 0; i < written; ++i) {
          if constexpr (in_words)
            A::write_small(out[i], coefficient(i));
          else
            detail::write_int128(out[i], coefficient(i));
        }
        for (std::size_t i = written; i < n; ++i) A::write_small(out[i], 0);
      } else if constexpr (in_words) {
        std::int64_t step[longest];
        for (std::size_t i = 0; i < m; ++i) step[i] = coefficient(i);
        std::copy_n(step, m, narrow);
      } else {
        for (std::size_t i = 0; i < m; ++i) next[i] = coefficient(i);
        std::swap(power, next);
        is_wide = true;
      }
    };
    const std::int64_t* p = narrow;
    const std::int64_t* x = ra.value;
    const std::size_t lp = len;
    if (bits <= 63) {
      if (square)
        run([p, lp](std::size_t i) { return square_coefficient<std::int64_t>(p, lp, i); });
      else
        run([p, lp, x, la](std::size_t i) { return power_coefficient<std::int64_t>(p, lp, x, la, i); });
    } else if (square) {
      run([p, lp](std::size_t i) { return square_coefficient<int128>(p, lp, i); });
    } else if (is_wide) {
      run([q = power, lp, x, la](std::size_t i) { return power_coefficient<int128>(q, lp, x, la, i); });
    } else {
      run([p, lp, x, la](std::size_t i) { return power_coefficient<int128>(p, lp, x, la, i); });
    }
    if (last) return true;
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
