// Evaluator for containers and views: rows are read in place, nothing is
// computed. A batch of one is broadcast with stride 0.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/core/concepts.hpp"
#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/kernels/elementwise.hpp"

namespace polybatch::evaluation {

template <class Node>
requires PolyContainer<Node>
struct evaluator<Node> {
  using T = value_type_of<Node>;
  static constexpr bool is_leaf = true;

  static ConstRows<T> rows(const Node& e, std::size_t r0) {
    if (e.batch_size() == 1) return {e.data(), 0};
    return {e.data() + r0 * e.length(), e.length()};
  }

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows_, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>&) {
    const ConstRows<T> in = rows(e, r0);
    kernels::copy_rows(rows_, n, in.data, in.ld, out, ldo);
  }

  static std::size_t scratch_per_row(const Node&, std::size_t) { return 0; }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool strict) {
    return leaf_unsafe(e.data(), e.batch_size(), e.length(), dst, strict);
  }

  static const T& sample(const Node& e) { return *e.data(); }
};

} // namespace polybatch::evaluation
