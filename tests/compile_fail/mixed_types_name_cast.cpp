// Must not compile, and the error must name pb::cast (README: "Mixing
// coefficient types is a compile error that names pb::cast"): the compiler's
// message, not only the overload's constraint, has to tell the user the fix.
// expect: use of deleted function|selected deleted operator
// expect: pb::cast|UsePbCast
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  polybatch::PolyBatch<float> b(2, 3);
  auto e = a * b;
  (void)e;
}
