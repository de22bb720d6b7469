// pb::count_real_roots and pb::isolate_real_roots against sympy's exact real
// roots (tests/fixtures/real_roots_sympy.txt, scripts/gen_real_roots_fixtures.py):
// counts, isolating intervals (each of ours holds exactly the matching sympy
// root), counts in half-open windows, on cpp_int, int64, cpp_rational and
// double rows; errors, constants, expressions, exact conversion of floats.
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

/// The fixture's non-zero rows that T holds exactly, as one batch padded with
/// zero leading coefficients to the longest row (so degree drops are tested).
template <class T>
std::pair<pb::PolyBatch<T>, std::vector<const fx::PolyCase*>> fixture_batch(bool (*want)(const fx::PolyCase&)) {
  std::vector<const fx::PolyCase*> rows;
  std::size_t len = 1;
  for (const fx::PolyCase& p : fixture().polys) {
    if (p.zero || !want(p)) continue;
    bool ok = true;
    for (const cpp_rational& c : p.c.exact) ok = ok && representable<T>(c);
    if (!ok) continue;
    rows.push_back(&p);
    len = std::max(len, p.c.exact.size());
  }
  pb::PolyBatch<T> a(rows.size(), len);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < len; ++j)
      a.data()[i * len + j] = j < rows[i]->c.exact.size() ? to_scalar<T>(rows[i]->c.exact[j]) : T(0);
  return {std::move(a), std::move(rows)};
}

/// Our intervals against sympy's (refined below 1e-30): equal counts, ours
/// disjoint and increasing, exact where the root is rational, and each of
/// ours holds sympy's root of the same rank and no other.
void check_intervals(const std::vector<pb::real_interval>& ours,
                     const std::vector<std::pair<cpp_rational, cpp_rational>>& sympy, std::size_t row) {
  INFO("row " << row);
  REQUIRE(ours.size() == sympy.size());
  for (std::size_t k = 0; k < ours.size(); ++k) {
    const pb::real_interval& iv = ours[k];
    INFO("interval " << k << ": ours " << iv << ", sympy [" << sympy[k].first << ", " << sympy[k].second << "]");
    REQUIRE(iv.lo <= iv.hi);
    if (k + 1 < ours.size()) {
      const pb::real_interval& next = ours[k + 1];
      // disjoint: a point may touch an open interval's end, nothing else may
      REQUIRE(iv.hi <= next.lo);
      if (iv.lo == iv.hi && next.lo == next.hi) REQUIRE(iv.hi < next.lo);
    }
    for (std::size_t j = 0; j < sympy.size(); ++j) {
      const auto& [slo, shi] = sympy[j];
      bool inside = false;
      if (slo == shi) { // exact rational root
        inside = iv.lo == iv.hi ? iv.lo == slo : (iv.lo < slo && slo < iv.hi);
      } else { // irrational root in [slo, shi]
        if (iv.lo == iv.hi) {
          inside = false;
          REQUIRE((iv.lo < slo || iv.lo > shi));
        } else {
          inside = iv.lo <= slo && shi <= iv.hi;
          // our ends can lie closer to a root than sympy's 1e-30 (rows with a
          // huge leading coefficient are refined to spacing 1 / lc): then only
          // an overlap with the same root is allowed
          const bool apart = shi <= iv.lo || slo >= iv.hi;
          if (!inside && !apart) {
            REQUIRE(j == k);
            inside = true;
          }
        }
      }
      REQUIRE(inside == (j == k));
    }
    if (sympy[k].first == sympy[k].second) REQUIRE(iv.lo == iv.hi); // rational roots come back exact
  }
}

template <class T>
void check_against_sympy(bool (*want)(const fx::PolyCase&)) {
  auto [a, rows] = fixture_batch<T>(want);
  REQUIRE(rows.size() > 0);
  const auto counts = pb::count_real_roots(a);
  const auto isolated = pb::isolate_real_roots(a);
  REQUIRE(counts.size() == rows.size());
  REQUIRE(isolated.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO("row " << i << " of a batch of " << rows.size());
    CHECK(counts(i) == rows[i]->count);
    check_intervals(isolated[i], rows[i]->roots, i);
  }
  // windows (lo, hi]: one call per distinct window, over the whole batch
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (const fx::Window& w : rows[i]->windows) {
      const auto n = pb::count_real_roots(a, w.lo, w.hi);
      INFO("row " << i << ", window (" << w.lo << ", " << w.hi << "]");
      CHECK(n(i) == w.count);
    }
}

