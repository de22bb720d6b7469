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

#include <cstddef>
#include <cstdint>

namespace polybatch::kernels::exact::small_int_words {

template <bool Subtract, class Words, class T>
void add_prefix(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, const T* y, std::size_t ldy, T* out,
                std::size_t ldo) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * ldx;
    const T* yr = y + r * ldy;
    T* o = out + r * ldo;
    for (std::size_t k = 0; k < n; ++k) {
      std::int64_t a = 0, b = 0, s = 0;
      const bool small_x = Words::read(xr[k], a); // both read: a and b are always set
      const bool small_y = Words::read(yr[k], b);
      const bool overflow = Subtract ? __builtin_sub_overflow(a, b, &s) : __builtin_add_overflow(a, b, &s);
      if (small_x && small_y && !overflow && Words::write(o[k], s)) continue;
      if constexpr (Subtract)
        o[k] = xr[k] - yr[k];
      else
        o[k] = xr[k] + yr[k];
    }
  }
}

/// out[k] = (k + 1) a[k + 1] for k < n; coefficients at or past `na` are zero.
template <class Words, class T>
void derivative_rows(std::size_t rows, std::size_t n, const T* a, std::size_t lda, std::size_t na, T* out,
                     std::size_t ldo) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    T* o = out + r * ldo;
    for (std::size_t k = 0; k < n; ++k) {
      std::int64_t v = 0, d = 0;
      const bool inside = k + 1 < na;
      const bool small = !inside || Words::read(ar[k + 1], v);
      const bool overflow = __builtin_mul_overflow(v, static_cast<std::int64_t>(k + 1), &d);
      if (small && !overflow && Words::write(o[k], d)) continue;
      if (inside) {
        o[k] = ar[k + 1];
        o[k] *= static_cast<unsigned long>(k + 1);
      } else {
        o[k] = T(0);
      }
    }
  }
}

} // namespace polybatch::kernels::exact::small_int_words
