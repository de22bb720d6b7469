// Must not compile: cpp_int and cpp_rational batches in one expression; the
// promotion is not implicit: a deleted overload (MixesCoefficientTypes_UsePbCast).
// expect: deleted (function|operator)
// expect: rational_adaptor
#include <boost/multiprecision/cpp_int.hpp>
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<boost::multiprecision::cpp_int> a(2, 3);
  polybatch::PolyBatch<boost::multiprecision::cpp_rational> b(2, 3);
  auto e = a * b;
  (void)e;
}
