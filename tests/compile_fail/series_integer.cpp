// Must not compile: power series need field coefficients; the message must
// name the fix (pb::cast to a floating or rational type).
// expect: pb::series functions need field coefficients
// expect: pb::cast
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<int> a{{0, 1, 2}};
  auto e = polybatch::series::exp(a, 4);
  (void)e;
}
