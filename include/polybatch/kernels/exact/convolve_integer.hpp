// Exact convolution of unbounded integers (cpp_int, mpz_int) over a tile.
// Coefficients are read once; their magnitude bounds pick the accumulator:
// int64 when bits(a) + bits(b) + ceil(log2(terms)) <= 63 proves no partial
// sum can overflow, __int128 when that bound is <= 127, and otherwise wider
// arithmetic. Short rows are decided row by row in machine words
// (integer_words.hpp), so one large value sends only its own row to the limb
// kernel; long rows are decided per tile. Results never wrap and never pass
// through floating point.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "polybatch/core/bits.hpp"
#include "polybatch/core/static_count.hpp"
#include "polybatch/core/thread_local_address.hpp"
#include "polybatch/kernels/convolve_fixed.hpp"
#include "polybatch/kernels/convolve_generic.hpp"
#include "polybatch/kernels/exact/integer_access.hpp"
#include "polybatch/kernels/exact/integer_words.hpp"
#include "polybatch/kernels/exact/limb_carry.hpp"
#include "polybatch/kernels/exact/prefetch_rows.hpp"

namespace polybatch::kernels::exact {

enum class integer_width { int64, int128, limbs };

/// Every partial sum of at most `terms` products of values below 2^bits_a
/// and 2^bits_b is below 2^sum_bits(...) in magnitude.
inline std::size_t sum_bits(std::size_t bits_a, std::size_t bits_b, std::size_t terms) {
  return bits_a + bits_b + ceil_log2(terms);
}

/// The narrowest accumulator that provably holds every partial sum of at
/// most `terms` products of values below 2^bits_a and 2^bits_b.
inline integer_width choose_integer_width(std::size_t bits_a, std::size_t bits_b, std::size_t terms) {
  const std::size_t bound = sum_bits(bits_a, bits_b, terms);
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
  std::vector<int128> a128, b128, out128;
  std::vector<limb_t> alimbs, blimbs, acc;
  std::vector<words::wide_sum> columns;
  std::vector<unsigned char> asign, bsign;
};
inline integer_tile_buffers& tile_buffers() {
  thread_local integer_tile_buffers buffers;
  return *thread_local_address(&buffers);
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

/// v += c for a signed 128-bit c (sign-extended to 192 bits).
inline void add_carry(words::wide_sum& v, int128 c) {
  const uint128 u = static_cast<uint128>(c);
  v.low += u;
  v.high += (v.low < u ? 1 : 0) + (c < 0 ? ~limb_t(0) : 0);
}

/// x (n limbs, two's complement) -> its magnitude in place; returns whether
/// it was negative.
inline bool to_magnitude(limb_t* x, std::size_t n) {
  const bool negative = (x[n - 1] >> 63) != 0;
  if (negative) {
    limb_t c = 1;
    for (std::size_t p = 0; p < n; ++p) {
      x[p] = ~x[p] + c;
      c = (c != 0 && x[p] == 0) ? 1 : 0;
    }
  }
  return negative;
}

/// Column sums col[0, m) (signed, column p weighs 2^(64 p)) resolved into
/// m + 1 limbs of magnitude; returns whether the value is negative.
inline bool resolve_columns(const words::wide_sum* col, std::size_t m, limb_t* out) {
  int128 carry = 0;
  for (std::size_t p = 0; p < m; ++p) {
    words::wide_sum t = col[p];
    add_carry(t, carry);
    out[p] = static_cast<limb_t>(t.low);
    // t >> 64 (arithmetic): |t| < 2^190, so it fits __int128.
    carry = static_cast<int128>((t.low >> 64) | (static_cast<uint128>(t.high) << 64));
  }
  out[m] = static_cast<limb_t>(carry);
  return to_magnitude(out, m + 1);
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

/// z (2K limbs) = x * y (K limbs each), schoolbook by rows, unrolled for a
/// compile-time K.
template <std::size_t K>
void multiply_limbs(const limb_t* x, const limb_t* y, limb_t* z) {
  for (std::size_t i = 0; i < 2 * K; ++i) z[i] = 0;
  for (std::size_t u = 0; u < K; ++u) add_row_product<K>(z + u, x[u], y);
}

/// acc (M limbs, two's complement) += z or -z (z: M - 1 limbs), without a
/// branch on the sign: -z is ~z + 1, sign-extended.
template <std::size_t M>
void accumulate_signed(limb_t* acc, const limb_t* z, bool negative) {
  const limb_t mask = negative ? ~limb_t(0) : limb_t(0);
  unsigned char c = negative ? 1 : 0;
  for (std::size_t i = 0; i + 1 < M; ++i) c = add_with_carry(c, acc[i], z[i] ^ mask, acc[i]);
  acc[M - 1] += mask + c;
}

/// The limb path for values of at most K limbs (K = 2..4, up to 256 bits):
/// each term's whole product is formed by an unrolled schoolbook multiply
/// and added to, or subtracted from, a (2K + 1)-limb accumulator held in
/// registers. The column-wise loop below updates a 192-bit column in memory
/// per limb product and branches on each term's sign: 2-3x slower here.
template <std::size_t K, class T>
void convolve_limbs_fixed(std::size_t rows, const limb_t* alimbs, const unsigned char* asign, std::size_t la,
                          bool a_broadcast, const limb_t* blimbs, const unsigned char* bsign, std::size_t lb,
                          bool b_broadcast, bool reverse_b, std::size_t offset, std::size_t n, T* out,
                          std::size_t ldo) {
  using A = integer_access<T>;
  constexpr std::size_t M = 2 * K + 1;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t ra = a_broadcast ? 0 : r;
    const std::size_t rb = b_broadcast ? 0 : r;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t j = offset + k;
      const std::size_t lo = j >= lb ? j - lb + 1 : 0;
      const std::size_t hi = std::min(j, la - 1);
      limb_t acc[M] = {};
      limb_t prod[2 * K];
      for (std::size_t i = lo; i <= hi; ++i) {
        const std::size_t jb = reverse_b ? lb - 1 - j + i : j - i;
        const std::size_t ia = ra * la + i;
        const std::size_t ib = rb * lb + jb;
        multiply_limbs<K>(alimbs + ia * K, blimbs + ib * K, prod);
        accumulate_signed<M>(acc, prod, (asign[ia] ^ bsign[ib]) != 0);
      }
      const bool negative = to_magnitude(acc, M);
      A::write(out[r * ldo + k], acc, M, negative);
    }
  }
}

/// Arbitrary-width path, column by column (Comba): every limb product of
/// every term of a coefficient is added, signed, into 192-bit column sums,
/// and carries are resolved once per coefficient.
template <class T>
void convolve_limbs(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                    std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  using A = integer_access<T>;
  integer_tile_buffers& buf = tile_buffers();
  const std::size_t rows_a = lda ? rows : 1;
  const std::size_t rows_b = ldb ? rows : 1;
  std::size_t ka = max_limbs(a, lda, rows_a, la);
  std::size_t kb = max_limbs(b, ldb, rows_b, lb);
  const std::size_t k_fixed = std::max(ka, kb);
  const bool fixed_width = k_fixed >= 2 && k_fixed <= 4;
  if (fixed_width) ka = kb = k_fixed; // zero-padded to a common width
  const std::size_t m = ka + kb;
  buf.alimbs.resize(rows_a * la * ka);
  buf.blimbs.resize(rows_b * lb * kb);
  buf.asign.resize(rows_a * la);
  buf.bsign.resize(rows_b * lb);
  buf.acc.resize(m + 1);
  buf.columns.resize(m);
  read_limbs(a, lda, rows_a, la, ka, buf.alimbs.data(), buf.asign.data());
  read_limbs(b, ldb, rows_b, lb, kb, buf.blimbs.data(), buf.bsign.data());
  if (fixed_width) {
    const auto fixed = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
      convolve_limbs_fixed<K>(rows, buf.alimbs.data(), buf.asign.data(), la, lda == 0, buf.blimbs.data(),
                              buf.bsign.data(), lb, ldb == 0, reverse_b, offset, n, out, ldo);
    };
    if (k_fixed == 2) fixed(std::integral_constant<std::size_t, 2>{});
    if (k_fixed == 3) fixed(std::integral_constant<std::size_t, 3>{});
    if (k_fixed == 4) fixed(std::integral_constant<std::size_t, 4>{});
    return;
  }
  words::wide_sum* col = buf.columns.data();
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t ra = lda ? r : 0;
    const std::size_t rb = ldb ? r : 0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t j = offset + k;
      const std::size_t lo = j >= lb ? j - lb + 1 : 0;
      const std::size_t hi = std::min(j, la - 1);
      std::fill(col, col + m, words::wide_sum{0, 0});
      for (std::size_t i = lo; i <= hi; ++i) {
        const std::size_t jb = reverse_b ? lb - 1 - j + i : j - i;
        const std::size_t ia = ra * la + i;
        const std::size_t ib = rb * lb + jb;
        const bool negative = buf.asign[ia] ^ buf.bsign[ib];
        const limb_t* x = buf.alimbs.data() + ia * ka;
        const limb_t* y = buf.blimbs.data() + ib * kb;
        for (std::size_t u = 0; u < ka; ++u) {
          if (x[u] == 0) continue;
          for (std::size_t v = 0; v < kb; ++v)
            words::add_signed(col[u + v], static_cast<uint128>(x[u]) * y[v], negative);
        }
      }
      const bool negative = resolve_columns(col, m, buf.acc.data());
      A::write(out[r * ldo + k], buf.acc.data(), m + 1, negative);
    }
  }
}

