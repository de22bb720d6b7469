// One integrator working through a block of trajectories: W lanes step side
// by side, each with its own step size; a lane whose trajectory reaches its
// end time takes the next waiting trajectory, and when none is left the
// lanes are compacted, so every loop runs over a dense prefix of lanes.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/eval/jet/arithmetic.hpp"
#include "polybatch/eval/jet/frame.hpp"
#include "polybatch/eval/jet/lazy.hpp"
#include "polybatch/expr/jet/variable.hpp"
#include "polybatch/kernels/jet/lanes.hpp"
#include "polybatch/taylor/step_control.hpp"

namespace polybatch::taylor::detail {

template <class F, class T>
using system_result_t = std::invoke_result_t<F&, const expr::jet::JetState<T>&>;

template <class Tuple, class P>
struct jets_for;
template <class... E, class P>
struct jets_for<std::tuple<E...>, P> {
  using type = std::tuple<evaluation::jet::operand_jet<E, P>...>;
};

/// Where results go and what every engine reads.
template <class T>
struct Problem {
  const PolyBatch<T>& y0;
  const xt::xtensor<T, 1>& t1;
  std::size_t order;
  double tol;
  PolyBatch<T>& y;
  xt::xtensor<std::size_t, 1>& steps;
};

/// W trajectories stepped side by side through rows [first, last).
template <class F, class T, std::size_t W>
class Engine {
  using Pack = kernels::jet::Lanes<T, W>;
  using Exprs = std::remove_cvref_t<system_result_t<F, T>>;
  using Jets = typename jets_for<Exprs, Pack>::type;
  static constexpr std::size_t N = std::tuple_size_v<Exprs>;

public:
  Engine(F& f, const Problem<T>& pb, std::size_t first, std::size_t last)
      : pb_(pb), frame_(make_frame(pb)), state_(N, pb.y0.batch_size(), pb.order + 1), exprs_(f(state_)),
        jets_(make_jets(std::make_index_sequence<N>{})), next_(first), last_(last), t_(frame_.zero),
        t_end_(frame_.zero), h_(frame_.zero), acc_(frame_.zero), safety_(safety_factor(pb.order)) {
    check_batches(std::make_index_sequence<N>{});
    bernstein_.assign(pb.order + 1, frame_.zero.v[0]);
    if constexpr (std::is_floating_point_v<T>)
      for (std::size_t k = 0; k < pb.order; ++k) inverses_.push_back(T(1) / T(k + 1));
  }
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void run() {
    while (frame_.lanes < W && take_next(frame_.lanes)) ++frame_.lanes;
    // Idle lanes compute a copy of lane 0, so they never divide by zero.
    for (std::size_t w = frame_.lanes; w < W && frame_.lanes > 0; ++w) move_lane(0, w);
    while (frame_.lanes > 0) {
      step();
      retire();
    }
  }

private:
  static evaluation::jet::Frame<T, W> make_frame(const Problem<T>& pb) {
    evaluation::jet::Frame<T, W> f;
    f.order = pb.order;
    f.batch = pb.y0.batch_size();
    for (std::size_t w = 0; w < W; ++w) f.zero.v[w] = scalar_traits<T>::zero_like(pb.y0(0, 0));
    f.state.assign(N * (f.order + 1), f.zero);
    return f;
  }

  template <std::size_t... I>
  Jets make_jets(std::index_sequence<I...>) {
    return Jets(evaluation::jet::operand_jet<std::tuple_element_t<I, Exprs>, Pack>(std::get<I>(exprs_), frame_)...);
  }

  template <std::size_t... I>
  void check_batches(std::index_sequence<I...>) const {
    (check_batch(I, std::get<I>(exprs_).batch_size()), ...);
  }
  void check_batch(std::size_t i, std::size_t b) const {
    if (b != 1 && b != frame_.batch)
      throw shape_error("pb::taylor::integrate: right-hand side " + std::to_string(i) + " of f has batch " +
                        std::to_string(b) + " but y0 has B=" + std::to_string(frame_.batch) + " trajectories");
  }

  /// Loads the next trajectory with time left into `lane`; trajectories
  /// whose end time is 0 are finished on the way. False when none is left.
  bool take_next(std::size_t lane) {
    while (next_ < last_) {
      const std::size_t row = next_++;
      if (pb_.t1(row) == T(0)) {
        for (std::size_t i = 0; i < N; ++i) pb_.y(row, i) = pb_.y0(row, i);
        pb_.steps(row) = 0;
        continue;
      }
      for (std::size_t i = 0; i < N; ++i) frame_.variable(i)[0].v[lane] = pb_.y0(row, i);
      t_.v[lane] = frame_.zero.v[lane];
      t_end_.v[lane] = pb_.t1(row);
      frame_.row[lane] = row;
      steps_[lane] = 0;
      done_[lane] = 0;
      shrunk_[lane] = 0;
      std::apply([&](auto&... j) { (j.load_lane(lane, row), ...); }, jets_);
      return true;
    }
    return false;
  }

