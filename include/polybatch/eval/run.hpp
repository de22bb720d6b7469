// The fused pass: walks the batch once in tiles of rows, each tile computed
// by the root's evaluator with inner nodes in per-thread scratch sized for
// one tile. Splits the batch across threads above a work threshold.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>

#include "polybatch/core/concepts.hpp"
#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/interruption.hpp"
#include "polybatch/eval/scratch.hpp"
#include "polybatch/eval/threads.hpp"
#include "polybatch/kernels/checked_integer.hpp"

namespace polybatch::evaluation {

/// Scratch budget per thread. The tile's operands and output stream through
/// L1 beside its scratch, so the scratch takes a small part of it: with
/// (a * b) * c at length 5, 16 KiB tiles (455 float rows, about 66 KB
/// touched per tile) ran 1.3-1.5x the streaming bound, 4 KiB tiles 1.0-1.15x
/// (bench_convolve fused/*).
inline constexpr std::size_t scratch_budget_bytes = 4 * 1024;
inline constexpr std::size_t max_tile_rows = 2048;
/// Tiles are a whole number of groups of this many rows where the scratch
/// allows: the SIMD kernels work on groups of up to 16 rows (short rows
/// stage a partial group through L1; long rows use Karatsuba across the
/// lanes of a group only for whole groups). A group whose scratch exceeds
/// the budget still gets one tile if it fits in long_tile_budget_bytes (L2).
inline constexpr std::size_t tile_row_granule = 16;
inline constexpr std::size_t long_tile_budget_bytes = 256 * 1024;
/// Below this many output coefficients a pass stays on one thread: waking a
/// worker costs more than it saves.
inline constexpr std::size_t parallel_threshold = 1 << 16;

/// For machine scalars, each thread keeps its scratch between passes, so an
/// assignment into existing storage allocates nothing once a thread has seen
/// an expression of that size. Re-entrant use (an evaluation inside an
/// evaluation on the same thread) falls back to a fresh Scratch.
template <class T>
class ReusedScratch {
public:
  static ReusedScratch* acquire(std::size_t size) {
    thread_local ReusedScratch slot;
    if (slot.in_use_) return nullptr;
    if (!slot.scratch_ || slot.size_ < size) {
      slot.scratch_ = std::make_unique<Scratch<T>>(size, T(0));
      slot.size_ = size;
    }
    slot.in_use_ = true;
    return &slot;
  }
  Scratch<T>& scratch() { return *scratch_; }
  void release() {
    scratch_->release(0);
    in_use_ = false;
  }

private:
  std::unique_ptr<Scratch<T>> scratch_;
  std::size_t size_ = 0;
  bool in_use_ = false;
};

inline std::size_t tile_rows_for(std::size_t scratch_per_row, std::size_t scalar_bytes) {
  if (scratch_per_row == 0) return max_tile_rows;
  const std::size_t row_bytes = scratch_per_row * scalar_bytes;
  const std::size_t rows = std::min(scratch_budget_bytes / row_bytes, max_tile_rows);
  if (rows >= tile_row_granule) return rows / tile_row_granule * tile_row_granule;
  return std::clamp<std::size_t>(long_tile_budget_bytes / row_bytes, 1, tile_row_granule);
}

/// Computes e into out (row-major batch x length, exactly e's shape). The
/// caller has ruled out aliasing; see eval/alias.hpp.
template <PolyExpression E, class T = value_type_of<E>>
void run(const E& e, T* out, std::size_t batch, std::size_t length) {
  const std::size_t per_row = scratch_for_rows(e, length, 1); // per_row * sizeof(T) cannot wrap
  const std::size_t tile = tile_rows_for(per_row, sizeof(T));

  const Interruption interruption;
  struct Context {
    const E& e;
    T* out;
    std::size_t batch, length, per_row, tile;
    const Interruption& interruption;
  } ctx{e, out, batch, length, per_row, tile, interruption};

  auto task = [](const void* raw, std::size_t part, std::size_t parts) {
    const Context& c = *static_cast<const Context*>(raw);
    const std::size_t begin = c.batch * part / parts;
    const std::size_t end = c.batch * (part + 1) / parts;
    if (begin == end) return;
    const std::size_t need = c.per_row * std::min(c.tile, end - begin);
    auto pass = [&](Scratch<T>& scratch) {
      for (std::size_t r0 = begin; r0 < end; r0 += c.tile) {
        c.interruption.check();
        const std::size_t rows = std::min(c.tile, end - r0);
        // A block of a run-time tree (Dynamic::rows) names rows of the whole batch.
        std::size_t origin = r0;
        if constexpr (requires { c.e.first_row(); }) origin += c.e.first_row();
        kernels::naming_batch_rows<T>(
            origin, [&] { eval_into(c.e, r0, rows, c.length, c.out + r0 * c.length, c.length, scratch); });
      }
    };
    if constexpr (scalar_traits<T>::is_machine) {
      if (ReusedScratch<T>* reused = ReusedScratch<T>::acquire(need)) {
        struct Release {
          ReusedScratch<T>* slot;
          ~Release() { slot->release(); }
        } release{reused};
        pass(reused->scratch());
        return;
      }
    }
    Scratch<T> scratch(need, scalar_traits<T>::zero_like(sample(c.e)));
    pass(scratch);
  };

  std::size_t parts = 1;
  if (batch * length >= parallel_threshold) parts = std::min(num_threads(), batch);
  ThreadPool::instance().run(parts, task, &ctx);
}

} // namespace polybatch::evaluation
