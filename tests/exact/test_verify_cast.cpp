// pb::verify against a hand computation, pb::cast semantics (exact from
// binary floating point, refusing fractional values for integers).
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>

#include "exact/exact_common.hpp"
#include "support/checks.hpp"

namespace pb = polybatch;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

TEST_CASE("verify: figures agree with a hand computation", "[exact][verify]") {
  // Row 0: (1e8 + x)(1e8 - x) = 1e16 + 0x - x^2: all exact in double.
  // Row 1: (0.1 + 0.2x)(0.3): coefficient 0 = fl(0.1 * 0.3). Its exact value
  // is d(0.1) * d(0.3), where d() is the double nearest; the error is
  // |fl(p) - p| for p = d(0.1) d(0.3), computed here exactly by hand.
  pb::PolyBatch<double> a{{1e8, 1.0}, {0.1, 0.2}};
  pb::PolyBatch<double> b{{1e8, -1.0}, {0.3, 0.0}};
  const auto report = pb::verify(a * b);
  const cpp_rational p0 = cpp_rational(0.1) * cpp_rational(0.3);
  const cpp_rational e0 = abs(cpp_rational(0.1 * 0.3) - p0);
  const cpp_rational p1 = cpp_rational(0.2) * cpp_rational(0.3);
  const cpp_rational e1 = abs(cpp_rational(0.2 * 0.3) - p1);
  const cpp_rational max_abs = std::max(e0, e1);
  REQUIRE(report.max_abs_error_exact == max_abs);
  const cpp_rational rel = std::max(e0 / p0, e1 / p1);
  REQUIRE(report.max_rel_error_exact == rel);
  REQUIRE(report.worst_row == 1);
  REQUIRE(report.max_abs_error == static_cast<double>(max_abs));
  std::ostringstream os;
  os << report;
  REQUIRE(os.str().find("max_rel_error") != std::string::npos);
}

TEST_CASE("verify: an exact zero is measured against the row's magnitude", "[exact][verify]") {
  // Hand-made computed/exact pair: in row 0 coefficient 0 is exactly 0 but
  // computed as 2^-70; the row's largest exact magnitude is 2, so the
  // relative error is 2^-71. Coefficient 1 of row 1 is off by 2^-60 against
  // an exact 1 + 2^-60: relative 2^-60 / (1 + 2^-60) is the maximum.
  const cpp_rational tiny60(cpp_int(1), cpp_int(1) << 60);
  pb::PolyBatch<double> computed{{0x1p-70, 2.0}, {3.0, 1.0}};
  pb::PolyBatch<cpp_rational> exact{{cpp_rational(0), cpp_rational(2)}, {cpp_rational(3), 1 + tiny60}};
  auto report = pb::verify_against(computed, exact);
  REQUIRE(report.max_abs_error_exact == tiny60);
  REQUIRE(report.max_rel_error_exact == tiny60 / (1 + tiny60));
  REQUIRE(report.worst_row == 1);
  REQUIRE(report.worst_coefficient == 1);
  // Without row 1, the zero coefficient decides: 2^-70 / 2.
  pb::PolyBatch<double> computed0{{0x1p-70, 2.0}};
  pb::PolyBatch<cpp_rational> exact0{{cpp_rational(0), cpp_rational(2)}};
  report = pb::verify_against(computed0, exact0);
  REQUIRE(report.max_rel_error_exact == cpp_rational(cpp_int(1), cpp_int(1) << 71));
  REQUIRE(report.worst_coefficient == 0);
  // An all-zero exact row with a nonzero computed value: infinite.
  pb::PolyBatch<double> computed1{{1e-30}};
  pb::PolyBatch<cpp_rational> exact1{{cpp_rational(0)}};
  REQUIRE(std::isinf(pb::verify_against(computed1, exact1).max_rel_error));
}

