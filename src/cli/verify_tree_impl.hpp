// verify_tree (verify_tree.hpp), included by the files that instantiate it
// (verify_tree.cpp for the engine's scalars, verify_tree_extended.cpp for the
// command line's): the expression rebuilt by the same Builder over
// exact::dyadic<4> (values of at most 128 bits) or exact::dyadic<8> (up to
// 256), its leaves converting the inputs tile by tile in place; blocks of rows
// split across threads as pb::verify splits them, each part ranking its errors
// exactly (exact/verify_rank.hpp), parts appended in row order. A block that
// overflows is redone row by row, a row that still does not fit in
// dyadic<8> (compose and powers need it), then alone in rationals. No value is
// ever rounded.
#pragma once

#include "cli/verify_tree.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <utility>

#include <boost/multiprecision/cpp_int.hpp>

#include <polybatch/eval/dynamic.hpp>
#include <polybatch/eval/rebind.hpp>
#include <polybatch/eval/threads.hpp>
#include <polybatch/exact/verify_fast.hpp>

namespace polybatch::cli {

namespace tree_check {

using X = exact::dyadic<4>;
using Wide = exact::dyadic<exact::detail::widest_limbs>;
using rational = boost::multiprecision::cpp_rational;
using exact::detail::rank_state;

/// Thrown while building when this check does not apply.
struct not_checkable {};

/// The inputs as leaves over U that convert the rows of the T batches where
/// the tree reads them (the batches stay alive through their nodes).
template <class U, class T>
std::map<std::string, NamedBatch<U>> converted(const std::map<std::string, NamedBatch<T>>& inputs) {
  using Leaf = expr::ConvertLeaf<U, expr::LeafRef<T>>;
  // The leaf reference is held by value: the node must not point into `inputs`.
  static_assert(std::is_same_v<expr::closure_t<expr::LeafRef<T>>, expr::LeafRef<T>>);
  std::map<std::string, NamedBatch<U>> out;
  for (const auto& [name, named] : inputs) {
    const expr::LeafRef<T>* leaf = named.batch.leaf();
    if (leaf == nullptr) throw not_checkable{};
    auto node = std::make_shared<evaluation::DynamicStaticNode<U, Leaf>>(
        Leaf(*leaf), std::vector<std::shared_ptr<const void>>{named.batch.node_ptr()});
    out.emplace(name, NamedBatch<U>{expr::Dynamic<U>(std::move(node)), named.file});
  }
  return out;
}

/// c's expression over U, literals their exact value in T.
template <class U, class T>
expr::Dynamic<U> tree_over(const TreeCheck<T>& c, const std::map<std::string, NamedBatch<U>>& inputs) {
  auto number = [&c](const Ast& a) -> U {
    const T v = c.number(a);
    if (!polybatch::detail::is_finite_value(v)) throw not_checkable{};
    return convert_scalar<U>(v);
  };
  Builder<U> builder(c.source, inputs, "exact check", number);
  try {
    return builder.build(c.ast);
  } catch (const UserError&) {
    // integral, power series: a node the ring cannot build.
    throw not_checkable{};
  } catch (const exact::dyadic_overflow&) {
    // literals folded into a number wider than the dyadic width
    throw not_checkable{};
  }
}

template <class T>
bool finite_inputs(const std::map<std::string, NamedBatch<T>>& inputs) {
  for (const auto& [name, named] : inputs) {
    const expr::LeafRef<T>* leaf = named.batch.leaf();
    if (leaf == nullptr) return false;
    const T* p = leaf->data();
    const std::size_t n = leaf->batch_size() * leaf->length();
    for (std::size_t i = 0; i < n; ++i)
      if (!polybatch::detail::is_finite_value(p[i])) return false;
  }
  return true;
}

/// One thread's share of the rows, in order.
struct Part {
  rank_state rank;
  bool abs_infinite = false; // some computed value is not finite
  TreeCheckStats stats;
};

/// Row i from its exact rational values; a non-finite computed value is an
/// infinite error there (rank_state's own rational rows refuse them).
template <class T>
void add_rational_row(Part& part, std::size_t i, const rational* xr, const T* cr, std::size_t L) {
  bool finite = true;
  for (std::size_t k = 0; k < L && finite; ++k) finite = polybatch::detail::is_finite_value(cr[k]);
  if (finite) {
    part.rank.add_row(i, xr, cr, L);
    return;
  }
  rational row_magnitude = 0;
  for (std::size_t k = 0; k < L; ++k) row_magnitude = std::max(row_magnitude, rational(abs(xr[k])));
  for (std::size_t k = 0; k < L; ++k) {
    if (!polybatch::detail::is_finite_value(cr[k])) {
      part.abs_infinite = true;
      part.rank.offer_infinite(i, k);
      continue;
    }
    const rational err = abs(rational(convert_scalar<rational>(cr[k]) - xr[k]));
    if (err == 0) continue;
    const exact::dyadic_approx a = exact::detail::approx_of(err);
    part.rank.offer_abs(a, [&]() -> rational { return err; });
    const rational scale = xr[k] != 0 ? rational(abs(xr[k])) : row_magnitude;
    if (scale == 0) {
      part.rank.offer_infinite(i, k);
      continue;
    }
    part.rank.offer_rel(
        exact::detail::approx_quotient(a, exact::detail::approx_of(scale)), [&]() -> rational { return err / scale; },
        i, k);
  }
}

/// One thread's buffers for a tree over dyadic D, `block` rows at a time.
template <class D>
class Pass {
public:
  Pass(const expr::Dynamic<D>& tree, std::size_t block)
      : tree_(tree), length_(tree.length()), scratch_(evaluation::scratch_for_rows(tree, length_, block), D()),
        out_(block * length_) {}

