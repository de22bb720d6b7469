// The exact check of a run-time expression over binary numbers (--verify,
// polybatch.verify) at machine speed: the same tree rebuilt over fixed-width
// dyadic numbers (never rounded), rows that do not fit redone wider, then in
// rationals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <polybatch/exact/verify_report.hpp>

#include "cli/build.hpp"
#include "cli/expression.hpp"

namespace polybatch::cli {

/// The scalars verify_tree checks: those whose values are integers times
/// powers of two with a bounded mantissa (float, double, int64, double-double,
/// and Boost's binary floats: quad, mpfr at any precision, wide ones falling
/// back to rationals). The instantiations for float, double and int64 are in
/// the engine library; those for dd, quad and mpfr in the command line's
/// (verify_tree_extended.cpp), which links GMP and MPFR.
template <class T>
inline constexpr bool has_tree_check = std::is_same_v<T, float> || std::is_same_v<T, double> ||
                                       std::is_same_v<T, std::int64_t> || std::is_same_v<T, double_double> ||
                                       (!std::is_arithmetic_v<T> && polybatch::detail::is_floating_scalar<T> &&
                                        std::numeric_limits<T>::radix == 2);

/// What the check of one evaluated expression is given: the expression as
/// built for T, and the result computed from it.
template <class T>
struct TreeCheck {
  std::string_view source;
  const Ast& ast;
  const std::map<std::string, NamedBatch<T>>& inputs;
  /// A literal's value in T (the check measures the evaluation's rounding only).
  std::function<T(const Ast&)> number;
  const T* computed; // batch x length, row-major
  std::size_t batch = 0;
  std::size_t length = 0;
  /// The rows to check, ascending; empty: every row.
  std::vector<std::size_t> rows = {};
  /// More rows than this needing rationals: give up (the check would take
  /// rationals' time, so the caller's sampled check is the better choice).
  /// With a limit set, so does a check where 256 or more rows needed
  /// rationals and they are most of the rows begun (a tree too wide for 512
  /// bits whatever the data).
  std::size_t max_rational_rows = std::numeric_limits<std::size_t>::max();
};

/// Rows checked in each arithmetic, for tests and benchmarks.
struct TreeCheckStats {
  std::size_t rows_dyadic = 0;   // in 256 bits
  std::size_t rows_wide = 0;     // redone in 512 bits
  std::size_t rows_rational = 0; // redone in rationals
};

/// The errors of c.computed against the exact value, as pb::verify reports
/// them (over the checked rows; batch_size is the whole batch). A non-finite
/// computed value counts as an infinite absolute and relative error, at the
/// first such position. nullopt when this check does not apply: a node the
/// dyadic tree cannot build (integral, power series), a non-finite input or
/// literal (it has no exact value), or more than max_rational_rows rows
/// needing rationals; the caller checks in rationals instead.
template <class T>
std::optional<verify_report> verify_tree(const TreeCheck<T>& c, TreeCheckStats* stats = nullptr);

extern template std::optional<verify_report> verify_tree<float>(const TreeCheck<float>&, TreeCheckStats*);
extern template std::optional<verify_report> verify_tree<double>(const TreeCheck<double>&, TreeCheckStats*);
extern template std::optional<verify_report> verify_tree<std::int64_t>(const TreeCheck<std::int64_t>&, TreeCheckStats*);

} // namespace polybatch::cli
