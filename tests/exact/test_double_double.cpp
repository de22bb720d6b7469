// pb::double_double: arithmetic accuracy and product accuracy checked with
// pb::verify against exact rationals; works in every expression.
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "exact/exact_common.hpp"
#include "support/checks.hpp"
#include "support/dd_kernel_check.hpp"

namespace pb = polybatch;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

TEST_CASE("double_double: exact construction and error-free arithmetic", "[exact][dd]") {
  STATIC_REQUIRE(std::is_trivially_copyable_v<pb::dd>);
  STATIC_REQUIRE(std::numeric_limits<pb::dd>::digits == 106);
  const pb::dd big(std::int64_t(9007199254740993)); // 2^53 + 1: not a double
  REQUIRE(pb::convert_scalar<cpp_rational>(big) == cpp_rational(9007199254740993LL));
  REQUIRE(static_cast<std::int64_t>(big) == 9007199254740993LL);
  const pb::dd third = pb::dd(1) / pb::dd(3);
  const cpp_rational err = abs(pb::convert_scalar<cpp_rational>(third) - cpp_rational(1, 3));
  REQUIRE(err < cpp_rational(1, 3) * cpp_rational(1, cpp_int(1) << 104));
  const pb::dd sum = pb::dd(1.0) + pb::dd(0x1p-80);
  REQUIRE(sum.hi == 1.0);
  REQUIRE(sum.lo == 0x1p-80);
  // The parser gives the double_double nearest the decimal: within 2^-105
  // relative (checked in exact rationals), a sign included, and with
  // |lo| <= ulp(hi) / 2 (normalised).
  const std::vector<std::pair<std::string, cpp_rational>> decimals{
      {"0.1", cpp_rational(1, 10)},
      {"-0.1", cpp_rational(-1, 10)},
      {"1e-3", cpp_rational(1, 1000)},
      {"3.14159265358979323846264338327950288",
       cpp_rational(cpp_int("314159265358979323846264338327950288"), cpp_int("100000000000000000000000000000000000"))},
      {"-123456789.000000000000000000000000001",
       cpp_rational(-cpp_int("123456789000000000000000000000000001"), cpp_int("1000000000000000000000000000"))}};
  for (const auto& [text, exact] : decimals) {
    INFO(text);
    const pb::dd x = pb::parse_double_double(text);
    const cpp_rational got = cpp_rational(x.hi) + cpp_rational(x.lo);
    CHECK(abs(got - exact) <= abs(exact) / cpp_rational(cpp_int(1) << 105));
    CHECK(x.hi == static_cast<double>(exact)); // hi is the nearest double
    CHECK(std::abs(x.lo) <= std::abs(x.hi) * 0x1p-53);
  }
}

TEST_CASE("double_double: products are accurate to ~2^-104 (verify vs exact rationals)", "[exact][dd]") {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> d(-1, 1);
  pb::PolyBatch<pb::dd> a(500, 5), b(500, 7);
  for (std::size_t i = 0; i < 500; ++i) {
    for (std::size_t k = 0; k < 5; ++k) a(i, k) = pb::dd::from_parts(d(rng), d(rng) * 0x1p-60);
    for (std::size_t k = 0; k < 7; ++k) b(i, k) = pb::dd::from_parts(d(rng), d(rng) * 0x1p-60);
  }
  const auto report = pb::verify(a * b);
  INFO(report);
  // Same-sign-free random data: the absolute error is bounded by the sum of
  // |a_i b_j| (<= 5) times a few units of 2^-106.
  CHECK(report.max_abs_error < 5 * 0x1p-100);
  const auto sums = pb::verify(a * b + pb::dd(0.5) * a - b);
  CHECK(sums.max_abs_error < 8 * 0x1p-100);
  // Where double loses everything (cancellation), double_double keeps 2^-53 more.
  pb::PolyBatch<double> x{{1e16, 1.0}};
  pb::PolyBatch<double> y{{1e16, -1.0}};
  const auto in_double = pb::verify(x * y);
  const auto in_dd = pb::verify(pb::cast<pb::dd>(x) * pb::cast<pb::dd>(y));
  CHECK(in_double.max_abs_error > 0);
  CHECK(in_dd.max_abs_error == 0);
}

