// Must not compile: double and int coefficients in one product (use
// pb::cast), a deleted overload (MixesCoefficientTypes_UsePbCast).
// expect: deleted (function|operator)
// expect: B = (polybatch::)?PolyBatch<int>
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  polybatch::PolyBatch<int> b(2, 3);
  auto e = a * b;
  (void)e;
}
