// Sums, differences and derivatives of arbitrary-precision integer rows whose
// values are small: each pair of values is read as int64, combined with an
// overflow check and written back as a word; the type's own arithmetic takes
// any coefficient whose operands or result do not fit. One loop for every
// integer backend, so that cpp_int and mpz_int cannot drift apart in the
// rules (zero past the end of `a`, in-place sums, the overflow fallbacks).
//
// `Words` is the backend's access policy:
//   static bool read(const T& x, std::int64_t& v)  x as int64 if it fits, else false (v set either way)
//   static bool write(T& out, std::int64_t v)      store v in out, or false if it cannot be stored as a word
//   static constexpr bool values_inline            (optional) a small value's words lie inside its object
//                                                  (cpp_int), so rows from memory are prefetched ahead
// Aliasing: for sums `out` may be exactly x or y (each value is read before
// it is written); for derivatives `out` must not overlap `a`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "polybatch/core/static_count.hpp"
#include "polybatch/kernels/exact/prefetch_rows.hpp"

namespace polybatch::kernels::exact::small_int_words {

/// Longest row whose sums are unrolled for its length (the lengths this
/// library is for and their products').
inline constexpr std::size_t max_unrolled_sum = 17;

/// The type's own arithmetic, out of line: inlined into the word loops, it
/// took the registers of their pointers and bounds, which then lived on the
/// stack.
template <bool Subtract, class T>
[[gnu::noinline, gnu::cold]] void add_wide(T& o, const T& x, const T& y) {
  if constexpr (Subtract)
    o = x - y;
  else
    o = x + y;
}

/// Whether a small value's words lie inside its object (the policy's
/// optional values_inline), so that hints fetch them: an mpz_int's limb is
/// on the heap, out of a hint's reach.
template <class Words>
inline constexpr bool values_inline = requires {
  requires Words::values_inline;
};

/// Rows a streaming loop fetches ahead: none in cache, where hints only cost
/// instructions, and for values a hint does not reach.
template <class Words, class T>
std::size_t rows_ahead(std::size_t rows, std::size_t row_objects, std::size_t stream_objects) {
  if constexpr (values_inline<Words>)
    return rows * row_objects * sizeof(T) > elementwise_cache_resident_bytes
               ? prefetch_ahead_rows(stream_objects * sizeof(T))
               : 0;
  else
    return 0;
}

/// Rows `ahead` rows on (a whole row of each stream: operands of NX and NY
/// values, row strides ldx and ldy, 0 for a broadcast row, which is in cache
/// already; results of NO values) brought in while a row is worked on:
/// without hints, sums of cpp_int rows from memory ran at 2.05x (5 values)
/// and 1.57x (9) a copy of their bytes on an Intel Xeon, each row's loads
/// starting only in its turn (bench/ab, B = 100,000).
template <std::size_t NX, std::size_t NY, std::size_t NO, class T>
[[gnu::always_inline]] inline void prefetch_next(const T* x, std::size_t ldx, const T* y, std::size_t ldy, T* out,
                                                 std::size_t ldo, std::size_t ahead) {
  if (ldx != 0) prefetch_values<NX>(x + ahead * ldx, false);
  if (ldy != 0) prefetch_values<NY>(y + ahead * ldy, false);
  prefetch_values<NO>(out + ahead * ldo, true);
}

/// o = xv + yv (or xv - yv) in words, or by the type's own arithmetic.
template <bool Subtract, class Words, class T>
[[gnu::always_inline]] inline void add_one(const T& xv, const T& yv, T& o) {
  std::int64_t a = 0, b = 0, s = 0;
  const bool small_x = Words::read(xv, a); // both read: a and b are always set
  const bool small_y = Words::read(yv, b);
  const bool overflow = Subtract ? __builtin_sub_overflow(a, b, &s) : __builtin_add_overflow(a, b, &s);
  if (small_x && small_y && !overflow && Words::write(o, s)) [[likely]]
    return;
  add_wide<Subtract>(o, xv, yv);
}

/// add_prefix's rows of N values from memory: each row but the last `ahead`
/// fetches the row `ahead` on. Out of line, so that the loop for rows in
/// cache stays as it was: the three loops inlined into one body made sums
/// in cache 1.6x slower (g++ 12).
template <bool Subtract, class Words, std::size_t N, class T>
[[gnu::noinline]] void add_rows_fetching(std::size_t rows, std::size_t ahead, const T* x, std::size_t ldx, const T* y,
                                         std::size_t ldy, T* out, std::size_t ldo) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * ldx;
    const T* yr = y + r * ldy;
    T* o = out + r * ldo;
    if (r + ahead < rows) prefetch_next<N, N, N>(xr, ldx, yr, ldy, o, ldo, ahead);
#pragma GCC unroll 32
    for (std::size_t k = 0; k < N; ++k) add_one<Subtract, Words>(xr[k], yr[k], o[k]);
  }
}

