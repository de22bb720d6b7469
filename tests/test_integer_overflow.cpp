// Built-in integer coefficients never overflow silently: every operator,
// product, derivative, compose and evaluate either returns the exact value
// (checked against cpp_int) or throws pb::overflow_error naming the row.
#include <catch2/catch.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "polybatch/polybatch.hpp"
#include "support/checks.hpp"

namespace pb = polybatch;
using boost::multiprecision::cpp_int;

namespace {

template <class T>
cpp_int naive_coefficient(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b, std::size_t row, std::size_t k) {
  cpp_int sum = 0;
  for (std::size_t i = 0; i < a.length(); ++i)
    if (k >= i && k - i < b.length()) sum += cpp_int(a(row, i)) * cpp_int(b(row, k - i));
  return sum;
}

template <class T>
bool fits(const cpp_int& v) {
  return v >= cpp_int(std::numeric_limits<T>::min()) && v <= cpp_int(std::numeric_limits<T>::max());
}

} // namespace

TEMPLATE_TEST_CASE("integer products are exact or throw overflow_error, never wrap", "[integer][overflow]",
                   std::int32_t, std::int64_t, std::uint32_t, std::uint64_t) {
  using T = TestType;
  std::mt19937_64 rng(checks::test_seed());
  constexpr int width = static_cast<int>(sizeof(T) * 8);
  for (int bits : {4, width / 2 - 2, width / 2, width / 2 + 1, width - 1}) {
    for (std::size_t la : {1u, 2u, 5u, 9u, 17u}) {
      const std::size_t lb = 1 + rng() % 9, rows = 64;
      pb::PolyBatch<T> a(rows, la), b(rows, lb);
      const auto draw = [&] {
        const auto limit = (std::uint64_t(1) << std::min(bits, 62)) - 1;
        T v = static_cast<T>(rng() & limit);
        if (std::is_signed_v<T> && (rng() & 1)) v = static_cast<T>(-v);
        return v;
      };
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t i = 0; i < la; ++i) a(r, i) = draw();
        for (std::size_t i = 0; i < lb; ++i) b(r, i) = draw();
      }
      bool all_fit = true;
      std::size_t first_bad_row = rows;
      for (std::size_t r = 0; r < rows && all_fit; ++r)
        for (std::size_t k = 0; k < la + lb - 1; ++k)
          if (!fits<T>(naive_coefficient(a, b, r, k))) {
            all_fit = false;
            first_bad_row = r;
            break;
          }
      INFO("bits " << bits << ", lengths " << la << " x " << lb);
      if (all_fit) {
        const pb::PolyBatch<T> r = a * b;
        for (std::size_t row = 0; row < rows; ++row)
          for (std::size_t k = 0; k < r.length(); ++k) REQUIRE(cpp_int(r(row, k)) == naive_coefficient(a, b, row, k));
      } else {
        try {
          const pb::PolyBatch<T> r = a * b;
          FAIL("no overflow_error for a product that does not fit");
        } catch (const pb::overflow_error& e) {
          // One thread here (small batch): the first offending row is reported.
          REQUIRE_THAT(e.what(), Catch::Contains("row " + std::to_string(first_bad_row) + ","));
          // The remedy apart from the problem, as front ends replace it.
          REQUIRE_THAT(std::string(e.problem()), Catch::Contains("row " + std::to_string(first_bad_row) + ","));
          REQUIRE_THAT(std::string(e.problem()), !Catch::Contains("rebind"));
          REQUIRE(std::string(e.remedy().substr(0, 26)) == "evaluate in an exact type:");
          REQUIRE(std::string(e.what()) == std::string(e.problem()) + " (" + std::string(e.remedy()) + ")");
        }
      }
    }
  }
}