TEST_CASE("double_double: products with cancellation stay within a few units of 2^-106 of sum |x y|", "[exact][dd]") {
  // Alternating-sign rows times slowly varying rows: the high parts cancel in
  // every coefficient, so what survives comes from the low parts and the
  // products' rounding errors, which the accumulation must keep. 301 rows:
  // the vectorised groups and a scalar remainder.
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> d(-1, 1);
  const std::size_t B = 301;
  pb::PolyBatch<pb::dd> a(B, 5), b(B, 7);
  for (std::size_t i = 0; i < B; ++i) {
    const double x = d(rng) * 0x1p40, y = d(rng);
    for (std::size_t k = 0; k < 5; ++k)
      a(i, k) = pb::dd::from_parts(k % 2 ? -x : x, d(rng) * 0x1p-14) * pb::dd(1.0 + 0x1p-30 * double(k));
    for (std::size_t k = 0; k < 7; ++k) b(i, k) = pb::dd::from_parts(y, d(rng) * 0x1p-54);
  }
  const auto report = pb::verify(a * b);
  INFO(report);
  CHECK(report.max_abs_error > 0); // the products are not exact in 106 bits
  CHECK(report.max_abs_error < 16 * 0x1p-106 * 5 * 0x1p40);
}

TEST_CASE("double_double: long rows, scale factors, identities on integer data", "[exact][dd]") {
  std::mt19937_64 rng(2);
  const auto x = exact_test::integer_batch<pb::dd>(rng, 4, 15, 20);
  const auto y = exact_test::integer_batch<pb::dd>(rng, 4, 12, 20);
  const auto z = exact_test::integer_batch<pb::dd>(rng, 4, 11, 20);
  exact_test::check_ring_identities(x, y, z);
  exact_test::check_product_against_reference(x, y);
  const pb::PolyBatch<pb::dd> s = 3 * x + x * 0.5;
  REQUIRE(s(1, 2) == x(1, 2) * pb::dd(3.5));
  exact_test::check_binomials<pb::dd>(40);
}

TEST_CASE("double_double text: round trip, nearest hi, rounding at the edges", "[exact][dd][io]") {
  // Reference: Boost's 400-bit binary float (independent of the cpp_int
  // conversion under test) reads the same decimal; its nearest double must
  // be our hi.
  using wide = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<400>>;
  const auto seed = std::random_device{}();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  std::uniform_int_distribution<int> e(-1000, 1000);
  for (int i = 0; i < 3000; ++i) {
    const double hi = std::ldexp(u(rng), e(rng));
    const pb::dd v = pb::dd::from_parts(hi, hi * u(rng) * 0x1p-53);
    const std::string text = pb::interop::format_scalar(v);
    INFO(text);
    const pb::dd back = pb::parse_double_double(text);
    REQUIRE(back == v);
    REQUIRE(static_cast<double>(wide(text)) == back.hi);
  }
  // << uses the stream's precision, rounded from the exact hi + lo.
  std::ostringstream out;
  out.precision(5);
  out << pb::dd::from_parts(1.0, 0x1p-60) << ' ' << pb::dd(-0.000123456789) << ' ' << pb::dd(9.99995);
  CHECK(out.str() == "1.0000e+00 -1.2346e-04 1.0000e+01");
  // Far below hi, lo still round-trips (many digits, not a rounded value).
  const pb::dd far = pb::dd::from_parts(1.0, 0x1p-300);
  CHECK(pb::parse_double_double(pb::interop::format_scalar(far)) == far);
  // Subnormal boundary: half the least subnormal is a tie, rounded to even (0).
  CHECK(pb::parse_double_double("2.4703282292062328e-324").hi == 0x1p-1074);
  CHECK(pb::parse_double_double("2.4703282292062327e-324").hi == 0.0);
  CHECK(std::isinf(pb::parse_double_double("1.8e308").hi));
  CHECK(pb::parse_double_double("-0").hi == 0.0);
  CHECK(std::signbit(pb::parse_double_double("-0").hi));
  CHECK_THROWS_AS(pb::parse_double_double("1.2.3"), std::invalid_argument);
  CHECK_THROWS_AS(pb::parse_double_double("e5"), std::invalid_argument);
  CHECK_THROWS_AS(pb::parse_double_double(""), std::invalid_argument);
  // A low part set by hand to NaN or inf makes the value so (its hi alone is finite).
  pb::dd bad_lo(1.0), infinite_lo(2.0);
  bad_lo.lo = NAN;
  infinite_lo.lo = -HUGE_VAL;
  CHECK(pb::interop::format_scalar(bad_lo) == "nan");
  CHECK(pb::interop::format_scalar(infinite_lo) == "-inf");
  std::ostringstream non_finite;
  non_finite << bad_lo << ' ' << infinite_lo;
  CHECK(non_finite.str() == "nan -inf");
}

