// Equality of batches: same shape and every coefficient equal. Expressions
// are evaluated first, so `derivative(integral(a)) == a` reads naturally.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"

namespace polybatch {

template <PolyExpression A, PolyExpression B>
requires SameScalarExpressions<A, B>
bool operator==(const A& a, const B& b) {
  if constexpr (!PolyContainer<A>) {
    return eval(a) == b;
  } else if constexpr (!PolyContainer<B>) {
    return a == eval(b);
  } else {
    if (a.batch_size() != b.batch_size() || a.length() != b.length()) return false;
    return std::equal(a.data(), a.data() + a.batch_size() * a.length(), b.data());
  }
}

} // namespace polybatch
