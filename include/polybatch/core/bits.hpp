// Bit-length arithmetic shared by the exact kernels' magnitude bounds.
#pragma once

#include <bit>
#include <cstddef>

namespace polybatch {

/// The smallest b with 2^b >= n (0 for n <= 1): a sum of n values below
/// 2^k is below 2^(k + ceil_log2(n)).
constexpr std::size_t ceil_log2(std::size_t n) { return n <= 1 ? 0 : static_cast<std::size_t>(std::bit_width(n - 1)); }

} // namespace polybatch
