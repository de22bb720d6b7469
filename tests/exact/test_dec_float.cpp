// cpp_dec_float_50 and _100 (et_on and et_off): every product coefficient is
// the exact sum rounded once, to nearest even at the type's last limb,
// checked against sums in a 1200-digit cpp_dec_float; the cases the exact
// accumulation leaves to the naive loop agree with it bit for bit.
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <cstdlib>
#include <string>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;
using dec50_off = number<cpp_dec_float<50>, et_off>;
using dec100_off = number<cpp_dec_float<100>, et_off>;
using wide_decimal = number<cpp_dec_float<1200>, et_off>;

namespace {

namespace pb = polybatch;

/// A decimal float's unit in the last place: Boost stores base-10^8 limbs
/// (exponent a multiple of 8, leading limb nonzero), all of them significant.
template <class T>
wide_decimal last_place(const T& x) {
  constexpr int limbs = T::backend_type::cpp_dec_float_total_digits10 / 8;
  const int e10 = static_cast<int>(ilogb(x));
  const int leading_limb_exponent = 8 * (e10 >= 0 ? e10 / 8 : -((-e10 + 7) / 8));
  return pow(wide_decimal(10), leading_limb_exponent - 8 * (limbs - 1));
}

/// Every coefficient of a * b and of a times b's first row (broadcast) is
/// within half a unit in the last place of the exact sum.
template <class T>
void check_correctly_rounded(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b) {
  exact_test::check_within_half_last_place<wide_decimal>(a, b, last_place<T>, 200);
}

template <class T>
pb::PolyBatch<T> random_decimals(std::mt19937_64& rng, std::size_t batch, std::size_t length, int spread10) {
  std::uniform_real_distribution<double> d(-1, 1);
  std::uniform_int_distribution<int> e(-spread10, spread10);
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k) p(i, k) = T(d(rng)) / T(7) * pow(T(10), e(rng)); // every limb in use
  return p;
}

template <class T>
void check_decimal_family() {
  std::mt19937_64 rng(5);
  for (auto [la, lb] : std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {5, 7}, {9, 9}, {12, 4}, {32, 3}})
    for (const int spread10 : {0, 3, 30, 55}) // products up to 220 digits apart: exact path
      check_correctly_rounded(random_decimals<T>(rng, 7, la, spread10), random_decimals<T>(rng, 7, lb, spread10));

  // The largest columns: leading limbs of 99999999 and sums of 32 terms of
  // one sign (the carries fill the headroom limbs), and of mixed signs.
  std::uniform_real_distribution<double> tail(0, 1);
  for (const bool mixed : {false, true}) {
    pb::PolyBatch<T> big_a(3, 32), big_b(3, 32);
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t k = 0; k < 32; ++k) {
        big_a(i, k) = T(1) - T(tail(rng)) / T(7) * T("1e-9");
        big_b(i, k) = (mixed && rng() % 2 ? -T(99999999) : T(99999999)) - T(tail(rng)) / T(3);
      }
    check_correctly_rounded(big_a, big_b);
  }

  // Cancellation: coefficient 1 of row 0 is exactly zero; of row 1, 10^-70
  // of its terms (the naive loop keeps few of its digits); zeros among the
  // operands of row 2. Rows 3 and 4: -1e-8 and +1e-8 from terms of opposite
  // signs whose leading limbs nearly cancel across a limb boundary (the sign
  // is not decided before the carries are resolved).
  pb::PolyBatch<T> a(5, 2), b(5, 2);
  a(0, 0) = T(1) / T(3), a(0, 1) = T(1) / T(3), b(0, 0) = T(1) / T(7), b(0, 1) = -(T(1) / T(7));
  a(1, 0) = T(1) / T(3), a(1, 1) = T(1) / T(3) + T("1e-70"), b(1, 0) = T(1) / T(7), b(1, 1) = -(T(1) / T(7));
  a(2, 0) = 0, a(2, 1) = T(2) / T(3), b(2, 0) = T(5) / T(7), b(2, 1) = 0;
  a(3, 0) = 1, a(3, 1) = T("0.99999999"), b(3, 0) = 1, b(3, 1) = -1;
  a(4, 0) = 1, a(4, 1) = T("0.99999999"), b(4, 0) = -1, b(4, 1) = 1;
  check_correctly_rounded(a, b);
  const pb::PolyBatch<T> r = a * b;
  REQUIRE(r(0, 1) == 0);
  REQUIRE(r(2, 0) == 0);
  REQUIRE(r(2, 2) == 0);
  REQUIRE(r(3, 1) == T("-1e-8"));
  REQUIRE(r(4, 1) == T("1e-8"));

  // Ties round to even at the last limb: 1 + 1.5 units becomes 1 + 2
  // units, 1 + 2.5 units stays 1 + 2 (units of 10^-(8 * (limbs - 1))).
  constexpr int limbs = T::backend_type::cpp_dec_float_total_digits10 / 8;
  const std::string unit = "1e-" + std::to_string(8 * (limbs - 1));
  const T u(unit), half_unit = T(unit) / 2;
  pb::PolyBatch<T> x(2, 2), y(2, 2);
  for (std::size_t i = 0; i < 2; ++i) x(i, 0) = 1, x(i, 1) = half_unit, y(i, 0) = 1;
  y(0, 1) = 1 + u;
  y(1, 1) = 1 + 2 * u;
  const pb::PolyBatch<T> tie = x * y;
  REQUIRE(tie(0, 1) == 1 + 2 * u);
  REQUIRE(tie(1, 1) == 1 + 2 * u);
}

