// Common subexpressions in a right-hand side share one jet: a node equal to
// one seen before (same type, same scalars, same leaves) refers to that
// node's jet instead of building its own, so `pow(x*x + y*y, -1.5)` written
// twice is computed once per coefficient. Leaves are cheap and not shared.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <typeinfo>
#include <utility>

#include "polybatch/core/concepts.hpp"
#include "polybatch/eval/jet/frame.hpp"
#include "polybatch/eval/jet/lazy.hpp"
#include "polybatch/expr/add_scalar.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/jet/variable.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/expr/series/div.hpp"
#include "polybatch/expr/series/pow.hpp"
#include "polybatch/expr/series/unary.hpp"

namespace polybatch::evaluation::jet {

/// Whether two nodes of one type compute the same series. Anything not
/// listed is equal only to itself, which is always safe.
template <class N>
bool same_node(const N& a, const N& b) {
  return &a == &b;
}
template <class T>
bool same_node(const expr::jet::JetVariable<T>& a, const expr::jet::JetVariable<T>& b) {
  return a.index() == b.index();
}
template <class L, class R, bool S>
bool same_node(const expr::Sum<L, R, S>& a, const expr::Sum<L, R, S>& b) {
  return same_node(a.lhs(), b.lhs()) && same_node(a.rhs(), b.rhs());
}
template <class L, class R>
bool same_node(const expr::Product<L, R>& a, const expr::Product<L, R>& b) {
  return a.kind() == b.kind() && a.output_mode() == b.output_mode() && same_node(a.lhs(), b.lhs()) &&
         same_node(a.rhs(), b.rhs());
}
template <class E>
bool same_node(const expr::Negate<E>& a, const expr::Negate<E>& b) {
  return same_node(a.operand(), b.operand());
}
template <class E>
bool same_node(const expr::Scaled<E>& a, const expr::Scaled<E>& b) {
  return a.factor() == b.factor() && same_node(a.operand(), b.operand());
}
template <class E, bool N, bool S>
bool same_node(const expr::AddScalar<E, N, S>& a, const expr::AddScalar<E, N, S>& b) {
  return a.scalar() == b.scalar() && same_node(a.operand(), b.operand());
}
template <expr::series_fn F, class E>
bool same_node(const expr::SeriesUnary<F, E>& a, const expr::SeriesUnary<F, E>& b) {
  return same_node(a.operand(), b.operand());
}
template <class E>
bool same_node(const expr::SeriesPow<E>& a, const expr::SeriesPow<E>& b) {
  return a.exponent() == b.exponent() && same_node(a.operand(), b.operand());
}
template <class L, class R>
bool same_node(const expr::SeriesDiv<L, R>& a, const expr::SeriesDiv<L, R>& b) {
  return same_node(a.numerator(), b.numerator()) && same_node(a.denominator(), b.denominator());
}

/// One shared jet and the sweep (Frame::tick) it last computed.
template <class Node, class P>
struct shared_box {
  template <class Frame>
  shared_box(const Node& e, Frame& f) : jet(e, f) {}
  jet_of<Node, P> jet;
  std::size_t tick = static_cast<std::size_t>(-1);
};

/// An operand's jet, shared with every equal node of the same frame. Each
/// holder calls compute(k); only the first call of a sweep does the work.
/// load_lane and move_lane only copy constants, so repeating them is
/// harmless.
template <class Node, class P>
class shared_jet {
  using Box = shared_box<Node, P>;

public:
  template <class Frame>
  shared_jet(const Node& e, Frame& f) : tick_(&f.tick) {
    for (const auto& s : f.shared)
      if (s.type == &typeid(Node) && same_node(*static_cast<const Node*>(s.node), e)) {
        box_ = std::static_pointer_cast<Box>(s.box);
        return;
      }
    box_ = std::make_shared<Box>(e, f);
    f.shared.push_back({&typeid(Node), &e, box_});
  }
  void compute(std::size_t k) {
    if (box_->tick == *tick_) return;
    box_->tick = *tick_;
    box_->jet.compute(k);
  }
  const P* coeffs() const { return box_->jet.coeffs(); }
  /// Forming a lazy coefficient only reads: no sweep bookkeeping needed.
  void prepare(std::size_t k) requires lazy_jet<jet_of<Node, P>> { box_->jet.prepare(k); }
  auto chunk(std::size_t k, std::size_t c) const requires lazy_jet<jet_of<Node, P>> { return box_->jet.chunk(k, c); }
  void load_lane(std::size_t lane, std::size_t row) { box_->jet.load_lane(lane, row); }
  void move_lane(std::size_t from, std::size_t to) { box_->jet.move_lane(from, to); }

private:
  const std::size_t* tick_;
  std::shared_ptr<Box> box_;
};

template <class Node>
inline constexpr bool is_jet_leaf = PolyContainer<Node>;
template <class T>
inline constexpr bool is_jet_leaf<expr::jet::JetVariable<T>> = true;

/// The jet an operand gets: leaves their own, other nodes a shared one.
template <class Node, class P>
using operand_jet = std::conditional_t<is_jet_leaf<std::remove_cvref_t<Node>>, jet_of<Node, P>,
                                       shared_jet<std::remove_cvref_t<Node>, P>>;

} // namespace polybatch::evaluation::jet
