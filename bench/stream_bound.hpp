// The streaming bound used by the benchmarks: a kernel that reads exactly the
// input bytes of a case (each operand's B x L block once) and writes exactly
// its output bytes, with as little arithmetic as possible, split across the
// same thread pool as polybatch. A kernel can at best match it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "polybatch_core.hpp"

namespace bench {

/// One flat operand of a streaming pass: B rows of `length` scalars.
template <class T>
struct Block {
  const T* data;
  std::size_t length;
};

template <class T>
T sum_span(const T* p, std::size_t n) {
  using batch = xsimd::batch<T>;
  constexpr std::size_t W = batch::size;
  batch s0(T(0)), s1(T(0));
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    s0 += batch::load_unaligned(p + i);
    s1 += batch::load_unaligned(p + i + W);
  }
  alignas(batch::arch_type::alignment()) T lanes[W];
  (s0 + s1).store_aligned(lanes);
  T s(0);
  for (T x : lanes) s += x;
  for (; i < n; ++i) s += p[i];
  return s;
}

template <class T>
void fill_span(T* p, std::size_t n, T value) {
  using batch = xsimd::batch<T>;
  constexpr std::size_t W = batch::size;
  const batch v(value);
  std::size_t i = 0;
  for (; i + W <= n; i += W) v.store_unaligned(p + i);
  for (; i < n; ++i) p[i] = value;
}

/// Reads every input block and writes the output block (rows x out_length),
/// chunk by chunk of rows so that reads and writes interleave as in a kernel.
template <class T>
void stream(const std::vector<Block<T>>& inputs, T* out, std::size_t out_length, std::size_t batch) {
  struct Context {
    const std::vector<Block<T>>& inputs;
    T* out;
    std::size_t out_length, batch;
  } ctx{inputs, out, out_length, batch};
  auto task = [](const void* raw, std::size_t part, std::size_t parts) {
    const Context& c = *static_cast<const Context*>(raw);
    const std::size_t begin = c.batch * part / parts, end = c.batch * (part + 1) / parts;
    constexpr std::size_t chunk = 512;
    for (std::size_t r0 = begin; r0 < end; r0 += chunk) {
      const std::size_t rows = std::min(chunk, end - r0);
      T s(0);
      for (const Block<T>& in : c.inputs) s += sum_span(in.data + r0 * in.length, rows * in.length);
      fill_span(c.out + r0 * c.out_length, rows * c.out_length, s);
    }
  };
  std::size_t parts = std::min(polybatch::num_threads(), batch);
  polybatch::evaluation::ThreadPool::instance().run(parts, task, &ctx);
}

} // namespace bench