  void move_lane(std::size_t from, std::size_t to) {
    for (std::size_t i = 0; i < N; ++i) frame_.variable(i)[0].v[to] = frame_.variable(i)[0].v[from];
    t_.v[to] = t_.v[from];
    t_end_.v[to] = t_end_.v[from];
    frame_.row[to] = frame_.row[from];
    steps_[to] = steps_[from];
    done_[to] = done_[from];
    shrunk_[to] = shrunk_[from];
    std::apply([&](auto&... j) { (j.move_lane(from, to), ...); }, jets_);
  }

  /// Finished lanes hand their result over and take new work, or are
  /// filled from the end of the lane range.
  void retire() {
    if (!any_done_) return;
    any_done_ = false;
    std::size_t w = 0;
    while (w < frame_.lanes) {
      if (!done_[w]) {
        ++w;
        continue;
      }
      const std::size_t row = frame_.row[w];
      for (std::size_t i = 0; i < N; ++i) pb_.y(row, i) = frame_.variable(i)[0].v[w];
      pb_.steps(row) = steps_[w];
      if (take_next(w)) continue;
      --frame_.lanes;
      if (w < frame_.lanes) move_lane(frame_.lanes, w);
    }
  }

  /// Taylor coefficients 1..p of every state variable by the jet
  /// recurrence y_i[k + 1] = f_i[k] / (k + 1), then the step.
  void step() {
    const std::size_t p = frame_.order;
    for (std::size_t k = 0; k < p; ++k) {
      ++frame_.tick;
      std::size_t i = 0;
      std::apply(
          [&](auto&... j) {
            (
                [&](auto& jet) {
                  Pack& next = frame_.variable(i++)[k + 1];
                  if constexpr (kernels::jet::register_lanes<T, W>) {
                    // f_i[k] formed chunk by chunk where it is stored: a linear
                    // tail of f (sums, scalings) is never stored on its own.
                    evaluation::jet::prepare_coefficient(jet, k);
                    const T inverse = inverses_[k];
                    for (std::size_t c = 0; c < kernels::jet::chunks_per_lanes<T, W>; ++c)
                      kernels::jet::store_chunk(next, c, evaluation::jet::chunk_of(jet, k, c) * inverse);
                    return;
                  }
                  jet.compute(k);
                  // One pass (a copy, then /=, stored the lanes in halves and
                  // reloaded them whole: a store-forwarding stall per lane group).
                  const Pack& source = jet.coeffs()[k];
                  if constexpr (std::is_floating_point_v<T>) {
                    // A multiply by 1/(k + 1) (one more rounding) instead of a
                    // division per lane: divisions were a quarter of a step.
                    const T inverse = inverses_[k];
                    for (std::size_t w = 0; w < W; ++w) next.v[w] = source.v[w] * inverse;
                  } else {
                    const T divisor(k + 1);
                    for (std::size_t w = 0; w < W; ++w) next.v[w] = source.v[w] / divisor;
                  }
                }(j),
                ...);
          },
          jets_);
    }
    choose_steps();
    if (!frame_.positive.empty()) keep_positive();
    advance();
  }

