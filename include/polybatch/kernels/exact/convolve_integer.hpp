// Exact convolution of unbounded integers (cpp_int, mpz_int) over a tile.
// The tile's coefficients are read once; their magnitude bounds pick the
// accumulator: int64 when bits(a) + bits(b) + ceil(log2(terms)) <= 63 proves
// no partial sum can overflow, __int128 when that bound is <= 127, and
// otherwise fixed-width limb arithmetic sized for the tile. Results never
// wrap and never pass through floating point.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/convolve_generic.hpp"
#include "polybatch/kernels/exact/integer_access.hpp"

namespace polybatch::kernels::exact {

enum class integer_width { int64, int128, limbs };

inline std::size_t ceil_log2(std::size_t n) {
  return n <= 1 ? 0 : 64 - static_cast<std::size_t>(__builtin_clzll(static_cast<unsigned long long>(n - 1)));
}

/// The narrowest accumulator that provably holds every partial sum of at
/// most `terms` products of values below 2^bits_a and 2^bits_b.
inline integer_width choose_integer_width(std::size_t bits_a, std::size_t bits_b, std::size_t terms) {
  const std::size_t bound = bits_a + bits_b + ceil_log2(terms);
  if (bits_a <= 63 && bits_b <= 63) {
    if (bound <= 63) return integer_width::int64;
    if (bound <= 127) return integer_width::int128;
  }
  return integer_width::limbs;
}

namespace detail {

/// Per-thread buffers, grown once and reused by every tile.
struct integer_tile_buffers {
  std::vector<std::int64_t> a64, b64, out64;
  std::vector<int128_t> a128, b128, out128;
  std::vector<limb_t> alimbs, blimbs, acc;
  std::vector<unsigned char> asign, bsign;
};
inline integer_tile_buffers& tile_buffers() {
  thread_local integer_tile_buffers buffers;
  return buffers;
}

/// Reads rows into int64; false as soon as a value needs more than 63 bits.
/// `magnitude_or` collects the OR of all magnitudes (its bit length is the
/// largest bit length).
template <class T>
bool read_int64(const T* x, std::size_t ld, std::size_t nrows, std::size_t len, std::int64_t* dst,
                std::uint64_t& magnitude_or) {
  using A = integer_access<T>;
  for (std::size_t r = 0; r < nrows; ++r) {
    for (std::size_t k = 0; k < len; ++k) {
      const T& v = x[r * ld + k];
      if (A::size(v) > 1) return false;
      const limb_t m = static_cast<limb_t>(A::limbs(v)[0]);
      if (m >> 63) return false;
      magnitude_or |= m;
      dst[r * len + k] = A::negative(v) ? -static_cast<std::int64_t>(m) : static_cast<std::int64_t>(m);
    }
  }
  return true;
}

inline std::size_t bit_length(std::uint64_t m) {
  return m == 0 ? 0 : 64 - static_cast<std::size_t>(__builtin_clzll(m));
}

/// Small-integer convolution over rows of machine integers (unrolled for
/// short rows, schoolbook otherwise).
template <class I>
void convolve_machine(std::size_t rows, const I* a, std::size_t lda, std::size_t la, const I* b, std::size_t ldb,
                      std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, I* out) {
  if (la <= max_unrolled_length && lb <= max_unrolled_length) {
    fixed_convolve_kernel<I>(la, lb, reverse_b)(rows, a, lda, b, ldb, offset, n, out, n);
    return;
  }
  I acc = 0;
  for (std::size_t r = 0; r < rows; ++r)
    convolve_window_row(a + r * lda, la, b + r * ldb, lb, reverse_b, offset, n, out + r * n, acc);
}

/// acc[0, w) += x[0, nx) * y[0, ny) (magnitudes); w > nx + ny - 1 is
/// large enough that the carry never leaves acc.
inline void add_product(limb_t* acc, const limb_t* x, std::size_t nx, const limb_t* y, std::size_t ny) {
  for (std::size_t i = 0; i < nx; ++i) {
    if (x[i] == 0) continue;
    uint128_t carry = 0;
    for (std::size_t j = 0; j < ny; ++j) {
      const uint128_t t = static_cast<uint128_t>(x[i]) * y[j] + acc[i + j] + carry;
      acc[i + j] = static_cast<limb_t>(t);
      carry = t >> 64;
    }
    for (std::size_t k = i + ny; carry != 0; ++k) {
      const uint128_t t = static_cast<uint128_t>(acc[k]) + carry;
      acc[k] = static_cast<limb_t>(t);
      carry = t >> 64;
    }
  }
}

/// x -= y over w limbs, x >= y.
inline void subtract_in_place(limb_t* x, const limb_t* y, std::size_t w) {
  limb_t borrow = 0;
  for (std::size_t i = 0; i < w; ++i) {
    const limb_t yi = y[i] + borrow;
    const limb_t carry_out = (yi < borrow) || (x[i] < yi);
    x[i] -= yi;
    borrow = carry_out;
  }
}

/// Compares x and y over w limbs: -1, 0, 1.
inline int compare_limbs(const limb_t* x, const limb_t* y, std::size_t w) {
  for (std::size_t i = w; i-- > 0;)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/// Reads rows as (sign, k limbs), zero-padded to k limbs.
template <class T>
void read_limbs(const T* x, std::size_t ld, std::size_t nrows, std::size_t len, std::size_t k, limb_t* dst,
                unsigned char* sign) {
  using A = integer_access<T>;
  for (std::size_t r = 0; r < nrows; ++r) {
    for (std::size_t c = 0; c < len; ++c) {
      const T& v = x[r * ld + c];
      const std::size_t s = A::size(v);
      const auto* src = A::limbs(v);
      limb_t* d = dst + (r * len + c) * k;
      for (std::size_t i = 0; i < s; ++i) d[i] = static_cast<limb_t>(src[i]);
      std::fill(d + s, d + k, limb_t(0));
      sign[r * len + c] = A::negative(v) ? 1 : 0;
    }
  }
}

template <class T>
std::size_t max_limbs(const T* x, std::size_t ld, std::size_t nrows, std::size_t len) {
  std::size_t k = 1;
  for (std::size_t r = 0; r < nrows; ++r)
    for (std::size_t c = 0; c < len; ++c) k = std::max(k, integer_access<T>::size(x[r * ld + c]));
  return k;
}

/// Arbitrary-width path: positive and negative partial sums accumulated
/// separately in ka + kb + 1 limbs, subtracted once per coefficient.
template <class T>
void convolve_limbs(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                    std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  using A = integer_access<T>;
  integer_tile_buffers& buf = tile_buffers();
  const std::size_t rows_a = lda ? rows : 1;
  const std::size_t rows_b = ldb ? rows : 1;
  const std::size_t ka = max_limbs(a, lda, rows_a, la);
  const std::size_t kb = max_limbs(b, ldb, rows_b, lb);
  const std::size_t w = ka + kb + 1;
  buf.alimbs.resize(rows_a * la * ka);
  buf.blimbs.resize(rows_b * lb * kb);
  buf.asign.resize(rows_a * la);
  buf.bsign.resize(rows_b * lb);
  buf.acc.resize(2 * w);
  read_limbs(a, lda, rows_a, la, ka, buf.alimbs.data(), buf.asign.data());
  read_limbs(b, ldb, rows_b, lb, kb, buf.blimbs.data(), buf.bsign.data());
  limb_t* pos = buf.acc.data();
  limb_t* neg = pos + w;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t ra = lda ? r : 0;
    const std::size_t rb = ldb ? r : 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t j = offset + k;
      const std::size_t lo = j >= lb ? j - lb + 1 : 0;
      const std::size_t hi = std::min(j, la - 1);
      std::fill(pos, pos + 2 * w, limb_t(0));
      for (std::size_t i = lo; i <= hi; ++i) {
        const std::size_t jb = reverse_b ? lb - 1 - j + i : j - i;
        const std::size_t ia = ra * la + i;
        const std::size_t ib = rb * lb + jb;
        limb_t* target = (buf.asign[ia] ^ buf.bsign[ib]) ? neg : pos;
        add_product(target, buf.alimbs.data() + ia * ka, ka, buf.blimbs.data() + ib * kb, kb);
      }
      T& o = out[r * ldo + k];
      if (compare_limbs(pos, neg, w) >= 0) {
        subtract_in_place(pos, neg, w);
        A::write(o, pos, w, false);
      } else {
        subtract_in_place(neg, pos, w);
        A::write(o, neg, w, true);
      }
    }
  }
}

template <class T>
void write_int128(T& out, int128_t v) {
  using A = integer_access<T>;
  if (v >= INT64_MIN && v <= INT64_MAX) {
    A::write_small(out, static_cast<std::int64_t>(v));
    return;
  }
  const bool neg = v < 0;
  const uint128_t m = neg ? -static_cast<uint128_t>(v) : static_cast<uint128_t>(v);
  const limb_t parts[2] = {static_cast<limb_t>(m), static_cast<limb_t>(m >> 64)};
  A::write(out, parts, 2, neg);
}

} // namespace detail

