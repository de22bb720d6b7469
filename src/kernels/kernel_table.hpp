// What each per-instruction-set build of the kernels hands the dispatcher:
// plain function pointers, so nothing inline crosses between code compiled
// with different -m flags.
#pragma once

#include <complex>
#include <cstddef>

#include "polybatch/kernels/compiled_decimal.hpp"

namespace polybatch {
struct double_double;
} // namespace polybatch

namespace polybatch::compiled {

template <class T>
using convolve_rows_fn = void (*)(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b,
                                  std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n,
                                  T* out, std::size_t ldo);

template <class T>
using roots_rows_fn = void (*)(const T* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<T>* out);

struct kernel_table {
  convolve_rows_fn<float> convolve_f32;
  convolve_rows_fn<double> convolve_f64;
  convolve_rows_fn<double_double> convolve_dd;
  roots_rows_fn<float> roots_f32;
  roots_rows_fn<double> roots_f64;
  convolve_rows_fn<decimal50> convolve_dec50;
  convolve_rows_fn<decimal50_et_off> convolve_dec50_et_off;
  convolve_rows_fn<decimal100> convolve_dec100;
  convolve_rows_fn<decimal100_et_off> convolve_dec100_et_off;
};

// C names: the build keeps exactly these symbols global (objcopy
// --keep-global-symbol) and makes everything else in a target's object local.
#define POLYBATCH_DECLARE_KERNEL_TABLE(target)                                                                         \
  extern "C" const kernel_table* polybatch_kernel_table_##target() noexcept;
POLYBATCH_DECLARE_KERNEL_TABLE(sse2)
POLYBATCH_DECLARE_KERNEL_TABLE(avx2)
POLYBATCH_DECLARE_KERNEL_TABLE(avx512)
#undef POLYBATCH_DECLARE_KERNEL_TABLE

} // namespace polybatch::compiled
