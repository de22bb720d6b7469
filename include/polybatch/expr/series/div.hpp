// pb::series::div(a, b, n) as a lazy node: the power-series quotient a/b mod
// x^n (b's constant term non-zero), with batch-of-1 broadcasting.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"
#include "polybatch/expr/shape.hpp"

namespace polybatch::expr {

template <class L, class R>
class SeriesDiv {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<L>;
  using numerator_type = std::remove_cvref_t<L>;
  using denominator_type = std::remove_cvref_t<R>;
  static constexpr const char* name = "pb::series::div(a, b, n)";

  template <class A, class B>
  SeriesDiv(A&& a, B&& b, std::size_t n) : num_(std::forward<A>(a)), den_(std::forward<B>(b)), length_(n) {
    (void)batch_size();
  }

  std::size_t batch_size() const { return broadcast_batch(name, num_, den_); }
  std::size_t length() const { return length_; }
  const numerator_type& numerator() const { return num_; }
  const denominator_type& denominator() const { return den_; }

private:
  closure_t<L> num_;
  closure_t<R> den_;
  std::size_t length_;
};

} // namespace polybatch::expr
