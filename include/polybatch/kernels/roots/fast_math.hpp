// Approximate log2/exp2 (for starting radii) and a square root that
// vectorises whatever the math-errno setting (for backward-error sums): bit
// manipulations on IEEE float and double, the standard functions otherwise.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace polybatch::kernels::roots {

template <class T>
using ieee_bits = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;

template <class T>
inline constexpr bool has_fast_bits = std::numeric_limits<T>::is_iec559 &&
                                      (std::is_same_v<T, float> || std::is_same_v<T, double>);

/// log2|x| within 0.09 for normal nonzero x (exponent plus linear mantissa).
template <class T>
T rough_log2(T x) {
  if constexpr (has_fast_bits<T>) {
    constexpr int mant = std::numeric_limits<T>::digits - 1;
    constexpr int bias = std::numeric_limits<T>::max_exponent - 1;
    const ieee_bits<T> b = std::bit_cast<ieee_bits<T>>(x);
    const int e = static_cast<int>((b >> mant) & ((ieee_bits<T>(1) << (sizeof(T) * 8 - 1 - mant)) - 1));
    if (e == 0) return std::log2(std::fabs(x)); // subnormal
    const T frac = T(b & ((ieee_bits<T>(1) << mant) - 1)) / T(ieee_bits<T>(1) << mant);
    return T(e - bias) + frac;
  } else {
    return std::log2(std::fabs(x));
  }
}

/// 2^y within 6%, for |y| inside the normal exponent range.
template <class T>
T rough_exp2(T y) {
  if constexpr (has_fast_bits<T>) {
    constexpr int mant = std::numeric_limits<T>::digits - 1;
    constexpr int bias = std::numeric_limits<T>::max_exponent - 1;
    const T fl = std::floor(y);
    const int e = static_cast<int>(fl) + bias;
    if (e <= 0 || e >= 2 * bias + 1) return std::exp2(y);
    const auto frac = static_cast<ieee_bits<T>>((y - fl) * T(ieee_bits<T>(1) << mant));
    return std::bit_cast<T>((static_cast<ieee_bits<T>>(e) << mant) | frac);
  } else {
    return std::exp2(y);
  }
}

/// sqrt(x) for x >= 0 to a few units in the last place: reciprocal square
/// root from the exponent bits, Newton steps, then one multiply. Branch-free
/// so lane loops vectorise (std::sqrt may set errno and does not).
template <class T>
T sqrt_nonnegative(T x) {
  if constexpr (has_fast_bits<T>) {
    // The float constant when T is float: the ternary's common type is 64-bit.
    constexpr auto magic = static_cast<ieee_bits<T>>(sizeof(T) == 8 ? 0x5FE6EB50C7B537A9ull : 0x5F375A86u);
    const bool usable = x >= std::numeric_limits<T>::min() && x <= std::numeric_limits<T>::max();
    const T xs = usable ? x : T(1);
    T y = std::bit_cast<T>(static_cast<ieee_bits<T>>(magic - (std::bit_cast<ieee_bits<T>>(xs) >> 1)));
    const int steps = sizeof(T) == 8 ? 4 : 3;
    for (int i = 0; i < steps; ++i) y = y * (T(1.5) - T(0.5) * xs * y * y);
    const T r = xs * y;
    // Zero, subnormal and infinite inputs: 0 for 0 and subnormals (a
    // backward-error sum loses nothing measurable), x for infinity.
    return usable ? r : (x > T(1) ? x : T(0));
  } else {
    return std::sqrt(x);
  }
}

} // namespace polybatch::kernels::roots
