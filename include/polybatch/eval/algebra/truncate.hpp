// Evaluator for truncate(e, n): asks e for its first min(n, Le) coefficients
// straight into the output and zero-fills the rest. No buffer of its own, so
// truncate(a * b, n) costs the O(n^2) truncated product and nothing more.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/algebra/truncate.hpp"
#include "polybatch/kernels/elementwise.hpp"

namespace polybatch::evaluation {

template <class E>
struct evaluator<expr::Truncate<E>> {
  using Node = expr::Truncate<E>;
  using Operand = typename Node::operand_type;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t kept = std::min(n, e.operand().length());
    evaluation::eval_into(e.operand(), r0, rows, kept, out, ldo, scratch);
    kernels::zero_fill_rows(rows, kept, n, out, ldo);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    return evaluation::scratch_per_row(e.operand(), std::min(n, e.operand().length()));
  }

  /// A leaf is copied coefficient-wise; an inner node writes where this node
  /// writes, so it inherits `writes_dst`.
  static bool unsafe_alias(const Node& e, const Destination& dst, bool writes_dst) {
    if constexpr (evaluation::is_leaf<Operand>)
      return operand_unsafe(e.operand(), dst, false);
    else
      return evaluator_of<Operand>::unsafe_alias(e.operand(), dst, writes_dst);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

} // namespace polybatch::evaluation
