// The jet evaluator's protocol. A right-hand side f(y) is differentiated in
// time coefficient by coefficient: `jet<Node, T>` mirrors one expression node
// and keeps its Taylor coefficients for W trajectories side by side: row j
// is one kernels::jet::Lanes<T, W> value. Every jet provides
//   jet(node, frame)          buffers sized from the frame (order, lanes)
//   compute(k)                coefficient k of the node in all W lanes (lanes
//                             without a trajectory hold a copy of one), its
//                             operands' coefficients 0..k being known
//   coeffs()                  the node's rows of coefficients, 0..order
//   load_lane(lane, row)      trajectory `row` now runs in `lane` (constants)
//   move_lane(from, to)       a lane's trajectory moves (compaction)
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "polybatch/kernels/jet/lanes.hpp"

namespace polybatch::evaluation::jet {

/// A jet built for a node, for equal nodes to share (eval/jet/share.hpp).
struct shared_entry {
  const std::type_info* type;
  const void* node;
  std::shared_ptr<void> box;
};

/// The value series of a sqrt or non-integer power node (coefficients
/// 0..order - 1), which must stay positive over a step: past a zero of the
/// argument the Taylor polynomial follows the analytic continuation
/// (sqrt((1 - t)^2) is 1 - t), not the real function, and where the
/// continuation is a polynomial no coefficient warns of it.
template <class T, std::size_t W>
struct positive_series {
  const kernels::jet::Lanes<T, W>* value;
};

/// What every jet of one integration shares: the order, the lanes, and the
/// state series y_i (N x (order + 1) rows) that the leaves read.
template <class T, std::size_t W>
struct Frame {
  using pack = kernels::jet::Lanes<T, W>;
  std::size_t order = 0;   // p: coefficients 0..p are kept
  std::size_t lanes = 0;   // lanes running a trajectory, a prefix of [0, W)
  std::size_t batch = 0;   // trajectories of the whole problem
  std::size_t row[W] = {}; // the trajectory in each lane, for messages
  pack zero{};             // zeros at the operands' precision
  std::vector<pack> state;
  std::size_t tick = 0;                        // counts coefficient sweeps: a shared jet computes once per sweep
  std::vector<shared_entry> shared;            // the jets of non-leaf nodes, by node
  std::vector<positive_series<T, W>> positive; // series each step must keep positive

  pack* variable(std::size_t i) { return state.data() + i * (order + 1); }
  const pack* variable(std::size_t i) const { return state.data() + i * (order + 1); }
  std::vector<pack> buffer() const { return std::vector<pack>(order + 1, zero); }
};

template <class Node>
inline constexpr bool no_jet_for = false;

/// Nodes without a coefficient recurrence land here.
template <class Node, class P>
struct jet {
  static_assert(no_jet_for<Node>,
                "pb::taylor::integrate: f may only combine y[i], constants of length 1, a + b, a - b, -a, a * b, "
                "scalar operations (s * a, a + s, s - a, ...) and pb::series functions; this expression node has no "
                "Taylor-coefficient recurrence in the jet evaluator");
};

template <class Node, class P>
using jet_of = jet<std::remove_cvref_t<Node>, P>;

} // namespace polybatch::evaluation::jet
