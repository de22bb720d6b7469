// Jets of the power-series functions (pb::series::*): coefficient 0 from the
// function itself, lane by lane with its domain checks; coefficients k >= 1
// from the recurrences of kernels/series/recurrences.hpp, instantiated on
// Lanes so that one call advances all W trajectories.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "polybatch/core/errors.hpp"
#include "polybatch/eval/jet/arithmetic.hpp"
#include "polybatch/eval/jet/frame.hpp"
#include "polybatch/expr/series/div.hpp"
#include "polybatch/expr/series/pow.hpp"
#include "polybatch/expr/series/unary.hpp"
#include "polybatch/kernels/jet/elementary.hpp"
#include "polybatch/kernels/jet/lanes.hpp"
#include "polybatch/kernels/pack.hpp"
#include "polybatch/kernels/series/recurrences.hpp"

namespace polybatch::evaluation::jet {

namespace detail {

/// Lanes without a trajectory copy lane 0's constant, so their later
/// coefficients stay finite.
template <class T, std::size_t W>
void fill_idle(Lanes<T, W>& c, std::size_t lanes) {
  for (std::size_t w = lanes; w < W; ++w) c.v[w] = c.v[0];
}

/// Adds a node's value to the series the steps keep positive, once (`list`
/// is then cleared).
template <class T, std::size_t W>
void register_positive(std::vector<positive_series<T, W>>*& list, const Lanes<T, W>* value) {
  if (list == nullptr) return;
  list->push_back({value});
  list = nullptr;
}

/// Where a series function's constant term ran, for its domain errors
/// (which name the trajectory only as a row).
inline std::string in_trajectory(std::size_t trajectory) {
  return "pb::taylor::integrate: trajectory " + std::to_string(trajectory);
}

/// A constant term's computation for one trajectory, its domain error
/// naming the integrator and the trajectory.
template <class F>
void for_trajectory(std::size_t trajectory, F&& constant) {
  polybatch::detail::in_context(std::forward<F>(constant), [&] { return in_trajectory(trajectory); });
}

} // namespace detail

/// inv, exp, log, sqrt, sin, cos, tan, atan, sinh, cosh, tanh of one series.
/// sin/cos, sinh/cosh, tan/tanh and atan carry a second series (the
/// companion function or the auxiliary of the recurrence).
template <expr::series_fn Fn, class E, class T, std::size_t W>
struct jet<expr::SeriesUnary<Fn, E>, Lanes<T, W>> : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>> {
  using F = expr::series_fn;
  static constexpr bool paired =
      Fn == F::sin || Fn == F::cos || Fn == F::sinh || Fn == F::cosh || Fn == F::tan || Fn == F::tanh || Fn == F::atan;
  static constexpr bool hyperbolic = Fn == F::sinh || Fn == F::cosh || Fn == F::tanh;
  /// Machine scalars take the fused one-pass kernel with j a[j] kept.
  static constexpr bool fused =
      std::is_arithmetic_v<T> && (Fn == F::sin || Fn == F::cos || Fn == F::sinh || Fn == F::cosh);

  jet(const expr::SeriesUnary<Fn, E>& e, Frame<T, W>& f)
      : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>>(e.operand(), f), frame_(f),
        d_(paired ? f.buffer() : std::vector<Lanes<T, W>>{}), ja_(fused ? f.buffer() : std::vector<Lanes<T, W>>{}) {
    if constexpr (Fn == F::sqrt) positive_ = &f.positive;
  }

  /// The series this node yields: for cos and cosh the companion.
  const Lanes<T, W>* coeffs() const { return Fn == F::cos || Fn == F::cosh ? d_.data() : this->c_.data(); }

