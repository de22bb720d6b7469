// Shape rules shared by expression nodes: how batch sizes broadcast and how
// a mismatch is reported. Checked when a node is built and again whenever a
// node is asked for its shape (a referenced batch may have been resized).
#pragma once

#include <cstddef>
#include <string>

#include "polybatch/core/errors.hpp"

namespace polybatch::expr {

/// The batch size of a row-wise binary operation: equal sizes, or a batch of
/// one against any batch. Anything else is a shape_error naming `op`.
template <class A, class B>
std::size_t broadcast_batch(const char* op, const A& a, const B& b) {
  const std::size_t ba = a.batch_size();
  const std::size_t bb = b.batch_size();
  if (ba == bb || bb == 1) return ba;
  if (ba == 1) return bb;
  throw shape_error(std::string(op) + ": batch sizes do not broadcast: lhs " + detail::shape_str(ba, a.length()) +
                    " vs rhs " + detail::shape_str(bb, b.length()) +
                    " (equal batch sizes, or one of them 1, are required)");
}

} // namespace polybatch::expr
