// A run-time count turned into a compile-time one, for loops short enough to
// unroll completely.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

namespace polybatch {

/// Calls f(std::integral_constant<std::size_t, n>{}) and returns true when
/// 1 <= n <= Max; returns false without calling f otherwise. A loop over a
/// value row whose length is a constant unrolls into straight code that
/// addresses every value at a fixed offset; over a run-time length, each
/// value also pays the loop's counter, bound test and index arithmetic,
/// which in the integer kernels' block readers and writers cost as much as
/// the reads and writes themselves.
/// Inlined by force, as f should be: out of line, the loop's variables
/// captured by reference would live in memory.
template <std::size_t Max, class F>
[[gnu::always_inline]] inline bool with_static_count(std::size_t n, F&& f) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) __attribute__((always_inline)) {
    return ((n == I + 1 ? (f(std::integral_constant<std::size_t, I + 1>{}), true) : false) || ...);
  }
  (std::make_index_sequence<Max>{});
}

} // namespace polybatch
