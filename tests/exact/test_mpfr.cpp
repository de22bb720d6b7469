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

TEST_CASE("mpfr_float_50 verifies in dyadic numbers: the rational path's report", "[exact][mpfr][verify]") {
  // 50 digits are 167 bits: a product of two fits 512-bit dyadics. Thirds fill the mantissa, and their
  // products carry a real rounding error to rank.
  const pb::PolyBatch<mpfr_float_50> a = pb::cast<mpfr_float_50>(thirds(60, 5, 60));
  const pb::PolyBatch<mpfr_float_50> b = pb::cast<mpfr_float_50>(thirds(60, 7, 60));
  for (int which = 0; which < 2; ++which) {
    pb::exact::detail::verify_stats stats;
    const auto e = a * b - mpfr_float_50(2.5) * a;
    const pb::verify_report fast =
        which == 0 ? pb::exact::detail::verify(e, stats) : pb::exact::detail::verify(pb::pow(a, 2) - b, stats);
    const pb::verify_report slow =
        which == 0 ? pb::exact::detail::verify_rational(e) : pb::exact::detail::verify_rational(pb::pow(a, 2) - b);
    CHECK(stats.rows_rational < 60);
    CHECK(fast.max_abs_error_exact == slow.max_abs_error_exact);
    CHECK(fast.max_rel_error_exact == slow.max_rel_error_exact);
    CHECK(fast.worst_row == slow.worst_row);
    CHECK(fast.worst_coefficient == slow.worst_coefficient);
    CHECK(fast.max_rel_error > 0);
  }
  // Run-time precision has no fixed width: the rational path, as before.
  mpfr_float::default_precision(50);
  pb::exact::detail::verify_stats stats;
  const auto r = thirds(5, 3, 40);
  pb::exact::detail::verify(r * r, stats);
  CHECK(stats.rows_rational == 5);
}
