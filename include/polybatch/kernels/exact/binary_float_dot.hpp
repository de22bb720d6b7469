// Correctly rounded sums of products for binary multiprecision floats
// (float128, cpp_bin_float with base-2 digits, mpfr_float) whose mantissas
// fit four limbs: every value is unpacked once into (sign, integer
// mantissa, exponent), each product is an exact integer product of
// mantissas, and a coefficient's products are added exactly in fixed point
// (2K + 8 limbs for K-limb mantissas), aligned at the lowest
// product's exponent; the sum is rounded once, to nearest even. The naive
// loop instead rounds every multiply-add in software floating point; this
// does a few integer multiplications per term and one rounding per
// coefficient. Sums whose products spread over more bits than the
// accumulator holds, non-finite values and results outside the type's
// normal range are left to the caller (the naive loop), so nothing here
// ever rounds twice or loses a term.
#pragma once

#include <algorithm>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "polybatch/core/int128.hpp"

#if __has_include(<mpfr.h>)
#include <mpfr.h>
#define POLYBATCH_BINARY_DOT_MPFR 1
#endif

namespace polybatch::kernels::exact::binary_dot {

using limb = std::uint64_t;
/// Mantissas up to 256 bits (quad: 113; mpfr at 50 digits: 167).
inline constexpr std::size_t max_limbs = 4;
/// Products (2 * max_limbs limbs) plus 512 bits of exponent spread: the
/// accumulators' length costs only the final subtraction, not the terms.
inline constexpr std::size_t acc_limbs = 2 * max_limbs + 8;
/// Longest sum taken; longer ones go to the naive loop.
inline constexpr std::size_t max_terms = 32;

/// value = (neg ? -1 : 1) * m * 2^exp, m below 2^(top - exp); n == 0 means
/// zero. finish() sets `top` after the limbs are in place.
struct unpacked {
  limb m[max_limbs];
  std::size_t n;
  std::int64_t exp;
  std::int64_t top;
  bool neg;
  void finish();
};

inline std::size_t bit_length(const limb* x, std::size_t n) {
  while (n > 0 && x[n - 1] == 0) --n;
  return n == 0 ? 0 : 64 * (n - 1) + (64 - static_cast<std::size_t>(__builtin_clzll(x[n - 1])));
}
inline void unpacked::finish() {
  for (std::size_t i = n; i < max_limbs; ++i) m[i] = 0;
  while (n > 0 && m[n - 1] == 0) --n;
  top = exp + static_cast<std::int64_t>(bit_length(m, n));
}
inline bool bit(const limb* x, std::size_t n, std::size_t i) { return i / 64 < n && ((x[i / 64] >> (i % 64)) & 1); }
/// Whether any of bits [0, i) is set.
inline bool any_below(const limb* x, std::size_t i) {
  for (std::size_t k = 0; k < i / 64; ++k)
    if (x[k] != 0) return true;
  return i % 64 != 0 && (x[i / 64] & ((limb(1) << (i % 64)) - 1)) != 0;
}

/// The exact sum of x[t] * y[t], t < terms, every mantissa at most K limbs
/// (zero above n), as (neg, mag[0, used), exp): value = (neg ? -1 : 1) *
/// mag * 2^exp. Positive and negative products go to two unsigned
/// accumulators (no borrow runs through the leading limbs), subtracted
/// once. K is a compile-time constant so that the limb loops unroll; only
/// the limbs the sum can reach are cleared and subtracted. False when the
/// products spread over more bits than 2K + 8 limbs hold.
template <std::size_t K>
bool exact_sum(const unpacked* const* x, const unpacked* const* y, std::size_t terms, limb* mag, std::size_t& used,
               bool& neg, std::int64_t& exp) {
  static_assert(K >= 1 && 2 * K + 8 <= acc_limbs);
  constexpr std::size_t P = 2 * K, N = 2 * K + 8, S = N + P + 1; // S: room for any shifted product
  std::int64_t low = std::numeric_limits<std::int64_t>::max(), top = std::numeric_limits<std::int64_t>::min();
  std::size_t count = 0;
  for (std::size_t t = 0; t < terms; ++t) {
    if (x[t]->n == 0 || y[t]->n == 0) continue;
    low = std::min(low, x[t]->exp + y[t]->exp);
    top = std::max(top, x[t]->top + y[t]->top); // the product is below 2^(top - low) in units of 2^low
    ++count;
  }
  neg = false;
  exp = 0;
  used = 0;
  if (count == 0) return true;
  std::int64_t width = top - low; // plus one bit per doubling of the term count
  for (std::size_t c = 1; c < count; c *= 2) ++width;
  if (width > static_cast<std::int64_t>(64 * N)) return false;
  const std::size_t n = static_cast<std::size_t>((width + 63) / 64);
  limb plus[S], minus[S];
  std::fill(plus, plus + n + P + 1, limb(0));
  std::fill(minus, minus + n + P + 1, limb(0));
  for (std::size_t t = 0; t < terms; ++t) {
    const unpacked& a = *x[t];
    const unpacked& b = *y[t];
    if (a.n == 0 || b.n == 0) continue;
    limb p[P] = {};
    for (std::size_t i = 0; i < K; ++i) {
      limb carry = 0;
      for (std::size_t j = 0; j < K; ++j) {
        const uint128 v = static_cast<uint128>(a.m[i]) * b.m[j] + p[i + j] + carry;
        p[i + j] = static_cast<limb>(v);
        carry = static_cast<limb>(v >> 64);
      }
      p[i + K] = carry;
    }
    const auto shift = static_cast<std::size_t>(a.exp + b.exp - low);
    const std::size_t q = shift / 64, r = shift % 64;
    limb* acc = (a.neg != b.neg ? minus : plus) + q;
    limb carry = 0;
    for (std::size_t i = 0; i <= P; ++i) {
      const limb v = (i < P ? p[i] << r : 0) | (r != 0 && i > 0 ? p[i - 1] >> (64 - r) : 0);
      const uint128 sum = static_cast<uint128>(acc[i]) + v + carry;
      acc[i] = static_cast<limb>(sum);
      carry = static_cast<limb>(sum >> 64);
    }
    for (std::size_t i = P + 1; carry != 0 && q + i < n + P + 1; ++i) carry = ++acc[i] == 0 ? 1 : 0;
  }
  // plus - minus over n limbs (both below 2^width); a final borrow means
  // the sum is negative.
  limb borrow = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const uint128 d = static_cast<uint128>(plus[i]) - minus[i] - borrow;
    mag[i] = static_cast<limb>(d);
    borrow = static_cast<limb>(d >> 64) != 0 ? 1 : 0;
  }
  if (borrow != 0) {
    neg = true;
    limb carry = 1;
    for (std::size_t i = 0; i < n; ++i) {
      mag[i] = ~mag[i] + carry;
      carry = (carry != 0 && mag[i] == 0) ? 1 : 0;
    }
  }
  exp = low;
  used = n;
  return true;
}