  /// Rows [r0, r0 + rows) into row(); false if a value needed more limbs.
  bool compute(std::size_t r0, std::size_t rows) {
    scratch_.release(0); // an overflow may have left buffers taken
    try {
      evaluation::eval_into(tree_, r0, rows, length_, out_.data(), length_, scratch_);
      return true;
    } catch (const exact::dyadic_overflow&) {
      return false;
    }
  }
  const D* row(std::size_t r) const { return out_.data() + r * length_; }
  std::vector<D>& errors() { return errs_; }

private:
  const expr::Dynamic<D>& tree_;
  std::size_t length_;
  evaluation::Scratch<D> scratch_;
  std::vector<D> out_;
  std::vector<D> errs_;
};

template <class T>
struct Shared {
  const TreeCheck<T>& c;
  const expr::Dynamic<X>* fast; // null: the values are too wide for it, blocks start in Wide
  const expr::Dynamic<Wide>& wide;
  const expr::Dynamic<rational>& exact;
  std::vector<Part>& parts;
  std::size_t count; // rows to check
  std::atomic<std::size_t> rational_rows{0};
  std::atomic<std::size_t> rows_started{0}; // by every thread, for the give-up rule
  std::atomic<bool> gave_up{false};

  std::size_t row_at(std::size_t j) const { return c.rows.empty() ? j : c.rows[j]; }
};

/// Checks rows row_at(j) for j in [begin, end), consecutive rows in blocks
/// computed in D; a block that overflows is redone row by row in D, then in
/// Wide (when D is narrower), then in rationals.
template <class D, class T>
void check_rows(Shared<T>& s, const expr::Dynamic<D>& first, Part& part, std::size_t begin, std::size_t end) {
  const std::size_t L = s.c.length;
  const std::size_t fits = std::max<std::size_t>(1, exact::detail::verify_block_bytes / (L * sizeof(D)));
  const std::size_t block = std::min({exact::detail::verify_block_rows, fits, std::max<std::size_t>(end - begin, 1)});
  Pass<D> fast(first, block);
  std::optional<Pass<Wide>> wide;
  std::optional<evaluation::Scratch<rational>> exact_scratch;
  std::vector<rational> exact_row(L);
  const auto computed_row = [&](std::size_t i) { return s.c.computed + i * L; };

  auto offer = [&](auto& pass, std::size_t r, std::size_t i) {
    if (part.rank.add_row(i, pass.row(r), computed_row(i), L, pass.errors())) return;
    // A non-finite computed value, or an error wider than the dyadic width.
    for (std::size_t k = 0; k < L; ++k) exact_row[k] = pass.row(r)[k].to_rational();
    add_rational_row(part, i, exact_row.data(), computed_row(i), L);
  };
  auto in_rationals = [&](std::size_t i) {
    const std::size_t in_rationals_so_far = s.rational_rows.fetch_add(1) + 1;
    // Past the limit, or (when there is one) most rows needing rationals
    // after a few hundred: an expression too wide for 512 bits, which the
    // caller's sample checks at less cost than every row here.
    const bool limited = s.c.max_rational_rows != std::numeric_limits<std::size_t>::max();
    if (in_rationals_so_far > s.c.max_rational_rows ||
        (limited && in_rationals_so_far >= 256 && 2 * in_rationals_so_far > s.rows_started.load())) {
      s.gave_up = true;
      return;
    }
    if (!exact_scratch) exact_scratch.emplace(evaluation::scratch_per_row(s.exact, L), rational(0));
    exact_scratch->release(0);
    evaluation::eval_into(s.exact, i, 1, L, exact_row.data(), L, *exact_scratch);
    add_rational_row(part, i, exact_row.data(), computed_row(i), L);
    ++part.stats.rows_rational;
  };

  constexpr bool narrow = !std::is_same_v<D, Wide>;
  std::size_t& rows_first = narrow ? part.stats.rows_dyadic : part.stats.rows_wide;
  // Blocks that overflowed D and fitted Wide in a row: after two, this part
  // starts its blocks in Wide (an expression whose values all need it, such
  // as a product of three wide factors, then costs no failed attempts).
  int wide_streak = 0;
  for (std::size_t j = begin; j < end && !s.gave_up;) {
    const std::size_t i0 = s.row_at(j);
    std::size_t rows = 1;
    while (rows < block && j + rows < end && s.row_at(j + rows) == i0 + rows) ++rows;
    j += rows;
    s.rows_started += rows;
    if (wide_streak < 2 && fast.compute(i0, rows)) {
      for (std::size_t r = 0; r < rows; ++r) offer(fast, r, i0 + r);
      rows_first += rows;
      wide_streak = 0;
      continue;
    }
    if constexpr (narrow) {
      if (!wide) wide.emplace(s.wide, block);
      if (wide->compute(i0, rows)) {
        for (std::size_t r = 0; r < rows; ++r) offer(*wide, r, i0 + r);
        part.stats.rows_wide += rows;
        ++wide_streak;
        continue;
      }
    }
    // Some row fits nothing: each row in the narrowest arithmetic it fits.
    for (std::size_t i = i0; i < i0 + rows && !s.gave_up; ++i) {
      if (fast.compute(i, 1)) {
        offer(fast, 0, i);
        ++rows_first;
        continue;
      }
      if constexpr (narrow) {
        if (wide->compute(i, 1)) {
          offer(*wide, 0, i);
          ++part.stats.rows_wide;
          continue;
        }
      }
      in_rationals(i);
    }
  }
}

/// The bits of T's mantissa (an upper bound for double-double, whose parts
/// may lie further apart: such rows overflow and are redone wider).
template <class T>
std::size_t mantissa_bits(const TreeCheck<T>& c) {
  if constexpr (std::is_same_v<T, double_double>) {
    return 2 * std::numeric_limits<double>::digits + 1;
  } else if constexpr (requires(const T& v) { v.backend().precision(); }) {
    // mpfr's precision is chosen at run time (its numeric_limits say INT_MAX): read it off a value, in decimal
    // digits.
    if (c.batch * c.length == 0) return 0;
    return static_cast<std::size_t>(std::ceil(c.computed[0].precision() * 3.3219280948873623)) + 1;
  } else {
    return std::numeric_limits<T>::digits;
  }
}

} // namespace tree_check

template <class T>
std::optional<verify_report> verify_tree(const TreeCheck<T>& c, TreeCheckStats* stats) {
  static_assert(has_tree_check<T>);
  using namespace tree_check;
  // A product of two values must fit the widest dyadic; wider scalars
  // (mpfr beyond 256 bits) are checked in rationals.
  const std::size_t bits = mantissa_bits(c);
  if (2 * bits + exact::detail::alignment_slack_bits > static_cast<std::size_t>(Wide::bits)) return std::nullopt;
  const bool start_wide = 2 * bits + exact::detail::alignment_slack_bits > static_cast<std::size_t>(X::bits);
  if (!finite_inputs(c.inputs)) return std::nullopt;
  std::optional<expr::Dynamic<X>> fast;
  std::optional<expr::Dynamic<Wide>> wide;
  std::optional<expr::Dynamic<rational>> exact;
  try {
    if (!start_wide) fast.emplace(tree_over<X>(c, converted<X>(c.inputs)));
    wide.emplace(tree_over<Wide>(c, converted<Wide>(c.inputs)));
    exact.emplace(tree_over<rational>(c, converted<rational>(c.inputs)));
  } catch (const not_checkable&) {
    return std::nullopt;
  } catch (const exact::dyadic_not_finite&) {
    return std::nullopt;
  }
  if (wide->batch_size() != c.batch || wide->length() != c.length)
    throw std::logic_error("polybatch internal error: the exact check's tree differs in shape from the result");

  const std::size_t count = c.rows.empty() ? c.batch : c.rows.size();
  std::size_t parts = 1;
  if (count * c.length >= evaluation::parallel_threshold / 16)
    parts = std::max<std::size_t>(1, std::min(num_threads(), count));
  std::vector<Part> part(parts);
  Shared<T> shared{c, fast ? &*fast : nullptr, *wide, *exact, part, count};
  evaluation::ThreadPool::instance().run(
      parts,
      [](const void* raw, std::size_t p, std::size_t n) {
        auto& s = *static_cast<Shared<T>*>(const_cast<void*>(raw));
        const std::size_t begin = s.count * p / n, end = s.count * (p + 1) / n;
        if (s.fast != nullptr)
          check_rows(s, *s.fast, s.parts[p], begin, end);
        else
          check_rows(s, s.wide, s.parts[p], begin, end);
      },
      &shared);
  if (shared.gave_up) return std::nullopt;

  bool abs_infinite = false;
  for (std::size_t p = 0; p < parts; ++p) {
    if (p > 0) part[0].rank.append(part[p].rank);
    abs_infinite = abs_infinite || part[p].abs_infinite;
    if (stats) {
      stats->rows_dyadic += part[p].stats.rows_dyadic;
      stats->rows_wide += part[p].stats.rows_wide;
      stats->rows_rational += part[p].stats.rows_rational;
    }
  }
  verify_report report;
  report.batch_size = c.batch;
  report.length = c.length;
  part[0].rank.fill(report);
  if (abs_infinite) report.max_abs_error = std::numeric_limits<double>::infinity();
  return report;
}

} // namespace polybatch::cli
