// compose(a, b) = a(b(x)) as a lazy node, evaluated by Horner's scheme with
// truncated products, so truncate(compose(a, b), n) is power-series
// composition in O(La n min(Lb, n)) per row.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "polybatch/core/checked_size.hpp"
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
    (void)length();
  }

  std::size_t batch_size() const { return broadcast_batch(name, outer_, inner_); }
  std::size_t length() const {
    const std::size_t la = outer_.length(), lb = inner_.length();
    return detail::result_length<value_type>(name, "(La - 1)(Lb - 1) + 1", detail::CheckedSize(la - 1) * (lb - 1) + 1,
                                             {{"La", la}, {"Lb", lb}});
  }
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
