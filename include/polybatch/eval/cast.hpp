// Evaluator for pb::cast<U>(e): the operand is computed tile by tile in its
// own scalar type, in a per-thread scratch of that type, and converted into
// the output. A cast node reads its operand into scratch before writing, so
// it never needs a temporary for aliasing by itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/cast.hpp"
#include "polybatch/kernels/checked_integer.hpp"
#include "polybatch/scalar/convert.hpp"

namespace polybatch::evaluation {

template <class U, class E>
struct evaluator<expr::Cast<U, E>> {
  using Node = expr::Cast<U, E>;
  using S = typename Node::source_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, U* out, std::size_t ldo,
                        Scratch<U>&) {
    const auto& op = e.operand();
    // Source-type scratch for this tile: the operand's own needs plus its
    // tile (leaves are read in place and need none).
    const std::size_t need = rows * (materialize_need(op, n) + 1);
    Scratch<S> source(need, scalar_traits<S>::zero_like(evaluation::sample(op)));
    // The operand's integer kernels report an overflow by its tile's row
    // and in S; the pass around this node is in U, maybe not an integer.
    const ConstRows<S> in = kernels::naming_batch_rows<S>(r0, [&] { return materialize(op, r0, rows, n, source); });
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t k = 0; k < n; ++k)
        out[r * ldo + k] = polybatch::detail::convert_coefficient<U>(in.data[r * in.ld + k], "pb::cast", r0 + r, k);
  }

  /// The source-type scratch of a row, counted in U: it sets the tile's
  /// rows like any node's scratch (without it a cast of an inner node took
  /// the largest tile, its operand's full rows for 2048 rows at once).
  static std::size_t scratch_per_row(const Node& e, std::size_t n) {
    const std::size_t bytes = detail::saturating_sum(
        detail::saturating_product(detail::saturating_sum(materialize_need(e.operand(), n), 1), sizeof(S)),
        sizeof(U) - 1);
    return bytes == SIZE_MAX ? SIZE_MAX : bytes / sizeof(U);
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.operand(), dst, false);
  }

  /// Converted values take U's defaults (the current precision for mpfr).
  static const U& sample(const Node&) {
    thread_local const U zero = U(0);
    return zero;
  }
};

} // namespace polybatch::evaluation
