// pb::verify for expressions over binary scalars without rationals: each block
// of rows is computed in its own type and exactly in exact::dyadic<N>
// (fixed-width, never rounded), and compared there. A block that overflows its
// width is redone row by row, each row in that width, then in the widest,
// then in rationals; the report is verify_against's, member for member.
#pragma once

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/interruption.hpp"
#include "polybatch/eval/rebind.hpp"
#include "polybatch/eval/run.hpp"
#include "polybatch/eval/scratch.hpp"
#include "polybatch/eval/threads.hpp"
#include "polybatch/exact/dyadic.hpp"
#include "polybatch/exact/dyadic_convolve.hpp"
#include "polybatch/exact/dyadic_leaf_product.hpp"
#include "polybatch/exact/dyadic_plan.hpp"
#include "polybatch/exact/rebind.hpp"
#include "polybatch/exact/verify_rank.hpp"
#include "polybatch/exact/verify_report.hpp"
#include "polybatch/scalar/finite.hpp"

namespace polybatch::exact::detail {

/// Room left above mantissa_bits for exponents that differ inside a sum.
inline constexpr std::size_t alignment_slack_bits = 16;
/// The widest dyadic tried before rationals.
inline constexpr int widest_limbs = 8;
/// Rows per block: small, so that a block redone after an overflow costs
/// little, and fewer for long rows, so that a block's values stay near 1 MiB.
inline constexpr std::size_t verify_block_rows = 64;
inline constexpr std::size_t verify_block_bytes = std::size_t(1) << 20;

/// e's tree over dyadic<N>, reading e's leaves in place, with the scratch
/// and buffers one thread needs to compute `block` rows at a time.
template <int N, class E>
class dyadic_pass {
public:
  using X = dyadic<N>;
  dyadic_pass(const E& e, std::size_t block)
      : tree_(rebind_leaves<X, true>(e)), length_(e.length()),
        scratch_(evaluation::scratch_for_rows(tree_, length_, block), X()), out_(block * length_) {}

