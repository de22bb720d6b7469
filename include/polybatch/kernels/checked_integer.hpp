// Overflow-checked arithmetic for built-in integer coefficients. Signed
// overflow is undefined behaviour in C++ and unsigned wrap-around is a wrong
// answer for a polynomial, so every integer kernel computes through these
// helpers: a result that does not fit the coefficient type is an error naming
// the operation, the row and the coefficient, never a value.
// Products accumulate in 128 bits (every product of two 64-bit values fits),
// so only a FINAL coefficient that does not fit is reported, not a partial
// sum that would have come back into range.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "polybatch/core/errors.hpp"
#include "polybatch/core/int128.hpp"

namespace polybatch::kernels {

template <class T>
inline constexpr bool is_checked_integer = std::is_integral_v<T> && !std::is_same_v<T, bool>;

/// The accumulator of integer products: 128 bits, with T's signedness.
template <class T>
using wide_accumulator = std::conditional_t<std::is_signed_v<T>, int128, uint128>;

/// Thrown by tile kernels, which only know a row's index within the tile;
/// naming_batch_rows, around every tile's evaluation, rethrows it as
/// polybatch::overflow_error with the row's index in the batch.
struct tile_overflow {
  const char* operation;
  std::size_t row;
  std::size_t coefficient;
  /// Why, where it is not that the exact result leaves T (null then).
  const char* reason = nullptr;
};

template <class T>
std::string integer_type_name() {
  return std::string(std::is_signed_v<T> ? "" : "unsigned ") + std::to_string(sizeof(T) * 8) + "-bit integer";
}

/// Every integer overflow error: the operation, where it happened ("row R,
/// coefficient K" or "row R at point P"), why (by default, that the exact
/// result does not fit T) and the remedy.
template <class T>
[[noreturn]] void throw_integer_overflow(const char* operation, const std::string& where,
                                         const char* reason = nullptr) {
  throw overflow_error(
      std::string(operation) + ": integer overflow in " + where + ": " +
          (reason != nullptr ? std::string(reason) : "the exact result does not fit a " + integer_type_name<T>()),
      "evaluate in an exact type: pb::rebind<boost::multiprecision::cpp_int>(...) evaluates the same expression in "
      "cpp_int");
}

template <class T>
[[noreturn]] void throw_integer_overflow(const char* operation, std::size_t row, std::size_t coefficient,
                                         const char* reason = nullptr) {
  throw_integer_overflow<T>(operation, "row " + std::to_string(row) + ", coefficient " + std::to_string(coefficient),
                            reason);
}

/// f() for a tile whose first row is row `origin` of the batch; for integer
/// T a tile_overflow it throws (naming the row within the tile) becomes the
/// overflow_error naming the batch's row.
template <class T, class F>
decltype(auto) naming_batch_rows(std::size_t origin, F&& f) {
  if constexpr (is_checked_integer<T>) {
    try {
      return std::forward<F>(f)();
    } catch (const tile_overflow& overflow) {
      throw_integer_overflow<T>(overflow.operation, origin + overflow.row, overflow.coefficient, overflow.reason);
    }
  } else {
    return std::forward<F>(f)();
  }
}

template <class T>
T checked_add(T x, T y, const char* operation, std::size_t row, std::size_t k) {
  T out;
  if (__builtin_add_overflow(x, y, &out)) throw tile_overflow{operation, row, k};
  return out;
}

template <class T>
T checked_sub(T x, T y, const char* operation, std::size_t row, std::size_t k) {
  T out;
  if (__builtin_sub_overflow(x, y, &out)) throw tile_overflow{operation, row, k};
  return out;
}

template <class T>
T checked_mul(T x, T y, const char* operation, std::size_t row, std::size_t k) {
  T out;
  if (__builtin_mul_overflow(x, y, &out)) throw tile_overflow{operation, row, k};
  return out;
}

/// The wide sum narrowed to T, or tile_overflow.
template <class T, class Wide>
T checked_narrow(Wide value, const char* operation, std::size_t row, std::size_t k) {
  T out;
  if (__builtin_add_overflow(value, Wide(0), &out)) throw tile_overflow{operation, row, k};
  return out;
}

/// Integer convolution of one row window (same contract as
/// convolve_window_row): exact products in 128 bits, checked sums, checked
/// narrowing. `row` is the tile-local row for the error.
template <class T>
void checked_convolve_window_row(const T* a, std::size_t la, const T* b, std::size_t lb, bool reverse_b,
                                 std::size_t offset, std::size_t n, T* out, std::size_t row) {
  using Wide = wide_accumulator<T>;
  constexpr const char* operation = "product of integer polynomials";
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = offset + k;
    const std::size_t lo = j >= lb ? j - lb + 1 : 0;
    const std::size_t hi = std::min(j, la - 1);
    Wide acc = 0;
    for (std::size_t i = lo; i <= hi; ++i) {
      const T bv = reverse_b ? b[lb - 1 - j + i] : b[j - i];
      const Wide product = Wide(a[i]) * Wide(bv); // exact: |a|, |b| < 2^64
      if (__builtin_add_overflow(acc, product, &acc)) throw tile_overflow{operation, row, j};
    }
    out[k] = checked_narrow<T>(acc, operation, row, j);
  }
}

/// Unchecked kernels are exact when no partial sum can leave T: true if
/// max|a| * max|b| * min(la, lb) fits (magnitudes over the tile's rows).
template <class T>
bool integer_product_fits(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                          std::size_t lb) {
  using U = std::make_unsigned_t<T>;
  const auto magnitude = [](T x) -> uint128 {
    if constexpr (std::is_signed_v<T>)
      return x < 0 ? uint128(U(0) - U(x)) : uint128(U(x));
    else
      return uint128(x);
  };
  const auto max_magnitude = [&](const T* x, std::size_t ld, std::size_t len) {
    uint128 m = 0;
    const std::size_t count = ld == 0 ? 1 : rows;
    for (std::size_t r = 0; r < count; ++r)
      for (std::size_t i = 0; i < len; ++i) m = std::max(m, magnitude(x[r * ld + i]));
    return m;
  };
  uint128 bound;
  if (__builtin_mul_overflow(max_magnitude(a, lda, la), max_magnitude(b, ldb, lb), &bound)) return false;
  if (__builtin_mul_overflow(bound, uint128(std::min(la, lb)), &bound)) return false;
  // Signed: |sum| <= max (the most negative value is one beyond, not needed).
  return bound <= uint128(std::numeric_limits<T>::max());
}

} // namespace polybatch::kernels
