// Row kernels for d/dx and the antiderivative over a tile of rows.
// Row r of the input starts at a + r * lda (lda = 0 broadcasts one row).
// Aliasing: `out` must not overlap `a` (coefficient k is read from index
// k + 1 or k - 1); the evaluators force a temporary when it would.
#pragma once

#include <cstddef>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

#include "polybatch/core/errors.hpp"
#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/kernels/checked_integer.hpp"

namespace polybatch::kernels {

/// Specialised for scalar types with a faster derivative
/// (kernels/exact/cpp_int_word_ops.hpp: small cpp_int values in machine
/// words). `rows` computes what derivative_rows computes and returns true,
/// or returns false, having written nothing.
template <class T, class Enable = void>
struct derivative_backend {
  static bool rows(std::size_t, std::size_t, const T*, std::size_t, std::size_t, T*, std::size_t) { return false; }
};

/// out[k] = (k + 1) a[k + 1] for k < n, where coefficients of a at or past
/// `na` count as zero.
template <class T>
void derivative_rows(std::size_t rows, std::size_t n, const T* a, std::size_t lda, std::size_t na, T* out,
                     std::size_t ldo) {
  if constexpr (!is_checked_integer<T>)
    if (derivative_backend<T>::rows(rows, n, a, lda, na, out, ldo)) return;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    T* o = out + r * ldo;
    for (std::size_t k = 0; k < n; ++k) {
      if (k + 1 < na) {
        if constexpr (is_checked_integer<T>) {
          // In the wide type: k + 1 itself may not fit a narrow T (int8).
          using Wide = wide_accumulator<T>;
          o[k] = checked_narrow<T>(Wide(ar[k + 1]) * Wide(k + 1), "derivative(a)", r, k);
        } else {
          o[k] = ar[k + 1];
          o[k] *= T(k + 1);
        }
      } else {
        o[k] = T(0);
      }
    }
  }
}

/// out[0] = 0 and out[k] = a[k - 1] / k for 1 <= k < n (n - 1 <= na). For
/// integer scalars an inexact quotient throws domain_error naming the row
/// (`first_row` + r) and the coefficient.
template <class T>
void integral_rows(std::size_t rows, std::size_t n, const T* a, std::size_t lda, T* out, std::size_t ldo,
                   std::size_t first_row) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    T* o = out + r * ldo;
    o[0] = T(0);
    for (std::size_t k = 1; k < n; ++k) {
      if constexpr (!scalar_traits<T>::is_field) {
        const auto not_divisible = [&] {
          std::ostringstream msg;
          msg << "integral(a): row " << first_row + r << ": coefficient " << k - 1 << " (" << ar[k - 1]
              << ") is not divisible by " << k
              << ", so the antiderivative has no integer coefficients (use pb::cast to a rational type)";
          throw domain_error(msg.str());
        };
        if constexpr (std::is_integral_v<T>) {
          // A k beyond T's range (int8 from 128 on) divides only 0.
          if (!std::in_range<T>(k)) {
            if (ar[k - 1] != T(0)) not_divisible();
            o[k] = T(0);
            continue;
          }
        }
        if (ar[k - 1] % T(k) != T(0)) not_divisible();
      }
      o[k] = ar[k - 1];
      o[k] /= T(k);
    }
  }
}

} // namespace polybatch::kernels
