// Blocks of small cpp_int values read and written with whole-register loads
// and stores (AVX-512). The word kernels keep a block's values
// coefficient-major (value k of 8 rows in one register) while the objects
// lie row-major, 32 bytes apart. Gathering each register's eight limbs and
// eight state words cost about 13 cycles a gather on Zen 5 (3 gathers a 5 x 7
// row: 42% of its time in cache), and gathers do not train the hardware
// prefetcher; writing one value at a time, 11 loads, tests and pairs of
// stores a row, was most of the rest. Here a row's objects are loaded 64 bytes
// (two objects) at a time, their limbs and states packed by permutes, and
// eight rows turned into eight coefficients by a register transpose; writes
// run the same way backwards, two objects a store, under a byte mask that
// touches only each object's limb, count, sign, inline and alias bytes.
// Layout as in cpp_int_fields.hpp (layout_matches() must hold). The gathered
// column (AVX-512F) serves the gathered block reader of integer_words.hpp
// too.
#pragma once

#if defined(__AVX512F__)
#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "polybatch/kernels/exact/cpp_int_fields.hpp"

namespace polybatch::kernels::exact::cpp_int_fields::block_io {

/// The registers every direction shares.
struct constants {
  __m512i zero = _mm512_setzero_si512();
  __m512i state_bits = _mm512_set1_epi64(static_cast<long long>(state_mask & ~sign_bit));
  __m512i one_limb = _mm512_set1_epi64(static_cast<long long>(one_limb_state));
  __m512i sign = _mm512_set1_epi64(static_cast<long long>(sign_bit));
};

/// One value of eight rows (byte offsets `offsets` from `at`, the value's
/// object in row 0), gathered: limbs and state words of the `live` rows,
/// tested (`bad` collects values that are not one-limb inline values below
/// 2^63), negated where negative and stored into dst[0 .. 8); rows not live
/// read as zero and touch no memory. `any` collects the magnitudes' OR.
[[gnu::always_inline]] inline void gather_column(const char* at, const __m512i& offsets, __mmask8 live,
                                                 const constants& c, std::int64_t* dst, __m512i& any, __mmask8& bad) {
  const __m512i limb = _mm512_mask_i64gather_epi64(c.zero, live, offsets, at + limb_offset, 1);
  const __m512i state = _mm512_mask_i64gather_epi64(c.one_limb, live, offsets, at + count_offset, 1);
  bad |= _mm512_cmpneq_epi64_mask(_mm512_and_si512(state, c.state_bits), c.one_limb);
  bad |= _mm512_cmplt_epi64_mask(limb, c.zero); // 2^63 or more (also caught by the width choice)
  const __mmask8 negative = _mm512_test_epi64_mask(state, c.sign);
  _mm512_storeu_si512(dst, _mm512_mask_sub_epi64(limb, negative, c.zero, limb));
  any = _mm512_or_si512(any, limb);
}

} // namespace polybatch::kernels::exact::cpp_int_fields::block_io

#if defined(__AVX512BW__)
#define POLYBATCH_CPP_INT_BLOCK_IO 1

