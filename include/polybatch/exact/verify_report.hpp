// pb::verify_report: what pb::verify and pb::verify_against found (largest
// absolute and relative errors, computed exactly, and where they occur).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <ostream>

#include "polybatch/core/errors.hpp"

namespace polybatch {

/// What verify found. Errors are computed exactly and rounded to double for
/// reading; the exact values are kept in the *_exact members.
struct verify_report {
  using rational = boost::multiprecision::cpp_rational;

  double max_abs_error = 0.0;
  /// |computed - exact| / |exact|, or / (largest |exact| in the row) where
  /// the exact value is 0; +inf if the whole exact row is 0 and the computed
  /// value is not, or if the ratio is beyond the double range
  /// (max_rel_error_exact holds it exactly).
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

} // namespace polybatch
