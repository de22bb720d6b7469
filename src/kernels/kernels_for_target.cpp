// The header kernels (convolution, the decimal floats' exact products, and
// the Aberth root tiles) compiled for one
// instruction set. CMake builds this file
// once per target with that target's -m flags and POLYBATCH_KERNEL_TARGET set
// to its name, hides every symbol but the table accessor and localises the
// rest (objcopy), so an AVX-512 copy of an inline helper can never be linked
// into the SSE2 path.
#include <cstddef>

#include "polybatch/algebra/roots.hpp"
#include "polybatch/kernels/compiled_decimal.hpp"
#include "polybatch/kernels/convolve.hpp"
#include "polybatch/kernels/exact/convolve_double_double.hpp"
#include "polybatch/kernels/exact/convolve_multiprecision.hpp"
#include "polybatch/scalar/double_double.hpp"

#include "kernel_table.hpp"

#ifndef POLYBATCH_KERNEL_TARGET
#error "build this file through src/kernels/CMakeLists.txt, which names the target"
#endif

namespace polybatch::compiled {
namespace {

// Decimal floats reach the exact kernel (exact/convolve_float.hpp) through
// convolve_backend too: inside this object uses_compiled_decimal is false.
template <class T>
void convolve_rows_here(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                        std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
  T acc{};
  kernels::convolve_backend<T>::run(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo, acc);
}

template <class T>
void roots_rows_here(const T* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<T>* out) {
  detail::roots_block(a, len, begin, end, out);
}

constexpr kernel_table table{&convolve_rows_here<float>,
                             &convolve_rows_here<double>,
                             &convolve_rows_here<double_double>,
                             &roots_rows_here<float>,
                             &roots_rows_here<double>,
                             &convolve_rows_here<decimal50>,
                             &convolve_rows_here<decimal50_et_off>,
                             &convolve_rows_here<decimal100>,
                             &convolve_rows_here<decimal100_et_off>};

} // namespace

#define POLYBATCH_DEFINE_KERNEL_TABLE(target)                                                                          \
  extern "C" [[gnu::visibility("default")]] const kernel_table* polybatch_kernel_table_##target() noexcept {           \
    return &table;                                                                                                     \
  }
#define POLYBATCH_DEFINE_KERNEL_TABLE_FOR(target) POLYBATCH_DEFINE_KERNEL_TABLE(target)
POLYBATCH_DEFINE_KERNEL_TABLE_FOR(POLYBATCH_KERNEL_TARGET)

} // namespace polybatch::compiled
