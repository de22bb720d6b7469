// truncate(e, n): the first n coefficients of e, as a lazy node. Its
// evaluator asks e for only those coefficients, so truncation pushes down
// into products, powers and compositions (power-series arithmetic).
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <utility>

#include "polybatch/core/checked_size.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/expr/closure.hpp"

namespace polybatch::expr {

/// The first n coefficients of the operand, zero-padded when n exceeds its
/// length.
template <class E>
class Truncate {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  Truncate(A&& a, std::size_t n)
      : operand_(std::forward<A>(a)), length_(detail::result_length<value_type>("truncate(e, n)", "n", n, {{"n", n}})) {
  }

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return length_; }
  const operand_type& operand() const { return operand_; }

private:
  closure_t<E> operand_;
  std::size_t length_;
};

} // namespace polybatch::expr

namespace polybatch {

/// The first n coefficients of e (n >= 1): a power series truncated at x^n.
/// Only those coefficients are computed. n < 1 is a shape_error.
template <PolyExpression E, std::integral N>
auto truncate(E&& e, N n) {
  if (n < 1)
    throw shape_error("truncate(e, n): n must be at least 1, got " + std::to_string(n) + " for e of shape " +
                      detail::shape_str(e.batch_size(), e.length()));
  return expr::Truncate<E>(std::forward<E>(e), static_cast<std::size_t>(n));
}

} // namespace polybatch
