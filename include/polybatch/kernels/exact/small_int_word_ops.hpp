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
// Aliasing: for sums `out` may be exactly x or y (each value is read before
// it is written); for derivatives `out` must not overlap `a`.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "polybatch/core/static_count.hpp"

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

template <bool Subtract, class Words, class T>
void add_prefix(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, const T* y, std::size_t ldy, T* out,
                std::size_t ldo) {
  const auto one = [](const T& xv, const T& yv, T& o) __attribute__((always_inline)) {
    std::int64_t a = 0, b = 0, s = 0;
    const bool small_x = Words::read(xv, a); // both read: a and b are always set
    const bool small_y = Words::read(yv, b);
    const bool overflow = Subtract ? __builtin_sub_overflow(a, b, &s) : __builtin_add_overflow(a, b, &s);
    if (small_x && small_y && !overflow && Words::write(o, s)) [[likely]]
      return;
    add_wide<Subtract>(o, xv, yv);
  };
  const auto fixed = [&](auto length) __attribute__((always_inline)) {
    constexpr std::size_t N = decltype(length)::value;
    for (std::size_t r = 0; r < rows; ++r) {
      const T* xr = x + r * ldx;
      const T* yr = y + r * ldy;
      T* o = out + r * ldo;
#pragma GCC unroll 32
      for (std::size_t k = 0; k < N; ++k) one(xr[k], yr[k], o[k]);
    }
  };
  if (with_static_count<max_unrolled_sum>(n, fixed)) return;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * ldx;
    const T* yr = y + r * ldy;
    T* o = out + r * ldo;
    for (std::size_t k = 0; k < n; ++k) one(xr[k], yr[k], o[k]);
  }
}

/// The type's own arithmetic for one derivative coefficient, out of line.
template <class T>
[[gnu::noinline, gnu::cold]] void derivative_wide(T& o, const T& a, std::size_t factor) {
  o = a;
  o *= static_cast<unsigned long>(factor);
}

/// out[k] = (k + 1) a[k + 1] for k < n; coefficients at or past `na` are zero.
template <class Words, class T>
void derivative_rows(std::size_t rows, std::size_t n, const T* a, std::size_t lda, std::size_t na, T* out,
                     std::size_t ldo) {
  // Coefficients past `na` are zero; those before it take a value each.
  const std::size_t inside = std::min(n, na > 0 ? na - 1 : 0);
  const auto one = [](const T& av, std::size_t factor, T& o) __attribute__((always_inline)) {
    std::int64_t v = 0, d = 0;
    const bool small = Words::read(av, v);
    const bool overflow = __builtin_mul_overflow(v, static_cast<std::int64_t>(factor), &d);
    if (small && !overflow && Words::write(o, d)) [[likely]]
      return;
    derivative_wide(o, av, factor);
  };
  const auto zeros = [&](T* o) {
    for (std::size_t k = inside; k < n; ++k)
      if (!Words::write(o[k], 0)) o[k] = T(0);
  };
  const auto fixed = [&](auto length) __attribute__((always_inline)) {
    constexpr std::size_t N = decltype(length)::value;
    for (std::size_t r = 0; r < rows; ++r) {
      const T* ar = a + r * lda;
      T* o = out + r * ldo;
#pragma GCC unroll 32
      for (std::size_t k = 0; k < N; ++k) one(ar[k + 1], k + 1, o[k]);
      if (inside < n) zeros(o);
    }
  };
  if (with_static_count<max_unrolled_sum>(inside, fixed)) return;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    T* o = out + r * ldo;
    for (std::size_t k = 0; k < inside; ++k) one(ar[k + 1], k + 1, o[k]);
    zeros(o);
  }
}

} // namespace polybatch::kernels::exact::small_int_words