/// Sums the exact accumulation leaves to the naive loop equal the naive
/// loop: terms 10^400 apart, an infinity, a NaN, rows longer than 32.
template <class T>
void check_decimal_fallbacks() {
  pb::PolyBatch<T> a(2, 4), b(2, 3);
  for (std::size_t k = 0; k < 4; ++k) {
    a(0, k) = (k % 2 ? T("1e200") : T("1e-200")) / T(3);
    a(1, k) = T(int(k) + 1) / T(3);
  }
  for (std::size_t k = 0; k < 3; ++k) {
    b(0, k) = T(int(k) + 2) / T(5);
    b(1, k) = T(int(k) + 1) / T(9);
  }
  a(1, 2) = std::numeric_limits<T>::infinity();
  const pb::PolyBatch<T> spread = a * b;
  const auto naive = ref::product(ref::rows_of(a), ref::rows_of(b));
  for (std::size_t k = 0; k < spread.length(); ++k) {
    INFO("coefficient " << k);
    if (k > 0 && k + 1 < spread.length()) REQUIRE(spread(0, k) == naive[0][k]); // both magnitudes among its terms
    REQUIRE(spread(1, k) == naive[1][k]);
  }

  pb::PolyBatch<T> n(1, 3), m(1, 2);
  for (std::size_t k = 0; k < 3; ++k) n(0, k) = T(int(k) + 1) / T(11);
  m(0, 0) = T(1) / T(13), m(0, 1) = std::numeric_limits<T>::quiet_NaN();
  const pb::PolyBatch<T> r = n * m;
  const auto want = ref::product(ref::rows_of(n), ref::rows_of(m));
  REQUIRE(r(0, 0) == want[0][0]);
  for (std::size_t k = 1; k < r.length(); ++k) REQUIRE((isnan)(r(0, k)));

  pb::PolyBatch<T> long_a(2, 40), long_b(2, 3);
  for (std::size_t k = 0; k < 40; ++k) long_a(0, k) = T(int(k) - 20) / T(7), long_a(1, k) = T(int(k) + 1) / T(3);
  for (std::size_t k = 0; k < 3; ++k) long_b(0, k) = T(int(k) + 1) / T(9), long_b(1, k) = T(int(k) - 1) / T(11);
  exact_test::check_product_against_reference(long_a, long_b);
}

} // namespace

