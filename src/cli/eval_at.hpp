// eval_at(a, x) for the command line: a node whose rows are the values of
// a's rows at one point x (a batch of constants, length 1), by pb::evaluate's
// Horner kernels.
// It follows the evaluator protocol, so it fuses into a larger expression.
#pragma once

#include <cstddef>
#include <utility>

#include <polybatch/kernels/algebra/horner_select.hpp>
#include <polybatch/polybatch.hpp>

namespace polybatch::cli {

template <class E>
class EvalAt {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<E>;
  using operand_type = std::remove_cvref_t<E>;

  template <class A>
  EvalAt(A&& a, value_type x) : operand_(std::forward<A>(a)), x_(std::move(x)) {}

  std::size_t batch_size() const { return operand_.batch_size(); }
  std::size_t length() const { return 1; }
  const operand_type& operand() const { return operand_; }
  const value_type& point() const { return x_; }

private:
  expr::closure_t<E> operand_;
  value_type x_;
};

} // namespace polybatch::cli

namespace polybatch::evaluation {

template <class E>
struct evaluator<cli::EvalAt<E>> {
  using Node = cli::EvalAt<E>;
  using T = typename Node::value_type;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, T* out, std::size_t ldo,
                        Scratch<T>& scratch) {
    (void)n; // n is 1: the value
    const std::size_t la = e.operand().length();
    const std::size_t mark = scratch.mark();
    const ConstRows<T> a = materialize(e.operand(), r0, rows, la, scratch);
    // pb::evaluate's kernels write values one after another: straight into
    // `out` when its rows are, else into scratch and then to their rows.
    T* values = ldo == 1 ? out : scratch.take(rows);
    kernels::horner_rows_of_type(rows, la, a.data, a.ld, &e.point(), 0, values, r0);
    if (ldo != 1)
      for (std::size_t r = 0; r < rows; ++r) out[r * ldo] = values[r];
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t) {
    return polybatch::detail::saturating_sum(materialize_need(e.operand(), e.operand().length()), 1);
  }
  static bool unsafe_alias(const Node& e, const Destination& dst, bool) {
    return operand_unsafe(e.operand(), dst, false);
  }
  static const T& sample(const Node& e) { return evaluation::sample(e.operand()); }
};

} // namespace polybatch::evaluation
