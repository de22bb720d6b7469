// Exact conversion between a row of coefficients of type T and an integer
// polynomial over one common denominator (row = p / den), the way FLINT's
// fmpq_poly stores rationals; floating rows are dyadic rationals, so 0.1 is
// 3602879701896397 / 2^55, not 1/10. And back: exact results rounded or
// range-checked into T.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "polybatch/core/errors.hpp"
#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/kernels/exact_roots/integer_poly.hpp"
#include "polybatch/scalar/convert.hpp"
#include "polybatch/scalar/multiprecision.hpp"

#if __has_include(<mpfr.h>)
#include <mpfr.h>
#endif

namespace polybatch::kernels::exact_roots {

/// Scalars whose values convert exactly to rationals: integers, rationals
/// and binary floating point (decimal floats are not dyadic).
template <class T>
concept ExactlyConvertible =
    std::numeric_limits<T>::is_integer || std::numeric_limits<T>::radix == 2 || scalar_traits<T>::is_exact;

/// x as an exact rational (x finite).
template <class T>
cpp_rational to_rational(const T& x) {
  if constexpr (std::is_same_v<T, cpp_rational>)
    return x;
  else if constexpr (std::numeric_limits<T>::is_integer)
    return cpp_rational(cpp_int(x));
  else
    return convert_scalar<cpp_rational>(x);
}

/// A row of T as an integer polynomial p and a positive den with row = p / den
/// (p not trimmed). Every value must be finite.
template <class T>
zpoly to_integer_row(const T* c, std::size_t len, cpp_int* den = nullptr) {
  zpoly p(len);
  if constexpr (std::numeric_limits<T>::is_integer) {
    for (std::size_t i = 0; i < len; ++i) p[i] = cpp_int(c[i]);
    if (den) *den = 1;
  } else if constexpr (std::is_floating_point_v<T>) {
    // x = m 2^e with an integer m of at most `digits` bits.
    constexpr int digits = std::numeric_limits<T>::digits;
    int low = 0;
    std::vector<int> exps(len);
    for (std::size_t i = 0; i < len; ++i) {
      if (c[i] == T(0)) continue;
      int e = 0;
      const T m = std::ldexp(std::frexp(c[i], &e), digits);
      p[i] = cpp_int(static_cast<long double>(m));
      exps[i] = e - digits;
      if (exps[i] < low) low = exps[i];
    }
    for (std::size_t i = 0; i < len; ++i)
      if (!p[i].is_zero()) p[i] <<= static_cast<unsigned>(exps[i] - low);
    if (den) *den = cpp_int(1) << static_cast<unsigned>(-low);
  } else {
    std::vector<cpp_rational> r(len);
    cpp_int l = 1;
    for (std::size_t i = 0; i < len; ++i) {
      r[i] = to_rational(c[i]);
      const cpp_int d = denominator(r[i]);
      if (d != 1) l = l / gcd(l, d) * d;
    }
    for (std::size_t i = 0; i < len; ++i) p[i] = numerator(r[i]) * (l / denominator(r[i]));
    if (den) *den = l;
  }
  return p;
}

/// The exact value v in T: range-checked for built-in integers (overflow_error
/// naming `what`), rounded to nearest for floating T.
template <class T>
T from_rational(const cpp_rational& v, const std::string& what) {
  if constexpr (std::numeric_limits<T>::is_integer) {
    const cpp_int n = numerator(v); // integral by construction
    if constexpr (std::is_integral_v<T>) {
      if (n < cpp_int(std::numeric_limits<T>::min()) || n > cpp_int(std::numeric_limits<T>::max()))
        throw overflow_error(what + ": the exact value " + n.str() + " does not fit the coefficient type");
      return static_cast<T>(n);
    } else {
      return T(n);
    }
  } else if constexpr (std::is_same_v<T, cpp_rational>) {
    return v;
  } else if constexpr (std::is_same_v<T, double_double> || std::is_floating_point_v<T>) {
    return convert_scalar<T>(v); // rounded once, subnormals and overflow (inf) alike
  } else {
    return T(v);
  }
}

/// from_rational for a result whose operands carry a run-time precision
/// (mpfr_float): v rounded once at `like`'s precision, not the thread
/// default's. Numerator and denominator are held exactly, and one mpfr_div
/// rounds their quotient to the target's precision (Boost's conversion of a
/// rational divides rounded parts).
template <class T>
T from_rational_like(const cpp_rational& v, const std::string& what, const T& like) {
  if constexpr (has_runtime_precision<T>) {
#if __has_include(<mpfr.h>)
    if constexpr (std::is_convertible_v<decltype(std::declval<T&>().backend().data()), mpfr_ptr>) {
      T out = scalar_traits<T>::zero_like(like);
      // Numerator and denominator exactly (as many bits as they have, read
      // from their decimal text: Boost converts cpp_int to mpfr only at the
      // default precision), then one rounding.
      struct exact_value {
        mpfr_t x;
        explicit exact_value(const cpp_int& n) {
          const std::size_t bits = n.is_zero() ? 1 : boost::multiprecision::msb(abs(n)) + 1;
          mpfr_init2(x, static_cast<mpfr_prec_t>(std::max<std::size_t>(bits, 2)));
          mpfr_set_str(x, n.str().c_str(), 10, MPFR_RNDN);
        }
        exact_value(const exact_value&) = delete;
        exact_value& operator=(const exact_value&) = delete;
        ~exact_value() { mpfr_clear(x); }
      };
      const exact_value num(numerator(v)), den(denominator(v));
      mpfr_div(out.backend().data(), num.x, den.x, MPFR_RNDN);
      return out;
    }
#endif
  }
  (void)like;
  return from_rational<T>(v, what);
}

} // namespace polybatch::kernels::exact_roots
