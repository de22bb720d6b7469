// Must not compile: an xtensor expression minus a batch (the mirror of
// batch_plus_xtensor.cpp), a deleted overload, not a scalar constant.
// expect: deleted
// expect: A = xt::xtensor_container.*B = (polybatch::)?PolyBatch<double>
#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  xt::xtensor<double, 2> x = xt::xtensor<double, 2>::from_shape({2, 3});
  auto e = x - a;
  (void)e;
}
