// cpp_bin_float_quad (et_off) and cpp_bin_float_50 (et_on): in-place kernel
// agrees with the naive loop to the last bit; exact identities on integer data.
#include <boost/multiprecision/cpp_bin_float.hpp>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;

TEST_CASE("cpp_bin_float_quad: products agree with the naive loop", "[exact][quad]") {
  exact_test::check_float_family<cpp_bin_float_quad>();
}
TEST_CASE("cpp_bin_float_50 (et_on): products agree with the naive loop", "[exact][quad]") {
  exact_test::check_float_family<cpp_bin_float_50>();
}
