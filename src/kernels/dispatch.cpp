// The dispatcher: the kernel table of the widest target the CPU and the
// operating system run (core/isa.hpp: CPUID and XGETBV), or of the one
// POLYBATCH_ARCH names, chosen once per process. Compiled for the baseline
// instruction set, like every caller.
#include <polybatch/kernels/compiled.hpp>
#include <polybatch/kernels/compiled_decimal.hpp>

#include "kernel_table.hpp"

namespace polybatch::compiled {
namespace {

// The widest target built into this library that does not exceed `wanted`
// (a compiler or platform may build fewer targets than the CPU runs).
isa served_target(isa wanted) noexcept {
#if defined(POLYBATCH_KERNELS_HAVE_AVX512)
  if (wanted == isa::avx512) return isa::avx512;
#endif
#if defined(POLYBATCH_KERNELS_HAVE_AVX2)
  if (wanted == isa::avx512 || wanted == isa::avx2) return isa::avx2;
#endif
  (void)wanted;
  return isa::sse2;
}

const kernel_table& table_for(isa served) noexcept {
  switch (served) {
#if defined(POLYBATCH_KERNELS_HAVE_AVX512)
  case isa::avx512:
    return *polybatch_kernel_table_avx512();
#endif
#if defined(POLYBATCH_KERNELS_HAVE_AVX2)
  case isa::avx2:
    return *polybatch_kernel_table_avx2();
#endif
  default:
    return *polybatch_kernel_table_sse2();
  }
}

struct selection {
  isa target;
  const kernel_table* table;
};

// A function-local static: initialised once, thread-safely; if
// POLYBATCH_ARCH is invalid the initialiser throws and the next call tries
// again, so every evaluation reports the error.
const selection& selected() {
  static const selection s = [] {
    // active_isa() reports the target whose kernels run, not the one asked for.
    const isa target = served_target(isa_from_environment());
    return selection{target, &table_for(target)};
  }();
  return s;
}

} // namespace

isa active_isa() { return selected().target; }

void convolve_rows(std::size_t rows, const float* a, std::size_t lda, std::size_t la, const float* b, std::size_t ldb,
                   std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, float* out, std::size_t ldo) {
  selected().table->convolve_f32(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
}

void convolve_rows(std::size_t rows, const double* a, std::size_t lda, std::size_t la, const double* b, std::size_t ldb,
                   std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, double* out, std::size_t ldo) {
  selected().table->convolve_f64(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
}

void convolve_rows(std::size_t rows, const double_double* a, std::size_t lda, std::size_t la, const double_double* b,
                   std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n,
                   double_double* out, std::size_t ldo) {
  selected().table->convolve_dd(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
}

void roots_rows(const float* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<float>* out) {
  selected().table->roots_f32(a, len, begin, end, out);
}

void roots_rows(const double* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<double>* out) {
  selected().table->roots_f64(a, len, begin, end, out);
}

#define POLYBATCH_DEFINE_DECIMAL_CONVOLVE(T, entry)                                                                    \
  void convolve_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,       \
                     std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {     \
    selected().table->entry(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);                             \
  }
POLYBATCH_DEFINE_DECIMAL_CONVOLVE(decimal50, convolve_dec50)
POLYBATCH_DEFINE_DECIMAL_CONVOLVE(decimal50_et_off, convolve_dec50_et_off)
POLYBATCH_DEFINE_DECIMAL_CONVOLVE(decimal100, convolve_dec100)
POLYBATCH_DEFINE_DECIMAL_CONVOLVE(decimal100_et_off, convolve_dec100_et_off)
#undef POLYBATCH_DEFINE_DECIMAL_CONVOLVE

} // namespace polybatch::compiled
