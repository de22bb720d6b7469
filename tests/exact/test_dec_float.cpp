// cpp_dec_float_50 (et_on and et_off): in-place kernel agrees with the naive loop.
#include <boost/multiprecision/cpp_dec_float.hpp>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;
using dec50_off = number<cpp_dec_float<50>, et_off>;

TEST_CASE("cpp_dec_float_50: products agree with the naive loop", "[exact][dec_float]") {
  exact_test::check_float_family<cpp_dec_float_50>();
}
TEST_CASE("cpp_dec_float_50 et_off: products agree with the naive loop", "[exact][dec_float]") {
  exact_test::check_float_family<dec50_off>();
}
