// Scalar traits: the one place that says what a coefficient type can do.
// Kernels ask these traits instead of testing for `double`, so that exact and
// extended types (Boost.Multiprecision, double-double) plug in by specialising
// `enable_scalar` and, where needed, `scalar_traits`.
#pragma once

#include <concepts>
#include <limits>
#include <type_traits>

namespace polybatch {

/// Opt-in switch: a type is a polybatch coefficient type when this is true.
/// Built-in arithmetic types (bool excepted) are enabled here; the
/// multiprecision header enables every boost::multiprecision::number.
template <class T>
inline constexpr bool enable_scalar = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

template <class T>
concept Scalar = enable_scalar<T> && std::regular<T>;

/// Per-scalar facts used by kernels and the evaluator. Specialise for a new
/// scalar family; the primary template covers built-in arithmetic types.
template <class T>
struct scalar_traits {
  /// Exact arithmetic: results are mathematically exact (or throw).
  static constexpr bool is_exact = std::numeric_limits<T>::is_exact;
  /// Division is exact-or-rounded field division (float, rationals), as
  /// opposed to truncating integer division.
  static constexpr bool is_field = !std::numeric_limits<T>::is_integer;
  /// Plain machine type: trivially copyable, a candidate for SIMD kernels
  /// and fixed-length unrolled kernels.
  static constexpr bool is_machine = std::is_arithmetic_v<T>;

  /// A zero carrying whatever run-time attributes `like` has (precision for
  /// MPFR numbers); scratch is built from it so it never silently falls back
  /// to a thread-default precision.
  static T zero_like(const T& /*like*/) { return T(0); }
};

/// Decays a scalar-valued expression (for example a Boost.Multiprecision
/// expression template) to the number type it evaluates to. Specialised by
/// the multiprecision header.
template <class T>
struct scalar_result {
  using type = std::remove_cvref_t<T>;
};
template <class T>
using scalar_result_t = typename scalar_result<T>::type;

} // namespace polybatch
