// Must not compile: pow takes an integer power (std::integral).
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a{{1, 2, 3}};
  auto e = polybatch::pow(a, 0.5);
  (void)e;
}
