// Must not compile: pb::rebind needs a scalar target type (Scalar<U>).
// expect: no matching function for call to .*rebind|no matching function for call to 'rebind'
// expect: Scalar
#include <string>

#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  auto e = polybatch::rebind<std::string>(a * a);
  (void)e;
}
