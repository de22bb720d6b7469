// Jets of the arithmetic nodes: state variables, constants (one value per
// trajectory or one for all), a + b, a - b, -a, s * a, a + s and friends,
// and the Cauchy product a * b. Each coefficient k costs O(1) per lane,
// except products, O(k).
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <vector>

#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/eval/jet/frame.hpp"
#include "polybatch/eval/jet/lazy.hpp"
#include "polybatch/eval/jet/share.hpp"
#include "polybatch/expr/add_scalar.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/jet/variable.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/kernels/jet/lanes.hpp"

namespace polybatch::evaluation::jet {

template <class T, std::size_t W>
using Lanes = kernels::jet::Lanes<T, W>;
using kernels::jet::chunk_t;
using kernels::jet::register_lanes;

/// y[i]: the integrator's own state series, read in place.
template <class T, std::size_t W>
struct jet<expr::jet::JetVariable<T>, Lanes<T, W>> {
  // The frame's state is sized before any jet is built and never moves, so
  // the rows' address is kept (one load less on every read).
  jet(const expr::jet::JetVariable<T>& e, Frame<T, W>& f) : rows_(f.variable(e.index())) {}
  void compute(std::size_t) {}
  const Lanes<T, W>* coeffs() const { return rows_; }
  void load_lane(std::size_t, std::size_t) {}
  void move_lane(std::size_t, std::size_t) {}

private:
  const Lanes<T, W>* rows_;
};

/// A batch of length 1 inside f: a constant per trajectory (batch B) or for
/// all of them (batch 1). Its series is the value and zeros.
template <class Node, class T, std::size_t W>
requires PolyContainer<Node>
struct jet<Node, Lanes<T, W>> {
  jet(const Node& e, Frame<T, W>& f) : node_(e), c_(f.buffer()) {
    if (e.length() != 1 || (e.batch_size() != 1 && e.batch_size() != f.batch))
      throw shape_error("pb::taylor::integrate: a batch used as a constant in f must have length 1 and a batch of 1 "
                        "or B=" +
                        std::to_string(f.batch) + " (one value per trajectory), not " +
                        polybatch::detail::shape_str(e.batch_size(), e.length()));
  }
  void compute(std::size_t) {}
  const Lanes<T, W>* coeffs() const { return c_.data(); }
  void load_lane(std::size_t lane, std::size_t row) { c_[0].v[lane] = node_.data()[node_.batch_size() == 1 ? 0 : row]; }
  void move_lane(std::size_t from, std::size_t to) { c_[0].v[to] = c_[0].v[from]; }

private:
  const Node& node_;
  std::vector<Lanes<T, W>> c_;
};

/// Shared plumbing of nodes with one operand and their own rows.
template <class Operand, class P>
struct unary_jet {
  template <class Frame>
  unary_jet(const Operand& a, Frame& f) : a_(a, f), c_(f.buffer()) {}
  const P* coeffs() const { return c_.data(); }
  void load_lane(std::size_t lane, std::size_t row) { a_.load_lane(lane, row); }
  void move_lane(std::size_t from, std::size_t to) { a_.move_lane(from, to); }

protected:
  operand_jet<Operand, P> a_;
  std::vector<P> c_;
};

/// Shared plumbing of nodes with two operands.
template <class L, class R, class P>
struct binary_jet {
  template <class Frame>
  binary_jet(const L& a, const R& b, Frame& f) : a_(a, f), b_(b, f), c_(f.buffer()) {}
  const P* coeffs() const { return c_.data(); }
  void load_lane(std::size_t lane, std::size_t row) {
    a_.load_lane(lane, row);
    b_.load_lane(lane, row);
  }
  void move_lane(std::size_t from, std::size_t to) {
    a_.move_lane(from, to);
    b_.move_lane(from, to);
  }

protected:
  void compute_operands(std::size_t k) {
    a_.compute(k);
    b_.compute(k);
  }
  void prepare_operands(std::size_t k) {
    prepare_coefficient(a_, k);
    prepare_coefficient(b_, k);
  }

