// pb::verify_roots(a, z): certified inclusion disks for approximate roots
// (for example pb::roots(a)), computed in exact arithmetic and rounded up
// (kernels/roots/inclusion.hpp has the theorems). See docs/roots.md.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <ostream>
#include <string>

#include <xtensor/xtensor.hpp>

#include "polybatch/algebra/evaluate.hpp"
#include "polybatch/algebra/roots.hpp"
#include "polybatch/algebra/row_blocks.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/kernels/roots/inclusion.hpp"

namespace polybatch {

/// What verify_roots found.
struct roots_report {
  /// radius(i, j): the disk around z(i, j) holds a root of row i (NaN where
  /// z is NaN; +inf where no bound was found, e.g. for an infinite point).
  xt::xtensor<double, 2> radius;
  /// The disks of row i are pairwise disjoint and as many as its degree, so
  /// each holds exactly one root (counted with multiplicity).
  xt::xtensor<bool, 1> isolated;
  /// Largest radius over all rows (NaN radii skipped; 0 if there are none).
  double max_radius = 0.0;
};

inline std::ostream& operator<<(std::ostream& os, const roots_report& r) {
  std::size_t iso = 0;
  for (bool b : r.isolated) iso += b ? 1 : 0;
  return os << "verify_roots: max_radius = " << r.max_radius << ", " << iso << " of " << r.isolated.size()
            << " rows isolated over " << r.radius.shape()[0] << " x " << r.radius.shape()[1] << " roots";
}

/// Certified radii for the points z (B x (La - 1), as pb::roots returns).
template <PolyExpression E>
requires RootScalar<value_type_of<E>>
    roots_report verify_roots(const E& a_expr, const xt::xtensor<std::complex<value_type_of<E>>, 2>& z) {
  using T = value_type_of<E>;
  const auto& a = detail::as_container(a_expr);
  const std::size_t batch = a.batch_size();
  const std::size_t len = a.length();
  const std::size_t places = len == 0 ? 0 : len - 1;
  if (z.shape()[0] != batch || z.shape()[1] != places)
    throw shape_error("verify_roots(a, z): z " + detail::shape_str(z.shape()[0], z.shape()[1]) + " does not match a " +
                      detail::shape_str(batch, len) + " (B x (La - 1) points are required)");
  for (std::size_t i = 0; i < batch * len; ++i)
    if (!std::isfinite(a.data()[i]))
      throw domain_error("verify_roots(a, z): row " + std::to_string(i / len) + " of a " +
                         detail::shape_str(batch, len) + " has a non-finite coefficient (coefficient " +
                         std::to_string(i % len) + ")");
  roots_report report;
  report.radius = xt::xtensor<double, 2>::from_shape({batch, places});
  report.isolated = xt::xtensor<bool, 1>::from_shape({batch});
  const T* pa = a.data();
  double* pr = report.radius.data();
  bool* pi = report.isolated.data();
  detail::for_row_blocks(batch, batch * len * len * 4096, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      pi[i] = kernels::roots::inclusion_radii(pa + i * len, len, z.data() + i * places, places, pr + i * places);
  });
  for (double r : report.radius)
    if (!std::isnan(r)) report.max_radius = std::max(report.max_radius, r);
  return report;
}

} // namespace polybatch
