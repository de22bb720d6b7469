// --verify: the same expression evaluated again exactly, from the exact
// values of the inputs, and the largest absolute and relative errors of the
// result and where they are. Trees over binary scalars (float, double, int,
// dd, quad, mpfr up to 248 bits) are checked at machine speed
// (cli/verify_tree.hpp), on every row unless --verify-rows N asks for N
// evenly spaced rows; wider mpfr, integral and power series (and every type
// under --verify-rationals) in exact rationals, on 20,000 rows unless
// --verify-rows says otherwise (0: all).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <polybatch/eval/dynamic.hpp>
#include <polybatch/polybatch.hpp>

#include "cli/build.hpp"
#include "cli/options.hpp"
#include "cli/scalars.hpp"
#include "cli/verify_tree.hpp"

namespace polybatch::cli {

struct VerifyReport {
  std::size_t rows_checked = 0;
  std::size_t total_rows = 0;
  double max_abs_error = 0;
  double max_rel_error = 0;
  std::size_t worst_row = 0;
  std::size_t worst_coefficient = 0;
  bool already_exact = false;
  /// Rows the machine-speed check had to redo in rationals (values too wide).
  std::size_t rows_in_rationals = 0;

  std::string text() const {
    if (already_exact) return "verify: the result type is exact rationals: nothing to check";
    char wide[64] = "";
    if (rows_in_rationals != 0) std::snprintf(wide, sizeof wide, " (%zu in rationals)", rows_in_rationals);
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "verify: %zu of %zu rows checked exactly%s: max abs error %.3g, max rel error %.3g "
                  "(row %zu, coefficient %zu)",
                  rows_checked, total_rows, wide, max_abs_error, max_rel_error, worst_row, worst_coefficient);
    return buf;
  }
};

/// Rows `rows` of `batch` (all of them when `rows` is empty or the batch
/// has one row) as exact rationals.
template <Scalar T>
PolyBatch<rational> exact_rows(const expr::LeafRef<T>& batch, const std::vector<std::size_t>& rows,
                               const std::string& name) {
  const bool all = rows.empty() || batch.batch_size() == 1;
  const std::size_t n = all ? batch.batch_size() : rows.size();
  PolyBatch<rational> out(n, batch.length());
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t i = all ? j : rows[j];
    for (std::size_t k = 0; k < batch.length(); ++k) {
      const T& v = batch.data()[i * batch.length() + k];
      if (!polybatch::detail::is_finite_value(v))
        throw UserError("--verify: " + name + " holds a non-finite value at row " + std::to_string(i) +
                        ", coefficient " + std::to_string(k) + ": it has no exact value");
      out.data()[j * batch.length() + k] = to_rational(v);
    }
  }
  return out;
}

/// Evenly spaced rows, `sample` of `batch` (none: every row).
inline std::vector<std::size_t> sampled_rows(std::size_t batch, std::size_t sample) {
  std::vector<std::size_t> rows;
  if (sample != 0 && sample < batch)
    for (std::size_t j = 0; j < sample; ++j) rows.push_back(j * batch / sample);
  return rows;
}

/// A literal's value in T.
template <Scalar T>
T literal_value(const EvalOptions& o, const Ast& a) {
  interop::Parsed<T> p = interop::parse_scalar<T>(a.text);
  if (!p.value) throw UserError("--verify: the number '" + a.text + "' is not a " + o.type.name);
  return *p.value;
}

