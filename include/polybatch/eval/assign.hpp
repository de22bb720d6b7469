// Assignment into fixed memory (views): check the shape before touching
// anything, go through a temporary only when eval/alias.hpp says so.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/run.hpp"

namespace polybatch::evaluation {

/// dst (row-major batch x length at `data`) = e. A shape mismatch throws
/// shape_error naming `target` and leaves the memory untouched.
template <PolyExpression E, class T = value_type_of<E>>
void assign_to_memory(T* data, std::size_t batch, std::size_t length, const E& e, const char* target) {
  const std::size_t eb = e.batch_size();
  const std::size_t el = e.length();
  if (eb != batch || el != length)
    throw shape_error(std::string(target) + ": cannot assign an expression of shape " + detail::shape_str(eb, el) +
                      " to adapted memory of shape " + detail::shape_str(batch, length) +
                      " (a view cannot be resized)");
  const Destination dst{data, batch, length, batch * length * sizeof(T)};
  if (!needs_temporary(e, dst)) {
    run(e, data, batch, length);
    return;
  }
  std::vector<T> temporary(batch * length, scalar_traits<T>::zero_like(sample(e)));
  run(e, temporary.data(), batch, length);
  std::move(temporary.begin(), temporary.end(), data);
}

} // namespace polybatch::evaluation