  /// Rows [r0, r0 + rows) into out(); false if a value needed more than N limbs.
  bool compute(std::size_t r0, std::size_t rows) {
    scratch_.release(0); // an overflow may have left buffers taken
    try {
      evaluation::eval_into(tree_, r0, rows, length_, out_.data(), length_, scratch_);
      return true;
    } catch (const dyadic_overflow&) {
      return false;
    }
  }
  const X* row(std::size_t r) const { return out_.data() + r * length_; }
  std::vector<X>& errors() { return errs_; }

private:
  decltype(rebind_leaves<X, true>(std::declval<const E&>())) tree_;
  std::size_t length_;
  evaluation::Scratch<X> scratch_;
  std::vector<X> out_;
  std::vector<X> errs_;
};

/// One thread's share: rows [begin, end) offered to `rank` in order. Each
/// block is computed in T here too (a row's bits do not depend on the tile
/// it falls in), so the T result never exists whole. Checks `interruption`
/// before each block, as a fused pass does before each tile.
template <int N, class E>
void verify_rows(const E& e, std::size_t begin, std::size_t end, rank_state& rank, verify_stats& stats,
                 const evaluation::Interruption& interruption) {
  using rational = boost::multiprecision::cpp_rational;
  using T = value_type_of<E>;
  const std::size_t L = e.length();
  const std::size_t fits = std::max<std::size_t>(1, verify_block_bytes / (L * sizeof(dyadic<N>)));
  const std::size_t block = std::min({verify_block_rows, fits, std::max<std::size_t>(end - begin, 1)});
  evaluation::Scratch<T> scratch(evaluation::scratch_for_rows(e, L, block), T(0));
  std::vector<T> computed(block * L);
  dyadic_pass<N, E> fast(e, block);
  // A row that overflows N limbs tries 4 (when N is 2), then the widest.
  std::optional<dyadic_pass<4, E>> middle;
  std::optional<dyadic_pass<widest_limbs, E>> wide;
  auto exact_tree = rebind_leaves<rational, true>(e);
  std::optional<evaluation::Scratch<rational>> exact_scratch;
  std::vector<rational> exact_row;
  std::size_t r0 = begin;
  const auto computed_row = [&](std::size_t i) { return computed.data() + (i - r0) * L; };

  auto in_rationals = [&](std::size_t i) {
    if (!exact_scratch) {
      exact_scratch.emplace(evaluation::scratch_for_rows(exact_tree, L, 1), rational(0));
      exact_row.resize(L);
    }
    exact_scratch->release(0);
    evaluation::eval_into(exact_tree, i, 1, L, exact_row.data(), L, *exact_scratch);
    rank.add_row(i, exact_row.data(), computed_row(i), L);
    ++stats.rows_rational;
  };
  // Compares row i from a dyadic pass, converting it to rationals when the
  // comparison itself does not fit.
  auto compare = [&](auto& pass, std::size_t r, std::size_t i) {
    if (rank.add_row(i, pass.row(r), computed_row(i), L, pass.errors())) return;
    exact_row.resize(L);
    for (std::size_t k = 0; k < L; ++k) exact_row[k] = pass.row(r)[k].to_rational();
    rank.add_row(i, exact_row.data(), computed_row(i), L);
  };

  for (; r0 < end; r0 += block) {
    interruption.check();
    const std::size_t rows = std::min(block, end - r0);
    scratch.release(0);
    evaluation::eval_into(e, r0, rows, L, computed.data(), L, scratch);
    if (fast.compute(r0, rows)) {
      for (std::size_t r = 0; r < rows; ++r) compare(fast, r, r0 + r);
      stats.rows_dyadic += rows;
      continue;
    }
    for (std::size_t i = r0; i < r0 + rows; ++i) {
      if (rows > 1 && fast.compute(i, 1)) {
        compare(fast, 0, i);
        ++stats.rows_dyadic;
        continue;
      }
      if constexpr (N < 4) {
        if (!middle) middle.emplace(e, 1);
        if (middle->compute(i, 1)) {
          compare(*middle, 0, i);
          ++stats.rows_wide;
          continue;
        }
      }
      if constexpr (N < widest_limbs) {
        if (!wide) wide.emplace(e, 1);
        if (wide->compute(i, 1)) {
          compare(*wide, 0, i);
          ++stats.rows_wide;
          continue;
        }
      }
      in_rationals(i);
    }
  }
}

template <int N, class E>
verify_report verify_dyadic(const E& e, verify_stats& stats) {
  verify_report report;
  report.batch_size = e.batch_size();
  report.length = e.length();
  const std::size_t batch = e.batch_size();
  std::size_t parts = 1;
  if (batch * e.length() >= evaluation::parallel_threshold / 16) parts = std::min(num_threads(), batch);
  std::vector<rank_state> ranks(parts);
  std::vector<verify_stats> part_stats(parts);
  const evaluation::Interruption interruption;
  struct Context {
    const E& e;
    std::vector<rank_state>& ranks;
    std::vector<verify_stats>& stats;
    const evaluation::Interruption& interruption;
  } ctx{e, ranks, part_stats, interruption};
  evaluation::ThreadPool::instance().run(
      parts,
      [](const void* raw, std::size_t part, std::size_t n) {
        const Context& c = *static_cast<const Context*>(raw);
        const std::size_t b = c.e.batch_size();
        verify_rows<N>(c.e, b * part / n, b * (part + 1) / n, c.ranks[part], c.stats[part], c.interruption);
      },
      &ctx);
  for (std::size_t p = 1; p < parts; ++p) ranks[0].append(ranks[p]);
  for (const verify_stats& s : part_stats) {
    stats.rows_dyadic += s.rows_dyadic;
    stats.rows_wide += s.rows_wide;
    stats.rows_rational += s.rows_rational;
  }
  ranks[0].fill(report);
  return report;
}

/// Whether e's leaves are all finite (a non-finite leaf has no exact value:
/// the rational path reports it).
template <class E>
bool finite_leaves(const E& e) {
  bool finite = true;
  for_each_leaf(e, [&](const auto& leaf) {
    const auto* p = leaf.data();
    const std::size_t n = leaf.batch_size() * leaf.length();
    for (std::size_t i = 0; i < n && finite; ++i) finite = polybatch::detail::is_finite_value(p[i]);
  });
  return finite;
}

/// The limb count for e: its mantissa bound plus slack, in 2, 4 or 8 limbs.
template <class E>
int limbs_for(const E& e) {
  const std::size_t need = mantissa_bits(e) + alignment_slack_bits;
  return need <= 128 ? 2 : need <= 256 ? 4 : widest_limbs;
}

} // namespace polybatch::exact::detail
