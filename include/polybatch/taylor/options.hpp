// What pb::taylor::integrate takes besides the problem (options) and what it
// returns (result<T>): plain aggregates, so `options{.order = 20, .tol = 1e-12}`
// reads at the call site.
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "polybatch/container/poly_batch.hpp"

namespace polybatch::taylor {

struct options {
  /// Taylor order of every step; 0 picks it from tol: ceil(-0.6 ln(tol) + 1)
  /// for float and double, ceil(-ln(tol)/2 + 1) (heyoka's rule) otherwise.
  std::size_t order = 0;
  /// Bound on each step's local error, relative to max(1, largest |state|)
  /// of the trajectory at the start of the step.
  double tol = 1e-15;
};

template <class T>
struct result {
  /// B x N: the state of every trajectory at its end time.
  PolyBatch<T> y;
  /// Steps taken by each trajectory.
  xt::xtensor<std::size_t, 1> steps;
};

} // namespace polybatch::taylor
