// Evaluation with the overflow check (overflow.hpp) fused in: each thread
// computes its share of the rows in pieces of about 256 KiB and scans each
// piece right after, while it is still in that core's L2 cache. Scanning a
// 4 MiB block once the whole block was computed read it back from memory,
// about 15% of `a*b`'s compute time (1M rows of 5 x 7 doubles, one thread).
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "cli/options.hpp"
#include "cli/overflow.hpp"

namespace polybatch::cli {

/// out[0 .. rows * length) = rows first_row .. first_row + rows of e, then a
/// UserError naming the first overflowed value (overflow.hpp) unless
/// --allow-overflow; exact types have no infinity and are written as they are.
/// An error of the evaluation itself (a series' domain error) anywhere in
/// these rows is thrown instead of an overflow, as when the rows were
/// evaluated first and scanned after, whatever the thread count.
template <class T>
void evaluate_checked(const expr::Dynamic<T>& e, T* out, std::size_t first_row, std::size_t rows, std::size_t length,
                      const std::vector<CheckedInput<T>>& inputs, const EvalOptions& o) {
  constexpr bool can_overflow = !std::numeric_limits<T>::is_integer && !std::numeric_limits<T>::is_exact;
  if (!can_overflow || o.allow_overflow) {
    adapt(out, rows, length) = e.rows(first_row, rows);
    return;
  }
  constexpr std::size_t piece_bytes = std::size_t(256) << 10;
  constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  const std::size_t piece = std::max<std::size_t>(1, piece_bytes / (length * sizeof(T)));
  // The fused pass's split: one part a thread above its threshold, each part
  // then cut into pieces (the nested passes run on the part's thread).
  const std::size_t parts = rows * length >= evaluation::parallel_threshold ? std::min(num_threads(), rows) : 1;
  struct Context {
    const expr::Dynamic<T>* e;
    T* out;
    std::size_t first_row, rows, length, piece;
    const std::vector<CheckedInput<T>>* inputs;
    std::vector<std::size_t>* found; // per part: the first overflowed index into out, or none
  };
  std::vector<std::size_t> found(parts, none);
  const Context context{&e, out, first_row, rows, length, piece, &inputs, &found};
  const auto task = [](const void* c, std::size_t part, std::size_t count) {
    const auto& x = *static_cast<const Context*>(c);
    const std::size_t begin = x.rows * part / count, end = x.rows * (part + 1) / count;
    std::size_t& first = (*x.found)[part];
    for (std::size_t r = begin; r < end; r += x.piece) {
      const std::size_t n = std::min(x.piece, end - r);
      T* values = x.out + r * x.length;
      adapt(values, n, x.length) = x.e->rows(x.first_row + r, n);
      // After an overflow the rest is still evaluated (not scanned), so that
      // an evaluation error in it is the one reported.
      if (first != none) continue;
      const std::size_t i = first_overflow(values, x.first_row + r, n, x.length, *x.inputs);
      if (i < n * x.length) first = r * x.length + i;
    }
  };
  evaluation::ThreadPool::instance().run(parts, task, &context);
  // The lowest row overflowed is the one named, whichever thread found it.
  const std::size_t first = *std::min_element(found.begin(), found.end());
  if (first != none) throw_overflow(out[first], first_row + first / length, first % length, o);
}

} // namespace polybatch::cli
