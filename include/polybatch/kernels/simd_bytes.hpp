// The width of one vector register where the compiler may use it, for
// kernels written on GNU vector extensions (g++ and clang): 64 bytes with
// AVX-512, 32 with AVX, else 16. Vectors wider than the enabled instruction
// set would be split through memory and change the ABI of the functions
// they pass through.
#pragma once

#include <cstddef>

namespace polybatch::kernels {

#if defined(__AVX512F__)
inline constexpr std::size_t simd_bytes = 64;
#elif defined(__AVX__)
inline constexpr std::size_t simd_bytes = 32;
#else
inline constexpr std::size_t simd_bytes = 16;
#endif

} // namespace polybatch::kernels
