// A run-time expression tree that is itself a polybatch expression node:
// `Dynamic<T>` is a handle to a tree built while the program runs (from an
// expression string, say). Each tree node wraps an ordinary static node, and
// its evaluator dispatches once per tile, so `PolyBatch<T> r = dyn;` runs the
// same fused tiled pass, kernels, threads and alias rules as `r = a * b;`.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/expr/operators.hpp"

namespace polybatch::evaluation {
template <class T>
class Scratch;
struct Destination;
} // namespace polybatch::evaluation

namespace polybatch::expr {

/// Rows read in place from memory kept alive by a dynamic leaf node. It is a
/// container for the evaluator (rows are read, never computed), so operands
/// that are plain batches cost nothing extra in a dynamic tree.
template <Scalar T>
class LeafRef {
public:
  using is_polybatch_expression = void;
  using value_type = T;

  LeafRef(const T* data, std::size_t batch, std::size_t length) : data_(data), batch_(batch), length_(length) {}
  std::size_t batch_size() const { return batch_; }
  std::size_t length() const { return length_; }
  const T* data() const { return data_; }

private:
  const T* data_;
  std::size_t batch_;
  std::size_t length_;
};

/// One node of a run-time tree. Shapes are fixed when the node is built
/// (operands are owned), so they are stored, not recomputed per tile.
template <Scalar T>
class DynamicNode {
public:
  DynamicNode(std::size_t batch, std::size_t length) : batch_(batch), length_(length) {}
  virtual ~DynamicNode() = default;
  DynamicNode(const DynamicNode&) = delete;
  DynamicNode& operator=(const DynamicNode&) = delete;

  std::size_t batch_size() const { return batch_; }
  std::size_t length() const { return length_; }
  /// The rows in memory when this node is a plain batch, else null.
  virtual const LeafRef<T>* leaf() const { return nullptr; }

  // The evaluator protocol (eval/evaluator.hpp), one virtual call per tile.
  virtual void eval_into(std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                         evaluation::Scratch<T>& scratch) const = 0;
  virtual std::size_t scratch_per_row(std::size_t n) const = 0;
  virtual bool unsafe_alias(const evaluation::Destination& dst, bool flag) const = 0;
  virtual const T& sample() const = 0;

private:
  std::size_t batch_;
  std::size_t length_;
};

/// Handle to a run-time tree: cheap to copy (shared ownership of the tree).
/// `rows(first, count)` is the same tree restricted to a block of rows, for
/// evaluating a batch in pieces (progress reports) without copying anything.
template <Scalar T>
class Dynamic {
public:
  using is_polybatch_expression = void;
  using value_type = T;

  explicit Dynamic(std::shared_ptr<const DynamicNode<T>> node)
      : node_(std::move(node)), first_row_(0), rows_(node_->batch_size()) {}

  std::size_t batch_size() const { return rows_; }
  std::size_t length() const { return node_->length(); }

  /// Rows [first, first + count) of this expression.
  Dynamic rows(std::size_t first, std::size_t count) const {
    if (count == 0 || first > rows_ || count > rows_ - first)
      throw shape_error("Dynamic::rows: rows [" + std::to_string(first) + ", " + std::to_string(first + count) +
                        ") are outside a batch of " + std::to_string(rows_));
    Dynamic d(*this);
    d.first_row_ = first_row_ + first;
    d.rows_ = count;
    return d;
  }

  const DynamicNode<T>& node() const { return *node_; }
  const std::shared_ptr<const DynamicNode<T>>& node_ptr() const { return node_; }
  std::size_t first_row() const { return first_row_; }
  /// The rows in memory when this is a whole plain batch, else null.
  const LeafRef<T>* leaf() const { return first_row_ == 0 && rows_ == node_->batch_size() ? node_->leaf() : nullptr; }

private:
  std::shared_ptr<const DynamicNode<T>> node_;
  std::size_t first_row_;
  std::size_t rows_;
};

// LeafRef and Dynamic carry no polybatch type in their template arguments,
// so argument-dependent lookup would not find the operators in namespace
// polybatch from user code: make them visible here.
using polybatch::operator*;
using polybatch::operator+;
using polybatch::operator-;

} // namespace polybatch::expr
