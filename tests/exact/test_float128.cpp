// float128 (libquadmath): in-place kernel agrees with the naive loop.
#include <boost/multiprecision/float128.hpp>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;

TEST_CASE("float128: products agree with the naive loop", "[exact][float128]") {
  exact_test::check_float_family<float128>();
}
TEST_CASE("float128: cast from double is exact and verify sees rounding", "[exact][float128]") {
  polybatch::PolyBatch<double> a{{0.1, 0.2, 0.3}};
  const polybatch::PolyBatch<float128> q = polybatch::cast<float128>(a);
  REQUIRE(q(0, 0) == float128(0.1));
  const auto report = polybatch::verify(q * q);
  CHECK(report.max_rel_error < 1e-32);
}