TEST_CASE("cast: exact from binary floating point, integers refuse fractions", "[exact][cast]") {
  pb::PolyBatch<double> a{{0.1, 2.0, -3.5}};
  const pb::PolyBatch<cpp_rational> q = pb::cast<cpp_rational>(a);
  REQUIRE(q(0, 0) == cpp_rational(3602879701896397LL, cpp_int(1) << 55));
  REQUIRE(q(0, 2) == cpp_rational(-7, 2));
  pb::PolyBatch<double> whole{{1e20, -4.0}};
  const pb::PolyBatch<cpp_int> z = pb::cast<cpp_int>(whole * whole);
  REQUIRE(z(0, 0) == cpp_int(1e20 * 1e20)); // the double product, converted exactly
  REQUIRE_THROWS_AS(pb::PolyBatch<cpp_int>(pb::cast<cpp_int>(a)), pb::domain_error);
  // Casts compose inside expressions and with exact evaluation.
  const pb::PolyBatch<cpp_rational> mixed = pb::cast<cpp_rational>(a) * q;
  REQUIRE(mixed(0, 0) == q(0, 0) * q(0, 0));
  const pb::PolyBatch<double> back = pb::cast<double>(mixed);
  REQUIRE(back(0, 4) == 12.25);
}

namespace {

/// Whether f is the F nearest x (ties to even) by the definition: no
/// neighbour of f is closer, in exact arithmetic. An infinite f needs x at
/// least half a unit beyond the largest finite F.
template <class F>
bool is_nearest(const cpp_rational& x, F f) {
  using L = std::numeric_limits<F>;
  if (std::isinf(f)) {
    const cpp_rational edge = cpp_rational(L::max()) + cpp_rational(std::ldexp(F(1), L::max_exponent - L::digits)) / 2;
    return f > 0 ? x >= edge : x <= -edge;
  }
  const cpp_rational distance = abs(x - cpp_rational(f));
  for (F neighbour : {std::nextafter(f, -L::infinity()), std::nextafter(f, L::infinity())}) {
    if (std::isinf(neighbour)) continue;
    const cpp_rational other = abs(x - cpp_rational(neighbour));
    if (other < distance) return false;
    if (other == distance) { // a tie: f must have the even last bit
      int e = 0;
      const F m = std::frexp(f, &e);
      const bool subnormal = std::abs(f) < L::min();
      const F bits = subnormal ? std::ldexp(f, L::digits - L::min_exponent) : std::ldexp(m, L::digits);
      if (std::fmod(bits, F(2)) != 0) return false;
    }
  }
  return true;
}

template <class F>
void check_rounding_from_rationals(std::mt19937_64& rng) {
  using L = std::numeric_limits<F>;
  std::uniform_int_distribution<int> exponent(L::min_exponent - L::digits - 3, L::max_exponent + 1);
  std::uniform_int_distribution<std::uint64_t> bits;
  std::uniform_int_distribution<int> kind(0, 3);
  for (int trial = 0; trial < 4000; ++trial) {
    // A random numerator of 1 to 120 bits over a random odd denominator, scaled
    // anywhere from below the least subnormal to beyond the largest value;
    // a quarter are exact ties between two neighbours (odd multiples of half
    // the least subnormal, or of half a unit near the top).
    cpp_int num = (cpp_int(bits(rng)) << 56) + bits(rng);
    num >>= static_cast<unsigned>(rng() % 120);
    cpp_int den(bits(rng) | 1);
    if (kind(rng) == 0) den = 1;
    cpp_rational x(num + 1, den);
    // Scaled to about 2^e.
    const long shift = exponent(rng) - (static_cast<long>(boost::multiprecision::msb(num + 1)) -
                                        static_cast<long>(boost::multiprecision::msb(den)));
    if (shift >= 0)
      x *= cpp_rational(cpp_int(1) << static_cast<unsigned>(shift));
    else
      x /= cpp_rational(cpp_int(1) << static_cast<unsigned>(-shift));
    if (kind(rng) == 1) { // a tie at the bottom of the range
      x = cpp_rational(2 * (num % 64) + 1, 2);
      x *= cpp_rational(std::ldexp(F(1), L::min_exponent - L::digits));
    }
    if (trial % 2 == 1) x = -x;
    const F f = pb::convert_scalar<F>(x);
    INFO("x = " << x << ", got " << f);
    REQUIRE(is_nearest(x, f));
    // A double_double is at least as close
    // as the double, and its high part is the nearest double where its low
    // part is normal (below, a tie between two normalisations can move it).
    if constexpr (std::is_same_v<F, double>) {
      const pb::dd d = pb::convert_scalar<pb::dd>(x);
      if (std::isfinite(f)) REQUIRE(abs(x - cpp_rational(d.hi) - cpp_rational(d.lo)) <= abs(x - cpp_rational(f)));
      if (std::abs(f) >= 0x1p-969 || f == 0 || std::isinf(f)) REQUIRE(d.hi == f);
    }
  }
}

} // namespace

