// The running maxima of pb::verify's fast path, kept exactly: each candidate
// error is first ranked by a 53-bit approximation, and only a candidate
// within 1e-12 of the current maximum (or beating it) is converted to a
// rational. Rows are offered in order, so the result is verify_against's:
// same maxima, same first worst position, same +inf rule.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "polybatch/exact/dyadic.hpp"
#include "polybatch/exact/verify_report.hpp"
#include "polybatch/scalar/convert.hpp"
#include "polybatch/scalar/finite.hpp"

namespace polybatch::exact::detail {

using rational = boost::multiprecision::cpp_rational;

/// +1 if a is surely larger than b, -1 if surely smaller, 0 if too close
/// to tell from the approximations (relative error below 2^-50 each).
inline int approx_order(const dyadic_approx& a, const dyadic_approx& b) {
  if (b.frac == 0) return a.frac == 0 ? 0 : 1;
  if (a.frac == 0) return -1;
  if (a.top > b.top + 1) return 1;
  if (a.top < b.top - 1) return -1;
  // |a.frac * 2^(a.top - b.top) - b.frac| against b.frac * tolerance, without division.
  const double scaled = a.top == b.top ? a.frac : a.top > b.top ? 2 * a.frac : a.frac / 2;
  constexpr double tolerance = 1e-12;
  if (scaled > b.frac * (1 + tolerance)) return 1;
  if (scaled < b.frac * (1 - tolerance)) return -1;
  return 0;
}

inline dyadic_approx approx_quotient(const dyadic_approx& a, const dyadic_approx& b) {
  dyadic_approx q{a.frac / b.frac, a.top - b.top};
  if (q.frac >= 1) {
    q.frac /= 2;
    ++q.top;
  }
  return q;
}

/// n > 0.
inline dyadic_approx approx_of(const boost::multiprecision::cpp_int& n) {
  const auto msb = static_cast<std::int64_t>(boost::multiprecision::msb(n));
  const boost::multiprecision::cpp_int top =
      msb >= 63 ? boost::multiprecision::cpp_int(n >> (msb - 63)) : boost::multiprecision::cpp_int(n << (63 - msb));
  return {std::ldexp(static_cast<double>(top.convert_to<std::uint64_t>()), -64), msb + 1};
}

/// r > 0.
inline dyadic_approx approx_of(const rational& r) {
  return approx_quotient(approx_of(numerator(r)), approx_of(denominator(r)));
}

/// Rows checked by each path, for tests and benchmarks.
struct verify_stats {
  std::size_t rows_dyadic = 0;   // in the width picked for the expression
  std::size_t rows_wide = 0;     // redone in a wider dyadic (4 limbs, then the widest)
  std::size_t rows_rational = 0; // redone in rationals
};

class rank_state {
public:
  /// Candidate absolute error err > 0 (approximation a); `exact` makes the
  /// rational when it is needed.
  template <class Exact>
  void offer_abs(const dyadic_approx& a, Exact&& exact) {
    const int order = approx_order(a, abs_approx_);
    if (order < 0) return;
    rational v = exact();
    if (order == 0 && !(v > max_abs_)) return;
    max_abs_ = std::move(v);
    abs_approx_ = a;
  }

  template <class Exact>
  void offer_rel(const dyadic_approx& q, Exact&& exact, std::size_t row, std::size_t k) {
    if (infinite_) return;
    const int order = approx_order(q, rel_approx_);
    if (order < 0) return;
    rational v = exact();
    if (order == 0 && !(v > max_rel_)) return;
    max_rel_ = std::move(v);
    rel_approx_ = q;
    worst_row_ = row;
    worst_coefficient_ = k;
  }

  void offer_infinite(std::size_t row, std::size_t k) {
    if (!infinite_) worst_row_ = row, worst_coefficient_ = k;
    infinite_ = true;
  }

