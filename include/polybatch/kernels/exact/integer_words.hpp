// Machine-word arithmetic for short rows of unbounded integers (cpp_int,
// mpz_int): a row is read once into 64-bit words on the stack, multiplied in
// int64, __int128 or a 192-bit two's-complement accumulator (one-limb
// operands), and written back into the existing result objects' storage.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "polybatch/core/static_count.hpp"
#include "polybatch/kernels/exact/cpp_int_block_io.hpp"
#include "polybatch/kernels/exact/cpp_int_fields.hpp"
#include "polybatch/kernels/exact/integer_access.hpp"
#include "polybatch/kernels/simd_bytes.hpp"

namespace polybatch::kernels::exact::words {

/// Longest operand row the word kernels take (rows live on the stack).
inline constexpr std::size_t max_row = 16;
/// Longest operand row whose reads, and twice that less one the longest
/// result row whose writes, are unrolled for its length: the lengths this
/// library is for (2 to 9) and no more, since each length is one more copy of
/// the code.
inline constexpr std::size_t max_unrolled_row = 9;

/// One operand row as words: signed value (meaningful when the magnitude is
/// below 2^63), magnitude, sign; `fits` says every magnitude is one limb.
struct row {
  std::int64_t value[max_row];
  limb_t magnitude[max_row];
  bool negative[max_row];
  limb_t magnitude_or;
  bool fits;
};

/// Reads len coefficients of x (in reverse order if asked) into w.
template <class T>
void read_row(const T* x, std::size_t len, bool reverse, row& w) {
  using A = integer_access<T>;
  limb_t any = 0;
  bool fits = true;
  for (std::size_t k = 0; k < len; ++k) {
    const T& v = x[reverse ? len - 1 - k : k];
    fits &= A::size(v) == 1;
    const limb_t m = static_cast<limb_t>(A::limbs(v)[0]);
    const bool neg = A::negative(v);
    any |= m;
    w.magnitude[k] = m;
    w.negative[k] = neg;
    // Modular conversion: only used when the magnitude is below 2^63.
    w.value[k] = static_cast<std::int64_t>(neg ? limb_t(0) - m : m);
  }
  w.magnitude_or = any;
  w.fits = fits;
}

/// Full product coefficient k of a and b in I (the caller has proved that
/// no partial sum leaves I). One register sum per coefficient: a vectorised
/// scatter into an array of sums stalls on store forwarding at these lengths.
template <class I>
I coefficient(const std::int64_t* a, std::size_t la, const std::int64_t* b, std::size_t lb, std::size_t k) {
  const std::size_t lo = k >= lb ? k - lb + 1 : 0;
  const std::size_t hi = k < la ? k : la - 1;
  I s = 0;
  for (std::size_t i = lo; i <= hi; ++i) s += static_cast<I>(a[i]) * static_cast<I>(b[k - i]);
  return s;
}

/// Rows per block of the common small case: every value of the block is
/// read into int64 lanes (coefficient-major, so the products vectorise
/// across rows with no dependency between lanes).
inline constexpr std::size_t block = 32;
using lanes = std::int64_t[block];
/// The most bytes of objects (operands and results) a block of a tile that
/// streams from memory holds: its next block's rows are fetched while a
/// block is written, and both should stay in the L1 cache. With blocks of 32
/// rows (70 KB of 5 x 7 cpp_int rows for the two) cpp_int at B = 100,000 ran
/// 15-20% slower than with 16 (12 KB a block); 9 x 9 rows (35 KB a block of
/// 32) ran fastest in blocks of 8 (9 KB), where 5 x 7 rows lost 7%.
inline constexpr std::size_t streaming_block_bytes = std::size_t(12) << 10;

#if defined(__AVX512F__)
/// read_block through cpp_int's fields with AVX-512 gathers: for each
/// coefficient, eight rows' limbs and state words at once (two gathers),
/// tested, negated and stored as one register into v[k] (the layout the
/// products read). A scalar read costs two loads, a test, a selection and a
/// strided store per value, about half of a 5 x 7 product's time in cache.
/// Rows past nrows are masked off (no memory is touched for them) and read
/// as zero.
template <class T, std::size_t Block>
bool read_block_gathered(const T* x, std::size_t ld, std::size_t nrows, std::size_t len, bool reverse,
                         std::int64_t (*v)[Block], limb_t& magnitude_or) {
  static_assert(Block % 8 == 0);
  const char* base = reinterpret_cast<const char*>(x);
  const cpp_int_fields::block_io::constants c;
  __m512i any = c.zero;
  __mmask8 bad = 0;
  for (std::size_t r0 = 0; r0 < Block; r0 += 8) {
    const std::size_t live_rows = nrows > r0 ? std::min<std::size_t>(nrows - r0, 8) : 0;
    const auto live = static_cast<__mmask8>((1u << live_rows) - 1);
    alignas(64) long long offsets[8];
    for (std::size_t w = 0; w < 8; ++w) offsets[w] = static_cast<long long>((r0 + w) * ld * sizeof(T));
    const __m512i index = _mm512_load_si512(offsets);
    for (std::size_t k = 0; k < len; ++k)
      cpp_int_fields::block_io::gather_column(base + (reverse ? len - 1 - k : k) * sizeof(T), index, live, c, v[k] + r0,
                                              any, bad);
  }
  magnitude_or = static_cast<limb_t>(_mm512_reduce_or_epi64(any));
  return bad == 0;
}
#endif

/// value(x[r * ld + k'], v[k][r]) for every row r < nrows and value k < len
/// (k' = k, or len - 1 - k with `reverse`), then the lanes past nrows set to
/// zero (they take part in the products). Forward rows of up to
/// max_unrolled_row values run in straight code for their length, each
/// value at a fixed offset from its row and its lane (mpz_int 5 x 7 in
/// cache: the whole product 14% faster than the loop). Over a run-time
/// length the loop stays rolled: unrolled, GCC 12 ran out of registers and
/// spilled the lane pointers (20% slower). Rows read backwards (a
/// correlation's) loop too: one more copy of the code for every length, for
/// the rarer case. `Unroll` false: the loop only.
template <bool Unroll, class T, std::size_t Block, class Value>
[[gnu::always_inline]] inline void visit_block(const T* x, std::size_t ld, std::size_t nrows, std::size_t len,
                                               bool reverse, std::int64_t (*v)[Block], Value&& value) {
  const auto fixed = [&](auto length) __attribute__((always_inline)) {
    constexpr std::size_t Len = decltype(length)::value;
    for (std::size_t r = 0; r < nrows; ++r) {
      const T* row = x + r * ld;
#pragma GCC unroll 16
      for (std::size_t k = 0; k < Len; ++k) value(row[k], v[k][r]);
    }
  };
  bool unrolled = false;
  if constexpr (Unroll) unrolled = !reverse && with_static_count<max_unrolled_row>(len, fixed);
  if (!unrolled)
    for (std::size_t r = 0; r < nrows; ++r) {
      const T* row = x + r * ld;
#pragma GCC unroll 1
      for (std::size_t k = 0; k < len; ++k) value(row[reverse ? len - 1 - k : k], v[k][r]);
    }
  for (std::size_t k = 0; k < len; ++k)
    for (std::size_t r = nrows; r < Block; ++r) v[k][r] = 0;
}

/// Reads rows [0, nrows) of x (ld = 0: one row, repeated) into v[k][row];
/// false if a value needs more than 63 bits. `magnitude_or`
/// collects the OR of the magnitudes read.
template <class T, std::size_t Block>
bool read_block(const T* x, std::size_t ld, std::size_t nrows, std::size_t len, bool reverse, std::int64_t (*v)[Block],
                limb_t& magnitude_or) {
  // One loop, instantiated for each way of reading a value: cpp_int's
  // fields when the layout probe passed, the limb accessors otherwise.
  // `unroll`: forward rows unrolled for their length (visit_block), for the
  // common way of reading only.
  const auto scan = [&](auto read_one, auto unroll) {
    limb_t any = 0;
    bool fits = true;
    visit_block<decltype(unroll)::value>(
        x, ld, nrows, len, reverse, v, [&](const T& value, std::int64_t& lane) __attribute__((always_inline)) {
          limb_t m;
          fits &= read_one(value, lane, m);
          any |= m;
        });
    magnitude_or = any;
    return fits;
  };
  if constexpr (requires(const T& x, std::int64_t& v, limb_t& m) { integer_access<T>::read_lane(x, v, m); }) {
    // The fits test is folded into words ORed over the block, so the common
    // path has no branch but the zero test (mpz_int 5 x 7 in cache: 12%
    // faster than the scan below). Its own loop: through `scan` with the
    // fits flag replaced by the same ORed word, GCC 12 compiled it 8-10%
    // slower, and the field reader of cpp_int without AVX-512 gained in one
    // harness and lost in another.
    limb_t any = 0;
    std::uint64_t sizes = 0;
    visit_block<true>(
        x, ld, nrows, len, reverse, v, [&](const T& value, std::int64_t& lane) __attribute__((always_inline)) {
          limb_t m;
          sizes |= integer_access<T>::read_lane(value, lane, m);
          any |= m;
        });
    magnitude_or = any;
    return sizes <= 1 && (any >> 63) == 0;
  }
  if constexpr (cpp_int_fields::applies<T>) {
    if (cpp_int_fields::layout_matches()) {
#if defined(POLYBATCH_CPP_INT_BLOCK_IO)
      // Whole-register loads where rows are apart (the gathers serve a
      // broadcast row and reversed rows of more than eight values).
      if (ld != 0 && len <= cpp_int_fields::block_io::max_read && (!reverse || len <= 8))
        return cpp_int_fields::block_io::read_columns(x, ld, nrows, len, reverse, v, magnitude_or);
#endif
#if defined(__AVX512F__)
      return read_block_gathered(x, ld, nrows, len, reverse, v, magnitude_or);
#else
      return scan([](const T& value, std::int64_t& v, limb_t& m) { return cpp_int_fields::read_small(value, v, m); },
                  std::true_type{});
#endif
    }
  }
  return scan(
      [](const T& value, std::int64_t& v, limb_t& m) {
        using A = integer_access<T>;
        m = static_cast<limb_t>(A::limbs(value)[0]);
        v = static_cast<std::int64_t>(A::negative(value) ? limb_t(0) - m : m); // modular; used if it fits
        return A::size(value) == 1 && (m >> 63) == 0;
      },
      std::false_type{});
}

/// acc[k][row] = full product coefficient offset + k (k < n) of each row,
/// in int64 (the caller has proved that no partial sum overflows).
template <std::size_t Block>
void product_block(const std::int64_t (*a)[Block], std::size_t la, const std::int64_t (*b)[Block], std::size_t lb,
                   std::size_t offset, std::size_t n, std::int64_t (*acc)[Block]) {
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t r = 0; r < Block; ++r) acc[k][r] = 0;
  for (std::size_t i = 0; i < la; ++i)
    for (std::size_t j = 0; j < lb; ++j) {
      if (i + j < offset || i + j >= offset + n) continue;
      std::int64_t* out = acc[i + j - offset];
      for (std::size_t r = 0; r < Block; ++r) out[r] += a[i][r] * b[j][r];
    }
}