bool any_case(const fx::PolyCase&) { return true; }
bool int_case(const fx::PolyCase& p) { return p.c.kind == "int"; }
bool float_case(const fx::PolyCase& p) { return p.c.kind == "float"; }

} // namespace

TEST_CASE("real roots: cpp_int rows against sympy", "[real_roots]") { check_against_sympy<cpp_int>(int_case); }

TEST_CASE("real roots: int64 rows against sympy", "[real_roots]") { check_against_sympy<std::int64_t>(int_case); }

TEST_CASE("real roots: cpp_rational rows (integer, rational, exact float values) against sympy", "[real_roots]") {
  check_against_sympy<cpp_rational>(any_case);
}

TEST_CASE("real roots: double rows are converted exactly", "[real_roots]") {
  check_against_sympy<double>(float_case);
  check_against_sympy<double>(int_case); // integers below 2^53

  // 0.1 x - 1: 0.1 is 3602879701896397 / 2^55, a little above 1/10, so the
  // root 2^55 / 3602879701896397 is exact and a little below 10
  pb::PolyBatch<double> a(1, 2);
  a.data()[0] = -1.0;
  a.data()[1] = 0.1;
  const auto iv = pb::isolate_real_roots(a);
  REQUIRE(iv[0].size() == 1);
  CHECK(iv[0][0].lo == iv[0][0].hi);
  CHECK(iv[0][0].lo == cpp_rational(cpp_int(1) << 55, cpp_int(3602879701896397)));
  CHECK(iv[0][0].lo != 10);
  CHECK(pb::count_real_roots(a, 9.9999999999999, 10)(0) == 1);
  CHECK(pb::count_real_roots(a, 10, 10.5)(0) == 0);
  CHECK(pb::count_real_roots(pb::cast<float>(a), 9.9999, 10)(0) == 1);    // 0.1f is above 1/10 too
  CHECK(pb::count_real_roots(pb::cast<float>(a), 9.9999999, 10)(0) == 0); // 1 / 0.1f = 9.99999985...
}

TEST_CASE("real roots: half-open windows, exact ends, batch of 1, constants", "[real_roots]") {
  // x^3 - x: roots -1, 0, 1
  pb::PolyBatch<std::int64_t> a(1, 4);
  const std::int64_t c[4] = {0, -1, 0, 1};
  std::copy(c, c + 4, a.data());
  CHECK(pb::count_real_roots(a)(0) == 3);
  CHECK(pb::count_real_roots(a, -1, 1)(0) == 2); // -1 excluded, 1 included
  CHECK(pb::count_real_roots(a, -1.5, 0)(0) == 2);
  CHECK(pb::count_real_roots(a, 0, 0)(0) == 0);
  CHECK(pb::count_real_roots(a, 1, -1)(0) == 0); // empty window
  CHECK(pb::count_real_roots(a, cpp_int(-2), cpp_rational(1, 2))(0) == 2);
  const auto iv = pb::isolate_real_roots(a);
  REQUIRE(iv[0].size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(iv[0][k].exact());
    CHECK(iv[0][k].lo == static_cast<int>(k) - 1);
  }

  pb::PolyBatch<cpp_int> constant(3, 1);
  constant.data()[0] = 5;
  constant.data()[1] = -7;
  constant.data()[2] = cpp_int(1) << 300;
  const auto counts = pb::count_real_roots(constant);
  for (std::size_t i = 0; i < 3; ++i) CHECK(counts(i) == 0);
  const auto none = pb::isolate_real_roots(constant);
  for (const auto& r : none) CHECK(r.empty());
}

