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