template <class T>
void write_int128(T& out, int128 v) {
  using A = integer_access<T>;
  if constexpr (cpp_int_fields::applies<T>) {
    if (cpp_int_fields::layout_matches() &&
        cpp_int_fields::write_two_limbs(out, v < 0 ? -static_cast<uint128>(v) : static_cast<uint128>(v), v < 0))
      return;
  }
  if (v >= INT64_MIN && v <= INT64_MAX) {
    A::write_small(out, static_cast<std::int64_t>(v));
    return;
  }
  const bool neg = v < 0;
  const uint128 m = neg ? -static_cast<uint128>(v) : static_cast<uint128>(v);
  const limb_t parts[2] = {static_cast<limb_t>(m), static_cast<limb_t>(m >> 64)};
  A::write(out, parts, 2, neg);
}

/// Rows with la, lb <= words::max_row, one at a time: a row whose values
/// all fit one limb is computed in machine words and written in place;
/// consecutive rows that do not fit go to the limb kernel together.
template <class T>
void convolve_rows_one_by_one(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b,
                              std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n,
                              T* out, std::size_t ldo) {
  using A = integer_access<T>;
  words::row ra, rb;
  if (lda == 0) words::read_row(a, la, false, ra);
  if (ldb == 0) words::read_row(b, lb, reverse_b, rb);
  std::size_t wide_from = rows; // first row of a pending run for the limb kernel
  auto flush = [&](std::size_t end) {
    if (wide_from == rows) return;
    convolve_limbs(end - wide_from, a + wide_from * lda, lda, la, b + wide_from * ldb, ldb, lb, reverse_b, offset, n,
                   out + wide_from * ldo, ldo);
    wide_from = rows;
  };
  for (std::size_t r = 0; r < rows; ++r) {
    if (lda) words::read_row(a + r * lda, la, false, ra);
    if (ldb) words::read_row(b + r * ldb, lb, reverse_b, rb);
    if (!ra.fits || !rb.fits) {
      if (wide_from == rows) wide_from = r;
      continue;
    }
    flush(r);
    T* o = out + r * ldo;
    switch (choose_integer_width(bit_length(ra.magnitude_or), bit_length(rb.magnitude_or), std::min(la, lb))) {
    case integer_width::int64:
      for (std::size_t k = 0; k < n; ++k)
        A::write_small(o[k], words::coefficient<std::int64_t>(ra.value, la, rb.value, lb, offset + k));
      break;
    case integer_width::int128:
      for (std::size_t k = 0; k < n; ++k)
        write_int128(o[k], words::coefficient<int128>(ra.value, la, rb.value, lb, offset + k));
      break;
    case integer_width::limbs:
      for (std::size_t k = 0; k < n; ++k) words::write(o[k], words::coefficient_wide(ra, la, rb, lb, offset + k));
      break;
    }
  }
  flush(rows);
}