TEST_CASE("an overflow_error without a remedy is all problem", "[integer][overflow]") {
  // Compared as std::string: Catch2 v2 prints a string_view only where its
  // main was built with string_view support (not under clang here).
  const pb::overflow_error plain("f(a): the value 10^40 does not fit");
  REQUIRE(std::string(plain.problem()) == "f(a): the value 10^40 does not fit");
  REQUIRE(plain.remedy().empty());
  const pb::overflow_error both("f(a): too large", "use g");
  REQUIRE(std::string(both.what()) == "f(a): too large (use g)");
  REQUIRE(std::string(both.problem()) == "f(a): too large");
  REQUIRE(std::string(both.remedy()) == "use g");
  const pb::overflow_error copy = both; // copies keep the parts
  REQUIRE(std::string(copy.remedy()) == "use g");
  const pb::overflow_error remedy_only("", "use g"); // an empty problem still has its remedy apart
  REQUIRE(remedy_only.problem().empty());
  REQUIRE(std::string(remedy_only.remedy()) == "use g");
}

TEST_CASE("partial sums may leave the range when the final coefficient fits", "[integer][overflow]") {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  const pb::PolyBatch<std::int64_t> a{{max, max}}, b{{1, -1}};
  const pb::PolyBatch<std::int64_t> r = a * b; // max, -max + max, -max
  CHECK(r(0, 0) == max);
  CHECK(r(0, 1) == 0);
  CHECK(r(0, 2) == -max);
  const pb::PolyBatch<std::int64_t> s = pb::correlate(a, b, pb::mode::full);
  CHECK(cpp_int(s(0, 1)) == 0);
}

TEST_CASE("sums, differences, negation and scaling of integers are checked", "[integer][overflow]") {
  constexpr auto max = std::numeric_limits<std::int32_t>::max();
  constexpr auto min = std::numeric_limits<std::int32_t>::min();
  const pb::PolyBatch<std::int32_t> a{{1, max}, {min, 0}}, one{{1, 1}};
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int32_t>(a + one),
                      Catch::Contains("a + b") && Catch::Contains("row 0, coefficient 1"));
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int32_t>(a - one),
                      Catch::Contains("a - b") && Catch::Contains("row 1, coefficient 0"));
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int32_t>(-a),
                      Catch::Contains("-a") && Catch::Contains("row 1, coefficient 0"));
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int32_t>(2 * a),
                      Catch::Contains("s * a") && Catch::Contains("row 0, coefficient 1"));
  const pb::PolyBatch<std::int32_t> ok = a - a;
  CHECK(ok(0, 1) == 0);
  CHECK(ok(1, 0) == 0);
  const pb::PolyBatch<std::uint32_t> u{{1, 2}};
  REQUIRE_THROWS_AS(pb::PolyBatch<std::uint32_t>(u - u - u), pb::overflow_error);
}

TEST_CASE("derivative, pow, compose and evaluate of integers are checked", "[integer][overflow]") {
  const pb::PolyBatch<std::int32_t> big{{0, 0, 2000000000}};
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int32_t>(pb::derivative(big)), Catch::Contains("derivative(a)"));
  const pb::PolyBatch<std::int64_t> x{{3, 1 << 20}};
  REQUIRE_THROWS_AS(pb::PolyBatch<std::int64_t>(pb::pow(x, 4)), pb::overflow_error);
  const pb::PolyBatch<std::int64_t> x3 = pb::pow(x, 3); // (2^20)^3 = 2^60 fits
  CHECK(x3(0, 3) == std::int64_t(1) << 60);
  REQUIRE_THROWS_AS(pb::PolyBatch<std::int64_t>(pb::compose(x3, x)), pb::overflow_error);
  REQUIRE_THROWS_WITH(pb::evaluate(big, 3), Catch::Contains("evaluate(a, x)") && Catch::Contains("row 0"));
  CHECK(pb::evaluate(big, 1)(0) == 2000000000);
  // A step may leave the type while the value fits: -(2^63 - 1) + x^2 at x = 3037000500 (x^2 passes 2^63), checked
  // against cpp_int; each point of a grid alike; and at a larger x the value itself overflows.
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const pb::PolyBatch<std::int64_t> shifted_square{{-max, 0, 1}};
  const cpp_int exact = cpp_int(-max) + cpp_int(3037000500) * cpp_int(3037000500);
  CHECK(cpp_int(pb::evaluate(shifted_square, 3037000500)(0)) == exact);
  const xt::xtensor<std::int64_t, 2> grid{{2, 3037000500}};
  const auto on_grid = pb::evaluate(shifted_square, grid);
  CHECK(cpp_int(on_grid(0, 1)) == exact);
  CHECK(cpp_int(on_grid(0, 0)) == cpp_int(-max) + 4);
  REQUIRE_THROWS_WITH(pb::evaluate(shifted_square, std::int64_t(1) << 33),
                      Catch::Contains("row 0 at point 0: the exact result does not fit a 64-bit integer"));
  // A partial value past 2^64 is refused as such (x^3 with x = 2^22 passes 2^64 before the last step).
  const pb::PolyBatch<std::int64_t> quartic{{0, 0, 0, 0, 1}};
  REQUIRE_THROWS_WITH(pb::evaluate(quartic, std::int64_t(1) << 22), Catch::Contains("partial value of Horner"));
  const pb::PolyBatch<std::uint64_t> unsigned_square{{0, 0, 1}};
  CHECK(pb::evaluate(unsigned_square, std::uint64_t(1) << 31)(0) == std::uint64_t(1) << 62);
  REQUIRE_THROWS_AS(pb::evaluate(unsigned_square, std::uint64_t(1) << 32), pb::overflow_error);
}

