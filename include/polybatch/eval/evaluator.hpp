// The evaluator protocol: how a node computes a tile of rows. Nodes hold
// operands only; `evaluator<Node>` (specialised per node kind in eval/) knows
// how to compute them, what scratch they need and whether they read memory
// that an assignment is about to overwrite.
//
// Every evaluator provides, for a node `e` with scalar T:
//   is_leaf                      rows can be read in place (containers, views)
//   eval_into(e, r0, rows, n, out, ldo, scratch)
//        write coefficients [0, n) (n <= e.length()) of rows [r0, r0 + rows)
//        to out + r * ldo; only the work for those n coefficients is done
//   scratch_per_row(e, n)        scratch scalars per tile row for eval_into
//   unsafe_alias(e, dst, flag)   see eval/alias.hpp
//   sample(e)                    a coefficient whose run-time attributes
//                                (MPFR precision) scratch should copy
// and leaves also `rows(e, r0)`, a pointer to row r0 and its stride
// (stride 0 broadcasts a batch of one).
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>

#include "polybatch/core/checked_size.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/eval/scratch.hpp"

namespace polybatch::evaluation {

template <class Node>
struct evaluator;

template <class Node>
using evaluator_of = evaluator<std::remove_cvref_t<Node>>;

template <class Node>
inline constexpr bool is_leaf = evaluator_of<Node>::is_leaf;

/// Rows of an operand: row r starts at data + r * ld (ld = 0: broadcast).
template <class T>
struct ConstRows {
  const T* data;
  std::size_t ld;
};

/// The memory an assignment writes: a contiguous row-major B x L block.
struct Destination {
  const void* data;
  std::size_t batch;
  std::size_t length;
  std::size_t bytes;
};

template <class Node, class T>
void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
               Scratch<T>& scratch) {
  evaluator_of<Node>::eval_into(e, r0, rows, n, out, ldo, scratch);
}

template <class Node>
std::size_t scratch_per_row(const Node& e, std::size_t n) {
  return evaluator_of<Node>::scratch_per_row(e, n);
}

/// Scratch scalars for `rows` rows of e at length n, refused as a
/// shape_error where the total is not one allocation's worth (a tree of
/// very long nodes: their needs add up past what size_t holds).
template <class Node>
std::size_t scratch_for_rows(const Node& e, std::size_t n, std::size_t rows) {
  const detail::CheckedSize total = detail::CheckedSize(scratch_per_row(e, n)) * rows;
  constexpr std::size_t most = detail::max_elements<value_type_of<Node>>();
  if (total.overflowed() || total.value() > most)
    throw shape_error("evaluating an expression of length " + std::to_string(n) + ": its intermediate results for " +
                      std::to_string(rows) + (rows == 1 ? " row" : " rows") + " need more than " +
                      std::to_string(most) + " coefficients, more than one allocation holds");
  return total.value();
}

template <class Node>
const value_type_of<Node>& sample(const Node& e) {
  return evaluator_of<Node>::sample(e);
}

/// Scratch per tile row needed to materialise the first n coefficients of
/// an operand: nothing for a leaf (read in place), else its own buffer plus
/// whatever it needs inside.
template <class Node>
std::size_t materialize_need(const Node& e, std::size_t n) {
  if constexpr (is_leaf<Node>)
    return 0;
  else
    return detail::saturating_sum(n, scratch_per_row(e, n));
}

/// The first n coefficients of rows [r0, r0 + rows) of an operand, read in
/// place for leaves and computed into scratch otherwise. An operand with a
/// batch of one is computed once and broadcast (stride 0).
template <class Node, class T>
ConstRows<T> materialize(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, Scratch<T>& scratch) {
  if constexpr (is_leaf<Node>) {
    return evaluator_of<Node>::rows(e, r0);
  } else {
    if (e.batch_size() == 1) {
      T* buf = scratch.take(n);
      eval_into(e, 0, 1, n, buf, n, scratch);
      return {buf, 0};
    }
    T* buf = scratch.take(rows * n);
    eval_into(e, r0, rows, n, buf, n, scratch);
    return {buf, n};
  }
}

} // namespace polybatch::evaluation
