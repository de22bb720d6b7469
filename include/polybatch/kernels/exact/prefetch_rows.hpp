// Software prefetch for exact kernels whose rows of objects stream from
// memory (cpp_int products, sums and derivatives). The objects are 32 bytes
// and a row's work is short, so without hints the loads of the next rows
// start only when their turn comes and little of the memory traffic overlaps
// the arithmetic.
#pragma once

#include <cstddef>
#include <cstdint>

namespace polybatch::kernels::exact {

/// More bytes than this in one call's rows are taken to come from memory
/// (about an L2 cache: a 5 x 7 product tile of 2,048 cpp_int rows is
/// 1.5 MB; 1,000 rows of 9 x 9, 1.1 MB, were measured faster without
/// hints).
inline constexpr std::size_t cache_resident_bytes = std::size_t(5) << 18;

/// A hint for the cache line holding p (it changes no value and never
/// faults): for writing (x86: prefetchw), or for reading into every cache
/// level (prefetcht0), not as non-temporal: on an Intel Xeon prefetchnta
/// made the out-of-cache cpp_int product 1.4x (5 x 7) to 1.6x (9 x 9)
/// slower (B = 100,000, bench/ab; presumably such lines get too little of
/// L1 to last until a block of 8 or 16 rows is read), where on AMD Zen 5 it
/// had been a median 2-3% faster.
[[gnu::always_inline]] inline void prefetch_line(const void* p, bool for_writing) {
  if (for_writing)
    __builtin_prefetch(p, 1);
  else
    __builtin_prefetch(p, 0, 3);
}

/// Brings the cache lines of x[0 .. len) towards the core.
template <class T>
[[gnu::always_inline]] inline void prefetch_row(const T* x, std::size_t len, bool for_writing) {
  constexpr std::uintptr_t line = 64;
  const auto first = reinterpret_cast<std::uintptr_t>(x) & ~(line - 1);
  const auto last = reinterpret_cast<std::uintptr_t>(x + len) - 1;
  for (std::uintptr_t p = first; p <= last; p += line) prefetch_line(reinterpret_cast<const void*>(p), for_writing);
}

/// x[0 .. N) as prefetch_row fetches it, in a count of hints known at
/// compile time (every 64 bytes from x, and its last byte): no loop over
/// lines whose count depends on the alignment.
template <std::size_t N, class T>
[[gnu::always_inline]] inline void prefetch_values(const T* x, bool for_writing) {
  constexpr std::size_t bytes = N * sizeof(T);
  if constexpr (bytes != 0) {
    const auto* p = reinterpret_cast<const char*>(x);
#pragma GCC unroll 16
    for (std::size_t b = 0; b < bytes; b += 64) prefetch_line(p + b, for_writing);
    prefetch_line(p + bytes - 1, for_writing);
  }
}

/// The same for sums and derivatives, whose rows cost a few ns each in
/// cache, so that hints are a larger share there: up to 14% in cache (a
/// 1,000-row batch of 9 values), against sums from memory 1.1x-1.9x faster
/// (cpp_int, Intel Xeon). A call covers one tile of at most 2,048 rows: the
/// threshold (768 KiB) keeps hints out of a 1,000-row sum of 5 values
/// (480 KB) and puts them in full tiles of sums of 5 values or more and of
/// derivatives of 8 values or more.
inline constexpr std::size_t elementwise_cache_resident_bytes = std::size_t(3) << 18;

/// How far ahead, in bytes of each stream, a row-by-row loop prefetches.
inline constexpr std::size_t prefetch_ahead_bytes = 1024;

/// Rows ahead for rows of `row_bytes` bytes: at least one.
inline constexpr std::size_t prefetch_ahead_rows(std::size_t row_bytes) {
  return row_bytes == 0 || row_bytes >= prefetch_ahead_bytes ? 1 : prefetch_ahead_bytes / row_bytes;
}

} // namespace polybatch::kernels::exact