namespace {

/// a(b(x)) in cpp_int, by powers of b (not Horner's rule, as the library).
std::vector<cpp_int> naive_compose(const std::vector<cpp_int>& a, const std::vector<cpp_int>& b) {
  std::vector<cpp_int> out(1), power{1};
  for (const cpp_int& coefficient : a) {
    if (out.size() < power.size()) out.resize(power.size());
    for (std::size_t k = 0; k < power.size(); ++k) out[k] += coefficient * power[k];
    std::vector<cpp_int> next(power.size() + b.size() - 1);
    for (std::size_t i = 0; i < power.size(); ++i)
      for (std::size_t j = 0; j < b.size(); ++j) next[i + j] += power[i] * b[j];
    power = std::move(next);
  }
  return out;
}

} // namespace

TEST_CASE("compose of integers: a Horner step beyond the type is retried in 128 bits", "[integer][overflow]") {
  // (y - 2^21)^3 at y = x + 2^21 is x^3; a step of Horner's rule holds 2^63.
  const std::int64_t c = std::int64_t(1) << 21;
  const pb::PolyBatch<std::int64_t> cube{{-c * c * c, 3 * c * c, -3 * c, 1}};
  const pb::PolyBatch<std::int64_t> shift{{c, 1}};
  const pb::PolyBatch<std::int64_t> composed = pb::compose(cube, shift);
  REQUIRE(composed.length() == 4);
  CHECK(composed(0, 0) == 0);
  CHECK(composed(0, 1) == 0);
  CHECK(composed(0, 2) == 0);
  CHECK(composed(0, 3) == 1);
  // Random rows (y - c)^3 at y = c + x + k x^2, c near 2^21, broadcast against b
  // or not, against the cpp_int composition; every row fits, most steps do not.
  std::mt19937_64 rng(checks::test_seed());
  INFO("seed " << checks::test_seed());
  std::uniform_int_distribution<std::int64_t> near(c - 1000, c), small(-3, 3);
  const std::size_t rows = 37;
  pb::PolyBatch<std::int64_t> a(rows, 4), b(rows, 3);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::int64_t s = near(rng);
    const std::int64_t row_a[] = {-s * s * s, 3 * s * s, -3 * s, 1};
    const std::int64_t row_b[] = {s, 1, small(rng)};
    for (std::size_t i = 0; i < 4; ++i) a(r, i) = row_a[i];
    for (std::size_t j = 0; j < 3; ++j) b(r, j) = row_b[j];
  }
  const pb::PolyBatch<std::int64_t> got = pb::compose(a, b);
  REQUIRE(got.length() == 7);
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<cpp_int> ra, rb;
    for (std::size_t i = 0; i < 4; ++i) ra.emplace_back(a(r, i));
    for (std::size_t j = 0; j < 3; ++j) rb.emplace_back(b(r, j));
    const std::vector<cpp_int> expected = naive_compose(ra, rb);
    for (std::size_t k = 0; k < 7; ++k) {
      INFO("row " << r << ", coefficient " << k);
      CHECK(cpp_int(got(r, k)) == expected[k]);
    }
  }
  // A row whose composition does not fit is still refused, by row and
  // coefficient; one whose steps pass 128 bits says so.
  pb::PolyBatch<std::int64_t> b_big = b;
  b_big(21, 0) += 1 << 20; // (x + 2^20 + ...)^3: 2^60 and 3 2^40 x ... fit, 2^21 shifts do not cancel
  b_big(21, 1) = std::int64_t(1) << 30;
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int64_t>(pb::compose(a, b_big)),
                      Catch::Contains("compose(a, b): integer overflow in row 21, coefficient") &&
                          Catch::Contains("does not fit a 64-bit integer"));
  const pb::PolyBatch<std::int64_t> y3{{0, 0, 0, 1}};
  const pb::PolyBatch<std::int64_t> huge{{std::int64_t(1) << 62, 1}};
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int64_t>(pb::compose(y3, huge)),
                      Catch::Contains("row 0, coefficient 0: a partial value of Horner's rule passes 128 bits"));
}