  /// Row i exactly in rationals: verify_against's loop for one row. A
  /// non-finite computed value throws as there.
  template <class T>
  void add_row(std::size_t i, const rational* xr, const T* cr, std::size_t L) {
    rational row_magnitude = 0;
    for (std::size_t k = 0; k < L; ++k) row_magnitude = std::max(row_magnitude, rational(abs(xr[k])));
    for (std::size_t k = 0; k < L; ++k) {
      const rational c = polybatch::detail::convert_coefficient<rational>(cr[k], "pb::verify", i, k);
      const rational err = abs(rational(c - xr[k]));
      if (err == 0) continue;
      const dyadic_approx a = approx_of(err);
      offer_abs(a, [&]() -> rational { return err; });
      const rational scale = xr[k] != 0 ? rational(abs(xr[k])) : row_magnitude;
      if (scale == 0) {
        offer_infinite(i, k);
        continue;
      }
      offer_rel(
          approx_quotient(a, approx_of(scale)), [&]() -> rational { return err / scale; }, i, k);
    }
  }

  /// Row i from its exact dyadic values (computed values of any type the
  /// dyadic converts exactly). Returns false (having changed
  /// nothing) when the row must be compared in rationals instead: a
  /// non-finite computed value, or an error that does not fit the width.
  template <class X, class T>
  bool add_row(std::size_t i, const X* xr, const T* cr, std::size_t L, std::vector<X>& errs) {
    errs.resize(L);
    bool has_zero = false;
    try {
      for (std::size_t k = 0; k < L; ++k) {
        if (!polybatch::detail::is_finite_value(cr[k])) return false;
        if constexpr (std::is_floating_point_v<T>)
          errs[k] = abs_difference(xr[k], static_cast<double>(cr[k]));
        else
          errs[k] = abs(xr[k] - convert_scalar<X>(cr[k]));
        has_zero = has_zero || xr[k].is_zero();
      }
    } catch (const dyadic_overflow&) {
      return false;
    }
    // The row's largest |x|, needed only where x is 0.
    std::size_t biggest = 0;
    if (has_zero)
      for (std::size_t k = 1; k < L; ++k)
        if (compare_magnitude(xr[k], xr[biggest]) > 0) biggest = k;
    const X& row_magnitude = xr[biggest];
    for (std::size_t k = 0; k < L; ++k) {
      const X& err = errs[k];
      if (err.is_zero()) continue;
      const dyadic_approx a = err.approx();
      offer_abs(a, [&]() -> rational { return err.to_rational(); });
      const X& scale = xr[k].is_zero() ? row_magnitude : xr[k];
      if (scale.is_zero()) {
        offer_infinite(i, k);
        continue;
      }
      if (infinite_) continue;
      const dyadic_approx s = scale.approx();
      // err / scale < 2^(a.top - s.top + 1): far below the maximum needs no division.
      if (rel_approx_.frac != 0 && a.top - s.top + 2 < rel_approx_.top) continue;
      offer_rel(
          approx_quotient(a, s), [&]() -> rational { return rational(err.to_rational() / abs(scale.to_rational())); },
          i, k);
    }
    return true;
  }

  /// This state followed by `later` (the rows after these), as if the rows
  /// had been offered in one sequence.
  void append(const rank_state& later) {
    if (later.max_abs_ > max_abs_) max_abs_ = later.max_abs_, abs_approx_ = later.abs_approx_;
    if (infinite_) return;
    if (later.max_rel_ > max_rel_) {
      max_rel_ = later.max_rel_;
      rel_approx_ = later.rel_approx_;
      worst_row_ = later.worst_row_;
      worst_coefficient_ = later.worst_coefficient_;
    }
    if (later.infinite_) {
      infinite_ = true;
      worst_row_ = later.worst_row_;
      worst_coefficient_ = later.worst_coefficient_;
    }
  }

  void fill(verify_report& r) const {
    r.max_abs_error_exact = max_abs_;
    r.max_rel_error_exact = max_rel_;
    r.worst_row = worst_row_;
    r.worst_coefficient = worst_coefficient_;
    r.max_abs_error = polybatch::convert_scalar<double>(max_abs_);
    r.max_rel_error = infinite_ ? std::numeric_limits<double>::infinity() : polybatch::convert_scalar<double>(max_rel_);
  }

private:
  rational max_abs_ = 0;
  rational max_rel_ = 0;
  dyadic_approx abs_approx_{};
  dyadic_approx rel_approx_{};
  bool infinite_ = false;
  std::size_t worst_row_ = 0;
  std::size_t worst_coefficient_ = 0;
};

} // namespace polybatch::exact::detail
