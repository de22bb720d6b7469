// pb::gcd(a, b): row-wise greatest common divisor, computed exactly at once
// (not lazy): each row pair is converted exactly to integer polynomials and
// reduced by the subresultant remainder sequence. Over fields (rationals,
// floating types) the result is monic; over integers it is primitive with a
// positive leading coefficient; gcd(0, 0) = 0.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "polybatch/algebra/evaluate.hpp"
#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/shape.hpp"
#include "polybatch/kernels/exact_roots/rows.hpp"
#include "polybatch/kernels/exact_roots/subresultant.hpp"

namespace polybatch {

/// Row-wise gcd with batch-of-1 broadcasting. The result's length is the
/// largest degree among its rows + 1; shorter rows are zero-padded. For
/// floating rows the gcd is the exact one of the values the rows hold, rounded
/// to T: rows that agree only up to rounding have gcd 1 (docs/roots.md).
template <PolyExpression A, PolyExpression B>
requires SameScalarExpressions<A, B> && ExactlyRationalScalar<value_type_of<A>> PolyBatch<value_type_of<A>>
gcd(const A& a_expr, const B& b_expr) {
  using T = value_type_of<A>;
  namespace er = kernels::exact_roots;
  const auto& a = detail::as_container(a_expr);
  const auto& b = detail::as_container(b_expr);
  const std::size_t batch = expr::broadcast_batch("gcd(a, b)", a, b);
  detail::check_exact_rows("gcd(a, b)", "a", a, false);
  detail::check_exact_rows("gcd(a, b)", "b", b, false);
  const std::size_t la = a.length();
  const std::size_t lb = b.length();
  const std::size_t lda = a.batch_size() == 1 ? 0 : la;
  const std::size_t ldb = b.batch_size() == 1 ? 0 : lb;
  std::vector<er::zpoly> rows(batch);
  detail::for_exact_rows(batch, std::max(la, lb), [&](std::size_t i) {
    rows[i] = er::primitive_gcd(er::to_integer_row(a.data() + i * lda, la), er::to_integer_row(b.data() + i * ldb, lb));
  });
  std::size_t len = 1;
  for (const er::zpoly& g : rows) len = std::max(len, g.size());
  PolyBatch<T> out(batch, len);
  T* o = out.data();
  for (std::size_t i = 0; i < batch; ++i) {
    const er::zpoly& g = rows[i];
    for (std::size_t j = 0; j < len; ++j) {
      // At the precision of a's row where T's is chosen at run time (mpfr_float).
      const T& like = a.data()[i * lda];
      if (j >= g.size()) {
        o[i * len + j] = scalar_traits<T>::zero_like(like);
      } else if constexpr (scalar_traits<T>::is_field) {
        o[i * len + j] = er::from_rational_like<T>(er::cpp_rational(g[j], g.back()), "gcd(a, b)", like);
      } else {
        o[i * len + j] = er::from_rational<T>(er::cpp_rational(g[j]), "gcd(a, b): row " + std::to_string(i));
      }
    }
  }
  return out;
}

} // namespace polybatch