TEST_CASE("double_double: the header kernel bit for bit as the scalar row kernel", "[exact][dd]") {
  const auto seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  checks::dd_kernel_matches_scalar_rows(rng);
}

TEST_CASE("double_double: the header kernel bit for bit as the scalar row kernel on inf, NaN and overflow",
          "[exact][dd]") {
  const auto seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  checks::dd_kernel_matches_scalar_rows(rng, true);
}

namespace {
/// Same class of non-finite value (NaN, +inf, -inf).
bool same_non_finite(double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; }
} // namespace

TEST_CASE("double_double: infinities, NaN and overflow give what double arithmetic gives", "[exact][dd]") {
  const double values[] = {0.0, 1.0, -3.0, 1e-300, 1e300, -1e300, 1.7976931348623157e308, HUGE_VAL, -HUGE_VAL, NAN};
  for (double x : values)
    for (double y : values)
      for (int op = 0; op < 4; ++op) {
        const pb::dd u(x), v(y);
        const pb::dd r = op == 0 ? u + v : op == 1 ? u - v : op == 2 ? u * v : u / v;
        const double d = op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y;
        INFO(x << " op " << op << " " << y << " gives (" << r.hi << ", " << r.lo << "), double " << d);
        if (std::isfinite(d)) {
          CHECK(std::isfinite(r.hi));
          CHECK(std::isfinite(r.lo));
        } else {
          CHECK(same_non_finite(r.hi, d));
          CHECK(r.lo == 0.0);
        }
      }
  // A low part that carries the sum past the largest double, and 1 / 0.
  const pb::dd big = pb::dd::from_parts(1.7976931348623157e308, 9e291);
  const pb::dd twice = big + big;
  CHECK(twice.hi == HUGE_VAL);
  CHECK(twice.lo == 0.0);
  CHECK((pb::dd(1.0) / pb::dd(0.0)).hi == HUGE_VAL);
  CHECK((pb::dd(-1.0) / pb::dd(0.0)).hi == -HUGE_VAL);
  CHECK((pb::dd(1.0) / pb::dd(HUGE_VAL)).hi == 0.0);
}

TEST_CASE("double_double: products whose terms overflow or hold inf and NaN match double's products", "[exact][dd]") {
  const auto seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const double specials[] = {1e300, -1e300, 1e-300, HUGE_VAL, -HUGE_VAL, NAN};
  std::uniform_int_distribution<std::size_t> pick(0, 2 * std::size(specials) - 1);
  std::uniform_real_distribution<double> coeff(-1.0, 1.0);
  constexpr std::size_t rows = 203, la = 5, lb = 4;
  pb::PolyBatch<pb::dd> a(rows, la), b(rows, lb);
  pb::PolyBatch<double> ad(rows, la), bd(rows, lb);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < la; ++i) {
      const std::size_t s = pick(rng);
      ad(r, i) = s < std::size(specials) ? specials[s] : coeff(rng);
      a(r, i) = pb::dd(ad(r, i));
    }
    for (std::size_t j = 0; j < lb; ++j) {
      const std::size_t s = pick(rng);
      bd(r, j) = s < std::size(specials) ? specials[s] : coeff(rng);
      b(r, j) = pb::dd(bd(r, j));
    }
  }
  const pb::PolyBatch<pb::dd> c = a * b;
  std::size_t non_finite = 0;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t k = 0; k < la + lb - 1; ++k) {
      double d = 0.0; // the naive double loop, terms in increasing index of a
      for (std::size_t i = 0; i < la; ++i)
        if (k >= i && k - i < lb) d += ad(r, i) * bd(r, k - i);
      INFO("row " << r << ", coefficient " << k << ": dd (" << c(r, k).hi << ", " << c(r, k).lo << "), double " << d);
      if (std::isfinite(d)) {
        CHECK(std::isfinite(c(r, k).hi));
        CHECK(std::isfinite(c(r, k).lo));
      } else {
        ++non_finite;
        CHECK(same_non_finite(c(r, k).hi, d));
        CHECK(c(r, k).lo == 0.0);
      }
    }
  CHECK(non_finite > rows); // the data reach the cases
}