  /// Halves a lane's step until the value of every sqrt and non-integer
  /// power stays positive over it (its polynomial of the step, coefficients
  /// 0..p - 1). A step across a zero of the argument would integrate the
  /// analytic continuation: y' = -sqrt(y) from y = 1 follows (1 - t/2)^2
  /// back up after t = 2, and y = ((1 - t)(3 - t))^2 is positive again past
  /// t = 3 (a test at the step's end, or its middle, let one step from 0 to
  /// 10 through). Two sufficient tests: c_0 > sum |c_k| h^k, vectorised over
  /// the lanes, settles the usual step; where it does not, the Bernstein
  /// coefficients of c on [0, h], all positive where c has no zero there
  /// (they bound c's values), decide, halving h until they are. An odd zero
  /// of the argument is a branch point whose coefficients bound the step
  /// anyway. Steps that approach a zero shrink towards it until they
  /// underflow, a domain_error naming the cause.
  void keep_positive() {
    const std::size_t p = frame_.order, lanes = frame_.lanes;
    unsigned char unsure[W] = {};
    if (p >= 2) {
      if constexpr (std::is_arithmetic_v<T>) {
        // All W lanes at once (idle lanes hold copies), so that the bound
        // vectorises: lane by lane a test cost Kepler's ensemble 70% more
        // time per step.
        T h[W];
        for (std::size_t w = 0; w < W; ++w) h[w] = h_.v[w];
        for (const auto& g : frame_.positive) {
          T rest[W];
          for (std::size_t w = 0; w < W; ++w) rest[w] = std::abs(g.value[p - 1].v[w]);
          for (std::size_t k = p - 1; k-- > 1;)
            for (std::size_t w = 0; w < W; ++w) rest[w] = rest[w] * h[w] + std::abs(g.value[k].v[w]);
          for (std::size_t w = 0; w < W; ++w)
            unsure[w] |= static_cast<unsigned char>(!(g.value[0].v[w] > rest[w] * h[w]));
        }
      } else {
        using std::abs;
        for (std::size_t w = 0; w < lanes; ++w)
          for (const auto& g : frame_.positive) {
            T rest = abs(g.value[p - 1].v[w]);
            for (std::size_t k = p - 1; k-- > 1;) rest = rest * h_.v[w] + abs(g.value[k].v[w]);
            if (!(g.value[0].v[w] > rest * h_.v[w])) unsure[w] = 1;
          }
      }
    }
    unsigned char any_unsure = 0;
    for (std::size_t w = 0; w < lanes; ++w) any_unsure |= unsure[w];
    if (!any_unsure) return;
    bool any_done = false;
    for (std::size_t w = 0; w < lanes; ++w) {
      if (unsure[w]) {
        // 2,200 halvings take any double step below the least subnormal.
        T h = h_.v[w];
        bool shrunk = false;
        for (int halvings = 0; halvings < 2200 && h > T(0) && !bernstein_positive(w, h); ++halvings) {
          h = h / T(2);
          shrunk = true;
        }
        if (shrunk) {
          shrunk_[w] = 1;
          h_.v[w] = (t_.v[w] + h) - t_.v[w];
          done_[w] = 0;
        }
      }
      any_done = any_done || done_[w];
    }
    any_done_ = any_done;
  }

  /// Whether every guarded value c of lane w has positive Bernstein
  /// coefficients on [0, h]: b_j = sum_{k <= j} C(j, k) / C(n, k) c_k h^k for
  /// the degree n = p - 1; c lies within their range, so it has no zero there.
  bool bernstein_positive(std::size_t w, const T& h) {
    const std::size_t n = frame_.order - 1;
    std::vector<T>& b = bernstein_;
    for (const auto& g : frame_.positive) {
      for (std::size_t j = 0; j <= n; ++j) b[j] = frame_.zero.v[0];
      T power = frame_.zero.v[0] + T(1), choose = power; // h^k and C(n, k)
      for (std::size_t k = 0; k <= n; ++k) {
        const T term = g.value[k].v[w] * power;
        T ratio = T(1) / choose; // C(j, k) / C(n, k), from j = k
        for (std::size_t j = k; j <= n; ++j) {
          b[j] += ratio * term;
          ratio = ratio * T(j + 1) / T(j + 1 - k);
        }
        power = power * h;
        choose = choose * T(n - k) / T(k + 1);
      }
      for (std::size_t j = 0; j <= n; ++j)
        if (!(b[j] > T(0))) return false;
    }
    return true;
  }

