// Sums, differences and derivatives of small cpp_int values in machine words:
// each value is read as its limb and state word, the result taken in int64
// with an overflow check and written into the existing result object
// (cpp_int_fields.hpp). Boost's own arithmetic otherwise: for values that
// are not one-limb inline values below 2^63, for results that overflow, and
// where the layout check fails.
// Aliasing: for sums `out` may be exactly x or y (each value is read before
// it is written); for derivatives `out` must not overlap `a`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "polybatch/kernels/algebra/calculus.hpp"
#include "polybatch/kernels/elementwise.hpp"
#include "polybatch/kernels/exact/cpp_int_fields.hpp"

namespace polybatch::kernels {

template <class T>
struct add_backend<T, std::enable_if_t<exact::cpp_int_fields::applies<T>>> {
  template <bool Subtract>
  static bool add_prefix(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, const T* y, std::size_t ldy,
                         T* out, std::size_t ldo) {
    namespace fields = exact::cpp_int_fields;
    if (!fields::layout_matches()) return false;
    for (std::size_t r = 0; r < rows; ++r) {
      const T* xr = x + r * ldx;
      const T* yr = y + r * ldy;
      T* o = out + r * ldo;
      for (std::size_t k = 0; k < n; ++k) {
        std::int64_t a, b, s;
        std::uint64_t ma, mb;
        const bool small_x = fields::read_small(xr[k], a, ma); // both read: a and b are always set
        const bool small_y = fields::read_small(yr[k], b, mb);
        const bool small = small_x && small_y;
        const bool overflow = Subtract ? __builtin_sub_overflow(a, b, &s) : __builtin_add_overflow(a, b, &s);
        if (small && !overflow && s != INT64_MIN && fields::write_small(o[k], s)) continue;
        if constexpr (Subtract)
          o[k] = xr[k] - yr[k];
        else
          o[k] = xr[k] + yr[k];
      }
    }
    return true;
  }
};

template <class T>
struct derivative_backend<T, std::enable_if_t<exact::cpp_int_fields::applies<T>>> {
  static bool rows(std::size_t rows, std::size_t n, const T* a, std::size_t lda, std::size_t na, T* out,
                   std::size_t ldo) {
    namespace fields = exact::cpp_int_fields;
    if (!fields::layout_matches()) return false;
    for (std::size_t r = 0; r < rows; ++r) {
      const T* ar = a + r * lda;
      T* o = out + r * ldo;
      for (std::size_t k = 0; k < n; ++k) {
        std::int64_t v = 0, d = 0;
        std::uint64_t m;
        const bool inside = k + 1 < na;
        const bool small = !inside || fields::read_small(ar[k + 1], v, m);
        const bool overflow = __builtin_mul_overflow(v, static_cast<std::int64_t>(k + 1), &d);
        if (small && !overflow && d != INT64_MIN && fields::write_small(o[k], d)) continue;
        if (inside) {
          o[k] = ar[k + 1];
          o[k] *= T(k + 1);
        } else {
          o[k] = T(0);
        }
      }
    }
    return true;
  }
};

} // namespace polybatch::kernels
