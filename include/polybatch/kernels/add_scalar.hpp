// Row kernel for the scalar-constant node (a + s, a - s, s - a) over a tile
// of rows. Row r of the operand starts at `x + r * ldx` (ld = 0 broadcasts).
// Aliasing: `out` may be exactly `x` (same pointer, same stride): each
// coefficient is read before it is written; any other overlap is not allowed.
#pragma once

#include <cstddef>

#include "polybatch/kernels/checked_integer.hpp"

namespace polybatch::kernels {

/// out[0] = x[0] + s, x[0] - s or s - x[0]; out[k] = x[k] (or -x[k] when
/// NegateOperand) for 0 < k < n. The constant term of s - a is computed as
/// one subtraction, so an integer s - x[0] that fits never overflows in -x[0].
template <bool NegateOperand, bool SubtractScalar, class T>
void add_scalar_rows(std::size_t rows, std::size_t n, const T& s, const T* x, std::size_t ldx, T* out,
                     std::size_t ldo) {
  if (n == 0) return;
  constexpr const char* name = NegateOperand ? "s - a" : SubtractScalar ? "a - s" : "a + s";
  for (std::size_t r = 0; r < rows; ++r) {
    const T* xr = x + r * ldx;
    T* o = out + r * ldo;
    if constexpr (is_checked_integer<T>) {
      if constexpr (NegateOperand)
        o[0] = checked_sub(s, xr[0], name, r, 0);
      else if constexpr (SubtractScalar)
        o[0] = checked_sub(xr[0], s, name, r, 0);
      else
        o[0] = checked_add(xr[0], s, name, r, 0);
      if constexpr (NegateOperand)
        for (std::size_t k = 1; k < n; ++k) o[k] = checked_sub(T(0), xr[k], name, r, k);
      else if (o != xr)
        for (std::size_t k = 1; k < n; ++k) o[k] = xr[k];
    } else {
      if constexpr (NegateOperand)
        o[0] = s - xr[0];
      else if constexpr (SubtractScalar)
        o[0] = xr[0] - s;
      else
        o[0] = xr[0] + s;
      if constexpr (NegateOperand)
        for (std::size_t k = 1; k < n; ++k) o[k] = -xr[k];
      else if (o != xr)
        for (std::size_t k = 1; k < n; ++k) o[k] = xr[k];
    }
  }
}

} // namespace polybatch::kernels
