// pb::series::inv, exp, log, sqrt, sin, cos, tan, atan, sinh, cosh, tanh as
// one lazy node kind: a function of one power series, truncated to n
// coefficients. The function is a compile-time tag; the evaluator picks the
// row recurrence from it.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"

namespace polybatch::expr {

enum class series_fn { inv, exp, log, sqrt, sin, cos, tan, atan, sinh, cosh, tanh };

/// The function's name in messages.
constexpr const char* series_name(series_fn f) {
  switch (f) {
  case series_fn::inv:
    return "pb::series::inv(a, n)";
  case series_fn::exp:
    return "pb::series::exp(a, n)";
  case series_fn::log:
    return "pb::series::log(a, n)";
  case series_fn::sqrt:
    return "pb::series::sqrt(a, n)";
  case series_fn::sin:
    return "pb::series::sin(a, n)";
  case series_fn::cos:
    return "pb::series::cos(a, n)";
  case series_fn::tan:
    return "pb::series::tan(a, n)";
  case series_fn::atan:
    return "pb::series::atan(a, n)";
  case series_fn::sinh:
    return "pb::series::sinh(a, n)";
  case series_fn::cosh:
    return "pb::series::cosh(a, n)";
  case series_fn::tanh:
    return "pb::series::tanh(a, n)";
  }
  return "pb::series";
}

/// f(a) mod x^n row by row.
template <series_fn F, class E>
class SeriesUnary {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;
  static constexpr series_fn function = F;

  template <class A>
  SeriesUnary(A&& a, std::size_t n) : operand_(std::forward<A>(a)), length_(n) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return length_; }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<E> operand_;
  std::size_t length_;
};

} // namespace polybatch::expr
