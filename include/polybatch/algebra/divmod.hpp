// pb::divmod(a, b): row-wise polynomial long division over a field (float,
// double, rationals, extended types), a = q b + r with deg r < deg b. The
// divisor's leading coefficient is its last stored one; a zero there is a
// domain_error naming the row, raised before anything is computed.
#pragma once

#include <cstddef>
#include <sstream>
#include <utility>
#include <vector>

#include "polybatch/algebra/evaluate.hpp"
#include "polybatch/algebra/row_blocks.hpp"
#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/shape.hpp"
#include "polybatch/kernels/algebra/divide.hpp"

namespace polybatch {

/// Scalars for which division is field division (not truncating).
template <class T>
concept FieldScalar = Scalar<T> && scalar_traits<T>::is_field;

/// (quotient, remainder) row by row, batch-of-1 broadcasting. Lengths:
/// quotient max(La - Lb + 1, 1), remainder max(Lb - 1, 1) (a zero row when
/// Lb = 1). Exact for rational scalars.
template <PolyExpression A, PolyExpression B>
requires SameScalarExpressions<A, B> && FieldScalar<value_type_of<A>>
    std::pair<PolyBatch<value_type_of<A>>, PolyBatch<value_type_of<A>>> divmod(const A& a_expr, const B& b_expr) {
  using T = value_type_of<A>;
  const auto& a = detail::as_container(a_expr);
  const auto& b = detail::as_container(b_expr);
  const std::size_t batch = expr::broadcast_batch("divmod(a, b)", a, b);
  const std::size_t la = a.length();
  const std::size_t lb = b.length();
  for (std::size_t i = 0; i < b.batch_size(); ++i)
    if (b.data()[i * lb + lb - 1] == T(0)) {
      std::ostringstream msg;
      msg << "divmod(a, b): row " << i << " of b " << detail::shape_str(b.batch_size(), lb)
          << " has a zero leading coefficient (coefficient " << lb - 1 << ")";
      throw domain_error(msg.str());
    }
  const std::size_t lq = la >= lb ? la - lb + 1 : 1;
  const std::size_t lr = lb > 1 ? lb - 1 : 1;
  PolyBatch<T> q(batch, lq);
  PolyBatch<T> r(batch, lr);
  const std::size_t lda = a.batch_size() == 1 ? 0 : la;
  const std::size_t ldb = b.batch_size() == 1 ? 0 : lb;
  const T* pa = a.data();
  const T* pb = b.data();
  T* pq = q.data();
  T* pr = r.data();
  detail::for_row_blocks(batch, batch * la * lb, [&](std::size_t begin, std::size_t end) {
    std::vector<T> work(la, scalar_traits<T>::zero_like(*pa));
    for (std::size_t i = begin; i < end; ++i)
      kernels::divide_row(pa + i * lda, la, pb + i * ldb, lb, pq + i * lq, pr + i * lr, work.data());
  });
  return {std::move(q), std::move(r)};
}

} // namespace polybatch