/// exact_sum for the widest mantissa among the operands (`limbs`).
inline bool exact_sum(std::size_t limbs, const unpacked* const* x, const unpacked* const* y, std::size_t terms,
                      limb* mag, std::size_t& used, bool& neg, std::int64_t& exp) {
  if (limbs <= 1) return exact_sum<1>(x, y, terms, mag, used, neg, exp);
  if (limbs == 2) return exact_sum<2>(x, y, terms, mag, used, neg, exp);
  if (limbs == 3) return exact_sum<3>(x, y, terms, mag, used, neg, exp);
  return exact_sum<4>(x, y, terms, mag, used, neg, exp);
}

/// mag * 2^exp (mag nonzero, `used` limbs) rounded to nearest even with
/// `bits` significant bits: q (top bit bits - 1 set, ceil(bits / 64) limbs)
/// times 2^q_exp.
inline void round_to(const limb* mag, std::size_t used, std::int64_t exp, std::size_t bits, limb* q,
                     std::int64_t& q_exp) {
  const std::size_t qn = (bits + 63) / 64;
  const std::size_t length = bit_length(mag, used);
  std::fill(q, q + qn, limb(0));
  if (length <= bits) {
    const std::size_t s = bits - length; // shift left; the bits above `length` are zero
    const std::size_t w = s / 64, r = s % 64, mn = (length + 63) / 64;
    for (std::size_t i = 0; i < mn && i + w < qn; ++i) {
      q[i + w] |= mag[i] << r;
      if (r != 0 && i + w + 1 < qn) q[i + w + 1] |= mag[i] >> (64 - r);
    }
    q_exp = exp - static_cast<std::int64_t>(s);
    return;
  }
  std::size_t s = length - bits;
  const std::size_t w = s / 64, r = s % 64;
  for (std::size_t i = 0; i < qn; ++i) {
    limb v = w + i < used ? mag[w + i] >> r : 0;
    if (r != 0 && w + i + 1 < used) v |= mag[w + i + 1] << (64 - r);
    q[i] = v;
  }
  if (bits % 64 != 0) q[qn - 1] &= (limb(1) << (bits % 64)) - 1;
  const bool half = bit(mag, used, s - 1);
  const bool sticky = any_below(mag, s - 1);
  if (half && (sticky || (q[0] & 1))) {
    for (std::size_t i = 0; i < qn; ++i)
      if (++q[i] != 0) break;
    if (bit(q, qn, bits)) { // rounded up to 2^bits: one bit fewer
      for (std::size_t i = 0; i < qn; ++i) q[i] = (q[i] >> 1) | (i + 1 < qn ? q[i + 1] << 63 : 0);
      ++s;
    }
  }
  q_exp = exp + static_cast<std::int64_t>(s);
}

