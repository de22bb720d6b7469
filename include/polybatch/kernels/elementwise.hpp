// Row kernels for coefficient-wise operations over a tile of rows.
// Row r of an operand starts at `x + r * ldx`; ld = 0 broadcasts one row.
// Aliasing: `out` may be exactly an input (same pointer, same stride);
// any other overlap is not allowed (the evaluator guarantees it).
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/kernels/checked_integer.hpp"

namespace polybatch::kernels {

/// Specialised for scalar types with a faster coefficient-wise sum
/// (kernels/exact/cpp_int_word_ops.hpp: small cpp_int values in machine words).
/// `add_prefix` computes out[k] = x[k] +/- y[k] for k < n in every row and
/// returns true, or returns false, having written nothing.
template <class T, class Enable = void>
struct add_backend {
  template <bool Subtract>
  static bool add_prefix(std::size_t, std::size_t, const T*, std::size_t, const T*, std::size_t, T*, std::size_t) {
    return false;
  }
};

/// out[k] = x[k] +/- y[k] for k < n, where a missing coefficient (k >= nx or
/// k >= ny) counts as zero.
template <bool Subtract, class T>
void add_rows(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, std::size_t nx, const T* y, std::size_t ldy,
              std::size_t ny, T* out, std::size_t ldo) {
  const std::size_t both = std::min({n, nx, ny});
  const bool prefix_done =
      !is_checked_integer<T> && add_backend<T>::template add_prefix<Subtract>(rows, both, x, ldx, y, ldy, out, ldo);
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * ldx;
    const T* yr = y + r * ldy;
    T* o = out + r * ldo;
    if constexpr (is_checked_integer<T>) {
      for (std::size_t k = 0; k < n; ++k) {
        const T xv = k < nx ? xr[k] : T(0);
        const T yv = k < ny ? yr[k] : T(0);
        o[k] = Subtract ? checked_sub(xv, yv, "a - b", r, k) : checked_add(xv, yv, "a + b", r, k);
      }
      continue;
    }
    for (std::size_t k = prefix_done ? both : 0; k < both; ++k) {
      if constexpr (Subtract)
        o[k] = xr[k] - yr[k];
      else
        o[k] = xr[k] + yr[k];
    }
    for (std::size_t k = both; k < n; ++k) {
      if (k < nx)
        o[k] = xr[k];
      else if constexpr (Subtract)
        o[k] = -yr[k];
      else
        o[k] = yr[k];
    }
  }
}

/// out[k] = -x[k]
template <class T>
void negate_rows(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, T* out, std::size_t ldo) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = 0; k < n; ++k) {
      if constexpr (is_checked_integer<T>)
        out[r * ldo + k] = checked_sub(T(0), x[r * ldx + k], "-a", r, k);
      else
        out[r * ldo + k] = -x[r * ldx + k];
    }
}

/// out[k] = s * x[k]
template <class T>
void scale_rows(std::size_t rows, std::size_t n, const T& s, const T* x, std::size_t ldx, T* out, std::size_t ldo) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = 0; k < n; ++k) {
      if constexpr (is_checked_integer<T>)
        out[r * ldo + k] = checked_mul(s, x[r * ldx + k], "s * a", r, k);
      else
        out[r * ldo + k] = s * x[r * ldx + k];
    }
}

/// out[k] = x[k] (a prefix copy); skipped when out is x itself.
template <class T>
void copy_rows(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, T* out, std::size_t ldo) {
  if (x == out && ldx == ldo) return;
  for (std::size_t r = 0; r < rows; ++r) std::copy_n(x + r * ldx, n, out + r * ldo);
}

/// out[k] = 0 for k in [from, to)
template <class T>
void zero_fill_rows(std::size_t rows, std::size_t from, std::size_t to, T* out, std::size_t ldo) {
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = from; k < to; ++k) out[r * ldo + k] = T(0);
}

} // namespace polybatch::kernels
