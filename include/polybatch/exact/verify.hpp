// pb::verify(e): evaluates e in its own scalar type and again exactly and
// reports the largest absolute and relative errors and where they occur.
// Trees without division over binary scalars of fixed width (float, double,
// double-double, quad, float128, fixed-precision mpfr up to 240 bits) are
// computed exactly in fixed-width dyadic numbers (exact/verify_fast.hpp);
// everything else, and what does not fit, in cpp_rational. pb::verify_against(computed, exact)
// compares two already-evaluated batches (for run-time expressions).
#pragma once

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <limits>
#include <ostream>
#include <string>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/exact/rebind.hpp"
#include "polybatch/exact/verify_fast.hpp"
#include "polybatch/exact/verify_report.hpp"
#include "polybatch/scalar/convert.hpp"

namespace polybatch {

/// Compares a computed batch with the exact one (same shape).
template <PolyContainer C, PolyContainer X>
requires std::same_as<value_type_of<X>, boost::multiprecision::cpp_rational>
    verify_report verify_against(const C& computed, const X& exact) {
  using rational = boost::multiprecision::cpp_rational;
  if (computed.batch_size() != exact.batch_size() || computed.length() != exact.length())
    throw shape_error("pb::verify_against: computed " + detail::shape_str(computed.batch_size(), computed.length()) +
                      " and exact " + detail::shape_str(exact.batch_size(), exact.length()) + " differ in shape");
  verify_report report;
  report.batch_size = computed.batch_size();
  report.length = computed.length();
  bool infinite = false;
  const std::size_t L = computed.length();
  for (std::size_t i = 0; i < computed.batch_size(); ++i) {
    const auto* xr = exact.data() + i * L;
    const auto* cr = computed.data() + i * L;
    rational row_magnitude = 0;
    for (std::size_t k = 0; k < L; ++k) row_magnitude = std::max(row_magnitude, rational(abs(xr[k])));
    for (std::size_t k = 0; k < L; ++k) {
      const rational c = polybatch::detail::convert_coefficient<rational>(cr[k], "pb::verify", i, k);
      const rational err = abs(rational(c - xr[k]));
      if (err > report.max_abs_error_exact) report.max_abs_error_exact = err;
      if (err == 0) continue;
      const rational scale = xr[k] != 0 ? rational(abs(xr[k])) : row_magnitude;
      if (scale == 0) {
        if (!infinite) report.worst_row = i, report.worst_coefficient = k;
        infinite = true;
        continue;
      }
      const rational rel = err / scale;
      if (!infinite && rel > report.max_rel_error_exact) {
        report.max_rel_error_exact = rel;
        report.worst_row = i;
        report.worst_coefficient = k;
      }
    }
  }
  // Rounded once (Boost's conversion rounds a subnormal twice).
  report.max_abs_error = convert_scalar<double>(report.max_abs_error_exact);
  report.max_rel_error =
      infinite ? std::numeric_limits<double>::infinity() : convert_scalar<double>(report.max_rel_error_exact);
  return report;
}

namespace exact::detail {

/// The rational path: e's leaves converted to cpp_rational, the tree
/// evaluated exactly over the whole batch, compared by verify_against.
template <PolyExpression E>
verify_report verify_rational(const E& e) {
  using rational = boost::multiprecision::cpp_rational;
  const PolyBatch<value_type_of<E>> computed = eval(e);
  const PolyBatch<rational> exact_value = eval(exact::rebind_leaves<rational>(e));
  return verify_against(computed, exact_value);
}

/// verify(e), counting the rows each path checked (stats is added to).
template <PolyExpression E>
verify_report verify(const E& e, verify_stats& stats) {
  if constexpr (is_dyadic_scalar<value_type_of<E>> && is_dyadic_tree<E>) {
    if (!finite_leaves(e)) return verify_rational(e);
    try {
      switch (limbs_for(e)) {
      case 2:
        return verify_dyadic<2>(e, stats);
      case 4:
        return verify_dyadic<4>(e, stats);
      default:
        return verify_dyadic<widest_limbs>(e, stats);
      }
    } catch (const dyadic_not_finite&) {
      // A non-finite scalar inside the tree (nan * a): reported as before.
      return verify_rational(e);
    }
  } else {
    const verify_report report = verify_rational(e);
    stats.rows_rational += report.batch_size;
    return report;
  }
}

} // namespace exact::detail

/// Evaluates e in its own scalar type and exactly; see verify_report.
template <PolyExpression E>
verify_report verify(const E& e) {
  exact::detail::verify_stats stats;
  return exact::detail::verify(e, stats);
}

} // namespace polybatch
