// Must not compile: a string literal is not a scalar constant for double
// coefficients (ScaleFactorFor is not satisfied, no operator+ matches).
// expect: no match for .*operator\+|invalid operands to binary expression
// expect: const char
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  auto e = a + "x";
  (void)e;
}