namespace polybatch::kernels::exact::cpp_int_fields::block_io {

/// Most values a row may have: read_columns takes two registers of eight a
/// row, write_rows four.
inline constexpr std::size_t max_read = 16;
inline constexpr std::size_t max_write = 32;

namespace detail {

[[gnu::always_inline]] inline __m512i index(long long e0, long long e1, long long e2, long long e3, long long e4,
                                            long long e5, long long e6, long long e7) {
  return _mm512_set_epi64(e7, e6, e5, e4, e3, e2, e1, e0);
}

/// r[0..8) rows of eight 64-bit lanes become c[k] = (r[0][k], ..., r[7][k]).
[[gnu::always_inline]] inline void transpose8(const __m512i* r, __m512i* c) {
  __m512i t[8], u[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = _mm512_unpacklo_epi64(r[2 * i], r[2 * i + 1]);     // lanes 0,2,4,6 of rows 2i, 2i+1
    t[2 * i + 1] = _mm512_unpackhi_epi64(r[2 * i], r[2 * i + 1]); // lanes 1,3,5,7
  }
  const __m512i even = index(0, 1, 8, 9, 4, 5, 12, 13), odd = index(2, 3, 10, 11, 6, 7, 14, 15);
  for (int h = 0; h < 2; ++h) {   // rows 0-3, rows 4-7
    for (int p = 0; p < 2; ++p) { // from lanes 0,2,.. / 1,3,..
      const __m512i x = t[4 * h + p], y = t[4 * h + 2 + p];
      u[4 * h + 2 * p] = _mm512_permutex2var_epi64(x, even, y);    // lanes p, 4 + p of four rows
      u[4 * h + 2 * p + 1] = _mm512_permutex2var_epi64(x, odd, y); // lanes 2 + p, 6 + p
    }
  }
  const __m512i low = index(0, 1, 2, 3, 8, 9, 10, 11), high = index(4, 5, 6, 7, 12, 13, 14, 15);
  // u[q] (rows 0-3) and u[4 + q] (rows 4-7) hold lanes k and k + 4.
  constexpr int lane_of[4] = {0, 2, 1, 3};
  for (int q = 0; q < 4; ++q) {
    c[lane_of[q]] = _mm512_permutex2var_epi64(u[q], low, u[4 + q]);
    c[lane_of[q] + 4] = _mm512_permutex2var_epi64(u[q], high, u[4 + q]);
  }
}

/// Bits of the qwords holding an object's limb (qword 0) and state (qword 2)
/// in a 64-byte load of two objects.
[[gnu::always_inline]] inline __mmask8 load_mask(std::size_t objects) {
  return static_cast<__mmask8>(objects >= 2 ? 0x55 : objects == 1 ? 0x05 : 0);
}

/// Eight rows' values 8 g .. 8 g + Values of x into v[8 g + k][r0 ..
/// r0 + 8); rows from `live` on read as zero.
template <std::size_t Values, class T, std::size_t Block>
[[gnu::always_inline]] inline void read_group(const T* x, std::size_t ld, std::size_t r0, std::size_t live,
                                              std::size_t g, bool reverse, const __m512i& reversed, const constants& c,
                                              std::int64_t (*v)[Block], __m512i& any, __mmask8& bad) {
  // Limbs and states of objects 0-3 from two loads, then of 0-7 from two such.
  const __m512i pack = index(0, 4, 8, 12, 2, 6, 10, 14);
  const __m512i limbs_of = index(0, 1, 2, 3, 8, 9, 10, 11);
  const __m512i states_of = index(4, 5, 6, 7, 12, 13, 14, 15);
  constexpr auto lanes = static_cast<__mmask8>((1u << Values) - 1);
  if constexpr (Values == 1) {
    // One value a row (the last of nine, say): two gathers are cheaper than
    // a transpose that keeps one column of eight.
    const auto live_rows = static_cast<__mmask8>(live >= 8 ? 0xff : (1u << live) - 1);
    const auto stride = static_cast<long long>(ld * sizeof(T)), first = static_cast<long long>(r0) * stride;
    const __m512i offsets = index(first, first + stride, first + 2 * stride, first + 3 * stride, first + 4 * stride,
                                  first + 5 * stride, first + 6 * stride, first + 7 * stride);
    gather_column(reinterpret_cast<const char*>(x + 8 * g), offsets, live_rows, c, v[8 * g] + r0, any, bad);
    return;
  }
  __m512i rows[8], columns[8];
  for (std::size_t w = 0; w < 8; ++w) {
    if (w >= live) {
      rows[w] = c.zero;
      continue;
    }
    const auto* objects = reinterpret_cast<const long long*>(x + (r0 + w) * ld + 8 * g);
    __m512i two[4];
    for (std::size_t j = 0; j < 4; ++j)
      two[j] = 2 * j < Values ? _mm512_maskz_loadu_epi64(load_mask(Values - 2 * j), objects + 8 * j) : c.zero;
    const __m512i first = _mm512_permutex2var_epi64(two[0], pack, two[1]);
    const __m512i second = Values > 4 ? _mm512_permutex2var_epi64(two[2], pack, two[3]) : c.zero;
    const __m512i limb = _mm512_permutex2var_epi64(first, limbs_of, second);
    const __m512i state = _mm512_permutex2var_epi64(first, states_of, second);
    bad |= _mm512_mask_cmpneq_epi64_mask(lanes, _mm512_and_si512(state, c.state_bits), c.one_limb);
    bad |= _mm512_mask_cmplt_epi64_mask(lanes, limb, c.zero); // 2^63 or more
    any = _mm512_or_si512(any, limb);
    const __m512i value = _mm512_mask_sub_epi64(limb, _mm512_test_epi64_mask(state, c.sign), c.zero, limb);
    rows[w] = reverse ? _mm512_permutexvar_epi64(reversed, value) : value;
  }
  transpose8(rows, columns);
  for (std::size_t k = 0; k < Values; ++k) _mm512_storeu_si512(v[8 * g + k] + r0, columns[k]);
}

/// Rows r0 .. r0 + 8 of acc's coefficients 8 g .. 8 g + Values into out
/// (row r0's first result at out[0]).
template <std::size_t Values, class T, std::size_t Block, class Fallback, class BeforeRow>
[[gnu::always_inline]] inline void write_group(const std::int64_t (*acc)[Block], std::size_t r0, std::size_t g, T* out,
                                               std::size_t ldo, const constants& c, Fallback& fallback,
                                               BeforeRow& before_row) {
  // The limb (bytes 0-7) and the count, sign, inline and alias bytes
  // (16-22) of each object; byte 23 and the rest are left alone.
  constexpr __mmask64 one_object = 0x007F00FFULL;
  constexpr __mmask64 two_objects = one_object | one_object << 32;
  __m512i columns[8], rows[8];
  for (std::size_t k = 0; k < 8; ++k) columns[k] = k < Values ? _mm512_loadu_si512(acc[8 * g + k] + r0) : c.zero;
  transpose8(columns, rows);
  for (std::size_t w = 0; w < 8; ++w) {
    if (g == 0) before_row(w);
    auto* objects = reinterpret_cast<long long*>(out + w * ldo + 8 * g);
    // Every result of the row in this group must be a one-limb inline value.
    __mmask8 bad = 0;
    for (std::size_t j = 0; 2 * j < Values; ++j) {
      const __mmask8 states = load_mask(Values - 2 * j) & 0x44;
      const __m512i two = _mm512_maskz_loadu_epi64(states, objects + 8 * j);
      bad |= _mm512_mask_cmpneq_epi64_mask(states, _mm512_and_si512(two, c.state_bits), c.one_limb);
    }
    if (bad != 0) {
      for (std::size_t k = 0; k < Values; ++k) fallback(out[w * ldo + 8 * g + k], acc[8 * g + k][r0 + w]);
      continue;
    }
    const __m512i value = rows[w];
    const __m512i magnitude = _mm512_abs_epi64(value);
    const __m512i state = _mm512_mask_or_epi64(c.one_limb, _mm512_cmplt_epi64_mask(value, c.zero), c.one_limb, c.sign);
    for (std::size_t j = 0; 2 * j < Values; ++j) {
      const auto e = static_cast<long long>(2 * j);
      const __m512i spread = index(e, e, 8 + e, 8 + e, e + 1, e + 1, 9 + e, 9 + e);
      _mm512_mask_storeu_epi8(objects + 8 * j, Values - 2 * j >= 2 ? two_objects : one_object,
                              _mm512_permutex2var_epi64(magnitude, spread, state));
    }
  }
}

/// f(std::integral_constant<std::size_t, values>) for values in 1 .. 8.
template <class F>
[[gnu::always_inline]] inline void with_values(std::size_t values, F&& f) {
  switch (values) {
  case 1:
    return f(std::integral_constant<std::size_t, 1>{});
  case 2:
    return f(std::integral_constant<std::size_t, 2>{});
  case 3:
    return f(std::integral_constant<std::size_t, 3>{});
  case 4:
    return f(std::integral_constant<std::size_t, 4>{});
  case 5:
    return f(std::integral_constant<std::size_t, 5>{});
  case 6:
    return f(std::integral_constant<std::size_t, 6>{});
  case 7:
    return f(std::integral_constant<std::size_t, 7>{});
  default:
    return f(std::integral_constant<std::size_t, 8>{});
  }
}

} // namespace detail

/// Reads rows [0, nrows) of x (row stride ld > 0, len <= max_read values,
/// reversed if asked, which needs len <= 8) into v[k][0 .. Block): rows past
/// nrows read as zero. Returns whether every value is a one-limb inline
/// value below 2^63; `magnitude_or` is the OR of the magnitudes.
template <class T, std::size_t Block>
bool read_columns(const T* x, std::size_t ld, std::size_t nrows, std::size_t len, bool reverse,
                  std::int64_t (*v)[Block], std::uint64_t& magnitude_or) {
  static_assert(sizeof(T) == 32 && Block % 8 == 0);
  const constants c;
  const long long last = static_cast<long long>(len) - 1;
  const __m512i reversed = detail::index(last, last - 1, last - 2, last - 3, last - 4, last - 5, last - 6, last - 7);
  __m512i any = c.zero;
  __mmask8 bad = 0;
  for (std::size_t g = 0; 8 * g < len; ++g)
    detail::with_values(
        len - 8 * g, [&](auto values) __attribute__((always_inline)) {
          for (std::size_t r0 = 0; r0 < Block; r0 += 8) {
            const std::size_t live = nrows > r0 ? nrows - r0 : 0;
            detail::read_group<values()>(x, ld, r0, live, g, reverse, reversed, c, v, any, bad);
          }
        });
  // Not _mm512_reduce_or_epi64: inlined here, g++ 12 warns that its
  // undefined upper half is used uninitialised.
  alignas(64) std::uint64_t lanes[8];
  _mm512_store_si512(lanes, any);
  magnitude_or = lanes[0] | lanes[1] | lanes[2] | lanes[3] | lanes[4] | lanes[5] | lanes[6] | lanes[7];
  return bad == 0;
}

/// Writes acc[k][r0 + w] (k < n <= max_write, w < 8) into out[w * ldo + k],
/// in place where a result is a one-limb inline value (the usual state of a
/// result written before), through `fallback(object, value)` where it is
/// not. before_row(w) runs before row w is written.
template <class T, std::size_t Block, class Fallback, class BeforeRow>
void write_rows(std::size_t n, const std::int64_t (*acc)[Block], std::size_t r0, T* out, std::size_t ldo,
                Fallback fallback, BeforeRow before_row) {
  static_assert(sizeof(T) == 32 && Block % 8 == 0);
  const constants c;
  for (std::size_t g = 0; 8 * g < n; ++g)
    detail::with_values(
        n - 8 * g, [&](auto values) __attribute__((always_inline)) {
          detail::write_group<values()>(acc, r0, g, out, ldo, c, fallback, before_row);
        });
}

} // namespace polybatch::kernels::exact::cpp_int_fields::block_io

#endif // __AVX512BW__
#endif // __AVX512F__