TEST_CASE("double_double functions at the ends of double's range, against mpmath at 300 bits", "[exact][dd]") {
  // (hi, lo) of the exact value rounded to a double-double, from mpmath.
  const auto close = [](const pb::dd& got, double hi, double lo, double relative = 0x1p-100) {
    const pb::dd error = got - pb::dd::from_parts(hi, lo);
    return std::abs(error.hi) <= relative * std::abs(hi);
  };
  // log of values below 2^-1022 (exp(-log a) overflowed: NaN) and near the top
  // (exp(-log a) was subnormal: only double accuracy).
  CHECK(close(log(pb::dd(1e-310)), -713.8013788281542, -8.592254740270771e-15));
  CHECK(close(log(pb::dd(0x1p-1074)), -744.4400719213812, -4.422444340918698e-14));
  CHECK(close(log(pb::dd(1.7976931348623157e308)), 709.782712893384, 2.3636017071323592e-14));
  CHECK(close(log(pb::dd(1e300)), 690.7755278982137, 2.3747660028800243e-14));
  // exp over its range (reduced by a three-part log 2: a two-part one
  // left 2^-97 near the top).
  CHECK(close(exp(pb::dd(700.0)), 1.0142320547350045e+304, 1.6666571920734673e+287));
  CHECK(close(exp(pb::dd(709.5)), 1.3549863193146328e+308, -1.950359478583155e+290));
  CHECK(close(exp(pb::dd(300.25)), 2.4941248615349213e+130, -6.154945403062824e+113));
  CHECK(close(exp(pb::dd(1e-5)), 1.00001000005, 9.70188425858504e-17));
  // cosh and sinh stay finite past exp's overflow at 709.78.
  CHECK(close(cosh(pb::dd(710.0)), 1.1169973830808555e+308, 5.772538034401481e+291));
  CHECK(close(sinh(pb::dd(710.0)), 1.1169973830808555e+308, 5.772538034401481e+291));
  CHECK(close(-sinh(pb::dd(-710.0)), 1.1169973830808555e+308, 5.772538034401481e+291));
  CHECK(std::isinf(cosh(pb::dd(711.0)).hi));
  // Non-finite and huge arguments: what std:: gives, no NaN cast to an integer.
  CHECK(std::isnan(exp(pb::dd(NAN)).hi));
  CHECK(std::isnan(cosh(pb::dd(NAN)).hi));
  CHECK(std::isnan(sin(pb::dd(HUGE_VAL)).hi));
  CHECK(std::isnan(sin(pb::dd::from_parts(1e20, NAN)).hi)); // a NaN low part, past the reduction's switch
  CHECK(std::isnan(cos(pb::dd::from_parts(1.0, HUGE_VAL)).hi));
  // sin and cos of huge arguments keep double-double accuracy (the reduction
  // takes 2/pi's bits at the argument's place; a three-part pi/2 had only
  // double's values beyond 2^60, and wrong ones from 2^53 on).
  CHECK(close(cos(pb::dd(1e300)), -0.5753861119575491, 2.6770761918787068e-17));
  CHECK(close(sin(pb::dd(1e300)), -0.8178819121159085, -4.78135837440326e-17));
  CHECK(close(cos(pb::dd(1e22)), 0.523214785395139, -4.7143201076575164e-17));
  CHECK(close(sin(pb::dd(1e22)), -0.8522008497671888, -6.7806825896773284e-18));
  CHECK(close(cos(pb::dd::from_parts(0x3p60, 1.0)), 0.69726221608832, 1.964714515175561e-18));
  CHECK(close(sin(pb::dd::from_parts(0x3p60, 1.0)), 0.7168161563578245, -3.852084559713779e-17));
  CHECK(pow(pb::dd(1.0), pb::dd(HUGE_VAL)).hi == 1.0);
  CHECK(pow(pb::dd(HUGE_VAL), pb::dd(0.0)).hi == 1.0);
  CHECK(pow(pb::dd(NAN), pb::dd(0.0)).hi == 1.0);
}
