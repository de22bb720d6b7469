// compose(a, b) = a(b(x)) as a lazy node, evaluated by Horner's scheme with
// truncated products, so truncate(compose(a, b), n) is power-series
// composition in O(La n min(Lb, n)) per row.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/expr/closure.hpp"
#include "polybatch/expr/shape.hpp"

namespace polybatch::expr {

/// a(b(x)) row by row, length (La - 1)(Lb - 1) + 1.
template <class L, class R>
class Compose {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<L>;
  using outer_type = std::remove_cvref_t<L>;
  using inner_type = std::remove_cvref_t<R>;
  static constexpr const char* name = "compose(a, b)";

  template <class A, class B>
  Compose(A&& a, B&& b) : outer_(std::forward<A>(a)), inner_(std::forward<B>(b)) {
    (void)batch_size();
    const std::size_t da = outer_.length() - 1;
    const std::size_t db = inner_.length() - 1;
    if (db > 0 && da > (std::numeric_limits<std::size_t>::max() - 1) / db)
      throw shape_error(std::string(name) + ": the result length (La - 1)(Lb - 1) + 1 overflows");
  }

  std::size_t batch_size() const { return broadcast_batch(name, outer_, inner_); }
  std::size_t length() const { return (outer_.length() - 1) * (inner_.length() - 1) + 1; }
  /// a, the polynomial applied last.
  const outer_type& outer() const { return outer_; }
  /// b, substituted for x.
  const inner_type& inner() const { return inner_; }

private:
  closure_t<L> outer_;
  closure_t<R> inner_;
};

} // namespace polybatch::expr

namespace polybatch {

/// a(b(x)) row by row (batch-of-1 broadcasting): length (La - 1)(Lb - 1) + 1.
template <class A, class B>
requires SameScalarExpressions<A, B>
auto compose(A&& a, B&& b) { return expr::Compose<A, B>(std::forward<A>(a), std::forward<B>(b)); }

} // namespace polybatch