/// Per backend: unpack(value, u) (false: not finite, or too wide) and
/// pack(result, neg, mag, used, exp) (false: outside what the type holds without
/// a second rounding; the caller then runs the naive loop).
template <class Backend, class = void>
struct access {
  static constexpr bool available = false;
};

#if defined(__SIZEOF_FLOAT128__)
template <class Backend>
struct access<
    Backend,
    std::enable_if_t<std::is_same_v<std::remove_cvref_t<decltype(std::declval<Backend&>().value())>, __float128>>> {
  static constexpr bool available = true;
  static bool unpack(const Backend& x, unpacked& u) {
    limb w[2];
    const __float128 v = x.value();
    std::memcpy(w, &v, sizeof w);
    const auto biased = static_cast<std::int64_t>((w[1] >> 48) & 0x7fff);
    u.neg = (w[1] >> 63) != 0;
    if (biased == 0x7fff) return false;
    u.m[0] = w[0];
    u.m[1] = w[1] & ((limb(1) << 48) - 1);
    if (biased == 0) { // zero or subnormal
      u.n = (u.m[0] | u.m[1]) == 0 ? 0 : 2;
      u.exp = 1 - 16383 - 112;
      return true;
    }
    u.m[1] |= limb(1) << 48;
    u.n = 2;
    u.exp = biased - 16383 - 112;
    return true;
  }
  static bool pack(Backend& out, bool neg, const limb* mag, std::size_t used, std::int64_t exp) {
    limb w[2] = {0, 0};
    if (bit_length(mag, used) != 0) {
      limb q[2];
      std::int64_t q_exp;
      round_to(mag, used, exp, 113, q, q_exp);
      const std::int64_t biased = q_exp + 112 + 16383;
      if (biased < 1 || biased > 0x7ffe) return false; // subnormal or overflow: the naive loop decides
      w[0] = q[0];
      w[1] = (q[1] & ((limb(1) << 48) - 1)) | (static_cast<limb>(biased) << 48) | (neg ? limb(1) << 63 : 0);
    }
    __float128 v;
    std::memcpy(&v, w, sizeof v);
    out.value() = v;
    return true;
  }
};
#endif

