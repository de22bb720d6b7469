// numpy-compatible row-wise convolve/correlate as lazy product nodes.
#pragma once

#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/product.hpp"

namespace polybatch {

/// numpy.convolve(a[i], v[i], m) row by row. `convolve(a, v)` is `a * v`.
template <class A, class V>
requires SameScalarExpressions<A, V>
auto convolve(A&& a, V&& v, mode m = mode::full) {
  return expr::Product<A, V>(std::forward<A>(a), std::forward<V>(v), expr::product_kind::convolve, m);
}

/// numpy.correlate(a[i], v[i], m) row by row: what torch.conv1d computes.
template <class A, class V>
requires SameScalarExpressions<A, V>
auto correlate(A&& a, V&& v, mode m = mode::valid) {
  return expr::Product<A, V>(std::forward<A>(a), std::forward<V>(v), expr::product_kind::correlate, m);
}

} // namespace polybatch