TEST_CASE("derivative and integral of narrow integers: factors beyond the type are no wrapped values",
          "[integer][overflow]") {
  // derivative: 128 * a[128] does not fit int8 unless a[128] is 0 or -1.
  pb::PolyBatch<std::int8_t> d(1, 129);
  d(0, 128) = 1;
  REQUIRE_THROWS_AS(pb::PolyBatch<std::int8_t>(pb::derivative(d)), pb::overflow_error);
  d(0, 128) = -1;
  CHECK(pb::PolyBatch<std::int8_t>(pb::derivative(d))(0, 127) == -128);
  // integral: from k = 128 on only 0 is divisible by k in int8; k = 256
  // (which wraps to 0 in int8) must not divide by zero.
  pb::PolyBatch<std::int8_t> g(1, 256);
  g(0, 199) = -56; // -56 / 200 is no integer
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int8_t>(pb::integral(g)),
                      Catch::Contains("coefficient 199") && Catch::Contains("not divisible by 200"));
  g(0, 199) = 0;
  g(0, 99) = 100; // 100 / 100 = 1
  const pb::PolyBatch<std::int8_t> gi = pb::integral(g);
  REQUIRE(gi.length() == 257);
  CHECK(gi(0, 100) == 1);
  CHECK(gi(0, 256) == 0);
  pb::PolyBatch<std::int16_t> h(1, 3);
  h(0, 2) = 30000;
  CHECK(pb::PolyBatch<std::int16_t>(pb::integral(h))(0, 3) == 10000);
}

TEST_CASE("an overflow deep in a threaded pass names the batch row", "[integer][overflow][threads]") {
  pb::set_num_threads(2);
  const std::size_t rows = 300000, bad = 234567;
  pb::PolyBatch<std::int64_t> a(rows, 3), b(rows, 3);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t i = 0; i < 3; ++i) {
      a(r, i) = static_cast<std::int64_t>(r % 1000);
      b(r, i) = 7;
    }
  a(bad, 1) = std::int64_t(1) << 61;
  b(bad, 1) = 8;
  REQUIRE_THROWS_WITH(pb::PolyBatch<std::int64_t>(a * b),
                      Catch::Contains("row " + std::to_string(bad) + ", coefficient 1"));
  a(bad, 1) = 1;
  const pb::PolyBatch<std::int64_t> r = a * b;
  const auto x = static_cast<std::int64_t>(bad % 1000); // row bad: (x, 1, x) * (7, 8, 7)
  CHECK(r(bad, 2) == 14 * x + 8);
}
