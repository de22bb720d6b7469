// Order and step-size rules of the Taylor integrator (Jorba & Zou 2005, as
// heyoka uses them): the order from the tolerance, and each trajectory's
// step from the size of its last two Taylor coefficients.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace polybatch::taylor::detail {

/// Order p with truncation error about tol when the step is the series'
/// radius of convergence over e^2: ceil(-ln(tol) / 2 + 1), at least 2.
inline std::size_t order_from_tol(double tol) {
  const double p = std::ceil(-std::log(tol) / 2.0 + 1.0);
  return p < 2.0 ? 2 : static_cast<std::size_t>(p);
}

/// heyoka's safety factor exp(-0.7 / (p - 1)): keeps the next, neglected
/// terms below the last kept ones when coefficients decay irregularly.
inline double safety_factor(std::size_t order) {
  return order < 2 ? 0.5 : std::exp(-0.7 / static_cast<double>(order - 1));
}

/// The step for one trajectory: min over m in {p - 1, p} of
/// (tol * rho / |c_m|)^(1/m) times the safety factor, where |c_m| is the
/// largest coefficient m over the state variables and rho = max(1, |state|).
/// Coefficients that are all zero impose no bound (infinity).
inline double step_size(double tol_rho, double norm_pm1, double norm_p, std::size_t order, double safety) {
  double h = std::numeric_limits<double>::infinity();
  if (order >= 2 && norm_pm1 > 0) h = std::pow(tol_rho / norm_pm1, 1.0 / static_cast<double>(order - 1));
  if (norm_p > 0) h = std::min(h, std::pow(tol_rho / norm_p, 1.0 / static_cast<double>(order)));
  return h * safety;
}

/// A double close to x, for step-size arithmetic on any scalar.
template <class T>
double to_double(const T& x) {
  return static_cast<double>(x);
}

} // namespace polybatch::taylor::detail
