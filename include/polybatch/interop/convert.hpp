// Value-preserving conversion of one stored coefficient (an .npy element)
// into the batch's scalar type: a value the type cannot hold exactly is
// refused rather than rounded, so reading a file never loses anything.
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

#include "polybatch/core/scalar_traits.hpp"

namespace polybatch::interop {

/// T(v) when that is exactly v, else nothing. NaN converts to NaN where T
/// has one.
template <Scalar T, class Source>
requires std::is_arithmetic_v<Source> std::optional<T> convert_exactly(Source v) {
  if constexpr (std::is_same_v<T, Source>) {
    return v;
  } else if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_floating_point_v<Source>) {
      // Range first: converting an out-of-range float to an integer is undefined.
      // [lo, hi) with hi = max + 1, a power of two that Source holds exactly.
      constexpr Source lo = static_cast<Source>(std::numeric_limits<T>::min());
      constexpr Source hi = static_cast<Source>(std::numeric_limits<T>::max() / 2 + 1) * Source(2);
      if (!(v >= lo && v < hi)) return std::nullopt;
      const T t = static_cast<T>(v);
      if (static_cast<Source>(t) != v) return std::nullopt;
      return t;
    } else {
      if (!std::in_range<T>(v)) return std::nullopt;
      return static_cast<T>(v);
    }
  } else if constexpr (std::is_floating_point_v<T>) {
    if constexpr (std::is_floating_point_v<Source>)
      if (std::isnan(v)) return std::numeric_limits<T>::quiet_NaN();
    const T t = static_cast<T>(v);
    if constexpr (std::is_integral_v<Source>) {
      // Compare in the integer domain: static_cast<Source>(t) may be out of range.
      if (!(t >= static_cast<T>(std::numeric_limits<Source>::min()) &&
            t < -static_cast<T>(std::numeric_limits<Source>::min())))
        return std::nullopt;
    }
    if (static_cast<Source>(t) != v) return std::nullopt;
    return t;
  } else {
    // Multiprecision and other library types: build, then check the value
    // reads back unchanged.
    if constexpr (std::is_floating_point_v<Source>) {
      if (!std::isfinite(v)) {
        if constexpr (std::numeric_limits<T>::has_quiet_NaN || std::numeric_limits<T>::has_infinity) {
          const T t(v);
          if (std::isnan(v) || static_cast<Source>(t) == v) return t;
        }
        return std::nullopt;
      }
    }
    const T t(v);
    if constexpr (std::is_integral_v<Source>) {
      // Converting back saturates where T rounded v out of Source's range
      // (2^63 - 1 to 2^63, which converts back to 2^63 - 1): check the range
      // first, against bounds that are powers of two, held exactly by any T.
      const T lo(std::numeric_limits<Source>::min());
      const T hi = T(std::numeric_limits<Source>::max() / 2 + 1) * T(2);
      if (!(t >= lo && t < hi)) return std::nullopt;
    }
    if (static_cast<Source>(t) != v) return std::nullopt;
    return t;
  }
}

} // namespace polybatch::interop
