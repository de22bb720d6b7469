// pb::resultant(a, b) and pb::discriminant(a): one value per row, exact for
// exact coefficient types; floating rows are converted exactly, the exact
// value computed and rounded once. Degrees are the rows' actual degrees.
// res(p / dp, q / dq) = res(p, q) / (dp^deg q dq^deg p) over the integer
// polynomials p, q with common denominators dp, dq (subresultant sequence).
#pragma once

#include <cstddef>
#include <string>

#include <xtensor/xtensor.hpp>

#include "polybatch/algebra/evaluate.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/shape.hpp"
#include "polybatch/kernels/exact_roots/rows.hpp"
#include "polybatch/kernels/exact_roots/subresultant.hpp"

namespace polybatch {

/// Row-wise resultant with batch-of-1 broadcasting; 0 when either row is
/// the zero polynomial, c^deg(q) for a constant row c against q.
template <PolyExpression A, PolyExpression B>
requires SameScalarExpressions<A, B> && ExactlyRationalScalar<value_type_of<A>> xt::xtensor < value_type_of<A>,
1 > resultant(const A& a_expr, const B& b_expr) {
  using T = value_type_of<A>;
  namespace er = kernels::exact_roots;
  const auto& a = detail::as_container(a_expr);
  const auto& b = detail::as_container(b_expr);
  const std::size_t batch = expr::broadcast_batch("resultant(a, b)", a, b);
  detail::check_exact_rows("resultant(a, b)", "a", a, false);
  detail::check_exact_rows("resultant(a, b)", "b", b, false);
  const std::size_t la = a.length();
  const std::size_t lb = b.length();
  const std::size_t lda = a.batch_size() == 1 ? 0 : la;
  const std::size_t ldb = b.batch_size() == 1 ? 0 : lb;
  auto out = xt::xtensor<T, 1>::from_shape({batch});
  detail::for_exact_rows(batch, std::max(la, lb), [&](std::size_t i) {
    er::cpp_int da, db;
    er::zpoly p = er::to_integer_row(a.data() + i * lda, la, &da);
    er::zpoly q = er::to_integer_row(b.data() + i * ldb, lb, &db);
    er::trim(p);
    er::trim(q);
    er::cpp_rational r(er::resultant(p, q));
    if (!r.is_zero() && (da != 1 || db != 1))
      r /= er::cpp_int(pow(da, static_cast<unsigned>(er::degree(q))) * pow(db, static_cast<unsigned>(er::degree(p))));
    out(i) = er::from_rational_like<T>(r, "resultant(a, b): row " + std::to_string(i), a.data()[i * lda]);
  });
  return out;
}

/// Row-wise discriminant (-1)^(n(n-1)/2) res(a, a') / lc(a), n the row's
/// actual degree: 1 for degree 1, 0 for constant and zero rows.
template <PolyExpression A>
requires ExactlyRationalScalar<value_type_of<A>> xt::xtensor < value_type_of<A>,
1 > discriminant(const A& a_expr) {
  using T = value_type_of<A>;
  namespace er = kernels::exact_roots;
  const auto& a = detail::as_container(a_expr);
  detail::check_exact_rows("discriminant(a)", "a", a, false);
  const std::size_t len = a.length();
  auto out = xt::xtensor<T, 1>::from_shape({a.batch_size()});
  detail::for_exact_rows(a.batch_size(), len, [&](std::size_t i) {
    er::cpp_int d;
    er::zpoly p = er::to_integer_row(a.data() + i * len, len, &d);
    er::trim(p);
    er::cpp_rational r(0);
    const long n = er::degree(p);
    if (n >= 1) {
      er::cpp_int v = er::resultant(p, er::derivative(p)) / p.back();
      if ((n * (n - 1) / 2) % 2 == 1) v = -v;
      r = er::cpp_rational(v);
      // disc(p / d) = disc(p) / d^(2n - 2)
      if (d != 1) r /= er::cpp_int(pow(d, static_cast<unsigned>(2 * n - 2)));
    }
    out(i) = er::from_rational_like<T>(r, "discriminant(a): row " + std::to_string(i), a.data()[i * len]);
  });
  return out;
}

} // namespace polybatch
