// float128 (libquadmath): products are correctly rounded, and
// the algebra nodes agree with naive loops in mpfr at twice the precision.
#include <boost/multiprecision/float128.hpp>

#include "exact/exact_common.hpp"
#include "support/checks.hpp"
#include "support/mpfr_oracle.hpp"

using namespace boost::multiprecision;

TEST_CASE("float128: products are correctly rounded", "[exact][float128]") {
  exact_test::check_float_family<float128>();
}
TEST_CASE("float128: cast from double is exact and verify sees rounding", "[exact][float128]") {
  polybatch::PolyBatch<double> a{{0.1, 0.2, 0.3}};
  const polybatch::PolyBatch<float128> q = polybatch::cast<float128>(a);
  REQUIRE(q(0, 0) == float128(0.1));
  const auto report = polybatch::verify(q * q);
  CHECK(report.max_rel_error < 1e-32);
  // float128 values are dyadic with 113-bit mantissas: verified without rationals, same report.
  polybatch::PolyBatch<float128> t(50, 6);
  for (std::size_t i = 0; i < t.batch_size() * t.length(); ++i) t.data()[i] = float128(int(i % 17) - 8) / (3 + i % 11);
  polybatch::exact::detail::verify_stats stats;
  const auto fast = polybatch::exact::detail::verify(t * t - t, stats);
  const auto slow = polybatch::exact::detail::verify_rational(t * t - t);
  CHECK(stats.rows_rational == 0);
  CHECK(fast.max_rel_error_exact == slow.max_rel_error_exact);
  CHECK(fast.max_abs_error_exact == slow.max_abs_error_exact);
  CHECK(fast.worst_row == slow.worst_row);
  CHECK(fast.worst_coefficient == slow.worst_coefficient);
  CHECK(fast.max_rel_error > 0);
}

TEST_CASE("float128: algebra against naive loops in mpfr at 230 bits", "[exact][float128][oracle]") {
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed << " (replay with POLYBATCH_TEST_SEED)");
  oracle::check_algebra(float128(0), 0x1p-112, 70, seed);
}
