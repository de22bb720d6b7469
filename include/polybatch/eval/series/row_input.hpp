// Shared by the power-series evaluators: one row of an operand copied into a
// work buffer and zero-padded to the length the recurrences read. Copying
// first lets a row be written where its input was read (`a = exp(a)`).
#pragma once

#include <cstddef>

#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/eval/evaluator.hpp"

namespace polybatch::evaluation::series_detail {

/// Row r of `a` (its first `have` coefficients) into `dst`[0, width),
/// zero-padded.
template <class T>
void load_row(const ConstRows<T>& a, std::size_t r, std::size_t have, std::size_t width, T* dst) {
  const T* src = a.data + r * a.ld;
  for (std::size_t k = 0; k < have && k < width; ++k) dst[k] = src[k];
  for (std::size_t k = have; k < width; ++k) dst[k] = scalar_traits<T>::zero_like(src[0]);
}

} // namespace polybatch::evaluation::series_detail