  /// Lane by lane over all W lanes (idle lanes hold copies), so that the
  /// norms and the step rule vectorise for machine scalars.
  void choose_steps() {
    const std::size_t p = frame_.order, lanes = std::min(frame_.lanes, W); // min: never more, but g++ can't tell
    // Coefficients p - 2, p - 1, p from order 6 on, p - 1 and p for orders
    // 3 to 5, p alone below (repeated to fill three). A coefficient m
    // bounds the step as tol^(1/m) does: a low m would hold a low order to
    // the step of a first- or second-order method (millions of steps).
    const std::size_t first = p >= 6 ? p - 2 : p >= 3 ? p - 1 : p;
    std::size_t m[3];
    double inverse_m[3];
    for (std::size_t j = 0; j < 3; ++j) {
      m[j] = std::min(first + j, p);
      inverse_m[j] = 1.0 / static_cast<double>(m[j]);
    }
    double h[W];
    if constexpr (wider_than_double<T>) {
      // Coefficients beyond double's range (y' = y^2 from 1e16 has c_20 =
      // 1e336) in logarithms: through double they read as blow-ups.
      double log_tol_rho[W], log_norm[3][W];
      constexpr double none = -std::numeric_limits<double>::infinity();
      for (std::size_t w = 0; w < W; ++w) log_tol_rho[w] = 0.0, log_norm[0][w] = log_norm[1][w] = log_norm[2][w] = none;
      for (std::size_t i = 0; i < N; ++i) {
        const Pack* c = frame_.variable(i);
        for (std::size_t w = 0; w < W; ++w) {
          log_tol_rho[w] = std::max(log_tol_rho[w], log2_magnitude(c[0].v[w]));
          for (std::size_t j = 0; j < 3; ++j) log_norm[j][w] = std::max(log_norm[j][w], log2_magnitude(c[m[j]].v[w]));
        }
      }
      for (std::size_t w = 0; w < W; ++w) log_tol_rho[w] += std::log2(pb_.tol);
      step_sizes_from_logs<W>(log_tol_rho, log_norm, inverse_m, safety_, h);
    } else {
      double rho[W], norm[3][W], tol_rho[W];
      for (std::size_t w = 0; w < W; ++w) rho[w] = 1.0, norm[0][w] = norm[1][w] = norm[2][w] = 0.0;
      for (std::size_t i = 0; i < N; ++i) {
        const Pack* c = frame_.variable(i);
        for (std::size_t w = 0; w < W; ++w) rho[w] = std::max(rho[w], std::abs(to_double(c[0].v[w])));
        for (std::size_t j = 0; j < 3; ++j)
          for (std::size_t w = 0; w < W; ++w) norm[j][w] = std::max(norm[j][w], step_norm(c[m[j]].v[w]));
      }
      for (std::size_t w = 0; w < W; ++w) tol_rho[w] = pb_.tol * rho[w];
      step_sizes<W>(tol_rho, norm, inverse_m, safety_, h);
    }
    // Every active lane enters with done_ clear (retire() hands finished
    // lanes over before the next step). For machine floats without branches
    // on the lanes, so that the loop vectorises: branch by lane it cost as
    // much as the step rule.
    if constexpr (std::is_arithmetic_v<T>) {
      unsigned char any = 0;
      for (std::size_t w = 0; w < lanes; ++w) {
        const T left = t_end_.v[w] - t_.v[w];
        const unsigned char last = !(static_cast<T>(h[w]) < left);
        // The state moves by the increment the clock will record,
        // fl(t + h) - t (exact), not by h: with h, each step lost up to half
        // an ulp of t between the two, and at t = 1e5 that drift was 7,000
        // times tol per step.
        h_.v[w] = last ? left : (t_.v[w] + static_cast<T>(h[w])) - t_.v[w];
        done_[w] = last;
        any |= last;
      }
      any_done_ = any != 0;
    } else {
      for (std::size_t w = 0; w < lanes; ++w) {
        const T left = t_end_.v[w] - t_.v[w];
        if (!(h[w] < to_double(left))) {
          h_.v[w] = left;
          done_[w] = 1;
          any_done_ = true;
        } else {
          h_.v[w] = (t_.v[w] + T(h[w])) - t_.v[w];
        }
      }
    }
  }

