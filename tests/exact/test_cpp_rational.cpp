// cpp_rational (et_on and et_off): common-denominator kernel against naive
// rational loops, identities, variants agreeing.
#include <boost/multiprecision/cpp_int.hpp>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;
using cpp_rational_off = number<cpp_rational_backend, et_off>;

TEST_CASE("cpp_rational: exact products", "[exact][cpp_rational]") {
  exact_test::check_rational_family<cpp_rational>();
}
TEST_CASE("cpp_rational et_off: exact products", "[exact][cpp_rational]") {
  exact_test::check_rational_family<cpp_rational_off>();
}
TEST_CASE("cpp_rational: et_on and et_off agree", "[exact][cpp_rational]") {
  exact_test::check_expression_template_variants_agree<cpp_rational, cpp_rational_off>(true);
}
TEST_CASE("cpp_rational: rows in words whose products' denominators are not", "[exact][cpp_rational]") {
  exact_test::check_word_rows_with_denominators_past_a_word<cpp_rational>();
}
TEST_CASE("cpp_rational: smooth denominators beyond a word", "[exact][cpp_rational]") {
  exact_test::check_smooth_rational_rows<cpp_rational>();
}
TEST_CASE("cpp_rational: coefficients divisible by high powers of the denominators' primes", "[exact][cpp_rational]") {
  exact_test::check_prime_power_cancellation<cpp_rational>();
}
TEST_CASE("cpp_rational et_off: smooth denominators beyond a word", "[exact][cpp_rational]") {
  exact_test::check_smooth_rational_rows<cpp_rational_off>();
}
TEST_CASE("cpp_rational: results written again into the same values", "[exact][cpp_rational]") {
  exact_test::check_results_written_in_place<cpp_rational>([](std::mt19937_64& rng, std::size_t length, unsigned bits) {
    return exact_test::rational_batch<cpp_rational>(rng, 9, length, bits);
  });
}