/// cpp_bin_float with binary digits: value = bits * 2^(exponent - bit_count + 1),
/// bits normalised (top bit at bit_count - 1); zero, infinity and NaN are
/// exponent codes.
template <unsigned Digits, class Exponent, Exponent MinE, Exponent MaxE>
struct access<boost::multiprecision::backends::cpp_bin_float<Digits, boost::multiprecision::backends::digit_base_2,
                                                             void, Exponent, MinE, MaxE>> {
  using Backend = boost::multiprecision::backends::cpp_bin_float<Digits, boost::multiprecision::backends::digit_base_2,
                                                                 void, Exponent, MinE, MaxE>;
  static constexpr std::size_t bit_count = Backend::bit_count;
  /// Mantissas of at most 128 bits are one unsigned __int128 in Boost (a
  /// "trivial" cpp_int backend), wider ones 64-bit limbs.
  using stored = std::remove_cvref_t<decltype(*std::declval<const Backend&>().bits().limbs())>;
  static constexpr bool trivial = sizeof(stored) == 16;
  static constexpr bool available =
      bit_count <= 64 * max_limbs && (trivial || sizeof(stored) == 8) && sizeof(boost::multiprecision::limb_type) == 8;

  static bool unpack(const Backend& x, unpacked& u) {
    u.neg = x.sign();
    if (x.exponent() == Backend::exponent_zero) {
      u.n = 0;
      u.exp = 0;
      return true;
    }
    if (x.exponent() == Backend::exponent_infinity || x.exponent() == Backend::exponent_nan) return false;
    const auto& bits = x.bits();
    if constexpr (trivial) { // one unsigned __int128, not limbs
      const uint128 v = *bits.limbs();
      u.m[0] = static_cast<limb>(v);
      u.m[1] = static_cast<limb>(v >> 64);
      u.n = 2;
    } else {
      u.n = bits.size();
      for (std::size_t i = 0; i < u.n; ++i) u.m[i] = bits.limbs()[i];
    }
    u.exp = static_cast<std::int64_t>(x.exponent()) - static_cast<std::int64_t>(bit_count) + 1;
    return true;
  }
  static bool pack(Backend& out, bool neg, const limb* mag, std::size_t used, std::int64_t exp) {
    if (bit_length(mag, used) == 0) {
      out.bits() = static_cast<boost::multiprecision::limb_type>(0u);
      out.exponent() = Backend::exponent_zero;
      out.sign() = false;
      return true;
    }
    constexpr std::size_t qn = (bit_count + 63) / 64;
    limb q[qn];
    std::int64_t q_exp;
    round_to(mag, used, exp, bit_count, q, q_exp);
    const std::int64_t e = q_exp + static_cast<std::int64_t>(bit_count) - 1;
    if (e < static_cast<std::int64_t>(Backend::min_exponent) || e > static_cast<std::int64_t>(Backend::max_exponent))
      return false;
    auto& bits = out.bits();
    if constexpr (trivial) {
      *bits.limbs() = static_cast<uint128>(q[0]) | (qn > 1 ? static_cast<uint128>(q[qn - 1]) << 64 : 0);
    } else {
      bits.resize(static_cast<unsigned>(qn), static_cast<unsigned>(qn));
      for (std::size_t i = 0; i < qn; ++i) bits.limbs()[i] = q[i];
      bits.normalize();
    }
    out.exponent() = static_cast<Exponent>(e);
    out.sign() = neg;
    return true;
  }
};

#if defined(POLYBATCH_BINARY_DOT_MPFR)
/// mpfr backends (anything whose data() is an mpfr_t): value = 0.d * 2^e
/// over ceil(prec / 64) limbs. pack rounds with mpfr_set_z_2exp, once, to
/// the precision `out` already has.
template <class Backend>
struct access<Backend, std::enable_if_t<std::is_convertible_v<decltype(std::declval<Backend&>().data()), mpfr_ptr>>> {
  static constexpr bool available = sizeof(mp_limb_t) == 8;
  static bool unpack(const Backend& x, unpacked& u) {
    mpfr_srcptr v = const_cast<Backend&>(x).data();
    u.neg = mpfr_signbit(v) != 0;
    if (mpfr_zero_p(v)) {
      u.n = 0;
      u.exp = 0;
      return true;
    }
    if (!mpfr_regular_p(v)) return false;
    const std::size_t n = (static_cast<std::size_t>(mpfr_get_prec(v)) + 63) / 64;
    if (n > max_limbs) return false;
    for (std::size_t i = 0; i < n; ++i) u.m[i] = v->_mpfr_d[i];
    u.n = n;
    u.exp = static_cast<std::int64_t>(mpfr_get_exp(v)) - 64 * static_cast<std::int64_t>(n);
    return true;
  }
  static bool pack(Backend& out, bool neg, const limb* mag, std::size_t used, std::int64_t exp) {
    std::size_t n = used;
    while (n > 0 && mag[n - 1] == 0) --n;
    if (n == 0) {
      mpfr_set_zero(out.data(), 1);
      return true;
    }
    mpz_t z;
    mpz_roinit_n(z, reinterpret_cast<const mp_limb_t*>(mag),
                 neg ? -static_cast<mp_size_t>(n) : static_cast<mp_size_t>(n));
    mpfr_set_z_2exp(out.data(), z, static_cast<mpfr_exp_t>(exp), MPFR_RNDN);
    return true;
  }
};
#endif

} // namespace polybatch::kernels::exact::binary_dot