/// Exact tile convolution of unbounded integers with limb access.
template <class T>
void convolve_integer_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                           std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  using A = integer_access<T>;
  detail::integer_tile_buffers& buf = detail::tile_buffers();
  const std::size_t rows_a = lda ? rows : 1;
  const std::size_t rows_b = ldb ? rows : 1;
  buf.a64.resize(rows_a * la);
  buf.b64.resize(rows_b * lb);
  std::uint64_t or_a = 0, or_b = 0;
  const bool small = detail::read_int64(a, lda, rows_a, la, buf.a64.data(), or_a) &&
                     detail::read_int64(b, ldb, rows_b, lb, buf.b64.data(), or_b);
  const integer_width width =
      small ? choose_integer_width(detail::bit_length(or_a), detail::bit_length(or_b), std::min(la, lb))
            : integer_width::limbs;
  const std::size_t sa = lda ? la : 0;
  const std::size_t sb = ldb ? lb : 0;
  if (width == integer_width::int64) {
    buf.out64.resize(rows * n);
    detail::convolve_machine<std::int64_t>(rows, buf.a64.data(), sa, la, buf.b64.data(), sb, lb, reverse_b, offset, n,
                                           buf.out64.data());
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t k = 0; k < n; ++k) A::write_small(out[r * ldo + k], buf.out64[r * n + k]);
  } else if (width == integer_width::int128) {
    buf.a128.assign(buf.a64.begin(), buf.a64.end());
    buf.b128.assign(buf.b64.begin(), buf.b64.end());
    buf.out128.resize(rows * n);
    detail::convolve_machine<int128_t>(rows, buf.a128.data(), sa, la, buf.b128.data(), sb, lb, reverse_b, offset, n,
                                       buf.out128.data());
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t k = 0; k < n; ++k) detail::write_int128(out[r * ldo + k], buf.out128[r * n + k]);
  } else {
    detail::convolve_limbs(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
  }
}

} // namespace polybatch::kernels::exact
