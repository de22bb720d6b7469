// Must not compile: xtensor's * is element-wise, polybatch's convolves, so
// mixing them is a deleted overload (MixesPolyBatchWithXtensorExpression).
// expect: deleted
// expect: A = (polybatch::)?PolyBatch<double> ?&[,;] B = xt::xtensor_container
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  xt::xtensor<double, 2> x = xt::xtensor<double, 2>::from_shape({2, 3});
  auto e = a * x;
  (void)e;
}