  void compute(std::size_t k) {
    this->a_.compute(k);
    const Lanes<T, W>* a = this->a_.coeffs();
    Lanes<T, W>* c = this->c_.data();
    Lanes<T, W>* d = d_.data();
    namespace rec = kernels::series;
    if (k == 0) {
      detail::register_positive(positive_, c);
      if constexpr ((Fn == F::sin || Fn == F::cos) && kernels::jet::vector_elementary_lanes<T, W>) {
        // sin/cos of a float or double has no domain error: all W lanes at
        // once, then idle lanes take lane 0's values as below.
        kernels::jet::sincos_lanes(a[0], c[0], d[0]);
        detail::fill_idle(c[0], frame_.lanes);
        detail::fill_idle(d[0], frame_.lanes);
        return;
      }
      for (std::size_t w = 0; w < frame_.lanes; ++w) {
        const T& a0 = a[0].v[w];
        const std::size_t row = frame_.row[w];
        detail::for_trajectory(row, [&] {
          if constexpr (Fn == F::inv) c[0].v[w] = rec::inv_constant(a0, row);
          if constexpr (Fn == F::exp) c[0].v[w] = rec::exp_constant(a0, row);
          if constexpr (Fn == F::log) c[0].v[w] = rec::log_constant(a0, row);
          if constexpr (Fn == F::sqrt) {
            if (a0 == T(0))
              throw domain_error("pb::series::sqrt(a, n): the argument reaches 0, where the solution is not analytic");
            c[0].v[w] = rec::sqrt_constant(a0, row);
          }
          if constexpr (Fn == F::sin || Fn == F::cos || Fn == F::sinh || Fn == F::cosh)
            rec::sincos_constant(a0, c[0].v[w], d[0].v[w], row, hyperbolic);
          if constexpr (Fn == F::tan || Fn == F::tanh) rec::tan_constant(a0, c[0].v[w], d[0].v[w], row, hyperbolic);
          if constexpr (Fn == F::atan) rec::atan_constant(a0, c[0].v[w], d[0].v[w], row);
        });
      }
      detail::fill_idle(c[0], frame_.lanes);
      if constexpr (paired) detail::fill_idle(d[0], frame_.lanes);
      return;
    }
    if constexpr (Fn == F::inv) c[k] = rec::inv_coeff(k, a, c);
    if constexpr (Fn == F::exp) c[k] = rec::exp_coeff(k, a, c);
    if constexpr (Fn == F::log) c[k] = rec::log_coeff(k, a, c);
    if constexpr (Fn == F::sqrt) c[k] = rec::sqrt_coeff(k, a, c);
    if constexpr (fused) {
      for (std::size_t w = 0; w < W; ++w) ja_[k].v[w] = a[k].v[w] * static_cast<T>(k);
      kernels::jet::sincos_coefficient<hyperbolic>(k, ja_.data(), c, d);
    } else {
      if constexpr (Fn == F::sin || Fn == F::cos) rec::sincos_coeff(k, a, c, d);
      if constexpr (Fn == F::sinh || Fn == F::cosh) rec::sinhcosh_coeff(k, a, c, d);
    }
    if constexpr (Fn == F::tan) rec::tan_coeff(k, a, c, d);
    if constexpr (Fn == F::tanh) rec::tanh_coeff(k, a, c, d);
    if constexpr (Fn == F::atan) rec::atan_coeff(k, a, c, d);
  }

private:
  const Frame<T, W>& frame_;
  std::vector<Lanes<T, W>> d_;
  std::vector<Lanes<T, W>> ja_; // j a[j], for the fused kernel
  // Where sqrt registers its series, on its first coefficient (when the
  // jet has its final address); null once registered, and for the others.
  std::vector<positive_series<T, W>>* positive_ = nullptr;
};

/// a^s for a scalar s.
template <class E, class T, std::size_t W>
struct jet<expr::SeriesPow<E>, Lanes<T, W>> : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>> {
  jet(const expr::SeriesPow<E>& e, Frame<T, W>& f)
      : unary_jet<std::remove_cvref_t<E>, Lanes<T, W>>(e.operand(), f), frame_(f), s_(e.exponent()) {
    for (std::size_t w = 0; w < W; ++w) lanes_s_.v[w] = s_;
    // An integer power is a polynomial in a: a zero of a is no branch point.
    if (!kernels::series::is_small_natural(s_) && !kernels::series::is_small_natural(T(-s_)) &&
        !kernels::series::huge_integer_exponent(s_).integer)
      positive_ = &f.positive;
  }

