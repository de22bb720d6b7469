// Horner's rule over rows by the kernel that suits the scalar: checked steps
// for built-in integers (an overflow names its batch row), one common
// denominator for Boost rationals, unrolled chains for machine scalars of the
// common short lengths, in-place accumulation otherwise. pb::evaluate and the
// command line's eval_at both call it, so the choice is made in one place.
#pragma once

#include <cstddef>

#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/kernels/algebra/horner.hpp"
#include "polybatch/kernels/algebra/horner_rational.hpp"
#include "polybatch/kernels/checked_integer.hpp"

namespace polybatch::kernels {

/// out[r] = sum_k c[r * ldc + k] x[r * ldx]^k for r < rows (len >= 1;
/// ldc = 0 or ldx = 0 broadcasts one row or one point). `first_row` is the
/// batch row of row 0, for the message of an integer overflow.
template <class T>
void horner_rows_of_type(std::size_t rows, std::size_t len, const T* c, std::size_t ldc, const T* x, std::size_t ldx,
                         T* out, std::size_t first_row) {
  if constexpr (is_checked_integer<T>) {
    for (std::size_t r = 0; r < rows; ++r) out[r] = checked_horner(c + r * ldc, len, x[r * ldx], first_row + r, 0);
    return;
  } else if constexpr (horner_over_integers<T>) {
    return horner_rows_rational(rows, len, c, ldc, x, ldx, out);
  } else if constexpr (scalar_traits<T>::is_machine) {
    switch (len) { // the common short lengths, unrolled
    case 4:
      return horner_rows_fixed<T, 4>(rows, c, ldc, x, ldx, out);
    case 5:
      return horner_rows_fixed<T, 5>(rows, c, ldc, x, ldx, out);
    case 8:
      return horner_rows_fixed<T, 8>(rows, c, ldc, x, ldx, out);
    case 9:
      return horner_rows_fixed<T, 9>(rows, c, ldc, x, ldx, out);
    case 16:
      return horner_rows_fixed<T, 16>(rows, c, ldc, x, ldx, out);
    default:
      break;
    }
  }
  horner_rows(rows, len, c, ldc, x, ldx, out);
}

} // namespace polybatch::kernels
