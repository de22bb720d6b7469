// Splits a batch of independent rows into contiguous blocks, one per
// thread, on the evaluation thread pool: used by the functions on
// containers (evaluate, divmod) that do not go through the fused pass.
#pragma once

#include <algorithm>
#include <cstddef>

#include "polybatch/eval/run.hpp"
#include "polybatch/eval/threads.hpp"

namespace polybatch::detail {

/// Calls f(begin, end) over blocks covering [0, batch). `work` estimates the
/// scalar operations of the whole job; small jobs stay on the caller.
template <class F>
void for_row_blocks(std::size_t batch, std::size_t work, F&& f) {
  std::size_t parts = 1;
  if (work >= evaluation::parallel_threshold) parts = std::min(num_threads(), batch);
  struct Context {
    std::size_t batch;
    F& f;
  } ctx{batch, f};
  auto task = [](const void* raw, std::size_t part, std::size_t parts_) {
    const Context& c = *static_cast<const Context*>(raw);
    const std::size_t begin = c.batch * part / parts_;
    const std::size_t end = c.batch * (part + 1) / parts_;
    if (begin < end) c.f(begin, end);
  };
  evaluation::ThreadPool::instance().run(parts, task, &ctx);
}

} // namespace polybatch::detail