TEST_CASE("cpp_dec_float_50: products are correctly rounded", "[exact][dec_float]") {
  check_decimal_family<cpp_dec_float_50>();
  check_decimal_fallbacks<cpp_dec_float_50>();
}
TEST_CASE("cpp_dec_float_50 et_off: products are correctly rounded", "[exact][dec_float]") {
  check_decimal_family<dec50_off>();
}
TEST_CASE("cpp_dec_float_100: products are correctly rounded", "[exact][dec_float]") {
  check_decimal_family<cpp_dec_float_100>();
}
TEST_CASE("cpp_dec_float<90> (15 limbs): products are correctly rounded", "[exact][dec_float]") {
  // A width whose padding is not a whole number of vector blocks.
  static_assert(pb::kernels::exact::decimal_dot::access<number<cpp_dec_float<90>>::backend_type>::limbs % 4 != 0);
  check_decimal_family<number<cpp_dec_float<90>>>();
}
TEST_CASE("cpp_dec_float_100 et_off: products are correctly rounded", "[exact][dec_float]") {
  check_decimal_family<dec100_off>();
  check_decimal_fallbacks<dec100_off>();
}

#if defined(POLYBATCH_COMPILED_KERNELS)
// Linked with polybatch::kernels, these products are the compiled library's
// (the lanes of POLYBATCH_ARCH or of the machine), not this program's copy.
static_assert(pb::kernels::uses_compiled_decimal<cpp_dec_float_50> && pb::kernels::uses_compiled_decimal<dec50_off> &&
              pb::kernels::uses_compiled_decimal<cpp_dec_float_100> && pb::kernels::uses_compiled_decimal<dec100_off>);
static_assert(!pb::kernels::uses_compiled_decimal<number<cpp_dec_float<30>>>);
TEST_CASE("cpp_dec_float: the compiled kernels run the instruction set asked for", "[exact][dec_float]") {
  const char* asked = std::getenv("POLYBATCH_ARCH");
  const pb::isa ran = pb::compiled::active_isa();
  if (asked != nullptr && *asked != '\0')
    REQUIRE(std::string(pb::isa_name(ran)) == asked);
  else
    REQUIRE(ran == pb::detect_isa());
}
#endif
// A plain x86-64 build carries the header kernel twice: its own scalar copy
// and an AVX2 copy by target attributes, taken where the machine runs AVX2
// unless POLYBATCH_ARCH=sse2. Widths the compiled library lacks (the 15-limb
// case above) run it here; the two CTest entries of this program (sse2, and
// the machine's best) run one copy each.
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && !defined(__AVX2__)
#if !defined(POLYBATCH_DECIMAL_AVX2_BY_ATTRIBUTE)
#error "a plain x86 build must carry the decimal kernel's AVX2 copy"
#endif
TEST_CASE("cpp_dec_float: the header kernel's AVX2 copy runs where asked", "[exact][dec_float]") {
  const char* asked = std::getenv("POLYBATCH_ARCH");
  const bool want_avx2 =
      asked != nullptr && *asked != '\0' ? std::string(asked) != "sse2" : pb::detect_isa() != pb::isa::sse2;
  REQUIRE(pb::kernels::exact::decimal_dot::avx2_by_attribute::runs_here() == want_avx2);
}
#endif
TEST_CASE("cpp_dec_float_50: ring identities and binomials on integer data", "[exact][dec_float]") {
  std::mt19937_64 rng(11);
  const auto x = exact_test::integer_batch<cpp_dec_float_50>(rng, 4, 5, 20);
  const auto y = exact_test::integer_batch<cpp_dec_float_50>(rng, 4, 4, 20);
  const auto z = exact_test::integer_batch<cpp_dec_float_50>(rng, 4, 6, 20);
  exact_test::check_ring_identities(x, y, z);
  exact_test::check_binomials<cpp_dec_float_50>(30);
}
