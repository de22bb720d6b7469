// Compiled at -O3 and disassembled by check_prefetch_hints.cmake: the cpp_int
// product kernel must keep its prefetch hints. A function whose only effect
// is a prefetch counts as free of side effects to GCC 12, which once deleted
// every call to such a lambda before inlining it; B = 100,000 products then
// ran 2.5x slower with every test passing.
#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>

#include "polybatch/kernels/exact/convolve_integer.hpp"

void polybatch_prefetch_hints_probe(std::size_t rows, const boost::multiprecision::cpp_int* a,
                                    const boost::multiprecision::cpp_int* b, boost::multiprecision::cpp_int* out) {
  // The streaming blocks alone (the path whose hints matter): one block
  // size instead of the dispatcher's three, a third of the compile time.
  polybatch::kernels::exact::detail::convolve_blocks<8>(rows, a, 5, 5, b, 7, 7, false, 0, 11, out, 11, true);
}
