// Aliasing rules (after Eigen's "products assume aliasing" and Blaze's
// run-time canAlias): an assignment needs a temporary only when the
// destination's memory is read in a way a direct write could corrupt.
//
// Rows are independent and every inner node is computed into scratch for a
// tile before the tile's rows are written, so the only hazards are:
//  - a leaf read by a product-like node that writes the destination directly
//    (it still reads row i while writing row i): any overlap is unsafe;
//  - a leaf overlapping the destination with a different layout (another
//    offset, length or batch): unsafe wherever it is read;
// A leaf with exactly the destination's layout read coefficient-wise
// (a = a + b, a = 2 * a) is safe in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "polybatch/eval/evaluator.hpp"

namespace polybatch::evaluation {

inline bool overlaps(const void* a, std::size_t a_bytes, const Destination& dst) {
  const auto a0 = reinterpret_cast<std::uintptr_t>(a);
  const auto d0 = reinterpret_cast<std::uintptr_t>(dst.data);
  return a0 < d0 + dst.bytes && d0 < a0 + a_bytes;
}

/// `strict`: the leaf is read while the destination is written by a
/// non-coefficient-wise kernel.
template <class T>
bool leaf_unsafe(const T* data, std::size_t batch, std::size_t length, const Destination& dst, bool strict) {
  if (!overlaps(data, batch * length * sizeof(T), dst)) return false;
  // Same address, shape and element size: a cast between types of
  // different sizes (float into double at one address) writes past the
  // coefficient it reads.
  const bool same_layout = static_cast<const void*>(data) == dst.data && batch == dst.batch && length == dst.length &&
                           batch * length * sizeof(T) == dst.bytes;
  return strict || !same_layout;
}

/// Whether operand `e` of a node is unsafe to read while the destination is
/// written. `reads_while_writing_dst` is true for operands of a
/// product-like node whose output goes straight into the destination.
template <class Node>
bool operand_unsafe(const Node& e, const Destination& dst, bool reads_while_writing_dst) {
  return evaluator_of<Node>::unsafe_alias(e, dst, is_leaf<Node> && reads_while_writing_dst);
}

/// Whether `dst = e` must go through a temporary.
template <class Node>
bool needs_temporary(const Node& e, const Destination& dst) {
  return evaluator_of<Node>::unsafe_alias(e, dst, is_leaf<Node> ? false : true);
}

} // namespace polybatch::evaluation
