// Evaluators for pb::rebind<U>(e): the node rebuilds e's tree over U (cheap:
// it holds references to e's leaves) and runs it, so the rebound expression
// is tiled, fused and threaded like any other; each leaf's rows are converted
// into scratch tile by tile, never copied whole.
#pragma once

#include <cstddef>
#include <type_traits>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/exact/rebind.hpp"
#include "polybatch/expr/rebind.hpp"
#include "polybatch/scalar/convert.hpp"

namespace polybatch::evaluation {

template <class U, class Leaf>
struct evaluator<expr::ConvertLeaf<U, Leaf>> {
  using Node = expr::ConvertLeaf<U, Leaf>;
  using S = typename Node::source_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, U* out, std::size_t ldo,
                        Scratch<U>&) {
    const ConstRows<S> in = evaluator_of<Leaf>::rows(e.operand(), r0);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t k = 0; k < n; ++k)
        out[r * ldo + k] = polybatch::detail::convert_coefficient<U>(in.data[r * in.ld + k], "pb::rebind", r0 + r, k);
  }

  static std::size_t scratch_per_row(const Node&, std::size_t) { return 0; }

  /// Coefficient k is read before it is written, which is safe in place only
  /// when source and destination share the type (and so the layout).
  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    const auto& leaf = e.operand();
    if constexpr (std::is_same_v<S, U>)
      return operand_unsafe(leaf, dst, false);
    else
      return overlaps(leaf.data(), leaf.batch_size() * leaf.length() * sizeof(S), dst);
  }

  /// Converted values take U's defaults (the current precision for mpfr).
  static const U& sample(const Node& e) {
    if constexpr (std::is_same_v<S, U>) {
      return evaluation::sample(e.operand());
    } else {
      thread_local const U zero = U(0);
      return zero;
    }
  }
};

template <class U, class E>
struct evaluator<expr::Rebind<U, E>> {
  using Node = expr::Rebind<U, E>;
  static constexpr bool is_leaf = false;

  /// e's tree over U, reading e's leaves (valid while e is).
  static auto tree(const Node& e) { return exact::rebind_leaves<U, true>(e.operand()); }

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, U* out, std::size_t ldo,
                        Scratch<U>& scratch) {
    const auto t = tree(e);
    evaluation::eval_into(t, r0, rows, n, out, ldo, scratch);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) { return evaluation::scratch_per_row(tree(e), n); }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool flag) {
    const auto t = tree(e);
    return evaluator_of<decltype(t)>::unsafe_alias(t, dst, flag);
  }

  /// Converted values take U's defaults (the current precision for mpfr).
  static const U& sample(const Node&) {
    thread_local const U zero = U(0);
    return zero;
  }
};

} // namespace polybatch::evaluation