TEST_CASE(
    "cast: rationals to float, double, long double and double_double round once, subnormals and overflow included",
    "[exact][cast]") {
  const auto seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  check_rounding_from_rationals<double>(rng);
  check_rounding_from_rationals<float>(rng);
  check_rounding_from_rationals<long double>(rng);
  // 2^-1075 + 2^-1179 is just above half the least subnormal: it rounds up
  // to 2^-1074 (Boost's conversion rounded it to 2^-1075 first, then to 0).
  const cpp_rational above_half = cpp_rational(1, cpp_int(1) << 1075) + cpp_rational(1, cpp_int(1) << 1179);
  CHECK(pb::convert_scalar<double>(above_half) == std::ldexp(1.0, -1074));
  CHECK(pb::convert_scalar<double>(cpp_rational(1, cpp_int(1) << 1075)) == 0.0); // a tie: to the even 0
  // Beyond the range: inf, and a double_double of inf rather than an exception.
  const cpp_rational huge = cpp_rational(cpp_int(1) << 1100);
  CHECK(pb::convert_scalar<double>(huge) == HUGE_VAL);
  CHECK(pb::convert_scalar<pb::dd>(cpp_rational(-huge)).hi == -HUGE_VAL);
  const pb::PolyBatch<cpp_rational> row{{huge, above_half}};
  const pb::PolyBatch<pb::dd> wide = pb::cast<pb::dd>(row);
  CHECK(wide(0, 0).hi == HUGE_VAL);
  CHECK(wide(0, 1).hi == std::ldexp(1.0, -1074));
}

TEST_CASE("cast: wide integers to double_double round to nearest, beyond double's range to inf", "[exact][cast]") {
  // 2^200 + 2^60 - 1: hi 2^200, lo the nearest double of 2^60 - 1, 2^60.
  const cpp_int wide = (cpp_int(1) << 200) + (cpp_int(1) << 60) - 1;
  const pb::dd d = pb::convert_scalar<pb::dd>(wide);
  CHECK(d.hi == std::ldexp(1.0, 200));
  CHECK(d.lo == std::ldexp(1.0, 60));
  // 2^1024 - 1 rounds to 2^1024 and 2^1100 is beyond: inf, not an exception.
  for (const cpp_int& huge : {cpp_int((cpp_int(1) << 1024) - 1), cpp_int(cpp_int(1) << 1100)}) {
    CHECK(pb::convert_scalar<pb::dd>(huge).hi == HUGE_VAL);
    CHECK(pb::convert_scalar<pb::dd>(cpp_int(-huge)).hi == -HUGE_VAL);
  }
  const pb::PolyBatch<cpp_int> row{{wide, cpp_int(cpp_int(1) << 1100)}};
  const pb::PolyBatch<pb::dd> cast = pb::cast<pb::dd>(row);
  CHECK(cast(0, 0).lo == std::ldexp(1.0, 60));
  CHECK(cast(0, 1).hi == HUGE_VAL);
}

