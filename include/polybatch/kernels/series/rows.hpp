// Row drivers of the power-series functions: coefficient 0 (domain checks),
// then the recurrences of recurrences.hpp for k = 1 .. n-1, or for long float
// and double rows Newton iteration (newton.hpp, newton_elementary.hpp). Zero constant
// terms in sqrt and pow (non-negative integer s) are handled here by
// factoring out the lowest power of x.
// Aliasing: outputs and auxiliaries must not overlap the inputs or each
// other; every input holds at least n coefficients (zero-padded by the caller).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

#include "polybatch/kernels/series/newton.hpp"
#include "polybatch/kernels/series/newton_conditioning.hpp"
#include "polybatch/kernels/series/newton_elementary.hpp"
#include "polybatch/kernels/series/recurrences.hpp"

namespace polybatch::kernels::series {

/// Every series function of exact rational rows on one common denominator:
/// true, with static exp(a, n, out), inv(a, n, out), div(num, den, n, out),
/// log(a, n, out), pow(a, n, s, a0^s, out), tan(a, n, out, hyperbolic),
/// atan(a, n, out) and sincos(a, n, s, c, hyperbolic, wanted), for the rational types of
/// common_denominator.hpp (which polybatch.hpp includes; machine.hpp has no
/// such types), whose rows then skip the recurrences below.
template <class T, class Enable = void>
struct common_denominator_series : std::false_type {};

/// Which rows of a sin/cos (sinh/cosh) pair a caller reads: a path that can
/// skip writing the other (the common denominator's normalisation) does.
enum class pair_output { both, first, second };

namespace detail {

template <class T>
void zero_row(T* out, std::size_t n, const T& like) {
  for (std::size_t k = 0; k < n; ++k) out[k] = zero(like);
}

/// out = x y mod x^n (out must not overlap x or y), the schoolbook way;
/// products with a zero factor are skipped, so that an infinite
/// coefficient does not make the zero ones' terms NaN.
template <class T>
void truncated_product(const T* x, const T* y, std::size_t n, T* out) {
  for (std::size_t k = 0; k < n; ++k) out[k] = zero(x[0]);
  for (std::size_t i = 0; i < n; ++i) {
    if (x[i] == T(0)) continue;
    for (std::size_t j = 0; i + j < n; ++j)
      if (y[j] != T(0)) out[i + j] += x[i] * y[j];
  }
}

/// b^e mod x^n by binary powering of the truncated series: O(n^2 log e),
/// each coefficient a sum of products of the true partial powers', so only
/// coefficients whose own values leave the type's range are lost.
template <class T>
void power_by_squaring_row(const T* b, std::size_t n, unsigned long long e, T* out) {
  std::vector<T> base(b, b + n), result(n, zero(b[0])), t(n, zero(b[0]));
  result[0] += 1;
  for (; e != 0; e >>= 1) {
    if (e & 1u) {
      truncated_product(result.data(), base.data(), n, t.data());
      result.swap(t);
    }
    if (e > 1) {
      truncated_product(base.data(), base.data(), n, t.data());
      base.swap(t);
    }
  }
  for (std::size_t k = 0; k < n; ++k) out[k] = std::move(result[k]);
}

/// Whether b0^s is 0 or not finite in T for a finite non-zero b0 and s while b
/// has another non-zero coefficient among its n: then every coefficient of
/// b^s, a multiple of b0^s, is lost.
template <class T>
bool power_leaves_range(const T* b, std::size_t n, const T& s, std::size_t row) {
  if (n < 2 || !(b[0] - b[0] == T(0)) || !(s - s == T(0))) return false; // NaN and infinite s keep pow's values
  bool tail = false;
  for (std::size_t k = 1; k < n && !tail; ++k) tail = b[k] != T(0);
  if (!tail) return false;
  const T c0 = pow_constant(b[0], s, row);
  return c0 == T(0) || !(c0 - c0 == T(0));
}

/// Index of the first non-zero coefficient among a[0, n), or n.
template <class T>
std::size_t valuation(const T* a, std::size_t n) {
  std::size_t v = 0;
  while (v < n && a[v] == T(0)) ++v;
  return v;
}

} // namespace detail

// The O(n^2) recurrences alone, whatever n (the tests' and the benchmark's reference).
template <class T>
void inv_recurrence_row(const T* a, std::size_t n, T* out, std::size_t row) {
  out[0] = inv_constant(a[0], row);
  for (std::size_t k = 1; k < n; ++k) out[k] = inv_coeff(k, a, out);
}

template <class T>
void div_recurrence_row(const T* num, const T* den, std::size_t n, T* out, std::size_t row) {
  out[0] = div_constant(num[0], den[0], row);
  for (std::size_t k = 1; k < n; ++k) out[k] = div_coeff(k, num, den, out);
}

template <class T>
void exp_recurrence_row(const T* a, std::size_t n, T* out, std::size_t row) {
  out[0] = exp_constant(a[0], row);
  for (std::size_t k = 1; k < n; ++k) out[k] = exp_coeff(k, a, out);
}

template <class T>
void log_recurrence_row(const T* a, std::size_t n, T* out, std::size_t row) {
  out[0] = log_constant(a[0], row);
  for (std::size_t k = 1; k < n; ++k) out[k] = log_coeff(k, a, out);
}

// The row drivers: float and double rows from the measured crossovers on by
// Newton iteration (newton.hpp), everything else by the recurrences (and
// rows whose constant term Newton cannot invert: newton_can_invert, or whose
// intermediates would outgrow the result: newton_conditioning.hpp).
template <class T>
void inv_row(const T* a, std::size_t n, T* out, std::size_t row) {
  if constexpr (has_newton_series<T>) {
    if (n >= newton_inv_threshold && newton_can_invert(a[0])) return newton_inv_row(a, n, out, row);
  }
  if constexpr (common_denominator_series<T>::value) {
    static_cast<void>(inv_constant(a[0], row)); // its domain check
    return common_denominator_series<T>::inv(a, n, out);
  }
  inv_recurrence_row(a, n, out, row);
}

template <class T>
void div_row(const T* num, const T* den, std::size_t n, T* out, std::size_t row) {
  if constexpr (has_newton_series<T>) {
    if (n >= newton_div_threshold && newton_can_invert(den[0]) && newton_inverse_bounded(den, n))
      return newton_div_row(num, den, n, out, row);
  }
  if constexpr (common_denominator_series<T>::value) {
    static_cast<void>(div_constant(num[0], den[0], row)); // its domain check
    return common_denominator_series<T>::div(num, den, n, out);
  }
  div_recurrence_row(num, den, n, out, row);
}

template <class T>
void exp_row(const T* a, std::size_t n, T* out, std::size_t row) {
  if constexpr (has_newton_series<T>) {
    if (n >= newton_exp_threshold && newton_exponential_bounded(a, n)) {
      T constant = exp_constant(a[0], row);
      if (newton_can_invert(constant)) return newton_exp_row_from(a, n, std::move(constant), out, row);
    }
  }
  if constexpr (common_denominator_series<T>::value) {
    static_cast<void>(exp_constant(a[0], row)); // its domain check
    return common_denominator_series<T>::exp(a, n, out);
  }
  exp_recurrence_row(a, n, out, row);
}

template <class T>
void log_row(const T* a, std::size_t n, T* out, std::size_t row) {
  if constexpr (has_newton_series<T>) {
    if (n >= newton_log_threshold && newton_can_invert(a[0]) && newton_inverse_bounded(a, n))
      return newton_log_row(a, n, out, row);
  }
  if constexpr (common_denominator_series<T>::value) {
    static_cast<void>(log_constant(a[0], row)); // its domain check
    return common_denominator_series<T>::log(a, n, out);
  }
  log_recurrence_row(a, n, out, row);
}

/// sqrt(b) for b0 != 0 by the recurrence alone.
template <class T>
void sqrt_recurrence_row(const T* b, std::size_t n, T* out, std::size_t row) {
  out[0] = sqrt_constant(b[0], row);
  for (std::size_t k = 1; k < n; ++k) out[k] = sqrt_coeff(k, b, out);
}

/// sqrt(a) with a holding `avail` >= n coefficients. A zero constant term:
/// a = x^v b gives x^(v/2) sqrt(b), which reads a up to n - 1 + v/2 (so the
/// caller passes avail = 2n in that case); v odd is a domain_error; no
/// non-zero coefficient among the available ones gives 0.
template <class T>
void sqrt_row(const T* a, std::size_t avail, std::size_t n, T* out, std::size_t row) {
  std::size_t v = 0;
  if (a[0] == T(0)) {
    v = detail::valuation(a, avail);
    if (v < avail && v % 2 == 1)
      throw domain_error("pb::series::sqrt(a, n): row " + std::to_string(row) + " starts with x^" + std::to_string(v) +
                         " (odd power): the square root is not a power series");
    if (v == avail || v / 2 >= n) {
      detail::zero_row(out, n, a[0]);
      return;
    }
  }
  const std::size_t m = v / 2;
  const T* b = a + v;
  T* o = out + m;
  for (std::size_t k = 0; k < m; ++k) out[k] = detail::zero(a[0]);
  if constexpr (has_newton_series<T>) {
    if (n - m >= newton_sqrt_threshold) return newton_sqrt_row(b, n - m, o, row);
  }
  if constexpr (common_denominator_series<T>::value) {
    const T root = sqrt_constant(b[0], row); // and its domain check
    return common_denominator_series<T>::pow(b, n - m, T(1) / 2, root, o);
  }
  sqrt_recurrence_row(b, n - m, o, row);
}

/// b^s for b0 != 0 by the recurrence alone.
template <class T>
void pow_recurrence_row(const T* b, std::size_t n, const T& s, T* out, std::size_t row) {
  out[0] = pow_constant(b[0], s, row);
  for (std::size_t k = 1; k < n; ++k) out[k] = pow_coeff(k, b, s, out);
}

/// a^s. A zero constant term needs s a non-negative integer (then
/// a = x^v b gives x^(v s) b^s); otherwise it is a domain_error.
template <class T>
void pow_row(const T* a, std::size_t n, const T& s, T* out, std::size_t row) {
  std::size_t v = 0, shift = 0;
  if (a[0] == T(0)) {
    const bool huge = huge_integer_exponent(s).integer && s > T(0);
    if (!huge && !is_small_natural(s))
      throw domain_error("pb::series::pow(a, s, n): row " + std::to_string(row) +
                         " has constant term 0; s = " + polybatch::detail::value_text(s) +
                         " must then be a non-negative integer (else a^s is not a power series)");
    detail::zero_row(out, n, a[0]);
    if (s == T(0)) {
      out[0] += 1;
      return;
    }
    v = detail::valuation(a, n);
    if (v == n || huge) return; // v >= 1: x^(v s) is beyond the n coefficients
    const auto e = static_cast<unsigned long long>(s);
    if (e >= n || v * e >= n) return; // x^(v s) is beyond the n coefficients (v >= 1)
    shift = v * static_cast<std::size_t>(e);
  }
  const T* b = a + v;
  T* o = out + shift;
  if constexpr (!detail::exact<T>) {
    if (detail::power_leaves_range(b, n - shift, s, row)) {
      // Every coefficient of b^s is a multiple of b0^s, which is 0 or
      // infinite in T: the recurrences and Newton would return 0 or NaN.
      if (!is_small_natural(s))
        throw overflow_error("pb::series::pow(a, s, n): row " + std::to_string(row) + " has constant term " +
                             polybatch::detail::value_text(b[0]) +
                             ", whose power s = " + polybatch::detail::value_text(s) +
                             " is out of the scalar type's range, and every coefficient of a^s is a multiple of "
                             "it; scale the variable or use a type with a wider range");
      return detail::power_by_squaring_row(b, n - shift, static_cast<unsigned long long>(s), o);
    }
  }
  if constexpr (has_newton_series<T>) {
    if (n - shift >= newton_pow_threshold && newton_power_bounded(b, n - shift, s))
      return newton_pow_row(b, n - shift, s, o, row);
  }
  if constexpr (common_denominator_series<T>::value) {
    const T c0 = pow_constant(b[0], s, row); // and its domain check
    return common_denominator_series<T>::pow(b, n - shift, s, c0, o);
  }
  pow_recurrence_row(b, n - shift, s, o, row);
}

/// sin and cos (sinh and cosh with `hyperbolic`) into s and c, by the
/// recurrence alone.
template <class T>
void sincos_recurrence_row(const T* a, std::size_t n, T* s, T* c, std::size_t row, bool hyperbolic) {
  sincos_constant(a[0], s[0], c[0], row, hyperbolic);
  for (std::size_t k = 1; k < n; ++k) {
    if (hyperbolic)
      sinhcosh_coeff(k, a, s, c);
    else
      sincos_coeff(k, a, s, c);
  }
}

/// tan (tanh with `hyperbolic`) into t by the recurrence alone; u is the
/// auxiliary 1 +- t^2.
template <class T>
void tan_recurrence_row(const T* a, std::size_t n, T* t, T* u, std::size_t row, bool hyperbolic) {
  tan_constant(a[0], t[0], u[0], row, hyperbolic);
  for (std::size_t k = 1; k < n; ++k) {
    if (hyperbolic)
      tanh_coeff(k, a, t, u);
    else
      tan_coeff(k, a, t, u);
  }
}

/// atan into y by the recurrence alone; q is the auxiliary 1 + a^2.
template <class T>
void atan_recurrence_row(const T* a, std::size_t n, T* y, T* q, std::size_t row) {
  atan_constant(a[0], y[0], q[0], row);
  for (std::size_t k = 1; k < n; ++k) atan_coeff(k, a, y, q);
}

/// sin and cos (sinh and cosh with `hyperbolic`) into s and c; with
/// `wanted` first (second) c (s) may be left as scratch.
template <class T>
void sincos_row(const T* a, std::size_t n, T* s, T* c, std::size_t row, bool hyperbolic,
                pair_output wanted = pair_output::both) {
  if constexpr (has_newton_series<T>) {
    if (n >= (hyperbolic ? newton_sinhcosh_threshold : newton_sincos_threshold) && newton_exponential_bounded(a, n))
      return newton_sincos_row(a, n, s, c, row, hyperbolic);
  }
  if constexpr (common_denominator_series<T>::value) {
    sincos_constant(a[0], s[0], c[0], row, hyperbolic); // its domain check
    return common_denominator_series<T>::sincos(a, n, s, c, hyperbolic, wanted);
  }
  sincos_recurrence_row(a, n, s, c, row, hyperbolic);
}

/// tan (tanh with `hyperbolic`) into t; u is scratch of n scalars (the
/// recurrence's auxiliary 1 +- t^2).
template <class T>
void tan_row(const T* a, std::size_t n, T* t, T* u, std::size_t row, bool hyperbolic) {
  if constexpr (has_newton_series<T>) {
    if (n >= newton_tan_threshold && newton_exponential_bounded(a, n)) return newton_tan_row(a, n, t, row, hyperbolic);
  }
  if constexpr (common_denominator_series<T>::value) {
    tan_constant(a[0], t[0], u[0], row, hyperbolic); // its domain check
    return common_denominator_series<T>::tan(a, n, t, hyperbolic);
  }
  tan_recurrence_row(a, n, t, u, row, hyperbolic);
}

/// atan into y; q is scratch of n scalars (the recurrence's auxiliary 1 + a^2).
template <class T>
void atan_row(const T* a, std::size_t n, T* y, T* q, std::size_t row) {
  if constexpr (has_newton_series<T>) {
    if (n >= newton_atan_threshold) return newton_atan_row(a, n, y, row);
  }
  if constexpr (common_denominator_series<T>::value) {
    atan_constant(a[0], y[0], q[0], row); // its domain check
    return common_denominator_series<T>::atan(a, n, y);
  }
  atan_recurrence_row(a, n, y, q, row);
}

} // namespace polybatch::kernels::series