  void compute(std::size_t k) {
    this->a_.compute(k);
    const Lanes<T, W>* a = this->a_.coeffs();
    Lanes<T, W>* c = this->c_.data();
    if (k == 0) {
      detail::register_positive(positive_, c);
      if (constant_in_packs(a[0], c[0])) {
        detail::fill_idle(c[0], frame_.lanes);
        for (std::size_t w = 0; w < W; ++w) inv_a0_.v[w] = T(1) / a[0].v[w];
        return;
      }
      for (std::size_t w = 0; w < frame_.lanes; ++w) {
        if (a[0].v[w] == T(0))
          throw domain_error(detail::in_trajectory(frame_.row[w]) +
                             ": pb::series::pow(a, s, n): a reaches 0, where the recurrence for a^s cannot run "
                             "(write integer powers as products)");
        if constexpr (std::is_floating_point_v<T>)
          if (half_power_ > 0 && a[0].v[w] > T(0)) {
            // Outside the normal range (an overflowing power, a subnormal
            // result) pow's own scaling is needed.
            const T r = power_by_square_roots(a[0].v[w]);
            if (std::isnormal(r)) {
              c[0].v[w] = r;
              continue;
            }
          }
        detail::for_trajectory(frame_.row[w],
                               [&] { c[0].v[w] = kernels::series::pow_constant(a[0].v[w], s_, frame_.row[w]); });
      }
      detail::fill_idle(c[0], frame_.lanes);
      if constexpr (std::is_arithmetic_v<T>)
        for (std::size_t w = 0; w < W; ++w) inv_a0_.v[w] = T(1) / a[0].v[w];
      return;
    }
    if constexpr (std::is_arithmetic_v<T>) {
      kernels::jet::pow_coefficient(k, a, s_, inv_a0_, c);
    } else {
      c[k] = kernels::series::pow_coeff(k, a, lanes_s_, c);
    }
  }

private:
  /// power_by_square_roots in every lane at once, when every lane (idle ones
  /// too) has a > 0 and a normal result; false leaves the lane-by-lane path
  /// (with its errors) to do it all.
  bool constant_in_packs(const Lanes<T, W>& a, Lanes<T, W>& out) const {
    if constexpr (kernels::jet::register_lanes<T, W>) {
      if (half_power_ == 0) return false;
      using Ops = kernels::PackOps<T>;
      using P = typename Ops::pack;
      static_assert(std::is_same_v<P, kernels::jet::chunk_t<T>>);
      auto ok = P{} == P{}; // all lanes true
      for (std::size_t m = 0; m < kernels::jet::chunks_per_lanes<T, W>; ++m) {
        const P x = kernels::jet::load_chunk(a, m);
        P r = (half_power_ & 1u) != 0 ? Ops::sqrt(Ops::select(x > P{}, x, P{})) : P{} + T(1);
        P base = x;
        for (unsigned e = half_power_ >> 1; e != 0; e >>= 1) {
          if ((e & 1u) != 0) r *= base;
          if (e > 1) base *= base;
        }
        if (s_ < T(0)) r = T(1) / r;
        const P size = Ops::abs(r);
        ok &= (x > P{}) & (size >= std::numeric_limits<T>::min()) & (size <= std::numeric_limits<T>::max());
        kernels::jet::store_chunk(out, m, r);
      }
      for (std::size_t l = 0; l < Ops::lanes; ++l)
        if (!ok[l]) return false;
      return true;
    } else {
      (void)a, (void)out;
      return false;
    }
  }

  /// a^s for s = +-h/2 (h = half_power_ <= 5) and a > 0: a square root, at
  /// most two multiplies and a reciprocal, so at most four roundings against
  /// pow's one, at a tenth of its cost (libm's pow was an eighth of a Kepler
  /// step; gravity and its relatives raise to -3/2). Larger |s| would round
  /// more often (4 ulp measured at 15/2), so it keeps pow.
  T power_by_square_roots(T a) const {
    T r = (half_power_ & 1u) != 0 ? std::sqrt(a) : T(1);
    T base = a;
    for (unsigned e = half_power_ >> 1; e != 0; e >>= 1) {
      if ((e & 1u) != 0) r *= base;
      if (e > 1) base *= base;
    }
    return s_ < T(0) ? T(1) / r : r;
  }
  static unsigned half_power_of(T s) {
    if constexpr (std::is_floating_point_v<T>) {
      const T h = std::fabs(s) * T(2);
      if (h >= T(1) && h <= T(5) && h == std::floor(h)) return static_cast<unsigned>(h);
    }
    return 0;
  }

  const Frame<T, W>& frame_;
  T s_;
  std::vector<positive_series<T, W>>* positive_ = nullptr; // as for sqrt: non-integer powers
  unsigned half_power_ = half_power_of(s_);
  Lanes<T, W> lanes_s_;
  Lanes<T, W> inv_a0_{}; // 1 / a[0], formed with coefficient 0
};

/// a / b.
template <class L, class R, class T, std::size_t W>
struct jet<expr::SeriesDiv<L, R>, Lanes<T, W>>
    : binary_jet<std::remove_cvref_t<L>, std::remove_cvref_t<R>, Lanes<T, W>> {
  jet(const expr::SeriesDiv<L, R>& e, Frame<T, W>& f)
      : binary_jet<std::remove_cvref_t<L>, std::remove_cvref_t<R>, Lanes<T, W>>(e.numerator(), e.denominator(), f),
        frame_(f) {}

  void compute(std::size_t k) {
    this->compute_operands(k);
    const Lanes<T, W>* num = this->a_.coeffs();
    const Lanes<T, W>* den = this->b_.coeffs();
    Lanes<T, W>* c = this->c_.data();
    if (k == 0) {
      for (std::size_t w = 0; w < frame_.lanes; ++w)
        detail::for_trajectory(
            frame_.row[w], [&] { c[0].v[w] = kernels::series::div_constant(num[0].v[w], den[0].v[w], frame_.row[w]); });
      detail::fill_idle(c[0], frame_.lanes);
      return;
    }
    c[k] = kernels::series::div_coeff(k, num, den, c);
  }

private:
  const Frame<T, W>& frame_;
};

} // namespace polybatch::evaluation::jet
