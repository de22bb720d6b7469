// cpp_bin_float_quad (et_off) and cpp_bin_float_50 (et_on): every product
// coefficient is the exact sum rounded once (checked against a 4096-bit
// sum); exact identities on integer data.
#include <boost/multiprecision/cpp_bin_float.hpp>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;

TEST_CASE("cpp_bin_float_quad: products are correctly rounded", "[exact][quad]") {
  exact_test::check_float_family<cpp_bin_float_quad>();
}
TEST_CASE("cpp_bin_float_50 (et_on): products are correctly rounded", "[exact][quad]") {
  exact_test::check_float_family<cpp_bin_float_50>();
}