TEST_CASE("cast: a double_double just below float's overflow midpoint is the largest float", "[exact][cast]") {
  // hi = 2^128 - 2^103 is the midpoint between FLT_MAX and 2^128 (it rounds
  // to inf, ties to even); a negative lo puts the sum below it.
  const double midpoint = 0x1.ffffffp+127;
  for (double lo : {-1.0, -0x1p60}) {
    CHECK(pb::convert_scalar<float>(pb::dd::from_parts(midpoint, lo)) == std::numeric_limits<float>::max());
    CHECK(pb::convert_scalar<float>(pb::dd::from_parts(-midpoint, -lo)) == -std::numeric_limits<float>::max());
  }
  CHECK(std::isinf(pb::convert_scalar<float>(pb::dd::from_parts(midpoint, 1.0))));
  CHECK(std::isinf(pb::convert_scalar<float>(pb::dd(midpoint))));
  CHECK(std::isinf(pb::convert_scalar<float>(pb::dd(0x1p200))));
}

TEST_CASE("verify: the report's doubles are rounded once, subnormal errors included", "[exact][verify]") {
  const pb::PolyBatch<double> computed{{1.0}};
  pb::PolyBatch<cpp_rational> exact(1, 1);
  const cpp_rational error = cpp_rational(1, cpp_int(1) << 1075) + cpp_rational(1, cpp_int(1) << 1135);
  exact(0, 0) = 1 + error;
  const pb::verify_report r = pb::verify_against(computed, exact);
  CHECK(r.max_abs_error_exact == error);
  CHECK(r.max_abs_error == std::ldexp(1.0, -1074)); // just above half the least subnormal
  CHECK(r.max_rel_error > 0.0);
}

