// mpz_int (GMP backend, et_on and et_off) through the exact integer kernel.
#include <boost/multiprecision/gmp.hpp>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;
using mpz_int_off = number<gmp_int, et_off>;

TEST_CASE("mpz_int: exact products across thresholds", "[exact][mpz_int]") {
  exact_test::check_integer_family<mpz_int>();
}
TEST_CASE("mpz_int et_off: exact products across thresholds", "[exact][mpz_int]") {
  exact_test::check_integer_family<mpz_int_off>();
}
TEST_CASE("mpz_int: et_on and et_off agree", "[exact][mpz_int]") {
  exact_test::check_expression_template_variants_agree<mpz_int, mpz_int_off>(false);
}
TEST_CASE("mpz_int: results written again into the same values", "[exact][mpz_int]") {
  exact_test::check_results_written_in_place<mpz_int>([](std::mt19937_64& rng, std::size_t length, unsigned bits) {
    return exact_test::integer_batch<mpz_int>(rng, 9, length, bits, true);
  });
}
TEST_CASE("mpz_int: tiles large enough to come from memory, in blocks of 8 rows", "[exact][mpz_int]") {
  // A tile of 2,048 rows of these shapes, with its values' heap limbs, holds
  // more than 768 KB, so its blocks are 8 rows; 2,100 rows also leave a
  // short second tile in blocks of 32.
  std::mt19937_64 rng(11);
  exact_test::check_tiles_from_memory<mpz_int>(rng, {{3, 4}, {5, 7}, {9, 9}, {16, 16}}, 1001);
}