/// The machine-speed check (cli/verify_tree.hpp), or nullopt where it does
/// not apply (the caller then checks in rationals).
template <Scalar T>
std::optional<VerifyReport> verify_fast(const EvalOptions& o, const std::map<std::string, NamedBatch<T>>& inputs,
                                        const PolyBatch<T>& result) {
  const std::size_t batch = result.batch_size();
  const bool asked = o.verify_rows != EvalOptions::verify_rows_default;
  auto number = [&o](const Ast& a) { return literal_value<T>(o, a); };
  TreeCheck<T> check{o.expression, o.ast, inputs, number, result.data(), batch, result.length()};
  check.rows = sampled_rows(batch, asked ? o.verify_rows : 0);
  // Unasked, every row is checked only while that stays fast.
  if (!asked) check.max_rational_rows = EvalOptions::verify_rows_sample;
  TreeCheckStats stats;
  const std::optional<verify_report> r = verify_tree(check, &stats);
  if (!r) return std::nullopt;
  VerifyReport report;
  report.total_rows = batch;
  report.rows_checked = check.rows.empty() ? batch : check.rows.size();
  report.rows_in_rationals = stats.rows_rational;
  report.max_abs_error = r->max_abs_error;
  report.max_rel_error = r->max_rel_error;
  report.worst_row = r->worst_row;
  report.worst_coefficient = r->worst_coefficient;
  return report;
}

template <Scalar T>
VerifyReport verify_exactly(const EvalOptions& o, const std::map<std::string, NamedBatch<T>>& inputs,
                            const PolyBatch<T>& result) {
  VerifyReport report;
  report.total_rows = result.batch_size();
  if constexpr (std::is_same_v<T, rational>) {
    report.already_exact = true;
    return report;
  } else {
    const std::size_t batch = result.batch_size();
    const bool asked = o.verify_rows != EvalOptions::verify_rows_default;
    if constexpr (has_tree_check<T>) {
      if (!o.verify_rationals) {
        if (std::optional<VerifyReport> fast = verify_fast(o, inputs, result)) return *fast;
      }
    }
    const std::size_t sample = asked ? o.verify_rows : EvalOptions::verify_rows_sample;
    const std::vector<std::size_t> rows = sampled_rows(batch, sample);

    std::map<std::string, NamedBatch<rational>> exact_inputs;
    for (const auto& [name, b] : inputs) {
      auto r = std::make_shared<const PolyBatch<rational>>(exact_rows(*b.batch.leaf(), rows, name));
      exact_inputs.emplace(name, NamedBatch<rational>{dynamic_leaf(r), name});
    }
    // Literals stand for the value they have in T, so only the evaluation's
    // rounding is measured.
    auto number = [&](const Ast& a) -> rational { return to_rational(literal_value<T>(o, a)); };
    Builder<rational> builder(o.expression, exact_inputs, "rational", number);
    PolyBatch<rational> exact;
    try {
      exact = builder.build(o.ast);
    } catch (const domain_error& e) {
      // exp(a) of a row with a non-zero constant term has no rational value.
      throw UserError(std::string("--verify: the expression has no exact rational value to check against: ") +
                      e.what());
    }

    report.rows_checked = exact.batch_size();
    const std::size_t length = result.length();
    rational diff;
    for (std::size_t j = 0; j < exact.batch_size(); ++j) {
      const std::size_t i = rows.empty() ? j : rows[j];
      rational row_magnitude = 0;
      for (std::size_t k = 0; k < length; ++k) {
        const rational& x = exact.data()[j * length + k];
        if (abs(x) > row_magnitude) row_magnitude = abs(x);
      }
      for (std::size_t k = 0; k < length; ++k) {
        const rational& x = exact.data()[j * length + k];
        const T& got = result.data()[i * length + k];
        double abs_err = std::numeric_limits<double>::infinity();
        double rel_err = abs_err;
        if (polybatch::detail::is_finite_value(got)) {
          diff = to_rational(got) - x;
          diff = abs(diff);
          abs_err = diff.template convert_to<double>();
          if (x != 0)
            rel_err = rational(diff / abs(x)).template convert_to<double>();
          else if (row_magnitude != 0)
            rel_err = rational(diff / row_magnitude).template convert_to<double>();
          else
            rel_err = diff == 0 ? 0.0 : std::numeric_limits<double>::infinity();
        }
        if (rel_err > report.max_rel_error || (j == 0 && k == 0)) {
          report.max_rel_error = rel_err;
          report.worst_row = i;
          report.worst_coefficient = k;
        }
        report.max_abs_error = std::max(report.max_abs_error, abs_err);
      }
    }
    return report;
  }
}

} // namespace polybatch::cli