/// Largest bit length of the partial sums product_block_double takes:
/// every product and partial sum is then an integer below 2^51, which
/// double arithmetic represents and adds exactly, and the conversions
/// below are exact.
inline constexpr std::size_t double_sum_bits = 51;

/// product_block for blocks whose partial sums are below 2^double_sum_bits
/// in magnitude, in double arithmetic. Where int64 multiplication has no
/// vector instruction (AVX2, SSE2) it is emulated with three 32-bit ones,
/// and this is about three times faster on AVX2 (the int64 and double
/// conversions are a magic-number addition, which vectorises too); the sums
/// stay in registers and are stored once per coefficient.
template <std::size_t Block>
void product_block_double(const std::int64_t (*a)[Block], std::size_t la, const std::int64_t (*b)[Block],
                          std::size_t lb, std::size_t offset, std::size_t n, std::int64_t (*acc)[Block]) {
  typedef double vec __attribute__((vector_size(simd_bytes)));
  typedef std::int64_t ivec __attribute__((vector_size(simd_bytes)));
  constexpr std::size_t width = sizeof(vec) / sizeof(double);
  constexpr std::size_t nv = Block / width;
  static_assert(Block % width == 0);
  // 1.5 * 2^52: adding it to an integer |x| < 2^51 leaves x in the low
  // mantissa bits of the sum, so its bit pattern minus the constant's is x.
  constexpr double magic = 6755399441055744.0;
  constexpr std::int64_t magic_bits = 0x4338000000000000;
  double ad[max_row][Block], bd[max_row][Block];
  const auto to_double = [](const std::int64_t(*v)[Block], std::size_t len, double(*d)[Block]) {
    for (std::size_t k = 0; k < len; ++k)
      for (std::size_t r = 0; r < Block; ++r) d[k][r] = std::bit_cast<double>(v[k][r] + magic_bits) - magic;
  };
  to_double(a, la, ad);
  to_double(b, lb, bd);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t c = k + offset;
    const std::size_t lo = c >= lb ? c - lb + 1 : 0;
    const std::size_t hi = std::min(c + 1, la);
    vec s[nv] = {};
    for (std::size_t i = lo; i < hi; ++i)
      for (std::size_t v = 0; v < nv; ++v) {
        vec x, y;
        std::memcpy(&x, &ad[i][v * width], sizeof(vec));
        std::memcpy(&y, &bd[c - i][v * width], sizeof(vec));
        s[v] += x * y;
      }
    for (std::size_t v = 0; v < nv; ++v) {
      const vec shifted = s[v] + magic;
      ivec q;
      std::memcpy(&q, &shifted, sizeof(vec));
      q -= magic_bits;
      std::memcpy(&acc[k][v * width], &q, sizeof(vec));
    }
  }
}