TEST_CASE("real roots: expressions are evaluated first", "[real_roots]") {
  // (x^2 - 2)^2 (x - 3): distinct roots counted once
  pb::PolyBatch<cpp_int> p(2, 3);
  const int c[6] = {-2, 0, 1, -3, 1, 0};
  for (int i = 0; i < 6; ++i) p.data()[i] = c[i];
  const auto counts = pb::count_real_roots(p * p * p);
  CHECK(counts(0) == 2);
  CHECK(counts(1) == 1);
}

TEST_CASE("real roots: zero rows and non-finite values are domain errors naming them", "[real_roots][errors]") {
  pb::PolyBatch<double> a(3, 2);
  const double c[6] = {1, 1, 0, 0, 2, 3};
  std::copy(c, c + 6, a.data());
  CHECK_THROWS_AS(pb::count_real_roots(a), pb::domain_error);
  CHECK_THROWS_WITH(pb::count_real_roots(a), Catch::Contains("row 1") && Catch::Contains("zero polynomial"));
  CHECK_THROWS_AS(pb::count_real_roots(a, 0, 1), pb::domain_error);
  CHECK_THROWS_WITH(pb::count_real_roots(a, 0, 1), Catch::Contains("row 1") && Catch::Contains("zero polynomial"));
  CHECK_THROWS_AS(pb::isolate_real_roots(a), pb::domain_error);
  CHECK_THROWS_WITH(pb::isolate_real_roots(a), Catch::Contains("row 1") && Catch::Contains("zero polynomial"));
  a.data()[2] = 1;
  a.data()[5] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(pb::count_real_roots(a), pb::domain_error);
  CHECK_THROWS_WITH(pb::count_real_roots(a), Catch::Contains("row 2") && Catch::Contains("non-finite"));
  a.data()[5] = 1;
  CHECK_THROWS_AS(pb::count_real_roots(a, 0, std::numeric_limits<double>::infinity()), pb::domain_error);
}

TEST_CASE("real roots: many random rows with known roots, threads", "[real_roots]") {
  // (x - u1/v1)(x - u2/v2)(x^2 + s) for random rationals: 2 or 1 exact roots
  // (+2 irrational when s < 0); seeds logged.
  const unsigned seed = 20240611;
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> num(-50, 50), den(1, 40), shift(-30, 30);
  const std::size_t batch = 2000;
  pb::PolyBatch<cpp_int> a(batch, 5);
  std::vector<std::size_t> expect(batch);
  std::vector<cpp_rational> root1(batch);
  for (std::size_t i = 0; i < batch; ++i) {
    const int u1 = num(rng), v1 = den(rng), u2 = num(rng), v2 = den(rng), s = shift(rng);
    // (v1 x - u1)(v2 x - u2) = v1 v2 x^2 - (v1 u2 + v2 u1) x + u1 u2
    const cpp_int q0 = u1 * u2, q1 = -(v1 * u2 + v2 * u1), q2 = v1 * v2;
    // times (x^2 + s)
    cpp_int* r = a.data() + i * 5;
    r[0] = q0 * s;
    r[1] = q1 * s;
    r[2] = q2 * s + q0;
    r[3] = q1;
    r[4] = q2;
    const bool same = cpp_rational(u1, v1) == cpp_rational(u2, v2);
    std::size_t n = same ? 1 : 2;
    if (s < 0) {
      const int isq = static_cast<int>(std::lround(std::sqrt(-s)));
      bool square = isq * isq == -s;
      if (square) {
        for (int sign : {-1, 1}) {
          const cpp_rational t(sign * isq);
          if (t != cpp_rational(u1, v1) && t != cpp_rational(u2, v2)) ++n;
        }
      } else {
        n += 2;
      }
    } else if (s == 0 && u1 != 0 && u2 != 0) {
      n += 1;
    }
    expect[i] = n;
    root1[i] = cpp_rational(u1, v1);
  }
  pb::set_num_threads(2);
  const auto counts = pb::count_real_roots(a);
  const auto iv = pb::isolate_real_roots(a);
  for (std::size_t i = 0; i < batch; ++i) {
    INFO("row " << i);
    REQUIRE(counts(i) == expect[i]);
    REQUIRE(iv[i].size() == expect[i]);
    bool found = false;
    for (const auto& v : iv[i]) found = found || (v.exact() && v.lo == root1[i]);
    REQUIRE(found);
  }
}
