// Evaluator for the scalar-constant node (a + s, s + a, a - s, s - a). It is
// coefficient-wise: its kernel may write over an operand with the
// destination's exact layout, so it never forces a temporary by itself.
#pragma once

#include <cstddef>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/expr/add_scalar.hpp"
#include "polybatch/kernels/add_scalar.hpp"

namespace polybatch::evaluation {

template <class E, bool NegateOperand, bool SubtractScalar>
struct evaluator<expr::AddScalar<E, NegateOperand, SubtractScalar>> {
  using Node = expr::AddScalar<E, NegateOperand, SubtractScalar>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.operand(), r0, rows, n, scratch);
    kernels::add_scalar_rows<NegateOperand, SubtractScalar>(rows, n, e.scalar(), a.data, a.ld, out, ldo);
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t n) { return materialize_need(e.operand(), n); }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.operand(), dst, false);
  }

  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

} // namespace polybatch::evaluation
