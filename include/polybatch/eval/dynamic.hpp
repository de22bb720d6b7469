// Evaluation of run-time trees (expr/dynamic.hpp). A tree node wraps a static
// node whose operands are either LeafRef (a batch read in place) or Dynamic
// (another tree node); its virtual methods forward to that static node's
// evaluator, so kernels, tiling, threads and alias rules are the library's
// own. `dynamic_unary` / `dynamic_binary` build tree nodes from any function
// that builds a static node, which is how new node kinds join at run time.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/leaf.hpp"
#include "polybatch/expr/dynamic.hpp"

namespace polybatch::evaluation {

template <class T>
struct evaluator<expr::Dynamic<T>> {
  using Node = expr::Dynamic<T>;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    // A node with a batch of one is read at row 0 whatever the window.
    const std::size_t first = e.node().batch_size() == 1 ? 0 : e.first_row() + r0;
    e.node().eval_into(first, rows, n, out, ldo, scratch);
  }
  static std::size_t scratch_per_row(const Node& e, std::size_t n) { return e.node().scratch_per_row(n); }
  static bool unsafe_alias(const Node& e, const Destination& dst, bool flag) {
    return e.node().unsafe_alias(dst, flag);
  }
  static const T& sample(const Node& e) { return e.node().sample(); }
};

/// A tree node that is a batch in memory, kept alive by `owner`.
template <class T>
class DynamicLeafNode final : public expr::DynamicNode<T> {
public:
  DynamicLeafNode(expr::LeafRef<T> ref, std::shared_ptr<const void> owner)
      : expr::DynamicNode<T>(ref.batch_size(), ref.length()), ref_(ref), owner_(std::move(owner)) {}

  const expr::LeafRef<T>* leaf() const override { return &ref_; }
  void eval_into(std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                 Scratch<T>& scratch) const override {
    evaluator_of<expr::LeafRef<T>>::eval_into(ref_, r0, rows, n, out, ldo, scratch);
  }
  std::size_t scratch_per_row(std::size_t) const override { return 0; }
  bool unsafe_alias(const Destination& dst, bool flag) const override {
    return evaluator_of<expr::LeafRef<T>>::unsafe_alias(ref_, dst, flag);
  }
  const T& sample() const override { return *ref_.data(); }

private:
  expr::LeafRef<T> ref_;
  std::shared_ptr<const void> owner_;
};

/// A tree node that computes a static node `Static` whose operands it owns.
template <class T, class Static>
class DynamicStaticNode final : public expr::DynamicNode<T> {
public:
  DynamicStaticNode(Static node, std::vector<std::shared_ptr<const void>> keep_alive)
      : expr::DynamicNode<T>(node.batch_size(), node.length()), node_(std::move(node)),
        keep_alive_(std::move(keep_alive)) {}

  void eval_into(std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                 Scratch<T>& scratch) const override {
    evaluator_of<Static>::eval_into(node_, r0, rows, n, out, ldo, scratch);
  }
  std::size_t scratch_per_row(std::size_t n) const override { return evaluation::scratch_per_row(node_, n); }
  bool unsafe_alias(const Destination& dst, bool flag) const override {
    return evaluator_of<Static>::unsafe_alias(node_, dst, flag);
  }
  const T& sample() const override { return evaluation::sample(node_); }

private:
  Static node_;
  std::vector<std::shared_ptr<const void>> keep_alive_;
};

} // namespace polybatch::evaluation

namespace polybatch {

/// A run-time expression that reads `batch` (any container) in place and
/// keeps it alive.
template <class Container>
requires PolyContainer<Container> expr::Dynamic<value_type_of<Container>>
dynamic_leaf(std::shared_ptr<const Container> batch) {
  using T = value_type_of<Container>;
  const expr::LeafRef<T> ref(batch->data(), batch->batch_size(), batch->length());
  return expr::Dynamic<T>(std::make_shared<evaluation::DynamicLeafNode<T>>(ref, std::move(batch)));
}

/// Wraps the static node that `make(x)` builds from operand x (passed by
/// value, so the node owns it) as a run-time tree node. x is a LeafRef when
/// `a` is a plain batch, so leaves are still read in place by the kernels.
template <Scalar T, class Make>
expr::Dynamic<T> dynamic_unary(const expr::Dynamic<T>& a, Make&& make) {
  std::vector<std::shared_ptr<const void>> keep{a.node_ptr()};
  auto wrap = [&](auto node) {
    return expr::Dynamic<T>(
        std::make_shared<evaluation::DynamicStaticNode<T, decltype(node)>>(std::move(node), std::move(keep)));
  };
  if (const expr::LeafRef<T>* leaf = a.leaf()) return wrap(make(expr::LeafRef<T>(*leaf)));
  return wrap(make(expr::Dynamic<T>(a)));
}

/// As dynamic_unary for a node of two operands.
template <Scalar T, class Make>
expr::Dynamic<T> dynamic_binary(const expr::Dynamic<T>& a, const expr::Dynamic<T>& b, Make&& make) {
  std::vector<std::shared_ptr<const void>> keep{a.node_ptr(), b.node_ptr()};
  auto wrap = [&](auto node) {
    return expr::Dynamic<T>(
        std::make_shared<evaluation::DynamicStaticNode<T, decltype(node)>>(std::move(node), std::move(keep)));
  };
  const expr::LeafRef<T>* la = a.leaf();
  const expr::LeafRef<T>* lb = b.leaf();
  if (la && lb) return wrap(make(expr::LeafRef<T>(*la), expr::LeafRef<T>(*lb)));
  if (la) return wrap(make(expr::LeafRef<T>(*la), expr::Dynamic<T>(b)));
  if (lb) return wrap(make(expr::Dynamic<T>(a), expr::LeafRef<T>(*lb)));
  return wrap(make(expr::Dynamic<T>(a), expr::Dynamic<T>(b)));
}

} // namespace polybatch
