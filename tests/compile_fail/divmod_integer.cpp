// Must not compile: divmod needs field scalars (integer division would
// truncate); the constraint FieldScalar<int> is not satisfied.
// expect: no matching function for call to .divmod
// expect: FieldScalar
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<int> a{{1, 2, 3}}, b{{1, 1}};
  auto qr = polybatch::divmod(a, b);
  (void)qr;
}
