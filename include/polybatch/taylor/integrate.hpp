// pb::taylor::integrate: y' = f(y) from t = 0 to t1 for B trajectories at
// once, by Taylor series whose coefficients come from a jet recurrence over
// f's expression tree (f is called once per block of trajectories, never
// per step). Checks the input, picks the order, splits rows over threads.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>

#include <xtensor/xtensor.hpp>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/eval/jet/series.hpp"
#include "polybatch/eval/threads.hpp"
#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/value_text.hpp"
#include "polybatch/taylor/engine.hpp"
#include "polybatch/taylor/options.hpp"

namespace polybatch::taylor {

namespace detail {

template <class R, class T>
inline constexpr bool is_rhs_tuple = false;
template <class... E, class T>
inline constexpr bool is_rhs_tuple<std::tuple<E...>, T> = sizeof...(E) >= 1 &&
                                                          ((PolyExpression<E> &&
                                                            std::same_as<value_type_of<E>, T>)&&...);

/// Trajectories stepped side by side. A coefficient of the jet recurrence
/// depends on the one before, so a step is a chain of dependent products;
/// what keeps the vector units busy is independent lanes: 512 bytes of
/// accumulators in the product loops where the compiler may use AVX-512
/// (eight of its 32 registers: 64 doubles, measured 1.3-1.6x faster than
/// 16), 256 bytes with AVX (eight of its 16 registers; 32 doubles against 16
/// on AVX2: 7-13% faster on Lotka-Volterra and the pendulum, 4% on Kepler,
/// 2% slower on Lorenz), 128 bytes with SSE. The jets of a block
/// stay in L1 or L2. Types without SIMD lanes gain nothing from more than one.
template <class T>
inline constexpr std::size_t lanes_for = std::is_same_v<T, double> || std::is_same_v<T, float>
                                             ? (kernels::jet::detail::simd_bytes == 64   ? 512
                                                : kernels::jet::detail::simd_bytes == 32 ? 256
                                                                                         : 128) /
                                                   sizeof(T)
                                         : std::is_arithmetic_v<T>          ? 16
                                         : std::is_same_v<T, double_double> ? 8
                                                                            : 1;
/// Below this many trajectories per thread, one thread does it all.
inline constexpr std::size_t rows_per_thread = 256;

/// The highest Taylor order a run takes (1e-1000 in MPFR takes about 1150).
inline constexpr std::size_t max_order = 10000;

template <class T>
void check_input(const PolyBatch<T>& y0, const xt::xtensor<T, 1>& t1, const options& opts) {
  if (!(opts.tol > 0) || !std::isfinite(opts.tol)) {
    std::ostringstream os;
    os << "pb::taylor::integrate: tol must be positive and finite, got " << opts.tol;
    throw domain_error(os.str());
  }
  if (t1.size() != y0.batch_size())
    throw shape_error("pb::taylor::integrate: t1 has " + std::to_string(t1.size()) +
                      " end times but y0 has B=" + std::to_string(y0.batch_size()) + " trajectories " +
                      polybatch::detail::shape_str(y0.batch_size(), y0.length()));
  // Tested in T (through double, -1e-330L passed as -0). End times also
  // against double's range: steps are doubles of at most 2^1000 (a long
  // double or MPFR states beyond it are fine, the step rule reads them in
  // logarithms).
  auto refuse = [](const std::string& what, const T& x, const char* why) {
    std::ostringstream os;
    os << "pb::taylor::integrate: " << what << " (";
    os << polybatch::detail::value_text(x);
    os << ") " << why;
    throw domain_error(os.str());
  };
  constexpr const char* beyond_double =
      "is beyond the range of double (about 1.8e308), in which the step-size rule works";
  for (std::size_t r = 0; r < t1.size(); ++r) {
    const std::string what = "the end time of trajectory " + std::to_string(r);
    if (!(t1(r) >= T(0)) || !polybatch::detail::is_finite_value(t1(r))) refuse(what, t1(r), "must be finite and >= 0");
    if (!std::isfinite(to_double(t1(r)))) refuse(what, t1(r), beyond_double);
  }
  for (std::size_t r = 0; r < y0.batch_size(); ++r)
    for (std::size_t i = 0; i < y0.length(); ++i) {
      const std::string what = "y0(" + std::to_string(r) + ", " + std::to_string(i) + ")";
      if (!polybatch::detail::is_finite_value(y0(r, i))) refuse(what, y0(r, i), "is not finite");
    }
}

} // namespace detail

/// A right-hand side: called with the state series y (y[0] .. y[N-1]), it
/// returns a std::tuple of N expressions over T.
template <class F, class T>
concept System = std::invocable < F&,
        const expr::jet::JetState<T>
& > &&detail::is_rhs_tuple<std::remove_cvref_t<detail::system_result_t<F, T>>, T>;

template <Scalar T, System<T> F>
requires scalar_traits<T>::is_field &&
    (!scalar_traits<T>::is_exact)result<T> integrate(F&& f, const PolyBatch<T>& y0, const xt::xtensor<T, 1>& t1,
                                                     const options& opts = {}) {
  using Exprs = std::remove_cvref_t<detail::system_result_t<F, T>>;
  detail::check_input(y0, t1, opts);
  const std::size_t B = y0.batch_size(), N = y0.length();
  if (std::tuple_size_v<Exprs> != N)
    throw shape_error("pb::taylor::integrate: f returns " + std::to_string(std::tuple_size_v<Exprs>) +
                      " right-hand sides but y0 has N=" + std::to_string(N) + " state variables " +
                      polybatch::detail::shape_str(B, N));
  const std::size_t order = opts.order == 0 ? detail::order_from_tol<T>(opts.tol) : opts.order;
  // Each jet keeps order + 1 coefficients per node and lane, and a step
  // costs O(order^2): an order beyond this is a mistake, not a request.
  if (order > detail::max_order)
    throw domain_error("pb::taylor::integrate: the order must be at most " + std::to_string(detail::max_order) +
                       ", got " + std::to_string(order) + (opts.order == 0 ? " (from tol)" : " (options::order)"));

  result<T> out{PolyBatch<T>(y0), xt::xtensor<std::size_t, 1>::from_shape({B})};
  const detail::Problem<T> problem{y0, t1, order, opts.tol, out.y, out.steps};
  const std::size_t parts =
      std::clamp<std::size_t>(B / detail::rows_per_thread, 1, std::max<std::size_t>(num_threads(), 1));
  struct Context {
    F& f;
    const detail::Problem<T>& problem;
    std::size_t batch;
  } context{f, problem, B};
  auto task = [](const void* c, std::size_t part, std::size_t parts_) {
    const Context& ctx = *static_cast<const Context*>(c);
    const std::size_t first = ctx.batch * part / parts_, last = ctx.batch * (part + 1) / parts_;
    detail::Engine<std::remove_reference_t<F>, T, detail::lanes_for<T>> engine(ctx.f, ctx.problem, first, last);
    engine.run();
  };
  evaluation::ThreadPool::instance().run(parts, task, &context);
  return out;
}

/// One end time for every trajectory.
template <Scalar T, System<T> F, class S>
requires scalar_traits<T>::is_field &&(!scalar_traits<T>::is_exact) &&
    (!PolyExpression<S>)&&std::constructible_from<T, S> result<T> integrate(F&& f, const PolyBatch<T>& y0, const S& t1,
                                                                            const options& opts = {}) {
  xt::xtensor<T, 1> ends = xt::xtensor<T, 1>::from_shape({y0.batch_size()});
  // At y0's precision (mpfr_float): T(t1) would take the thread default.
  T t = scalar_traits<T>::zero_like(y0.data()[0]);
  t = t1;
  std::fill(ends.begin(), ends.end(), t);
  return integrate(std::forward<F>(f), y0, ends, opts);
}

} // namespace polybatch::taylor
