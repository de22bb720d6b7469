// mpq_rational (GMP backend, et_on and et_off) through the common-denominator kernel.
#include <boost/multiprecision/gmp.hpp>

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
TEST_CASE("mpq_rational: smooth denominators beyond a word", "[exact][mpq_rational]") {
  exact_test::check_smooth_rational_rows<mpq_rational>();
}
TEST_CASE("mpq_rational et_off: smooth denominators beyond a word", "[exact][mpq_rational]") {
  exact_test::check_smooth_rational_rows<mpq_rational_off>();
}
TEST_CASE("mpq_rational: results written again into the same values", "[exact][mpq_rational]") {
  exact_test::check_results_written_in_place<mpq_rational>([](std::mt19937_64& rng, std::size_t length, unsigned bits) {
    return exact_test::rational_batch<mpq_rational>(rng, 9, length, bits);
  });
}
