// Per-thread scratch for one fused pass: a stack of scalars sized once per
// evaluation from the expression's needs for one tile of rows. Inner nodes
// take their tile buffers from it and give them back, so memory use depends
// on the tile and the expression, never on the batch size.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <vector>

namespace polybatch::evaluation {

template <class T>
class Scratch {
public:
  /// `prototype` carries run-time attributes (MPFR precision) into every
  /// scratch value.
  Scratch(std::size_t size, const T& prototype) : buffer_(size, prototype), accumulator_(prototype) {}

  T* take(std::size_t count) {
    if (top_ + count > buffer_.size()) throw std::logic_error("polybatch internal error: scratch estimate too small");
    T* p = buffer_.data() + top_;
    top_ += count;
    return p;
  }
  std::size_t mark() const { return top_; }
  void release(std::size_t mark) { top_ = mark; }

  /// One value that kernels accumulate into (reused, never reallocated).
  T& accumulator() { return accumulator_; }

private:
  std::vector<T> buffer_;
  std::size_t top_ = 0;
  T accumulator_;
};

} // namespace polybatch::evaluation
