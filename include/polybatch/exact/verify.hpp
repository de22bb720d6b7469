// pb::verify(e): evaluates e in its own scalar type and again exactly (every
// leaf converted exactly to cpp_rational, the same tree evaluated in exact
// arithmetic) and reports the largest absolute and relative errors and
// where they occur. pb::verify_against(computed, exact) compares two
// already-evaluated batches the same way (for run-time expressions).
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
#include "polybatch/scalar/convert.hpp"

namespace polybatch {

/// What verify found. Errors are computed exactly and rounded to double for
/// reading; the exact values are kept in the *_exact members.
struct verify_report {
  using rational = boost::multiprecision::cpp_rational;

  double max_abs_error = 0.0;
  /// |computed - exact| / |exact|, or / (largest |exact| in the row) where
  /// the exact value is 0; +inf if the whole exact row is 0 and the computed
  /// value is not.
  double max_rel_error = 0.0;
  /// Row (and coefficient) of the largest relative error.
  std::size_t worst_row = 0;
  std::size_t worst_coefficient = 0;
  std::size_t batch_size = 0;
  std::size_t length = 0;
  rational max_abs_error_exact = 0;
  rational max_rel_error_exact = 0;
};

inline std::ostream& operator<<(std::ostream& os, const verify_report& r) {
  return os << "verify: max_abs_error = " << r.max_abs_error << ", max_rel_error = " << r.max_rel_error
            << " (worst row " << r.worst_row << ", coefficient " << r.worst_coefficient << ") over "
            << detail::shape_str(r.batch_size, r.length);
}

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
      const rational c = convert_scalar<rational>(cr[k]);
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
  report.max_abs_error = static_cast<double>(report.max_abs_error_exact);
  report.max_rel_error =
      infinite ? std::numeric_limits<double>::infinity() : static_cast<double>(report.max_rel_error_exact);
  return report;
}

/// Evaluates e in its own scalar type and exactly; see verify_report.
template <PolyExpression E>
verify_report verify(const E& e) {
  using rational = boost::multiprecision::cpp_rational;
  const PolyBatch<value_type_of<E>> computed = eval(e);
  const PolyBatch<rational> exact_value = eval(exact::rebind_leaves<rational>(e));
  return verify_against(computed, exact_value);
}

} // namespace polybatch
