// pb::count_real_roots and pb::isolate_real_roots: exact counts and
// isolating intervals of the distinct real roots of each row, for integer,
// rational and (converted exactly) binary floating rows. Each row becomes an
// integer polynomial, then its square-free part, then Descartes bisection
// (kernels/exact_roots/). Nothing is rounded: no floating guess decides.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "polybatch/algebra/evaluate.hpp"
#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/kernels/exact_roots/count_word.hpp"
#include "polybatch/kernels/exact_roots/isolate.hpp"
#include "polybatch/kernels/exact_roots/real_interval.hpp"
#include "polybatch/kernels/exact_roots/rows.hpp"
#include "polybatch/kernels/exact_roots/square_free.hpp"
#include "polybatch/scalar/finite.hpp"

namespace polybatch {

/// An interval end for count_real_roots: a number (or Boost.Multiprecision
/// expression) whose value converts exactly to cpp_rational.
template <class S>
concept RationalBound = !PolyExpression<S> && ExactlyRationalScalar<scalar_result_t<S>>;

namespace detail {

/// Square-free part of row i of container p (checked non-zero).
template <class P>
kernels::exact_roots::zpoly square_free_row(const P& p, std::size_t i) {
  namespace er = kernels::exact_roots;
  er::zpoly z = er::to_integer_row(p.data() + i * p.length(), p.length());
  er::trim(z);
  if (z.size() < 2) return z;
  return er::square_free_part(z);
}

template <class S>
boost::multiprecision::cpp_rational rational_bound(const char* which, const S& s) {
  using V = scalar_result_t<S>;
  const V v(s);
  if (!polybatch::detail::is_finite_value(v))
    throw domain_error(std::string("count_real_roots(a, lo, hi): ") + which + " is not finite");
  return kernels::exact_roots::to_rational(v);
}

} // namespace detail

/// B exact counts of distinct real roots. A zero row is a domain_error.
template <PolyExpression E>
requires ExactlyRationalScalar<value_type_of<E>> xt::xtensor<std::size_t, 1> count_real_roots(const E& a) {
  const auto& p = detail::as_container(a);
  detail::check_exact_rows("count_real_roots(a)", "a", p, true);
  auto out = xt::xtensor<std::size_t, 1>::from_shape({p.batch_size()});
  detail::for_exact_rows(p.batch_size(), p.length(), [&](std::size_t i) {
    namespace er = kernels::exact_roots;
    // Words first (built-in integer rows, or integer rows whose values fit):
    // exact whenever it answers; otherwise the cpp_int path below.
    thread_local er::word::count_scratch scratch;
    std::size_t n = 0;
    if constexpr (std::is_integral_v<value_type_of<E>>) {
      if (er::word::count_real_roots(p.data() + i * p.length(), p.length(), n, scratch)) {
        out(i) = n;
        return;
      }
    }
    er::zpoly z = er::to_integer_row(p.data() + i * p.length(), p.length());
    er::trim(z);
    if constexpr (!std::is_integral_v<value_type_of<E>>) {
      thread_local std::vector<std::int64_t> small;
      small.clear();
      for (const er::cpp_int& c : z) {
        if (!c.is_zero() && boost::multiprecision::msb(abs(c)) >= 62) break;
        small.push_back(static_cast<std::int64_t>(c));
      }
      if (small.size() == z.size() && er::word::count_real_roots(small.data(), small.size(), n, scratch)) {
        out(i) = n;
        return;
      }
    }
    const er::zpoly s = z.size() < 2 ? z : er::square_free_part(z);
    out(i) = s.size() < 2 ? 0 : er::count_square_free(s);
  });
  return out;
}

/// B exact counts of distinct real roots in the half-open (lo, hi] (zero
/// when hi <= lo). A zero row is a domain_error.
template <PolyExpression E, RationalBound L, RationalBound H>
requires ExactlyRationalScalar<value_type_of<E>> xt::xtensor<std::size_t, 1> count_real_roots(const E& a, const L& lo,
                                                                                              const H& hi) {
  namespace er = kernels::exact_roots;
  const er::cpp_rational l = detail::rational_bound("lo", lo);
  const er::cpp_rational h = detail::rational_bound("hi", hi);
  const auto& p = detail::as_container(a);
  detail::check_exact_rows("count_real_roots(a, lo, hi)", "a", p, true);
  auto out = xt::xtensor<std::size_t, 1>::from_shape({p.batch_size()});
  detail::for_exact_rows(p.batch_size(), p.length(), [&](std::size_t i) {
    out(i) = 0;
    if (!(l < h)) return;
    const er::zpoly s = detail::square_free_row(p, i);
    if (s.size() < 2) return;
    const er::zpoly d = er::derivative(s);
    std::size_t n = 0;
    for (const real_interval& iv : er::isolate_square_free(s))
      if (er::compare_root(s, d, iv, l) > 0 && er::compare_root(s, d, iv, h) <= 0) ++n;
    out(i) = n;
  });
  return out;
}

/// Per row, disjoint isolating intervals of its distinct real roots in
/// increasing order; a rational root comes back exactly (lo == hi). A zero
/// row is a domain_error.
template <PolyExpression E>
requires ExactlyRationalScalar<value_type_of<E>> std::vector<std::vector<real_interval>>
isolate_real_roots(const E& a) {
  namespace er = kernels::exact_roots;
  const auto& p = detail::as_container(a);
  detail::check_exact_rows("isolate_real_roots(a)", "a", p, true);
  std::vector<std::vector<real_interval>> out(p.batch_size());
  detail::for_exact_rows(p.batch_size(), p.length(), [&](std::size_t i) {
    const er::zpoly s = detail::square_free_row(p, i);
    if (s.size() < 2) return;
    const er::zpoly d = er::derivative(s);
    out[i] = er::isolate_square_free(s);
    for (real_interval& iv : out[i]) er::refine_if_rational(s, d, iv);
  });
  return out;
}

} // namespace polybatch
