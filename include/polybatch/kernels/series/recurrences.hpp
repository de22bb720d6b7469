// Per-coefficient recurrences of the power-series functions, over one row of
// raw pointers: `f_coeff(k, ...)` (k >= 1) computes output coefficient k from
// input coefficients [0, k] and output (and auxiliary) coefficients [0, k),
// so a caller may produce the input one coefficient at a time (Taylor jets).
// `f_constant(...)` computes coefficient 0 with the domain checks.
//
// Aliasing: output and auxiliary arrays must not overlap the inputs or each
// other. Every recurrence is O(k) scalar operations; a full row is O(n^2).
// Temporaries are built from the inputs (zero_like), so MPFR numbers keep
// the operands' precision.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "polybatch/core/errors.hpp"
#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/double_double_math.hpp"
#include "polybatch/scalar/value_text.hpp"

namespace polybatch::kernels::series {

namespace detail {

template <class T>
T zero(const T& like) {
  return scalar_traits<T>::zero_like(like);
}

/// x *= j and x /= j for an index j: exact for every scalar family, and no
/// temporary T at a thread-default precision.
template <class T>
void times_index(T& x, std::size_t j) {
  if constexpr (std::is_arithmetic_v<T>)
    x *= static_cast<T>(j);
  else
    x *= static_cast<unsigned long long>(j);
}
template <class T>
void divide_index(T& x, std::size_t j) {
  if constexpr (std::is_arithmetic_v<T>)
    x /= static_cast<T>(j);
  else
    x /= static_cast<unsigned long long>(j);
}

/// sum_{j=lo..hi} w(j) x[j] y[k-j] with w(j) = j (weighted) or 1.
template <class T>
T convolution_term(std::size_t k, std::size_t lo, std::size_t hi, const T* x, const T* y, bool weighted) {
  T acc = zero(x[0]);
  T term = zero(x[0]);
  for (std::size_t j = lo; j <= hi; ++j) {
    term = x[j];
    term *= y[k - j];
    if (weighted) times_index(term, j);
    acc += term;
  }
  return acc;
}

/// sum_{j=0..k} t[j] t[k-j], using the symmetry (about half the products).
template <class T>
T square_term(std::size_t k, const T* t) {
  T acc = zero(t[0]);
  T term = zero(t[0]);
  for (std::size_t j = 0; 2 * j < k; ++j) {
    term = t[j];
    term *= t[k - j];
    acc += term;
  }
  acc += acc;
  if (k % 2 == 0) {
    term = t[k / 2];
    term *= t[k / 2];
    acc += term;
  }
  return acc;
}

template <class T>
[[noreturn]] void domain_fail(const char* op, std::size_t row, const T& value, const char* need) {
  throw domain_error(std::string("pb::series::") + op + ": row " + std::to_string(row) + " has constant term " +
                     polybatch::detail::value_text(value) + "; " + need);
}

template <class T>
inline constexpr bool exact = scalar_traits<T>::is_exact;

} // namespace detail

// ---- coefficient 0 (domain checks) ------------------------------------------------
// `row` only names the row in a domain_error's message.

/// 1 / a0; a0 = 0 is a domain_error.
template <class T>
T inv_constant(const T& a0, std::size_t row, const char* op = "inv(a, n)") {
  if (a0 == T(0)) detail::domain_fail(op, row, a0, "the constant term must be non-zero");
  T r = detail::zero(a0);
  r += 1;
  r /= a0;
  return r;
}

/// num0 / den0; den0 = 0 is a domain_error.
template <class T>
T div_constant(const T& num0, const T& den0, std::size_t row) {
  if (den0 == T(0))
    detail::domain_fail("div(a, b, n) (divisor b)", row, den0, "the divisor's constant term must be non-zero");
  T r = num0;
  r /= den0;
  return r;
}

/// exp(a0); exact scalars need a0 = 0.
template <class T>
T exp_constant(const T& a0, std::size_t row) {
  if constexpr (detail::exact<T>) {
    if (a0 != T(0)) detail::domain_fail("exp(a, n)", row, a0, "an exact scalar type needs 0 (exp would be irrational)");
    T r = detail::zero(a0);
    r += 1;
    return r;
  } else {
    using std::exp;
    return T(exp(a0));
  }
}

/// log(a0); a0 = 0 always and a0 < 0 for floating types are domain errors,
/// exact scalars need a0 = 1.
template <class T>
T log_constant(const T& a0, std::size_t row) {
  if (a0 == T(0)) detail::domain_fail("log(a, n)", row, a0, "log needs a non-zero constant term");
  if constexpr (detail::exact<T>) {
    if (a0 != T(1)) detail::domain_fail("log(a, n)", row, a0, "an exact scalar type needs 1 (log would be irrational)");
    return detail::zero(a0);
  } else {
    if (a0 < T(0)) detail::domain_fail("log(a, n)", row, a0, "log needs a positive constant term");
    using std::log;
    return T(log(a0));
  }
}

/// sqrt(a0) for a0 != 0 (zero constant terms are handled by the row driver):
/// a0 < 0 is a domain error; exact scalars need a0 to be a rational square.
template <class T>
T sqrt_constant(const T& a0, std::size_t row) {
  if (a0 < T(0)) detail::domain_fail("sqrt(a, n)", row, a0, "sqrt needs a non-negative constant term");
  if constexpr (detail::exact<T>) {
    const auto num = numerator(a0);
    const auto den = denominator(a0);
    const decltype(num) rn = sqrt(num);
    const decltype(den) rd = sqrt(den);
    if (rn * rn != num || rd * rd != den)
      detail::domain_fail("sqrt(a, n)", row, a0, "an exact scalar type needs the square of a rational");
    T r = T(rn);
    r /= T(rd);
    return r;
  } else {
    using std::sqrt;
    return T(sqrt(a0));
  }
}

/// Whether s is a non-negative integer small enough to count with (NaN is
/// not: it fails every comparison).
template <class T>
bool is_small_natural(const T& s) {
  if (!(s >= T(0)) || s > T(std::int64_t(1) << 62)) return false;
  const auto i = static_cast<long long>(s);
  return T(i) == s;
}

/// What pow needs to know of an s beyond 2^62 in magnitude, too large to
/// count with: whether it is an integer, and whether an odd one.
struct huge_exponent {
  bool integer = false;
  bool odd = false;
};

/// `integer` is false for an s that is not finite or not beyond 2^62. Exact
/// types read the fraction; double_double's high part is an even integer
/// there (its spacing is at least 2^10), so its low part decides; other
/// floating types by trunc and fmod (float and double: every such value is
/// an even integer; quad, float128, mpfr and decimal types hold odd ones).
template <class T>
huge_exponent huge_integer_exponent(const T& s) {
  const T limit = T(std::int64_t(1) << 62);
  if constexpr (detail::exact<T>) {
    if (!(s > limit || s < T(-limit)) || denominator(s) != 1) return {};
    return {true, numerator(s) % 2 != 0};
  } else if constexpr (std::is_same_v<T, double_double>) {
    if (!std::isfinite(s.hi) || !(s > limit || s < -limit)) return {};
    if (std::trunc(s.lo) != s.lo) return {};
    return {true, std::fmod(s.lo, 2.0) != 0.0};
  } else {
    using std::abs;
    using std::fmod;
    using std::isfinite;
    using std::trunc;
    if (!isfinite(s) || !(abs(s) > limit) || T(trunc(s)) != s) return {};
    return {true, T(fmod(s, T(2))) != T(0)};
  }
}

/// The largest exponent s of an exact a0^s with |a0| != 1.
inline constexpr long long max_exact_exponent = 1LL << 20;

/// a0^e of exact rationals without a gcd: true, with static
/// power(a0, e, reciprocal) giving a0^e (a0^-e with `reciprocal`), for the
/// rational types of common_denominator.hpp. (p/q)^e with p/q in lowest
/// terms is p^e/q^e, in lowest terms too; a rational product normalises by a
/// gcd at every step instead, which costs a minute at e = 2^20.
template <class T, class Enable = void>
struct coprime_rational_power : std::false_type {};

/// a0^s for a0 != 0. Exact scalars need a0 = 1 or s an integer (negative
/// only in a field: a rational type); floating types need a0 > 0 unless s is
/// an integer (then any sign).
template <class T>
T pow_constant(const T& a0, const T& s, std::size_t row) {
  if constexpr (detail::exact<T>) {
    T r = detail::zero(a0);
    r += 1;
    if (a0 == T(1)) return r;
    const auto fail_irrational = [&] {
      detail::domain_fail("pow(a, s, n)", row, a0,
                          "an exact scalar type needs 1 unless s is an integer (the power would be irrational)");
    };
    // (-1)^s for an integer s of any size: its parity.
    if (a0 == T(-1)) {
      if (denominator(s) != 1) fail_irrational();
      if (numerator(s) % 2 != 0) r = -r;
      return r;
    }
    // a0^s has |s| times a0's digits: beyond 2^20 (a million times) it would
    // take hours, unless a0 is 1 or -1.
    const T magnitude = s < T(0) ? T(-s) : s;
    if (magnitude > T(max_exact_exponent))
      detail::domain_fail("pow(a, s, n)", row, a0,
                          s < T(0) ? "an exact scalar type needs s >= -1048576 unless the constant term is 1 or -1 "
                                     "(a0^s has |s| times the digits of a0)"
                                   : "an exact scalar type needs s <= 1048576 unless the constant term is 1 or -1 "
                                     "(a0^s has s times the digits of a0)");
    if (!is_small_natural(magnitude)) fail_irrational();
    if (s < T(0) && !scalar_traits<T>::is_field)
      detail::domain_fail("pow(a, s, n)", row, a0,
                          "an exact integer type needs s >= 0 unless the constant term is 1 or -1 (a0^s would not "
                          "be an integer)");
    if constexpr (coprime_rational_power<T>::value)
      return coprime_rational_power<T>::power(a0, static_cast<unsigned long long>(magnitude), s < T(0));
    T base = a0;
    for (auto e = static_cast<unsigned long long>(magnitude); e != 0; e >>= 1) {
      if (e & 1u) r *= base;
      if (e > 1) base *= base;
    }
    if (s < T(0)) r = T(1) / r;
    return r;
  } else {
    using std::abs;
    using std::pow;
    const huge_exponent huge = huge_integer_exponent(s);
    const bool integral = huge.integer || is_small_natural(s) || is_small_natural(T(-s));
    if (a0 < T(0) && !integral)
      detail::domain_fail("pow(a, s, n)", row, a0, "a non-integer power needs a positive constant term");
    T r = T(pow(T(abs(a0)), s));
    const bool odd = huge.integer ? huge.odd : integral && static_cast<long long>(T(abs(s))) % 2 == 1;
    if (a0 < T(0) && odd) r = -r;
    return r;
  }
}

/// s0 = sin(a0), c0 = cos(a0) (also sinh/cosh via `hyperbolic`); exact
/// scalars need a0 = 0.
template <class T>
void sincos_constant(const T& a0, T& s0, T& c0, std::size_t row, bool hyperbolic = false) {
  if constexpr (detail::exact<T>) {
    if (a0 != T(0))
      detail::domain_fail(hyperbolic ? "sinh/cosh(a, n)" : "sin/cos(a, n)", row, a0,
                          "an exact scalar type needs 0 (the value would be irrational)");
    s0 = detail::zero(a0);
    c0 = detail::zero(a0);
    c0 += 1;
  } else if (hyperbolic) {
    using std::cosh;
    using std::sinh;
    s0 = T(sinh(a0));
    c0 = T(cosh(a0));
  } else {
    using std::cos;
    using std::sin;
    s0 = T(sin(a0));
    c0 = T(cos(a0));
  }
}

/// t0 = tan(a0) (tanh with `hyperbolic`) and u0 = 1 + t0^2 (1 - t0^2);
/// exact scalars need a0 = 0.
template <class T>
void tan_constant(const T& a0, T& t0, T& u0, std::size_t row, bool hyperbolic = false) {
  if constexpr (detail::exact<T>) {
    if (a0 != T(0))
      detail::domain_fail(hyperbolic ? "tanh(a, n)" : "tan(a, n)", row, a0,
                          "an exact scalar type needs 0 (the value would be irrational)");
    t0 = detail::zero(a0);
  } else if (hyperbolic) {
    using std::tanh;
    t0 = T(tanh(a0));
  } else {
    using std::tan;
    t0 = T(tan(a0));
  }
  u0 = t0;
  u0 *= t0;
  if (hyperbolic) u0 = -u0;
  u0 += 1;
}

/// y0 = atan(a0) and q0 = 1 + a0^2; exact scalars need a0 = 0.
template <class T>
void atan_constant(const T& a0, T& y0, T& q0, std::size_t row) {
  if constexpr (detail::exact<T>) {
    if (a0 != T(0))
      detail::domain_fail("atan(a, n)", row, a0, "an exact scalar type needs 0 (the value would be irrational)");
    y0 = detail::zero(a0);
  } else {
    using std::atan;
    y0 = T(atan(a0));
  }
  q0 = a0;
  q0 *= a0;
  q0 += 1;
}

// ---- coefficient k >= 1 -----------------------------------------------------------

/// out = 1/a: out[k] = -(sum_{j=1..k} a[j] out[k-j]) / a[0]. Reads a[0..k],
/// out[0..k-1]; out[0] = inv_constant(a[0]).
template <class T>
T inv_coeff(std::size_t k, const T* a, const T* out) {
  T r = detail::convolution_term(k, 1, k, a, out, false);
  r /= a[0];
  return T(-r);
}

/// out = num/den: out[k] = (num[k] - sum_{j=1..k} den[j] out[k-j]) / den[0].
/// Reads num[k], den[0..k], out[0..k-1]; out[0] = div_constant(num[0], den[0]).
template <class T>
T div_coeff(std::size_t k, const T* num, const T* den, const T* out) {
  T r = num[k];
  r -= detail::convolution_term(k, 1, k, den, out, false);
  r /= den[0];
  return r;
}

/// out = exp(a), from out' = a' out: out[k] = (1/k) sum_{j=1..k} j a[j] out[k-j].
/// Reads a[1..k], out[0..k-1]; out[0] = exp_constant(a[0]).
template <class T>
T exp_coeff(std::size_t k, const T* a, const T* out) {
  T r = detail::convolution_term(k, 1, k, a, out, true);
  detail::divide_index(r, k);
  return r;
}

/// out = log(a), from a out' = a': out[k] = (a[k] - (1/k) sum_{j=1..k-1} j out[j] a[k-j]) / a[0].
/// Reads a[0..k], out[1..k-1]; out[0] = log_constant(a[0]).
template <class T>
T log_coeff(std::size_t k, const T* a, const T* out) {
  T r = a[k];
  if (k > 1) {
    T s = detail::convolution_term(k, 1, k - 1, out, a, true);
    detail::divide_index(s, k);
    r -= s;
  }
  r /= a[0];
  return r;
}

/// out = a^s, from a out' = s a' out:
///   out[k] = ((s+1) sum_{j=1..k} j a[j] out[k-j] - k sum_{j=1..k} a[j] out[k-j]) / (k a[0]).
/// Reads a[0..k], out[0..k-1]; out[0] = pow_constant(a[0], s) with a[0] != 0.
template <class T>
T pow_coeff(std::size_t k, const T* a, const T& s, const T* out) {
  T weighted = detail::convolution_term(k, 1, k, a, out, true);
  T plain = detail::convolution_term(k, 1, k, a, out, false);
  T sp1 = s;
  sp1 += 1;
  weighted *= sp1;
  detail::divide_index(weighted, k);
  weighted -= plain;
  weighted /= a[0];
  return weighted;
}

/// out = sqrt(a), from out^2 = a: out[k] = (a[k] - sum_{j=1..k-1} out[j] out[k-j]) / (2 out[0]).
/// Reads a[k], out[0..k-1]; out[0] = sqrt_constant(a[0]) != 0.
template <class T>
T sqrt_coeff(std::size_t k, const T* a, const T* out) {
  T r = a[k];
  if (k > 1) {
    T acc = detail::zero(a[0]);
    T term = detail::zero(a[0]);
    for (std::size_t j = 1; 2 * j < k; ++j) {
      term = out[j];
      term *= out[k - j];
      acc += term;
    }
    acc += acc;
    if (k % 2 == 0) {
      term = out[k / 2];
      term *= out[k / 2];
      acc += term;
    }
    r -= acc;
  }
  r /= out[0];
  r /= 2;
  return r;
}

/// s = sin(a), c = cos(a), from s' = c a', c' = -s a': writes s[k], c[k].
/// Reads a[1..k], s[0..k-1], c[0..k-1]; s[0], c[0] from sincos_constant.
template <class T>
void sincos_coeff(std::size_t k, const T* a, T* s, T* c) {
  T sk = detail::convolution_term(k, 1, k, a, c, true);
  T ck = detail::convolution_term(k, 1, k, a, s, true);
  detail::divide_index(sk, k);
  detail::divide_index(ck, k);
  s[k] = sk;
  c[k] = -ck;
}

/// s = sinh(a), c = cosh(a), from s' = c a', c' = s a': writes s[k], c[k].
/// Same reads as sincos_coeff; s[0], c[0] from sincos_constant(.., true).
template <class T>
void sinhcosh_coeff(std::size_t k, const T* a, T* s, T* c) {
  T sk = detail::convolution_term(k, 1, k, a, c, true);
  T ck = detail::convolution_term(k, 1, k, a, s, true);
  detail::divide_index(sk, k);
  detail::divide_index(ck, k);
  s[k] = sk;
  c[k] = ck;
}

/// t = tan(a), from t' = u a' with the auxiliary u = 1 + t^2: writes t[k]
/// and then u[k] = sum_{j=0..k} t[j] t[k-j]. Reads a[1..k], t[0..k-1],
/// u[0..k-1]; t[0], u[0] from tan_constant.
template <class T>
void tan_coeff(std::size_t k, const T* a, T* t, T* u) {
  T tk = detail::convolution_term(k, 1, k, a, u, true);
  detail::divide_index(tk, k);
  t[k] = tk;
  u[k] = detail::square_term(k, t);
}

/// t = tanh(a), from t' = u a' with u = 1 - t^2: writes t[k] and
/// u[k] = -sum_{j=0..k} t[j] t[k-j]. Reads and constants as tan_coeff
/// (tan_constant(.., true)).
template <class T>
void tanh_coeff(std::size_t k, const T* a, T* t, T* u) {
  T tk = detail::convolution_term(k, 1, k, a, u, true);
  detail::divide_index(tk, k);
  t[k] = tk;
  u[k] = -detail::square_term(k, t);
}

/// y = atan(a), from q y' = a' with the auxiliary q = 1 + a^2:
///   y[k] = (k a[k] - sum_{j=1..k-1} (k-j) q[j] y[k-j]) / (k q[0]),
/// then q[k] = sum_{i=0..k} a[i] a[k-i]. Writes y[k], q[k]. Reads a[0..k],
/// y[1..k-1], q[0..k-1]; y[0], q[0] from atan_constant.
template <class T>
void atan_coeff(std::size_t k, const T* a, T* y, T* q) {
  // sum_{j=1..k-1} (k-j) q[j] y[k-j] = sum_{i=1..k-1} i y[i] q[k-i]
  T r = a[k];
  if (k > 1) {
    T s = detail::convolution_term(k, 1, k - 1, y, q, true);
    detail::divide_index(s, k);
    r -= s;
  }
  r /= q[0];
  y[k] = r;
  q[k] = detail::square_term(k, a);
}

} // namespace polybatch::kernels::series