namespace {

/// The message of the domain_error that f throws (empty if none).
template <class F>
std::string domain_message(F f) {
  try {
    f();
  } catch (const pb::domain_error& e) {
    return e.what();
  }
  return {};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

} // namespace

TEST_CASE("cast and rebind to integers: fractions, non-finite and out-of-range values are errors",
          "[exact][cast][rebind]") {
  // Rationals: Boost's own conversion truncates 7/2 to 3.
  const pb::PolyBatch<cpp_rational> q{{cpp_rational(4), cpp_rational(-6, 3)}, {cpp_rational(6), cpp_rational(7, 2)}};
  const pb::PolyBatch<cpp_int> whole =
      pb::cast<cpp_int>(pb::PolyBatch<cpp_rational>{{cpp_rational(4), cpp_rational(-6, 3)}});
  REQUIRE(whole(0, 1) == -2);
  std::string m = domain_message([&] { pb::PolyBatch<cpp_int> z = pb::cast<cpp_int>(q); });
  REQUIRE(contains(m, "pb::cast: row 1, coefficient 1"));
  REQUIRE(contains(m, "7/2"));
  m = domain_message([&] { pb::PolyBatch<cpp_int> z = pb::rebind<cpp_int>(q * q); });
  REQUIRE(contains(m, "pb::rebind: row 1, coefficient 1"));
  REQUIRE(domain_message([&] { pb::PolyBatch<std::int64_t> z = pb::cast<std::int64_t>(q); }) != "");
  // Scalars in the tree are named after the call that converts them.
  const pb::PolyBatch<double> d{{1.0, 2.0}};
  m = domain_message([&] { pb::PolyBatch<cpp_int> z = pb::rebind<cpp_int>(2.5 * d); });
  REQUIRE(contains(m, "pb::rebind: the factor of a scaled operand"));
  REQUIRE(contains(m, "2.5"));
  m = domain_message([&] { pb::PolyBatch<cpp_rational> z = pb::rebind<cpp_rational>(d + std::nan("")); });
  REQUIRE(contains(m, "pb::rebind: the scalar of a sum"));
  m = domain_message([&] { (void)pb::verify(std::numeric_limits<double>::infinity() * d); });
  REQUIRE(contains(m, "pb::verify: the factor of a scaled operand"));

  // Double-double: a fraction carried by the low part alone.
  const pb::dd frac = pb::dd::from_parts(0x1p60, 0.5);
  REQUIRE(domain_message([&] { (void)pb::convert_scalar<std::int64_t>(frac); }) != "");
  REQUIRE(domain_message([&] { (void)pb::convert_scalar<cpp_int>(frac); }) != "");
  const pb::dd big = pb::dd::from_parts(0x1p60, 3.0);
  REQUIRE(pb::convert_scalar<std::int64_t>(big) == (std::int64_t(1) << 60) + 3);
  REQUIRE(pb::convert_scalar<cpp_int>(big) == (cpp_int(1) << 60) + 3);

  // Built-in integers: the range ends exactly, never a wrapped or undefined cast.
  REQUIRE(pb::convert_scalar<std::int64_t>(-0x1p63) == std::numeric_limits<std::int64_t>::min());
  REQUIRE(contains(domain_message([] { (void)pb::convert_scalar<std::int64_t>(0x1p63); }), "out of range"));
  REQUIRE(contains(domain_message([] { (void)pb::convert_scalar<std::int32_t>(cpp_int(1) << 31); }), "out of range"));
  REQUIRE(pb::convert_scalar<std::int32_t>(cpp_rational(-(cpp_int(1) << 31))) ==
          std::numeric_limits<std::int32_t>::min());
  REQUIRE(domain_message([] { (void)pb::convert_scalar<std::uint32_t>(-1.0); }) != "");
  REQUIRE(pb::convert_scalar<std::uint64_t>(0x1p63) == std::uint64_t(1) << 63);
  REQUIRE(domain_message([] { (void)pb::convert_scalar<std::int64_t>(pb::dd(0x1p63)); }) != "");
  // The high part at 2^63 (2^64) with a negative low part: the total is in
  // range, though the high part alone is not.
  REQUIRE(pb::convert_scalar<std::int64_t>(pb::dd::from_parts(0x1p63, -1.0)) ==
          std::numeric_limits<std::int64_t>::max());
  REQUIRE(pb::convert_scalar<std::uint64_t>(pb::dd::from_parts(0x1p64, -1.0)) ==
          std::numeric_limits<std::uint64_t>::max());
  REQUIRE(pb::convert_scalar<std::int64_t>(pb::dd::from_parts(-0x1p63, 512.0)) ==
          std::numeric_limits<std::int64_t>::min() + 512);

  // Non-finite values have no exact image, in any exact type.
  const double inf = std::numeric_limits<double>::infinity();
  REQUIRE(contains(domain_message([&] { (void)pb::convert_scalar<cpp_int>(inf); }), "no exact value"));
  REQUIRE(domain_message([] { (void)pb::convert_scalar<cpp_rational>(std::nan("")); }) != "");
  REQUIRE(domain_message([] { (void)pb::convert_scalar<std::int64_t>(std::nan("")); }) != "");
  pb::PolyBatch<double> a{{1.0, 2.0}, {3.0, inf}};
  m = domain_message([&] { pb::PolyBatch<cpp_rational> z = pb::rebind<cpp_rational>(a * a); });
  REQUIRE(contains(m, "row 1, coefficient 1"));
  // A fractional scale factor cannot become an integer.
  pb::PolyBatch<double> w{{1.0, 2.0}};
  m = domain_message([&] { pb::PolyBatch<cpp_int> z = pb::rebind<cpp_int>(0.5 * w); });
  REQUIRE(contains(m, "factor"));
  const pb::PolyBatch<cpp_int> twice = pb::rebind<cpp_int>(2.0 * w);
  REQUIRE(twice(0, 1) == 4);
}