/// Writes acc[k][r] to out[r * ldo + k] (r < m, k < n) for integers whose
/// small values are a magnitude and a sign stored in place (mpz_int): the
/// block's magnitudes and signs are formed a register at a time, so that a
/// value is then one test and two stores (5 x 7 in cache 7% faster than
/// forming each value's magnitude and sign as it is written, 9 x 9 9%).
/// before_row(r) runs before row r is written.
template <class T, std::size_t Block, class BeforeRow>
void write_split(std::size_t m, std::size_t n, const std::int64_t (*acc)[Block], T* out, std::size_t ldo,
                 BeforeRow before_row) {
  using A = integer_access<T>;
  alignas(64) limb_t magnitude[2 * words::max_row - 1][Block];
  alignas(64) int sign[2 * words::max_row - 1][Block];
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t r = 0; r < Block; ++r) {
      magnitude[k][r] = magnitude_of(acc[k][r]);
      sign[k][r] = sign_of(acc[k][r]);
    }
  const auto write_one = [&](T & o, std::size_t k, std::size_t r) __attribute__((always_inline)) {
    if (!A::write_in_place(o, magnitude[k][r], sign[k][r])) A::write_small(o, acc[k][r]);
  };
  // Unrolled for result rows of a length known at compile time, as the
  // block reader's rows are (5 x 7 in cache: the product 8% faster).
  const bool unrolled = with_static_count<2 * words::max_unrolled_row - 1>(
      n, [&](auto length) __attribute__((always_inline)) {
        constexpr std::size_t N = decltype(length)::value;
        for (std::size_t r = 0; r < m; ++r) {
          before_row(r);
          T* o = out + r * ldo;
#pragma GCC unroll 32
          for (std::size_t k = 0; k < N; ++k) write_one(o[k], k, r);
        }
      });
  if (unrolled) return;
  for (std::size_t r = 0; r < m; ++r) {
    before_row(r);
    T* o = out + r * ldo;
    for (std::size_t k = 0; k < n; ++k) write_one(o[k], k, r);
  }
}

