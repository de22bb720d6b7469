// Row kernels that evaluate polynomials at points by Horner's rule.
// Machine scalars run several independent Horner chains at once (rows or
// points), so the multiply-add latency is hidden and, over points of one
// row, the compiler vectorises; other scalars accumulate in place in the
// output value (no temporaries per term).
// Aliasing: outputs must not overlap coefficients or points.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>

#include "polybatch/kernels/checked_integer.hpp"

#include "polybatch/core/scalar_traits.hpp"

namespace polybatch::kernels {

/// Independent chains per block: enough to cover multiply-add latency.
inline constexpr std::size_t horner_chains = 8;

/// out[r] = sum_k c[r * ldc + k] x[r * ldx]^k for r < rows (len >= 1;
/// ldc = 0 or ldx = 0 broadcasts one row or one point).
template <class T>
void horner_rows(std::size_t rows, std::size_t len, const T* c, std::size_t ldc, const T* x, std::size_t ldx, T* out) {
  std::size_t r = 0;
  if constexpr (scalar_traits<T>::is_machine) {
    constexpr std::size_t W = horner_chains;
    for (; r + W <= rows; r += W) {
      T acc[W];
      T pt[W];
      for (std::size_t w = 0; w < W; ++w) {
        acc[w] = c[(r + w) * ldc + len - 1];
        pt[w] = x[(r + w) * ldx];
      }
      for (std::size_t k = len - 1; k-- > 0;)
        for (std::size_t w = 0; w < W; ++w) acc[w] = acc[w] * pt[w] + c[(r + w) * ldc + k];
      for (std::size_t w = 0; w < W; ++w) out[r + w] = acc[w];
    }
  }
  for (; r < rows; ++r) {
    const T* cr = c + r * ldc;
    const T& xr = x[r * ldx];
    T& acc = out[r];
    acc = cr[len - 1];
    for (std::size_t k = len - 1; k-- > 0;) {
      acc *= xr;
      acc += cr[k];
    }
  }
}

/// Fixed-length variant for machine scalars: the coefficient loop is
/// unrolled so each block of rows stays in registers.
template <class T, std::size_t Len>
void horner_rows_fixed(std::size_t rows, const T* c, std::size_t ldc, const T* x, std::size_t ldx, T* out) {
  constexpr std::size_t W = horner_chains;
  std::size_t r = 0;
  for (; r + W <= rows; r += W) {
    T acc[W];
    for (std::size_t w = 0; w < W; ++w) {
      const T* cr = c + (r + w) * ldc;
      const T xr = x[(r + w) * ldx];
      T s = cr[Len - 1];
      for (std::size_t k = Len - 1; k-- > 0;) s = s * xr + cr[k];
      acc[w] = s;
    }
    for (std::size_t w = 0; w < W; ++w) out[r + w] = acc[w];
  }
  for (; r < rows; ++r) {
    const T* cr = c + r * ldc;
    const T xr = x[r * ldx];
    T s = cr[Len - 1];
    for (std::size_t k = Len - 1; k-- > 0;) s = s * xr + cr[k];
    out[r] = s;
  }
}

/// out[p] = sum_k c[k] x[p]^k for p < points: one row at many points.
/// Machine scalars evaluate a block of points per coefficient pass, which
/// vectorises over the points.
template <class T>
void horner_points(std::size_t len, const T* c, std::size_t points, const T* x, T* out) {
  std::size_t p = 0;
  if constexpr (scalar_traits<T>::is_machine) {
    constexpr std::size_t W = 2 * horner_chains;
    for (; p + W <= points; p += W) {
      T acc[W];
      for (std::size_t w = 0; w < W; ++w) acc[w] = c[len - 1];
      for (std::size_t k = len - 1; k-- > 0;) {
        const T ck = c[k];
        for (std::size_t w = 0; w < W; ++w) acc[w] = acc[w] * x[p + w] + ck;
      }
      for (std::size_t w = 0; w < W; ++w) out[p + w] = acc[w];
    }
  }
  for (; p < points; ++p) {
    T& acc = out[p];
    acc = c[len - 1];
    for (std::size_t k = len - 1; k-- > 0;) {
      acc *= x[p];
      acc += c[k];
    }
  }
}

/// checked_horner again in 128 bits, for a row where a step left T: a
/// product may leave T while the sum that follows comes back
/// (-(2^63 - 1) + x^2 at x = 3037000500 is 145474193). Partial values below
/// 2^64 in magnitude keep every product and sum inside 128 bits (2^64 2^63
/// plus 2^63 for int64; 2^64 2^64 for uint64); a row whose partial value
/// passes that, or whose value does not fit T, is an overflow_error.
template <class T>
T wide_checked_horner(const T* c, std::size_t len, T x, std::size_t row, std::size_t point) {
  using W = wide_accumulator<T>;
  constexpr const char* operation = "evaluate(a, x)";
  const std::string where = "row " + std::to_string(row) + " at point " + std::to_string(point);
  constexpr W limit = W(1) << 64;
  W acc = c[len - 1];
  for (std::size_t k = len - 1; k-- > 0;) {
    bool passes = acc >= limit;
    if constexpr (std::is_signed_v<T>) passes = passes || acc <= -limit;
    if (passes)
      throw_integer_overflow<T>(operation, where,
                                "a partial value of Horner's rule passes 2^64, beyond the 128 bits it is followed in");
    acc = acc * W(x) + W(c[k]);
  }
  bool outside = acc > W(std::numeric_limits<T>::max());
  if constexpr (std::is_signed_v<T>) outside = outside || acc < W(std::numeric_limits<T>::min());
  if (outside) throw_integer_overflow<T>(operation, where);
  return static_cast<T>(acc);
}

/// Horner's rule for built-in integers: every step checked; a row where a
/// step leaves T is evaluated again in 128 bits (wide_checked_horner), and
/// an overflow there throws polybatch::overflow_error naming `row` (the
/// batch row) and the point index `point`.
template <class T>
T checked_horner(const T* c, std::size_t len, T x, std::size_t row, std::size_t point) {
  T acc = c[len - 1];
  for (std::size_t k = len - 1; k-- > 0;) {
    T product, sum;
    if (__builtin_mul_overflow(acc, x, &product) || __builtin_add_overflow(product, c[k], &sum))
      return wide_checked_horner(c, len, x, row, point);
    acc = sum;
  }
  return acc;
}

} // namespace polybatch::kernels