  /// y(t + h) by Horner in every lane, then the checks a step can fail.
  void advance() {
    const std::size_t p = frame_.order, lanes = frame_.lanes;
    for (std::size_t i = 0; i < N; ++i) {
      Pack* c = frame_.variable(i);
      if constexpr (kernels::jet::register_lanes<T, W>) {
        // Four chunks in registers at a time, so that four independent
        // chains of multiply-adds hide each other's latency (through arrays
        // of W, g++ copied the accumulators in and out with memcpy calls).
        using kernels::jet::chunk_t;
        using kernels::jet::load_chunk;
        constexpr std::size_t M = kernels::jet::chunks_per_lanes<T, W>, G = M % 4 == 0 ? 4 : 1;
        for (std::size_t m = 0; m < M; m += G) {
          chunk_t<T> acc[G], h[G];
          for (std::size_t g = 0; g < G; ++g) h[g] = load_chunk(h_, m + g), acc[g] = load_chunk(c[p], m + g);
          for (std::size_t k = p; k-- > 0;)
            for (std::size_t g = 0; g < G; ++g) acc[g] = acc[g] * h[g] + load_chunk(c[k], m + g);
          for (std::size_t g = 0; g < G; ++g) kernels::jet::store_chunk(c[0], m + g, acc[g]);
        }
      } else if constexpr (std::is_arithmetic_v<T>) {
        // A local accumulator stays in registers (acc_ would be reloaded:
        // the compiler cannot tell it apart from c).
        T acc[W], h[W];
        for (std::size_t w = 0; w < W; ++w) acc[w] = c[p].v[w], h[w] = h_.v[w];
        for (std::size_t k = p; k-- > 0;)
          for (std::size_t w = 0; w < W; ++w) acc[w] = acc[w] * h[w] + c[k].v[w];
        for (std::size_t w = 0; w < W; ++w) c[0].v[w] = acc[w];
      } else {
        acc_ = c[p];
        for (std::size_t k = p; k-- > 0;)
          for (std::size_t w = 0; w < W; ++w) acc_.v[w] = acc_.v[w] * h_.v[w] + c[k].v[w];
        c[0] = acc_;
      }
    }
    const bool maybe_non_finite = any_non_finite_state();
    if constexpr (std::is_arithmetic_v<T>) {
      // The usual step, over all lanes without branches; a step that fails
      // takes the loop below, which names the first failing lane.
      unsigned char stalled = 0;
      T next[W];
      for (std::size_t w = 0; w < lanes; ++w) {
        next[w] = t_.v[w] + h_.v[w];
        stalled |= !done_[w] & (next[w] == t_.v[w]);
      }
      if (!stalled && !maybe_non_finite) {
        for (std::size_t w = 0; w < lanes; ++w) {
          ++steps_[w];
          t_.v[w] = done_[w] ? t_end_.v[w] : next[w];
        }
        return;
      }
    }
    for (std::size_t w = 0; w < lanes; ++w) {
      ++steps_[w];
      if (done_[w]) {
        t_.v[w] = t_end_.v[w];
      } else {
        const T t = t_.v[w] + h_.v[w];
        if (t == t_.v[w])
          fail(w, shrunk_[w] ? "the argument of sqrt or of a non-integer pow reaches 0 ahead, where the solution is "
                               "not analytic (the steps shrank to nothing approaching it)"
                             : "the step size underflowed (a singularity ahead?)");
        t_.v[w] = t;
      }
      if (maybe_non_finite)
        for (std::size_t i = 0; i < N; ++i)
          if (!polybatch::detail::is_finite_value(frame_.variable(i)[0].v[w])) fail(w, "the state became non-finite");
    }
  }

  /// Whether any lane's state may be non-finite: for machine floats one
  /// vector test over all lanes (idle ones included, so a hit is checked lane
  /// by lane), instead of a branch per lane and variable.
  bool any_non_finite_state() const {
    if constexpr (kernels::jet::register_lanes<T, W>) {
      using kernels::jet::chunk_t;
      chunk_t<T> nan_if_not_finite{};
      for (std::size_t i = 0; i < N; ++i)
        for (std::size_t m = 0; m < kernels::jet::chunks_per_lanes<T, W>; ++m) {
          const chunk_t<T> x = kernels::jet::load_chunk(frame_.variable(i)[0], m);
          nan_if_not_finite += x - x; // inf - inf and NaN - NaN are NaN, finite x - x is 0
        }
      for (std::size_t j = 0; j < sizeof(chunk_t<T>) / sizeof(T); ++j)
        if (nan_if_not_finite[j] != T(0)) return true;
      return false;
    } else {
      return true;
    }
  }

  [[noreturn]] void fail(std::size_t lane, const char* what) const {
    std::ostringstream os;
    os.precision(17);
    os << "pb::taylor::integrate: trajectory " << frame_.row[lane] << ": " << what
       << " at t = " << to_double(t_.v[lane]) << " (end time " << to_double(t_end_.v[lane]) << ", step " << steps_[lane]
       << ")";
    throw domain_error(os.str());
  }

  const Problem<T>& pb_;
  evaluation::jet::Frame<T, W> frame_;
  expr::jet::JetState<T> state_;
  Exprs exprs_;
  Jets jets_;
  std::size_t next_, last_;
  std::vector<T> inverses_; // 1 / (k + 1) for k < p: a division per coefficient sat on the path to the stores
  Pack t_, t_end_, h_, acc_;
  double safety_; // safety_factor(order): an exp per step was 2% of the pendulum's time
  std::size_t steps_[W] = {};
  unsigned char done_[W] = {};
  unsigned char shrunk_[W] = {}; // keep_positive has shortened a step of the lane's trajectory
  std::vector<T> bernstein_;     // keep_positive's coefficients, order + 1
  bool any_done_ = false;        // some lane's step ends its trajectory
};

} // namespace polybatch::taylor::detail
