// `polybatch eval` refuses to write a floating result that overflowed: an
// infinity or NaN in a result row whose input rows are all finite can only
// come from a value beyond the type's range (an expression has no division,
// and the series functions check their domains), so writing it would pass
// overflow off as a result. Non-finite inputs propagate as IEEE arithmetic
// has them; --allow-overflow writes overflowed results as they are.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <polybatch/container/poly_view.hpp>
#include <polybatch/scalar/finite.hpp>

#include "cli/options.hpp"

namespace polybatch::cli {

/// An input of the expression, as the overflow check reads it.
template <class T>
struct CheckedInput {
  const PolyView<const T>* values;
};

/// The index of the first value of v[0 .. n) that is not finite, or n.
template <class T>
std::size_t first_non_finite(const T* v, std::size_t n) {
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    // A value is infinite or NaN when its exponent field is all ones; adding
    // one unit of that field then carries into the sign bit. The sums are
    // ORed over a chunk with integer operations only (which the compiler
    // vectorises; it did not vectorise a count or an OR of comparisons), and a
    // value is then located only in a chunk that holds one.
    using Bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
    constexpr int mantissa_bits = std::numeric_limits<T>::digits - 1;
    constexpr Bits exponent = Bits(~Bits(0) >> 1) & Bits(~Bits(0) << mantissa_bits);
    constexpr Bits carry = Bits(1) << mantissa_bits;
    const auto non_finite_bit = [&](std::size_t i) {
      Bits b;
      std::memcpy(&b, v + i, sizeof b);
      return Bits((b & exponent) + carry);
    };
    constexpr Bits sign = Bits(1) << (8 * sizeof(Bits) - 1);
    constexpr std::size_t chunk = 256;
    for (std::size_t start = 0; start < n; start += chunk) {
      const std::size_t end = std::min(n, start + chunk);
      Bits found = 0;
      for (std::size_t i = start; i < end; ++i) found |= non_finite_bit(i);
      if ((found & sign) == 0) continue;
      for (std::size_t i = start; i < end; ++i)
        if ((non_finite_bit(i) & sign) != 0) return i;
    }
    return n;
  } else {
    for (std::size_t i = 0; i < n; ++i)
      if (!polybatch::detail::is_finite_value(v[i])) return i;
    return n;
  }
}

/// Whether row `row` of the result comes from finite input rows only (a batch
/// of one row broadcasts: its row 0 feeds every result row). `inputs` are the
/// batches the expression reads, whose shapes it has checked.
template <class T>
bool inputs_finite_at(const std::vector<CheckedInput<T>>& inputs, std::size_t row) {
  return std::all_of(inputs.begin(), inputs.end(), [&](const CheckedInput<T>& in) {
    const std::size_t length = in.values->length();
    const std::size_t r = in.values->batch_size() == 1 ? 0 : row;
    if (r >= in.values->batch_size()) return true; // not a batch this row is read from
    return first_non_finite(in.values->data() + r * length, length) == length;
  });
}

/// The --type values whose exponent range is wider than T's.
template <class T>
const char* wider_types() {
  constexpr auto max_exponent = std::numeric_limits<T>::max_exponent;
  if constexpr (max_exponent <= 128)
    return "--type double, quad, mpfr:BITS or rational"; // float
  else if constexpr (max_exponent <= 1024)
    return "--type quad, mpfr:BITS or rational"; // double and double-double
  else if constexpr (max_exponent <= 16384)
    return "--type mpfr:BITS or rational"; // quad
  else
    return "--type rational"; // mpfr
}

/// The index in values[0 .. rows * length) (rows first_row .. first_row +
/// rows of the result) of the first value that is not finite although its
/// input rows are, or rows * length.
template <class T>
std::size_t first_overflow(const T* values, std::size_t first_row, std::size_t rows, std::size_t length,
                           const std::vector<CheckedInput<T>>& inputs) {
  const std::size_t n = rows * length;
  for (std::size_t i = first_non_finite(values, n); i < n;) {
    if (inputs_finite_at(inputs, first_row + i / length)) return i;
    // This row's inputs hold an infinity or NaN, which propagates: the next row.
    const std::size_t next = (i / length + 1) * length;
    if (next >= n) break;
    i = next + first_non_finite(values + next, n - next);
  }
  return n;
}

/// The error for an overflowed `value` at (row, coefficient) of the result.
template <class T>
[[noreturn]] void throw_overflow(const T& value, std::size_t row, std::size_t coefficient, const EvalOptions& o) {
  throw UserError("the result overflowed " + o.type.name + " at row " + std::to_string(row) + ", coefficient " +
                  std::to_string(coefficient) + " (" +
                  (value != value ? "nan"
                   : value < T(0) ? "-inf"
                                  : "inf") +
                  ") though every input value it comes from is finite; evaluate it with a wider exponent range (" +
                  wider_types<T>() + "), or pass --allow-overflow to write it as it is");
}

} // namespace polybatch::cli
