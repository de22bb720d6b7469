// pb::gcd, pb::resultant and pb::discriminant against sympy
// (tests/fixtures/real_roots_sympy.txt, scripts/gen_real_roots_fixtures.py) on
// cpp_int, int64, cpp_rational and double rows: normalisation (primitive over
// the integers, monic over fields), gcd(0, 0) = 0, result length, actual
// degrees, zero rows, broadcasting, overflow of int64 results.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>
#include <polybatch/polybatch.hpp>

#include "support/real_roots_fixture.hpp"

namespace pb = polybatch;
namespace fx = real_roots_fixture;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

namespace {

using fx::fixture;
using fx::representable;
using fx::to_scalar;

template <class T>
pb::PolyBatch<T> batch_of(const std::vector<const std::vector<cpp_rational>*>& rows) {
  std::size_t len = 1;
  for (const auto* r : rows) len = std::max(len, r->size());
  pb::PolyBatch<T> a(rows.size(), len);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < len; ++j)
      a.data()[i * len + j] = j < rows[i]->size() ? to_scalar<T>((*rows[i])[j]) : T(0);
  return a;
}

template <class T>
bool fits(const std::vector<cpp_rational>& v) {
  for (const auto& c : v)
    if (!representable<T>(c)) return false;
  return true;
}

/// gcd and resultant of the fixture's pairs of the given kinds that T holds.
template <class T>
void check_pairs(std::initializer_list<std::string> kinds) {
  std::vector<const fx::PairCase*> cases;
  std::vector<const std::vector<cpp_rational>*> as, bs;
  for (const fx::PairCase& p : fixture().pairs) {
    if (std::find(kinds.begin(), kinds.end(), p.a.kind) == kinds.end()) continue;
    if (!fits<T>(p.a.exact) || !fits<T>(p.b.exact)) continue;
    cases.push_back(&p);
    as.push_back(&p.a.exact);
    bs.push_back(&p.b.exact);
  }
  REQUIRE(cases.size() > 0);
  const pb::PolyBatch<T> a = batch_of<T>(as);
  const pb::PolyBatch<T> b = batch_of<T>(bs);
  const pb::PolyBatch<T> g = pb::gcd(a, b);
  const auto r = pb::resultant(a, b);
  std::size_t longest = 1;
  for (std::size_t i = 0; i < cases.size(); ++i) longest = std::max(longest, cases[i]->gcd.size());
  REQUIRE(g.batch_size() == cases.size());
  CHECK(g.length() == longest);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("pair " << i << " (" << cases[i]->a.kind << ")");
    std::vector<cpp_rational> expect = cases[i]->gcd;
    if (pb::scalar_traits<T>::is_field && !(expect.size() == 1 && expect[0] == 0)) {
      const cpp_rational lead = expect.back();
      for (auto& c : expect) c /= lead; // monic over fields
    }
    for (std::size_t j = 0; j < g.length(); ++j) {
      const cpp_rational want = j < expect.size() ? expect[j] : cpp_rational(0);
      INFO("coefficient " << j);
      if constexpr (std::is_floating_point_v<T>)
        CHECK(g.data()[i * g.length() + j] == static_cast<T>(want)); // monic gcds of these rows are exact doubles
      else
        CHECK(cpp_rational(g.data()[i * g.length() + j]) == want);
    }
    if constexpr (std::is_floating_point_v<T>) {
      const double want = static_cast<double>(cases[i]->res);
      CHECK(r(i) == want); // the exact resultant, rounded once
    } else if (representable<T>(cases[i]->res)) {
      CHECK(cpp_rational(r(i)) == cases[i]->res);
    }
  }
}

template <class T>
void check_discriminants(std::initializer_list<std::string> kinds) {
  std::vector<const fx::PolyCase*> cases;
  std::vector<const std::vector<cpp_rational>*> rows;
  for (const fx::PolyCase& p : fixture().polys) {
    if (std::find(kinds.begin(), kinds.end(), p.c.kind) == kinds.end() || !fits<T>(p.c.exact)) continue;
    if constexpr (std::is_integral_v<T>)
      if (!representable<T>(p.disc)) continue;
    cases.push_back(&p);
    rows.push_back(&p.c.exact);
  }
  REQUIRE(cases.size() > 0);
  const auto d = pb::discriminant(batch_of<T>(rows)); // padded: leading zeros ignored
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("row " << i);
    if constexpr (std::is_floating_point_v<T>)
      CHECK(d(i) == static_cast<T>(cases[i]->disc));
    else
      CHECK(cpp_rational(d(i)) == cases[i]->disc);
  }
}

} // namespace

TEST_CASE("gcd and resultant: cpp_int pairs against sympy", "[gcd][resultant]") { check_pairs<cpp_int>({"int"}); }
TEST_CASE("gcd and resultant: int64 pairs against sympy", "[gcd][resultant]") { check_pairs<std::int64_t>({"int"}); }
TEST_CASE("gcd and resultant: cpp_rational pairs against sympy", "[gcd][resultant]") {
  check_pairs<cpp_rational>({"int", "rat", "float"});
}
TEST_CASE("gcd and resultant: double pairs (exact values) against sympy", "[gcd][resultant]") {
  check_pairs<double>({"float"});
}

TEST_CASE("discriminant against sympy", "[discriminant]") {
  check_discriminants<cpp_int>({"int"});
  check_discriminants<std::int64_t>({"int"});
  check_discriminants<cpp_rational>({"int", "rat", "float"});
  check_discriminants<double>({"float"});
}

