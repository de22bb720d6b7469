// The fused pass: walks the batch once in tiles of rows, each tile computed
// by the root's evaluator with inner nodes in per-thread scratch sized for
// one tile. Splits the batch across threads above a work threshold.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/core/concepts.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/scratch.hpp"
#include "polybatch/eval/threads.hpp"

namespace polybatch::evaluation {

/// Scratch budget per thread: small enough to stay in L1/L2 with the tile's
/// operands and output.
inline constexpr std::size_t scratch_budget_bytes = 16 * 1024;
inline constexpr std::size_t max_tile_rows = 2048;
/// Below this many output coefficients a pass stays on one thread: waking a
/// worker costs more than it saves.
inline constexpr std::size_t parallel_threshold = 1 << 16;

inline std::size_t tile_rows_for(std::size_t scratch_per_row, std::size_t scalar_bytes) {
  if (scratch_per_row == 0) return max_tile_rows;
  const std::size_t rows = scratch_budget_bytes / (scratch_per_row * scalar_bytes);
  return std::clamp<std::size_t>(rows, 1, max_tile_rows);
}

/// Computes e into out (row-major batch x length, exactly e's shape). The
/// caller has ruled out aliasing; see eval/alias.hpp.
template <PolyExpression E, class T = value_type_of<E>>
void run(const E& e, T* out, std::size_t batch, std::size_t length) {
  const std::size_t per_row = scratch_per_row(e, length);
  const std::size_t tile = tile_rows_for(per_row, sizeof(T));

  struct Context {
    const E& e;
    T* out;
    std::size_t batch, length, per_row, tile;
  } ctx{e, out, batch, length, per_row, tile};

  auto task = [](const void* raw, std::size_t part, std::size_t parts) {
    const Context& c = *static_cast<const Context*>(raw);
    const std::size_t begin = c.batch * part / parts;
    const std::size_t end = c.batch * (part + 1) / parts;
    if (begin == end) return;
    Scratch<T> scratch(c.per_row * std::min(c.tile, end - begin), scalar_traits<T>::zero_like(sample(c.e)));
    for (std::size_t r0 = begin; r0 < end; r0 += c.tile) {
      const std::size_t rows = std::min(c.tile, end - r0);
      eval_into(c.e, r0, rows, c.length, c.out + r0 * c.length, c.length, scratch);
    }
  };

  std::size_t parts = 1;
  if (batch * length >= parallel_threshold) parts = std::min(num_threads(), batch);
  ThreadPool::instance().run(parts, task, &ctx);
}

} // namespace polybatch::evaluation
