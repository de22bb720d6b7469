// Must not compile: a batch plus an xtensor expression is not a scalar
// constant nor a batch: the deleted overload (MixesPolyBatchWithXtensorExpression)
// is chosen, as for a * x.
// expect: deleted
// expect: A = (polybatch::)?PolyBatch<double> ?&[,;] B = xt::xtensor_container
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  xt::xtensor<double, 2> x = xt::xtensor<double, 2>::from_shape({2, 3});
  auto e = a + x;
  (void)e;
}