  operand_jet<L, P> a_;
  operand_jet<R, P> b_;
  std::vector<P> c_;
};

template <class L, class R, bool Subtract, class T, std::size_t W>
struct jet<expr::Sum<L, R, Subtract>, Lanes<T, W>>
    : binary_jet<std::remove_cvref_t<L>, std::remove_cvref_t<R>, Lanes<T, W>> {
  jet(const expr::Sum<L, R, Subtract>& e, Frame<T, W>& f)
      : binary_jet<std::remove_cvref_t<L>, std::remove_cvref_t<R>, Lanes<T, W>>(e.lhs(), e.rhs(), f) {}
  void compute(std::size_t k) {
    if constexpr (register_lanes<T, W>) {
      prepare(k);
      store_coefficient(*this, k, this->c_[k]);
    } else {
      this->compute_operands(k);
      kernels::jet::add_lanes<Subtract>(this->a_.coeffs()[k], this->b_.coeffs()[k], this->c_[k]);
    }
  }
  void prepare(std::size_t k) requires register_lanes<T, W> { this->prepare_operands(k); }
  auto chunk(std::size_t k, std::size_t c) const requires register_lanes<T, W> {
    if constexpr (Subtract)
      return chunk_of(this->a_, k, c) - chunk_of(this->b_, k, c);
    else
      return chunk_of(this->a_, k, c) + chunk_of(this->b_, k, c);
  }
};

/// A product operand with its sign taken off: the product of -a and b is
/// the product of a and b negated, exactly, and -a then need not be stored
/// (`(-x) * pow(r2, -1.5)` reads x's own rows).
template <class E>
struct unsigned_operand {
  using type = E;
  static constexpr bool negated = false;
  static const E& of(const E& e) { return e; }
};
template <class E>
struct unsigned_operand<expr::Negate<E>> {
  using type = std::remove_cvref_t<E>;
  static constexpr bool negated = true;
  static const type& of(const expr::Negate<E>& e) { return e.operand(); }
};
template <class E>
using unsigned_operand_of = unsigned_operand<std::remove_cvref_t<E>>;

template <class L, class R, class T, std::size_t W>
struct jet<expr::Product<L, R>, Lanes<T, W>>
    : binary_jet<typename unsigned_operand_of<L>::type, typename unsigned_operand_of<R>::type, Lanes<T, W>> {
  jet(const expr::Product<L, R>& e, Frame<T, W>& f)
      : binary_jet<typename unsigned_operand_of<L>::type, typename unsigned_operand_of<R>::type, Lanes<T, W>>(
            unsigned_operand_of<L>::of(e.lhs()), unsigned_operand_of<R>::of(e.rhs()), f) {
    if (e.kind() != expr::product_kind::convolve || e.output_mode() != mode::full)
      throw domain_error(std::string("pb::taylor::integrate: f uses ") + e.name() +
                         " with a window; only the full product a * b is a product of time series");
  }
  void compute(std::size_t k) {
    this->compute_operands(k);
    constexpr bool negated = unsigned_operand_of<L>::negated != unsigned_operand_of<R>::negated;
    kernels::jet::cauchy_coefficient<negated>(k, this->a_.coeffs(), this->b_.coeffs(), this->c_[k]);
  }
};

template <class E, class T, std::size_t W>
struct jet<expr::Negate<E>, Lanes<T, W>> : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>> {
  jet(const expr::Negate<E>& e, Frame<T, W>& f) : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>>(e.operand(), f) {}
  void compute(std::size_t k) {
    if constexpr (register_lanes<T, W>) {
      prepare(k);
      store_coefficient(*this, k, this->c_[k]);
    } else {
      this->a_.compute(k);
      this->c_[k] = -this->a_.coeffs()[k];
    }
  }
  void prepare(std::size_t k) requires register_lanes<T, W> { prepare_coefficient(this->a_, k); }
  auto chunk(std::size_t k, std::size_t c) const requires register_lanes<T, W> { return -chunk_of(this->a_, k, c); }
};

template <class E, class T, std::size_t W>
struct jet<expr::Scaled<E>, Lanes<T, W>> : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>> {
  jet(const expr::Scaled<E>& e, Frame<T, W>& f)
      : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>>(e.operand(), f), s_(e.factor()) {}
  void compute(std::size_t k) {
    if constexpr (register_lanes<T, W>) {
      prepare(k);
      store_coefficient(*this, k, this->c_[k]);
    } else {
      this->a_.compute(k);
      kernels::jet::scale_lanes(s_, this->a_.coeffs()[k], this->c_[k]);
    }
  }
  void prepare(std::size_t k) requires register_lanes<T, W> { prepare_coefficient(this->a_, k); }
  auto chunk(std::size_t k, std::size_t c) const requires register_lanes<T, W> { return s_ * chunk_of(this->a_, k, c); }

private:
  T s_;
};

/// a + s, a - s, s - a: the scalar is a constant, so only coefficient 0 sees it.
template <class E, bool NegateOperand, bool SubtractScalar, class T, std::size_t W>
struct jet<expr::AddScalar<E, NegateOperand, SubtractScalar>, Lanes<T, W>>
    : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>> {
  jet(const expr::AddScalar<E, NegateOperand, SubtractScalar>& e, Frame<T, W>& f)
      : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>>(e.operand(), f),
        s_(SubtractScalar ? T(-e.scalar()) : e.scalar()) {}
  void compute(std::size_t k) {
    if constexpr (register_lanes<T, W>) {
      prepare(k);
      store_coefficient(*this, k, this->c_[k]);
      return;
    }
    this->a_.compute(k);
    Lanes<T, W>& c = this->c_[k];
    if constexpr (NegateOperand)
      c = -this->a_.coeffs()[k];
    else
      c = this->a_.coeffs()[k];
    if (k == 0)
      for (std::size_t w = 0; w < W; ++w) c.v[w] += s_;
  }
  void prepare(std::size_t k) requires register_lanes<T, W> { prepare_coefficient(this->a_, k); }
  auto chunk(std::size_t k, std::size_t c) const requires register_lanes<T, W> {
    auto x = chunk_of(this->a_, k, c);
    if constexpr (NegateOperand) x = -x;
    if (k == 0) x += s_;
    return x;
  }

private:
  T s_;
};

} // namespace polybatch::evaluation::jet
