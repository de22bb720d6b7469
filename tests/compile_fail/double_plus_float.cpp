// Must not compile: two coefficient types in one expression (use pb::cast),
// a deleted overload (MixesCoefficientTypes_UsePbCast).
// expect: deleted (function|operator)
// expect: B = (polybatch::)?PolyBatch<float>
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  polybatch::PolyBatch<float> b(2, 3);
  auto e = a + b;
  (void)e;
}
