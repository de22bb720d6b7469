// The public power-series functions pb::series::inv, div, exp, log, sqrt,
// pow, sin, cos, tan, atan, sinh, cosh, tanh: each builds a lazy node of
// length n (default: the first argument's length). Integer coefficients are
// refused at compile time with a message that names pb::cast.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/expr/operators.hpp"
#include "polybatch/expr/series/div.hpp"
#include "polybatch/expr/series/pow.hpp"
#include "polybatch/expr/series/unary.hpp"

namespace polybatch::series {

namespace detail {

template <class E>
constexpr bool field_coefficients() {
  static_assert(scalar_traits<value_type_of<E>>::is_field,
                "pb::series functions need field coefficients (floating point, double-double, rationals): "
                "convert integer coefficients first, e.g. pb::series::exp(pb::cast<double>(a)) or "
                "pb::cast<cpp_rational>(a)");
  return true;
}

template <class N>
std::size_t series_length(const char* op, N n) {
  if (n < 1) throw shape_error(std::string(op) + ": n must be at least 1, got " + std::to_string(n));
  return static_cast<std::size_t>(n);
}

template <expr::series_fn F, class E>
auto unary(E&& a, std::size_t n) {
  return expr::SeriesUnary<F, E>(std::forward<E>(a), n);
}

} // namespace detail

#define POLYBATCH_SERIES_UNARY(fn)                                                                                     \
  template <PolyExpression E, std::integral N>                                                                         \
  requires(detail::field_coefficients<E>()) auto fn(E&& a, N n) {                                                      \
    return detail::unary<expr::series_fn::fn>(std::forward<E>(a),                                                      \
                                              detail::series_length(expr::series_name(expr::series_fn::fn), n));       \
  }                                                                                                                    \
  template <PolyExpression E>                                                                                          \
  requires(detail::field_coefficients<E>()) auto fn(E&& a) {                                                           \
    const std::size_t n = a.length();                                                                                  \
    return detail::unary<expr::series_fn::fn>(std::forward<E>(a), n);                                                  \
  }

/// 1/a mod x^n; a zero constant term is a domain_error naming the row.
POLYBATCH_SERIES_UNARY(inv)
/// exp(a) mod x^n (exact scalars: constant term 0).
POLYBATCH_SERIES_UNARY(exp)
/// log(a) mod x^n (constant term non-zero; > 0 for floating, 1 for exact).
POLYBATCH_SERIES_UNARY(log)
/// sqrt(a) mod x^n (constant term >= 0; exact: a rational square).
POLYBATCH_SERIES_UNARY(sqrt)
/// Trigonometric and hyperbolic functions of a mod x^n (exact: constant term 0).
POLYBATCH_SERIES_UNARY(sin)
POLYBATCH_SERIES_UNARY(cos)
POLYBATCH_SERIES_UNARY(tan)
POLYBATCH_SERIES_UNARY(atan)
POLYBATCH_SERIES_UNARY(sinh)
POLYBATCH_SERIES_UNARY(cosh)
POLYBATCH_SERIES_UNARY(tanh)
#undef POLYBATCH_SERIES_UNARY

/// a/b mod x^n row by row (batch-of-1 broadcasting); a zero constant term of
/// b is a domain_error naming the row.
template <class A, class B, std::integral N>
requires SameScalarExpressions<A, B> &&(detail::field_coefficients<A>()) auto div(A&& a, B&& b, N n) {
  return expr::SeriesDiv<A, B>(std::forward<A>(a), std::forward<B>(b),
                               detail::series_length("pb::series::div(a, b, n)", n));
}
template <class A, class B>
requires SameScalarExpressions<A, B> &&(detail::field_coefficients<A>()) auto div(A&& a, B&& b) {
  const std::size_t n = a.length();
  return expr::SeriesDiv<A, B>(std::forward<A>(a), std::forward<B>(b), n);
}

/// a^s mod x^n for a scalar s of the coefficient type (or an arithmetic value
/// it holds exactly).
template <PolyExpression E, class S, std::integral N>
requires ScaleFactorFor<S, value_type_of<E>> &&(detail::field_coefficients<E>()) auto pow(E&& a, S&& s, N n) {
  const char* op = "pb::series::pow(a, s, n)";
  return expr::SeriesPow<E>(std::forward<E>(a),
                            polybatch::detail::exact_scalar<value_type_of<E>>(std::forward<S>(s), op, "exponent"),
                            detail::series_length(op, n));
}
template <PolyExpression E, class S>
requires ScaleFactorFor<S, value_type_of<E>> &&(detail::field_coefficients<E>()) auto pow(E&& a, S&& s) {
  const std::size_t n = a.length();
  return expr::SeriesPow<E>(
      std::forward<E>(a),
      polybatch::detail::exact_scalar<value_type_of<E>>(std::forward<S>(s), "pb::series::pow(a, s, n)", "exponent"), n);
}

} // namespace polybatch::series
