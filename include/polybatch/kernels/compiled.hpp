// The compiled kernel library (CMake target polybatch::kernels, which defines
// POLYBATCH_COMPILED_KERNELS for its users): the float, double and
// double-double convolution kernels, the float/double root finder's
// Aberth tiles and the decimal floats' products (compiled_decimal.hpp),
// built once per instruction set, the
// widest one the machine runs chosen once per process (core/isa.hpp). Code
// built with the macro calls these instead of instantiating the kernels
// itself, so it runs AVX2/AVX-512 kernels without -march flags and compiles
// faster. Without the macro the library stays header-only.
#pragma once

#include <complex>
#include <cstddef>
#include <type_traits>

#include "polybatch/core/isa.hpp"

namespace polybatch {
struct double_double;
} // namespace polybatch

namespace polybatch::compiled {

/// The target the compiled kernels run: the machine's best, or the one
/// POLYBATCH_ARCH names, or the widest below it that this library was built
/// with. Chosen at the first call; an unknown or unsupported POLYBATCH_ARCH
/// throws std::runtime_error (at every call until fixed).
isa active_isa();

/// kernels::convolve_rows for one scalar type; same arguments, same
/// aliasing rule (`out` must not overlap `a` or `b`).
void convolve_rows(std::size_t rows, const float* a, std::size_t lda, std::size_t la, const float* b, std::size_t ldb,
                   std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, float* out, std::size_t ldo);
void convolve_rows(std::size_t rows, const double* a, std::size_t lda, std::size_t la, const double* b, std::size_t ldb,
                   std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, double* out, std::size_t ldo);
void convolve_rows(std::size_t rows, const double_double* a, std::size_t lda, std::size_t la, const double_double* b,
                   std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n,
                   double_double* out, std::size_t ldo);

/// detail::roots_block (algebra/roots.hpp) for float and double: the roots
/// of rows [begin, end) of a (row stride len) into out (row stride len - 1).
void roots_rows(const float* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<float>* out);
void roots_rows(const double* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<double>* out);

} // namespace polybatch::compiled

namespace polybatch::kernels {

/// True where a translation unit hands scalar T's convolutions to the
/// compiled library instead of instantiating kernels for its own flags.
template <class T>
inline constexpr bool uses_compiled_kernels =
#if defined(POLYBATCH_COMPILED_KERNELS) && !defined(POLYBATCH_KERNEL_TARGET)
    std::is_same_v<T, float> || std::is_same_v<T, double> || std::is_same_v<T, double_double>;
#else
    false;
#endif

/// True where pb::roots of scalar T runs the compiled library's Aberth tiles.
template <class T>
inline constexpr bool uses_compiled_roots = uses_compiled_kernels<T> &&
                                            (std::is_same_v<T, float> || std::is_same_v<T, double>);

} // namespace polybatch::kernels