template <bool Subtract, class Words, class T>
void add_prefix(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, const T* y, std::size_t ldy, T* out,
                std::size_t ldo) {
  const auto fixed = [&](auto length) __attribute__((always_inline)) {
    constexpr std::size_t N = decltype(length)::value;
    if constexpr (values_inline<Words>) {
      if (const std::size_t ahead = rows_ahead<Words, T>(rows, 3 * N, N); ahead != 0) {
        add_rows_fetching<Subtract, Words, N>(rows, ahead, x, ldx, y, ldy, out, ldo);
        return;
      }
    }
    for (std::size_t r = 0; r < rows; ++r) {
      const T* xr = x + r * ldx;
      const T* yr = y + r * ldy;
      T* o = out + r * ldo;
#pragma GCC unroll 32
      for (std::size_t k = 0; k < N; ++k) add_one<Subtract, Words>(xr[k], yr[k], o[k]);
    }
  };
  if (with_static_count<max_unrolled_sum>(n, fixed)) return;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * ldx;
    const T* yr = y + r * ldy;
    T* o = out + r * ldo;
    for (std::size_t k = 0; k < n; ++k) add_one<Subtract, Words>(xr[k], yr[k], o[k]);
  }
}

/// The type's own arithmetic for one derivative coefficient, out of line.
template <class T>
[[gnu::noinline, gnu::cold]] void derivative_wide(T& o, const T& a, std::size_t factor) {
  o = a;
  o *= static_cast<unsigned long>(factor);
}

/// o = factor av in words, or by the type's own arithmetic.
template <class Words, class T>
[[gnu::always_inline]] inline void derive_one(const T& av, std::size_t factor, T& o) {
  std::int64_t v = 0, d = 0;
  const bool small = Words::read(av, v);
  const bool overflow = __builtin_mul_overflow(v, static_cast<std::int64_t>(factor), &d);
  if (small && !overflow && Words::write(o, d)) [[likely]]
    return;
  derivative_wide(o, av, factor);
}

/// out[k] = 0 for inside <= k < n.
template <class Words, class T>
void write_zeros(T* out, std::size_t inside, std::size_t n) {
  for (std::size_t k = inside; k < n; ++k)
    if (!Words::write(out[k], 0)) out[k] = T(0);
}

/// derivative_rows' rows of N values taken from memory: each row but the
/// last `ahead` fetches a's values 1 .. N and the results that take them
/// in the row `ahead` on (out of line, as add_rows_fetching).
template <class Words, std::size_t N, class T>
[[gnu::noinline]] void derive_rows_fetching(std::size_t rows, std::size_t ahead, std::size_t n, const T* a,
                                            std::size_t lda, T* out, std::size_t ldo) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    T* o = out + r * ldo;
    if (r + ahead < rows) prefetch_next<N, 0, N>(ar + 1, lda, ar, 0, o, ldo, ahead);
#pragma GCC unroll 32
    for (std::size_t k = 0; k < N; ++k) derive_one<Words>(ar[k + 1], k + 1, o[k]);
    if (N < n) write_zeros<Words>(o, N, n);
  }
}

/// out[k] = (k + 1) a[k + 1] for k < n; coefficients at or past `na` are zero.
template <class Words, class T>
void derivative_rows(std::size_t rows, std::size_t n, const T* a, std::size_t lda, std::size_t na, T* out,
                     std::size_t ldo) {
  // Coefficients past `na` are zero; those before it take a value each.
  const std::size_t inside = std::min(n, na > 0 ? na - 1 : 0);
  const auto fixed = [&](auto length) __attribute__((always_inline)) {
    constexpr std::size_t N = decltype(length)::value;
    if constexpr (values_inline<Words>) {
      if (const std::size_t ahead = rows_ahead<Words, T>(rows, 2 * N, N); ahead != 0) {
        derive_rows_fetching<Words, N>(rows, ahead, n, a, lda, out, ldo);
        return;
      }
    }
    for (std::size_t r = 0; r < rows; ++r) {
      const T* ar = a + r * lda;
      T* o = out + r * ldo;
#pragma GCC unroll 32
      for (std::size_t k = 0; k < N; ++k) derive_one<Words>(ar[k + 1], k + 1, o[k]);
      if (inside < n) write_zeros<Words>(o, inside, n);
    }
  };
  if (with_static_count<max_unrolled_sum>(inside, fixed)) return;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    T* o = out + r * ldo;
    for (std::size_t k = 0; k < inside; ++k) derive_one<Words>(ar[k + 1], k + 1, o[k]);
    write_zeros<Words>(o, inside, n);
  }
}

} // namespace polybatch::kernels::exact::small_int_words