/// A signed 192-bit accumulator in two's complement: sums of at most 2^63
/// products of one-limb magnitudes never overflow it.
struct wide_sum {
  uint128 low;
  limb_t high;
};

inline void add_signed(wide_sum& s, uint128 p, bool negative) {
  if (negative) {
    s.high -= s.low < p;
    s.low -= p;
  } else {
    s.low += p;
    s.high += s.low < p;
  }
}

/// Full product coefficient k of one-limb rows a and b.
inline wide_sum coefficient_wide(const row& a, std::size_t la, const row& b, std::size_t lb, std::size_t k) {
  const std::size_t lo = k >= lb ? k - lb + 1 : 0;
  const std::size_t hi = k < la ? k : la - 1;
  wide_sum s{0, 0};
  for (std::size_t i = lo; i <= hi; ++i)
    add_signed(s, static_cast<uint128>(a.magnitude[i]) * b.magnitude[k - i], a.negative[i] != b.negative[k - i]);
  return s;
}

/// out = v, written into out's existing storage.
template <class T>
void write(T& out, const wide_sum& v) {
  const bool negative = (v.high >> 63) != 0;
  uint128 low = v.low;
  limb_t high = v.high;
  if (negative) { // magnitude = -v in 192 bits
    low = ~low + 1;
    high = ~high + (low == 0 ? 1 : 0);
  }
  const limb_t limbs[3] = {static_cast<limb_t>(low), static_cast<limb_t>(low >> 64), high};
  if (limbs[1] == 0 && limbs[2] == 0 && (limbs[0] >> 63) == 0) {
    const std::int64_t m = static_cast<std::int64_t>(limbs[0]);
    integer_access<T>::write_small(out, negative ? -m : m);
    return;
  }
  integer_access<T>::write(out, limbs, 3, negative);
}

} // namespace polybatch::kernels::exact::words