/// Blocks of Block rows with la, lb <= words::max_row whose values all pass
/// the int64 bound go through words::product_block; other blocks row by
/// row. `streaming`: the rows come from memory, so the next block's are
/// fetched while a block is written.
template <std::size_t Block, class T>
void convolve_blocks(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                     std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo,
                     bool streaming) {
  using A = integer_access<T>;
  std::int64_t av[words::max_row][Block], bv[words::max_row][Block], acc[2 * words::max_row - 1][Block];
  for (std::size_t r0 = 0; r0 < rows; r0 += Block) {
    const std::size_t m = std::min(Block, rows - r0);
    limb_t or_a = 0, or_b = 0;
    const bool fits = words::read_block(a + r0 * lda, lda, m, la, false, av, or_a) &&
                      words::read_block(b + r0 * ldb, ldb, m, lb, reverse_b, bv, or_b);
    const std::size_t bits_a = bit_length(or_a), bits_b = bit_length(or_b), terms = std::min(la, lb);
    if (!fits || choose_integer_width(bits_a, bits_b, terms) != integer_width::int64) {
      convolve_rows_one_by_one(m, a + r0 * lda, lda, la, b + r0 * ldb, ldb, lb, reverse_b, offset, n, out + r0 * ldo,
                               ldo);
      continue;
    }
    if (sum_bits(bits_a, bits_b, terms) <= words::double_sum_bits)
      words::product_block_double(av, la, bv, lb, offset, n, acc);
    else
      words::product_block(av, la, bv, lb, offset, n, acc);
    // While a block is written, the next block's rows are fetched: its
    // operands for reading and its results for writing (a result is read
    // before it is overwritten). Out of cache this keeps the memory busy
    // during the writes; for rows that stay in cache the hints only cost
    // instructions and L1 space, so they are left out.
    // Inlined early by force: a function whose only effect is a prefetch
    // counts as free of side effects to GCC 12, which then deleted the calls
    // to this lambda before inlining them (and with them every prefetch).
    const auto prefetch_next = [&](std::size_t r) __attribute__((always_inline)) {
      const std::size_t next = r0 + Block + r;
      if (streaming && next < rows) {
        prefetch_row(out + next * ldo, n, true);
        if (lda != 0) prefetch_row(a + next * lda, la, false);
        if (ldb != 0) prefetch_row(b + next * ldb, lb, false);
      }
    };
    if constexpr (requires(T & o) { A::write_in_place(o, limb_t{}, int{}); }) {
      write_split(m, n, acc, out + r0 * ldo, ldo, prefetch_next);
      continue;
    }
    // Rows from `from` on, one value at a time.
    // Result rows of up to 2 words::max_unrolled_row - 1 values written by
    // code unrolled for their length, as write_split writes them.
    const auto write_block = [&](auto write_one, std::size_t from) {
      const auto fixed = [&](auto length) __attribute__((always_inline)) {
        constexpr std::size_t N = decltype(length)::value;
        for (std::size_t r = from; r < m; ++r) {
          prefetch_next(r);
          T* o = out + (r0 + r) * ldo;
#pragma GCC unroll 32
          for (std::size_t k = 0; k < N; ++k) write_one(o[k], acc[k][r]);
        }
      };
      if (with_static_count<2 * words::max_unrolled_row - 1>(n, fixed)) return;
      for (std::size_t r = from; r < m; ++r) {
        prefetch_next(r);
        for (std::size_t k = 0; k < n; ++k) write_one(out[(r0 + r) * ldo + k], acc[k][r]);
      }
    };
    if constexpr (cpp_int_fields::applies<T>) {
      if (cpp_int_fields::layout_matches()) {
        // In place into one-limb inline results; Boost's accessors for
        // results left in heap storage by a once-large value.
        const auto write_one = [](T& o, std::int64_t v) {
          if (!cpp_int_fields::write_small(o, v)) A::write_small(o, v);
        };
        std::size_t written = 0;
#if defined(POLYBATCH_CPP_INT_BLOCK_IO)
        static_assert(2 * words::max_row - 1 <= cpp_int_fields::block_io::max_write);
        for (; written + 8 <= m; written += 8) {
          const auto before_row = [&](std::size_t w) __attribute__((always_inline)) { prefetch_next(written + w); };
          cpp_int_fields::block_io::write_rows(n, acc, written, out + (r0 + written) * ldo, ldo, write_one, before_row);
        }
#endif
        write_block(write_one, written);
        continue;
      }
    }
    write_block([](T& o, std::int64_t v) { A::write_small(o, v); }, 0);
  }
}

