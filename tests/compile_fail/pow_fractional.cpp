// Must not compile: pow takes an integer power (std::integral).
// expect: no matching function for call to .pow
// expect: integral<K>.*K = double|'double' does not satisfy 'integral'
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a{{1, 2, 3}};
  auto e = polybatch::pow(a, 0.5);
  (void)e;
}