TEST_CASE("gcd and resultant: conventions", "[gcd][resultant]") {
  // rows: 0 and 0; 2x + 2 and 4x + 4; -(x - 1) and 0; 6 and 4
  pb::PolyBatch<std::int64_t> a(4, 2), b(4, 2);
  const std::int64_t ca[8] = {0, 0, 2, 2, 1, -1, 6, 0};
  const std::int64_t cb[8] = {0, 0, 4, 4, 0, 0, 4, 0};
  std::copy(ca, ca + 8, a.data());
  std::copy(cb, cb + 8, b.data());
  const auto g = pb::gcd(a, b);
  REQUIRE(g.length() == 2);
  const std::int64_t want[8] = {0, 0, 1, 1, -1, 1, 1, 0};
  for (int k = 0; k < 8; ++k) CHECK(g.data()[k] == want[k]);
  const auto r = pb::resultant(a, b);
  CHECK(r(0) == 0);
  CHECK(r(1) == 0);
  CHECK(r(2) == 0); // a zero row
  CHECK(r(3) == 1); // constants: c^0 d^0
  // over a field: monic
  const auto gq = pb::gcd(pb::cast<cpp_rational>(a), pb::cast<cpp_rational>(b));
  CHECK(gq.data()[2] == 1);
  CHECK(gq.data()[3] == 1);
  CHECK(gq.data()[6] == 1);
  // broadcasting a batch of 1 against 4 rows; length 1 results
  pb::PolyBatch<std::int64_t> one(1, 1);
  one.data()[0] = 3;
  const auto g1 = pb::gcd(one, a);
  CHECK(g1.batch_size() == 4);
  CHECK(g1.length() == 1);
  CHECK(pb::resultant(one, a)(2) == 3); // 3^deg(1 - x)
  pb::PolyBatch<std::int64_t> three(3, 1);
  CHECK_THROWS_AS(pb::gcd(three, a), pb::shape_error);
}

TEST_CASE("resultant: int64 results that do not fit are overflow errors", "[resultant][errors]") {
  // res(2^32 x + 1, x^2 + 1) = 2^64 + 1
  pb::PolyBatch<std::int64_t> a(1, 2), b(1, 3);
  a.data()[0] = 1;
  a.data()[1] = std::int64_t(1) << 32;
  b.data()[0] = 1;
  b.data()[1] = 0;
  b.data()[2] = 1;
  CHECK_THROWS_AS(pb::resultant(a, b), pb::overflow_error);
  CHECK_THROWS_WITH(pb::resultant(a, b), Catch::Contains("resultant(a, b): row 0"));
  CHECK(cpp_int(pb::resultant(pb::cast<cpp_int>(a), pb::cast<cpp_int>(b))(0)) == (cpp_int(1) << 64) + 1);
}

TEST_CASE("discriminant: textbook values, degree drops", "[discriminant]") {
  // a x^2 + b x + c: b^2 - 4ac; x^3 + p x + q: -4p^3 - 27q^2; with a zero lead
  pb::PolyBatch<cpp_int> a(3, 4);
  const int c[12] = {3, 5, 7, 0, 2, -3, 0, 1, 9, 0, 0, 0};
  for (int k = 0; k < 12; ++k) a.data()[k] = c[k];
  const auto d = pb::discriminant(a);
  CHECK(d(0) == 25 - 4 * 7 * 3);
  CHECK(d(1) == -4 * (-27) - 27 * 4);
  CHECK(d(2) == 0); // a constant
  // floating rows: the exact discriminant of the doubles' values, rounded once
  pb::PolyBatch<double> x(1, 3);
  x.data()[0] = 0.1;
  x.data()[1] = 0.7;
  x.data()[2] = 1.0;
  const cpp_rational exact = cpp_rational(0.7) * cpp_rational(0.7) - 4 * cpp_rational(0.1);
  CHECK(pb::discriminant(x)(0) == static_cast<double>(exact));
}

TEST_CASE("gcd and resultant: results beyond the type's range are inf, subnormal ones are rounded once",
          "[gcd][resultant]") {
  // 1e-300 x + 1e100: the monic gcd x + 1e400 and res(1e200, x^2) = 1e400
  // overflow to inf in double and in double_double alike.
  const pb::PolyBatch<double> line{{1e100, 1e-300}}, big{{1e200, 0, 0}}, square{{0, 0, 1}};
  CHECK(pb::gcd(line, line)(0, 0) == HUGE_VAL);
  CHECK(pb::resultant(big, square)(0) == HUGE_VAL);
  const pb::PolyBatch<pb::dd> line_dd = pb::cast<pb::dd>(line), big_dd = pb::cast<pb::dd>(big),
                              square_dd = pb::cast<pb::dd>(square);
  CHECK(pb::gcd(line_dd, line_dd)(0, 0).hi == HUGE_VAL);
  CHECK(pb::gcd(line_dd, line_dd)(0, 1).hi == 1.0);
  CHECK(pb::resultant(big_dd, square_dd)(0).hi == HUGE_VAL);
  // res(x - r, b1 x + b0) = b0 + b1 r = 2^-1075 + 2^-1179 exactly (checked in
  // cpp_rational): just above half the least subnormal, so 2^-1074.
  const double r = std::ldexp(1.0 - std::ldexp(1.0, -52), -75);
  const double b1 = -std::ldexp(1.0 + std::ldexp(1.0, -52), -1000);
  const double b0 = std::ldexp(1.0, -1074);
  const pb::PolyBatch<double> a{{-r, 1.0}}, b{{b0, b1}};
  const cpp_rational exact = pb::resultant(pb::cast<cpp_rational>(a), pb::cast<cpp_rational>(b))(0);
  REQUIRE(exact == cpp_rational(1, cpp_int(1) << 1075) + cpp_rational(1, cpp_int(1) << 1179));
  CHECK(pb::resultant(a, b)(0) == std::ldexp(1.0, -1074));
}