/// Short rows, in blocks: words::block rows at a time in cache, 16 or 8 from
/// memory (words::streaming_block_bytes).
template <class T>
void convolve_short_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                         std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  using A = integer_access<T>;
  // A call covers one tile of at most a few thousand rows, so whether its
  // rows come from memory is guessed from its size (cache_resident_bytes).
  // The hints fetch the objects, so they serve types whose small values
  // live inside them (cpp_int: 37 against 94 ns a row at B = 100,000, 5 x 7,
  // with and without them, in bench/ab); an mpz_int's limb is on the heap,
  // out of their reach, and for it they only cost (20-25% slower).
  if constexpr (A::small_values_inline) {
    if (rows * (la + lb + n) * sizeof(T) > cache_resident_bytes) {
      if (16 * (la + lb + n) * sizeof(T) <= words::streaming_block_bytes)
        convolve_blocks<16>(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, true);
      else
        convolve_blocks<8>(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, true);
      return;
    }
  } else {
    // Limbs on the heap (mpz_int): a small value is its handle and a
    // 32-byte heap chunk (glibc's smallest, for GMP's one limb), so a tile
    // from memory is guessed from both, from 768 KB on (tiles of 2,048 rows:
    // 3 x 4, 1.28 MB, goes in blocks of 8; 2 x 2, 688 KB, stays in blocks
    // of 32, as fast there out of cache). Such rows go in blocks of 8 rows, without
    // hints: blocks of 32 stalled on their limbs' loads (perf) and ran
    // 1.8x (3 x 4) to 2.7x (5 x 7, 9 x 9) slower at B = 100,000, blocks of
    // 16 1.2x (5 x 7) and 1.9x (9 x 9) slower than 8 (bench/ab). In cache
    // blocks of 32 stay: 8 cost 4% (9 x 9) to 28% (2 x 2) there.
    constexpr std::size_t heap_chunk_bytes = 32, heap_cache_bytes = std::size_t(3) << 18;
    if (rows * (la + lb + n) * (sizeof(T) + heap_chunk_bytes) > heap_cache_bytes) {
      convolve_blocks<8>(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, false);
      return;
    }
  }
  convolve_blocks<words::block>(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, false);
}

} // namespace detail

/// Exact tile convolution of unbounded integers with limb access.
template <class T>
void convolve_integer_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                           std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  using A = integer_access<T>;
  if (la <= words::max_row && lb <= words::max_row) {
    detail::convolve_short_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
    return;
  }
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
    detail::convolve_machine<int128>(rows, buf.a128.data(), sa, la, buf.b128.data(), sb, lb, reverse_b, offset, n,
                                     buf.out128.data());
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t k = 0; k < n; ++k) detail::write_int128(out[r * ldo + k], buf.out128[r * n + k]);
  } else {
    detail::convolve_limbs(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
  }
}

} // namespace polybatch::kernels::exact
