// Convolution of dyadic rows (convolve_backend<dyadic<N>>): each output
// coefficient is a sum of products, added exactly in one 256-bit
// two's-complement accumulator on the smallest exponent of its terms, and
// normalised once. Terms too wide for it go term by term (dyadic + and *).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "polybatch/exact/dyadic.hpp"
#include "polybatch/kernels/convolve.hpp"
#include "polybatch/kernels/convolve_generic.hpp"

namespace polybatch::exact::detail {

using limb = std::uint64_t;
inline constexpr int accumulator_limbs = 4;

/// p[0..3) = |x| * |y| for magnitudes of at most 3 limbs together; returns
/// the limb count.
template <int N>
int product_magnitude(const dyadic<N>& x, const dyadic<N>& y, limb* p) {
  const dyadic<N>& big = x.size() >= y.size() ? x : y;
  const dyadic<N>& one = x.size() >= y.size() ? y : x; // a single limb
  const uint128 lo = static_cast<uint128>(big.limb_at(0)) * one.limb_at(0);
  p[0] = static_cast<limb>(lo);
  if (big.size() == 1) {
    p[1] = static_cast<limb>(lo >> 64);
    return 2;
  }
  const uint128 hi = static_cast<uint128>(big.limb_at(1)) * one.limb_at(0) + (lo >> 64);
  p[1] = static_cast<limb>(hi);
  p[2] = static_cast<limb>(hi >> 64);
  return 3;
}

/// acc += sign * (p << s), two's complement over accumulator_limbs; the
/// caller has checked that the shifted value fits.
inline void accumulate(limb* acc, const limb* p, int np, int s, bool negative) {
  limb t[accumulator_limbs + 1] = {};
  const int q = s / 64, r = s % 64;
  for (int i = 0; i < np && i + q < accumulator_limbs; ++i) {
    t[i + q] |= p[i] << r;
    if (r != 0) t[i + q + 1] |= p[i] >> (64 - r);
  }
  if (!negative) {
    unsigned char carry = 0;
    for (int i = 0; i < accumulator_limbs; ++i) {
      const limb s1 = acc[i] + t[i];
      const limb s2 = s1 + carry;
      carry = static_cast<unsigned char>((s1 < acc[i]) | (s2 < s1));
      acc[i] = s2;
    }
  } else {
    unsigned char borrow = 0;
    for (int i = 0; i < accumulator_limbs; ++i) {
      const limb d1 = acc[i] - t[i];
      const limb d2 = d1 - borrow;
      borrow = static_cast<unsigned char>((acc[i] < t[i]) | (d1 < borrow));
      acc[i] = d2;
    }
  }
}

/// out = sum over i in [lo, hi] of x(i) * y(i), exactly, when every product
/// has at most 3 limbs and all of them fit the accumulator on a common
/// exponent; false (out untouched) otherwise.
template <int N, class X, class Y>
bool sum_of_products(X&& x, Y&& y, std::size_t lo, std::size_t hi, dyadic<N>& out) {
  std::int64_t low = std::numeric_limits<std::int64_t>::max();
  std::int64_t top = std::numeric_limits<std::int64_t>::min();
  std::size_t terms = 0;
  bool single = true; // every product of two one-limb magnitudes
  for (std::size_t i = lo; i <= hi; ++i) {
    const dyadic<N>& u = x(i);
    const dyadic<N>& v = y(i);
    if (u.is_zero() || v.is_zero()) continue;
    if (u.size() + v.size() > 3) return false;
    single = single && u.size() + v.size() == 2;
    const std::int64_t e = u.exponent() + v.exponent();
    low = std::min(low, e);
    top = std::max(top, e + u.bit_length() + v.bit_length());
    ++terms;
  }
  if (terms == 0) {
    out = dyadic<N>();
    return true;
  }
  // One sign bit and one bit per doubling of the number of terms.
  const std::int64_t width = top - low + std::bit_width(terms) + 1;
  if (single && width <= 128) {
    // The common case (products of leaves): one signed 128-bit sum.
    int128 sum = 0;
    for (std::size_t i = lo; i <= hi; ++i) {
      const dyadic<N>& u = x(i);
      const dyadic<N>& v = y(i);
      if (u.is_zero() || v.is_zero()) continue;
      const auto p = static_cast<int128>((static_cast<uint128>(u.limb_at(0)) * v.limb_at(0))
                                         << (u.exponent() + v.exponent() - low));
      sum += u.negative() != v.negative() ? -p : p;
    }
    const bool negative = sum < 0;
    const auto mag = negative ? static_cast<uint128>(0) - static_cast<uint128>(sum) : static_cast<uint128>(sum);
    out = dyadic<N>::from_uint128(mag, negative, low);
    return true;
  }
  if (width > 64 * accumulator_limbs) return false;
  limb acc[accumulator_limbs] = {};
  for (std::size_t i = lo; i <= hi; ++i) {
    const dyadic<N>& u = x(i);
    const dyadic<N>& v = y(i);
    if (u.is_zero() || v.is_zero()) continue;
    limb p[3];
    const int np = product_magnitude(u, v, p);
    accumulate(acc, p, np, static_cast<int>(u.exponent() + v.exponent() - low), u.negative() != v.negative());
  }
  const bool negative = (acc[accumulator_limbs - 1] >> 63) != 0;
  if (negative) {
    unsigned char carry = 1;
    for (int i = 0; i < accumulator_limbs; ++i) {
      const limb v = ~acc[i] + carry;
      carry = static_cast<unsigned char>(carry && v == 0);
      acc[i] = v;
    }
  }
  out = dyadic<N>::from_magnitude(acc, accumulator_limbs, negative, low);
  return true;
}

} // namespace polybatch::exact::detail

namespace polybatch::kernels {

template <int N>
struct convolve_backend<::polybatch::exact::dyadic<N>> {
  using D = ::polybatch::exact::dyadic<N>;
  static void run(std::size_t rows, const D* a, std::size_t lda, std::size_t la, const D* b, std::size_t ldb,
                  std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, D* out, std::size_t ldo, D& acc) {
    for (std::size_t r = 0; r < rows; ++r) {
      const D* ar = a + r * lda;
      const D* br = b + r * ldb;
      D* o = out + r * ldo;
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t j = offset + k;
        const std::size_t lo = j >= lb ? j - lb + 1 : 0;
        const std::size_t hi = std::min(j, la - 1);
        if (lo > hi) {
          o[k] = D();
          continue;
        }
        auto x = [&](std::size_t i) -> const D& { return ar[i]; };
        const bool done = reverse_b
                              ? ::polybatch::exact::detail::sum_of_products<N>(
                                    x, [&](std::size_t i) -> const D& { return br[lb - 1 - j + i]; }, lo, hi, o[k])
                              : ::polybatch::exact::detail::sum_of_products<N>(
                                    x, [&](std::size_t i) -> const D& { return br[j - i]; }, lo, hi, o[k]);
        if (!done) convolve_window_row(ar, la, br, lb, reverse_b, j, 1, o + k, acc);
      }
    }
  }
};

} // namespace polybatch::kernels
