// pb::evaluate(a, x): the values of a batch of polynomials at points, in the
// three contract forms (one point for all rows, one point per row, B x P
// points). Horner by default; machine scalars run independent chains so the
// one-point-per-row form streams at memory speed, and the many-points form
// vectorises across a row's points. Expressions are evaluated first.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include <xtensor/xtensor.hpp>

#include "polybatch/algebra/row_blocks.hpp"
#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/expr/operators.hpp"
#include "polybatch/kernels/algebra/horner.hpp"
#include "polybatch/kernels/algebra/horner_select.hpp"

namespace polybatch {

namespace detail {

/// Batch size of a row-wise operation between B polynomials and M point
/// rows: equal, or one of them 1.
inline std::size_t evaluate_batch(std::size_t polys, std::size_t length, std::size_t point_rows) {
  if (polys == point_rows || point_rows == 1) return polys;
  if (polys == 1) return point_rows;
  throw shape_error("evaluate(a, x): " + std::to_string(point_rows) + " point rows do not broadcast against a batch " +
                    shape_str(polys, length) + " (equal sizes, or one of them 1, are required)");
}

/// Values of rows of `a` (a container) at one point per row.
template <class A, class T = value_type_of<A>>
xt::xtensor<T, 1> evaluate_rows(const A& a, const T* x, std::size_t ldx, std::size_t batch) {
  const std::size_t len = a.length();
  const std::size_t ldc = a.batch_size() == 1 ? 0 : len;
  auto out = xt::xtensor<T, 1>::from_shape({batch});
  const T* c = a.data();
  T* o = out.data();
  for_row_blocks(batch, batch * len, [&](std::size_t begin, std::size_t end) {
    kernels::horner_rows_of_type(end - begin, len, c + begin * ldc, ldc, x + begin * ldx, ldx, o + begin, begin);
  });
  return out;
}

template <PolyExpression E>
decltype(auto) as_container(const E& e) {
  if constexpr (PolyContainer<E>) {
    // A batch whose coeffs() were resized to B = 0 or L = 0.
    check_shape("polybatch: an operand", e.batch_size(), e.length());
    return (e);
  } else {
    return eval(e);
  }
}

} // namespace detail

/// Every row at the same point x: B values. `x` is a T or a built-in number
/// T holds exactly (otherwise domain_error).
template <PolyExpression E, class S>
requires ScaleFactorFor<S, value_type_of<E>> xt::xtensor < value_type_of<E>,
1 > evaluate(const E& a, S&& x) {
  using T = value_type_of<E>;
  const T point = detail::exact_scalar<T>(std::forward<S>(x), "pb::evaluate(a, x)", "point");
  const auto& p = detail::as_container(a);
  return detail::evaluate_rows(p, &point, 0, p.batch_size());
}

/// Row i at x[i]: B values (a batch of 1 is evaluated at every point; a
/// single point is used for every row).
template <PolyExpression E>
xt::xtensor<value_type_of<E>, 1> evaluate(const E& a, const xt::xtensor<value_type_of<E>, 1>& x) {
  const auto& p = detail::as_container(a);
  const std::size_t batch = detail::evaluate_batch(p.batch_size(), p.length(), x.size());
  return detail::evaluate_rows(p, x.data(), x.size() == 1 ? 0 : 1, batch);
}

/// Row i at x(i, j) for j < P: a B x P array (rows broadcast as above).
template <PolyExpression E>
xt::xtensor<value_type_of<E>, 2> evaluate(const E& a, const xt::xtensor<value_type_of<E>, 2>& x) {
  using T = value_type_of<E>;
  const auto& p = detail::as_container(a);
  const std::size_t points = x.shape()[1];
  const std::size_t batch = detail::evaluate_batch(p.batch_size(), p.length(), x.shape()[0]);
  auto out = xt::xtensor<T, 2>::from_shape({batch, points});
  if (points == 0) return out;
  const std::size_t len = p.length();
  const std::size_t ldc = p.batch_size() == 1 ? 0 : len;
  const std::size_t ldx = x.shape()[0] == 1 ? 0 : points;
  const T* c = p.data();
  const T* xs = x.data();
  T* o = out.data();
  detail::for_row_blocks(batch, batch * points * len, [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; ++r) {
      if constexpr (kernels::is_checked_integer<T>) {
        for (std::size_t p = 0; p < points; ++p)
          o[r * points + p] = kernels::checked_horner(c + r * ldc, len, xs[r * ldx + p], r, p);
      } else {
        kernels::horner_points(len, c + r * ldc, points, xs + r * ldx, o + r * points);
      }
    }
  });
  return out;
}

} // namespace polybatch
