// mpq_rational (GMP backend, et_on and et_off) through the common-denominator kernel.
#include <boost/multiprecision/gmp.hpp>
#include <cmath>
#include <cstdint>
#include <limits>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;
using mpq_rational_off = number<gmp_rational, et_off>;

TEST_CASE("mpq_rational: exact products", "[exact][mpq_rational]") {
  exact_test::check_rational_family<mpq_rational>();
}
TEST_CASE("mpq_rational et_off: exact products", "[exact][mpq_rational]") {
  exact_test::check_rational_family<mpq_rational_off>();
}
TEST_CASE("mpq_rational: et_on and et_off agree", "[exact][mpq_rational]") {
  exact_test::check_expression_template_variants_agree<mpq_rational, mpq_rational_off>(true);
}
TEST_CASE("mpq_rational: rows in words whose products' denominators are not", "[exact][mpq_rational]") {
  exact_test::check_word_rows_with_denominators_past_a_word<mpq_rational>();
}
TEST_CASE("mpq_rational: smooth denominators beyond a word", "[exact][mpq_rational]") {
  exact_test::check_smooth_rational_rows<mpq_rational>();
}
TEST_CASE("mpq_rational: coefficients divisible by high powers of the denominators' primes", "[exact][mpq_rational]") {
  exact_test::check_prime_power_cancellation<mpq_rational>();
}
TEST_CASE("mpq_rational et_off: smooth denominators beyond a word", "[exact][mpq_rational]") {
  exact_test::check_smooth_rational_rows<mpq_rational_off>();
}
TEST_CASE("mpq_rational: results written again into the same values", "[exact][mpq_rational]") {
  exact_test::check_results_written_in_place<mpq_rational>([](std::mt19937_64& rng, std::size_t length, unsigned bits) {
    return exact_test::rational_batch<mpq_rational>(rng, 9, length, bits);
  });
}

TEST_CASE("mpq_rational: conversion to double rounds once, subnormals and overflow included",
          "[exact][mpq_rational][cast]") {
  namespace pb = polybatch;
  // 2^-1075 + 2^-1179: just above half the least subnormal, so 2^-1074
  // (rounding to 53 bits first, then to the subnormal grid, gives 0).
  const mpq_rational above_half = mpq_rational(1, mpz_int(1) << 1075) + mpq_rational(1, mpz_int(1) << 1179);
  CHECK(pb::convert_scalar<double>(above_half) == std::ldexp(1.0, -1074));
  CHECK(pb::convert_scalar<float>(mpq_rational(3, mpz_int(1) << 151)) == std::ldexp(1.0f, -149)); // 0.75 of the least
  CHECK(pb::convert_scalar<double>(mpq_rational(mpz_int(1) << 1100)) == HUGE_VAL);
  CHECK(pb::convert_scalar<pb::dd>(mpq_rational(-(mpz_int(1) << 1100))).hi == -HUGE_VAL);
  const pb::PolyBatch<mpq_rational> row{{above_half, mpq_rational(1, 3)}};
  const pb::PolyBatch<double> d = pb::cast<double>(row);
  CHECK(d(0, 0) == std::ldexp(1.0, -1074));
  CHECK(d(0, 1) == 1.0 / 3);
}

TEST_CASE("mpq_rational: integral values to 64-bit integers are exact, not through double",
          "[exact][mpq_rational][cast]") {
  namespace pb = polybatch;
  const mpz_int two = 2;
  CHECK(pb::convert_scalar<std::int64_t>(mpq_rational(pow(two, 53) + 1)) == (std::int64_t(1) << 53) + 1);
  CHECK(pb::convert_scalar<std::int64_t>(mpq_rational(-(pow(two, 60) + 1))) == -(std::int64_t(1) << 60) - 1);
  CHECK(pb::convert_scalar<std::int64_t>(mpq_rational(pow(two, 63) - 1)) == std::numeric_limits<std::int64_t>::max());
  CHECK(pb::convert_scalar<std::uint64_t>(mpq_rational(pow(two, 64) - 1)) == std::numeric_limits<std::uint64_t>::max());
  CHECK_THROWS_AS(pb::convert_scalar<std::int64_t>(mpq_rational(pow(two, 63))), pb::domain_error);
  const pb::PolyBatch<mpq_rational> row{{mpq_rational(pow(two, 53) + 1), mpq_rational(-7)}};
  const pb::PolyBatch<std::int64_t> ints = pb::cast<std::int64_t>(row);
  CHECK(ints(0, 0) == (std::int64_t(1) << 53) + 1);
  CHECK(ints(0, 1) == -7);
}

TEST_CASE("mpf_float: conversion to double and double_double rounds to nearest, inf beyond the range",
          "[exact][mpf][cast]") {
  namespace pb = polybatch;
  using mpf = number<gmp_float<100>>;
  // 1 + 0.75 2^-52 is nearer 1 + 2^-52 than 1 (GMP's mpf_get_d truncates).
  const mpf up = mpf(1) + mpf(0.75) * ldexp(mpf(1), -52);
  CHECK(pb::convert_scalar<double>(up) == 1.0 + 0x1p-52);
  CHECK(pb::convert_scalar<float>(mpf(1) + ldexp(mpf(0.75), -23)) == 1.0f + 0x1p-23f);
  // 1 + 2^-60 + 0.75 2^-112: lo is the nearest double of 2^-60 + 0.75 2^-112.
  const mpf wide = mpf(1) + ldexp(mpf(1), -60) + ldexp(mpf(0.75), -112);
  const pb::dd d = pb::convert_scalar<pb::dd>(wide);
  CHECK(d.hi == 1.0);
  CHECK(d.lo == 0x1p-60 + 0x1p-112);
  // Beyond double's range: inf (GMP raised SIGFPE forming the rest from inf).
  CHECK(pb::convert_scalar<pb::dd>(mpf("1e400")).hi == HUGE_VAL);
  CHECK(pb::convert_scalar<double>(mpf("-1e400")) == -HUGE_VAL);
  const pb::PolyBatch<mpf> row{{up, mpf("1e400")}};
  const pb::PolyBatch<double> cast = pb::cast<double>(row);
  CHECK(cast(0, 0) == 1.0 + 0x1p-52);
  CHECK(cast(0, 1) == HUGE_VAL);
}
