// The leaves a Taylor integrator hands to the user's right-hand side: state
// variable i as a series in time (`JetVariable`), and the indexable state
// `y[0] .. y[N-1]` (`JetState`). They take part in expressions like any
// operand, but only the jet evaluator (eval/jet/) can compute them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/expr/operators.hpp"

namespace polybatch::expr::jet {

// The operators live in namespace polybatch, which argument-dependent lookup
// reaches through a node's template arguments (PolyBatch<T>); an expression
// over state variables alone, `y[0] * y[1]`, has none, so they are named here.
using polybatch::operator+;
using polybatch::operator-;
using polybatch::operator*;

/// State variable `index` of B trajectories as a series of `length` terms.
template <Scalar T>
class JetVariable {
public:
  using is_polybatch_expression = void;
  using value_type = T;

  JetVariable(std::size_t index, std::size_t batch, std::size_t length)
      : index_(index), batch_(batch), length_(length) {}

  std::size_t batch_size() const { return batch_; }
  std::size_t length() const { return length_; }
  std::size_t index() const { return index_; }

private:
  std::size_t index_, batch_, length_;
};

/// y[0] .. y[N-1]. Elements live as long as the integration, so expressions
/// may hold them by reference.
template <Scalar T>
class JetState {
public:
  JetState(std::size_t n, std::size_t batch, std::size_t length) {
    vars_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) vars_.emplace_back(i, batch, length);
  }
  JetState(const JetState&) = delete;
  JetState& operator=(const JetState&) = delete;

  const JetVariable<T>& operator[](std::size_t i) const {
    if (i >= vars_.size())
      throw shape_error("pb::taylor::integrate: f reads y[" + std::to_string(i) +
                        "] but y0 has N=" + std::to_string(vars_.size()) + " state variables (columns)");
    return vars_[i];
  }
  std::size_t size() const { return vars_.size(); }

private:
  std::vector<JetVariable<T>> vars_;
};

} // namespace polybatch::expr::jet
