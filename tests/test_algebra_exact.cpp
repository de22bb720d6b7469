// The algebra rows in exact arithmetic: identities that must hold exactly in
// cpp_rational and mpq_rational (GMP), and the integer rules in cpp_int
// (integral throws on a non-integer antiderivative; pow gives binomials).
#include <catch2/catch.hpp>

#include <cstddef>
#include <random>

#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/gmp.hpp>

#include <polybatch/polybatch.hpp>
#include <polybatch/scalar/multiprecision.hpp>

namespace pb = polybatch;
namespace mp = boost::multiprecision;

namespace {

/// Rows of small random fractions p / q, |p| <= 20, 1 <= q <= 9.
template <class T>
pb::PolyBatch<T> random_fractions(std::mt19937_64& rng, std::size_t batch, std::size_t length) {
  std::uniform_int_distribution<int> num(-20, 20), den(1, 9);
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k) {
      p(i, k) = T(num(rng));
      p(i, k) /= T(den(rng));
    }
  return p;
}

/// Leading coefficients made non-zero, so divisors are valid.
template <class T>
void nonzero_lead(pb::PolyBatch<T>& p) {
  for (std::size_t i = 0; i < p.batch_size(); ++i)
    if (p(i, p.length() - 1) == T(0)) p(i, p.length() - 1) = T(1);
}

} // namespace

TEMPLATE_TEST_CASE("exact identities of the algebra rows", "[algebra][exact]", mp::cpp_rational, mp::mpq_rational) {
  using T = TestType;
  std::mt19937_64 rng(21);
  const pb::PolyBatch<T> x{{T(0), T(1)}};
  for (std::size_t la = 1; la <= 6; ++la) {
    const auto a = random_fractions<T>(rng, 9, la);
    const auto b = random_fractions<T>(rng, 9, 3);
    INFO("La = " << la);

    CHECK(pb::derivative(pb::integral(a)) == a);
    CHECK(pb::compose(a, x) == a);
    CHECK(pb::compose(x, a) == a);

    // compose(a, b) at t equals a at b(t), one point per row
    xt::xtensor<T, 1> t = xt::xtensor<T, 1>::from_shape({9});
    for (std::size_t i = 0; i < 9; ++i) t(i) = T(int(i) - 4) / T(3);
    const bool same_values = pb::evaluate(pb::compose(a, b), t) == pb::evaluate(a, pb::evaluate(b, t));
    CHECK(same_values);

    // pow(a, k) == a * ... * a, and its truncations are prefixes
    pb::PolyBatch<T> repeated = pb::eval(pb::pow(a, 0));
    CHECK(repeated == pb::PolyBatch<T>(9, 1) + pb::PolyBatch<T>{{T(1)}});
    for (int k = 1; k <= 5; ++k) {
      repeated = repeated * a;
      CHECK(pb::pow(a, k) == repeated);
      CHECK(pb::truncate(pb::pow(a, k), 4) == pb::truncate(repeated, 4));
    }

    // integral(derivative(a)) == a - a(0)
    pb::PolyBatch<T> a_minus_a0 = a;
    for (std::size_t i = 0; i < 9; ++i) a_minus_a0(i, 0) = T(0);
    if (la > 1) CHECK(pb::integral(pb::derivative(a)) == a_minus_a0);

    // divmod reconstruction: a == q b + r, deg r < deg b
    for (std::size_t lb = 1; lb <= 4; ++lb) {
      auto d = random_fractions<T>(rng, 9, lb);
      nonzero_lead(d);
      const auto [q, r] = pb::divmod(a, d);
      const std::size_t lr = lb > 1 ? lb - 1 : 1;
      REQUIRE(r.length() == lr);
      const pb::PolyBatch<T> back = q * d + r;
      CHECK(pb::truncate(back, la) == a);
      for (std::size_t i = 0; i < 9; ++i)
        for (std::size_t k = la; k < back.length(); ++k) CHECK(back(i, k) == T(0));
    }
  }
}

TEMPLATE_TEST_CASE("power-series identities hold exactly", "[algebra][exact][series]", mp::cpp_rational,
                   mp::mpq_rational) {
  using T = TestType;
  for (std::size_t n = 1; n <= 12; ++n) {
    INFO("n = " << n);
    pb::PolyBatch<T> g(1, n); // the geometric series 1 + x + ... + x^(n-1)
    for (std::size_t k = 0; k < n; ++k) g(0, k) = T(1);
    const pb::PolyBatch<T> one_minus_x{{T(1), T(-1)}};
    pb::PolyBatch<T> unit(1, n);
    unit(0, 0) = T(1);
    CHECK(pb::truncate(one_minus_x * g, n) == unit);
    // 1 / (1 - x)^2 = sum (k + 1) x^k
    pb::PolyBatch<T> ramp(1, n);
    for (std::size_t k = 0; k < n; ++k) ramp(0, k) = T(k + 1);
    CHECK(pb::truncate(pb::pow(g, 2), n) == ramp);
    // g(2x) = sum 2^k x^k, and derivative(g) = truncated ramp
    const pb::PolyBatch<T> two_x{{T(0), T(2)}};
    pb::PolyBatch<T> powers(1, n);
    for (std::size_t k = 0; k < n; ++k) powers(0, k) = k == 0 ? T(1) : T(2) * powers(0, k - 1);
    CHECK(pb::truncate(pb::compose(g, two_x), n) == powers);
    if (n > 1) CHECK(pb::derivative(g) == pb::truncate(ramp, n - 1));
    // exp: E = sum x^k / k!, E' = E (truncated), and E(x) E(x) = E(2x)
    pb::PolyBatch<T> e(1, n);
    for (std::size_t k = 0; k < n; ++k) e(0, k) = k == 0 ? T(1) : e(0, k - 1) / T(k);
    if (n > 1) CHECK(pb::derivative(e) == pb::truncate(e, n - 1));
    CHECK(pb::truncate(e * e, n) == pb::truncate(pb::compose(e, two_x), n));
    CHECK(pb::truncate(pb::pow(e, 3), n) == pb::truncate(pb::compose(e, pb::PolyBatch<T>{{T(0), T(3)}}), n));
  }
}

TEST_CASE("evaluate in rationals is exact in all three forms", "[algebra][exact][evaluate]") {
  using T = mp::cpp_rational;
  std::mt19937_64 rng(22);
  const auto a = random_fractions<T>(rng, 5, 6);
  xt::xtensor<T, 2> grid = xt::xtensor<T, 2>::from_shape({5, 20});
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t p = 0; p < 20; ++p) grid(i, p) = T(int(p) - 10) / T(int(i) + 2);
  const auto values = pb::evaluate(a, grid);
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t p = 0; p < 20; ++p) {
      T direct = 0, power = 1;
      for (std::size_t k = 0; k < 6; ++k) {
        direct += a(i, k) * power;
        power *= grid(i, p);
      }
      REQUIRE(values(i, p) == direct);
      xt::xtensor<T, 1> point_per_row = xt::xtensor<T, 1>::from_shape({5});
      for (std::size_t j = 0; j < 5; ++j) point_per_row(j) = grid(i, p);
      REQUIRE(pb::evaluate(a, point_per_row)(i) == direct);
      REQUIRE(pb::evaluate(a, grid(i, p))(i) == direct);
    }
  // a double point converts exactly
  CHECK(pb::evaluate(a, 0.5)(0) == pb::evaluate(a, T(1) / T(2))(0));
}

TEST_CASE("integer scalars: binomials, derivative, integral exact or domain_error", "[algebra][exact][integer]") {
  using T = mp::cpp_int;
  const pb::PolyBatch<T> one_plus_x{{T(1), T(1)}};
  const pb::PolyBatch<T> p = pb::pow(one_plus_x, 80);
  T binomial = 1;
  for (std::size_t k = 0; k <= 80; ++k) {
    REQUIRE(p(0, k) == binomial);
    binomial = binomial * T(80 - k) / T(k + 1);
  }
  CHECK(p(0, 40) == T("107507208733336176461620"));
  // derivative(p) = 80 (1 + x)^79, integral of that is p - 1, all exact
  CHECK(pb::derivative(p) == 80 * pb::pow(one_plus_x, 79));
  pb::PolyBatch<T> p_minus_1 = p;
  p_minus_1(0, 0) = T(0);
  CHECK(pb::integral(pb::derivative(p)) == p_minus_1);
  // x^2 / 2 is not an integer polynomial
  const pb::PolyBatch<T> ok{{T(3), T(4)}, {T(2), T(5)}};
  CHECK_THROWS_WITH(pb::eval(pb::integral(ok)), Catch::Contains("row 1") && Catch::Contains("not divisible by 2"));
  const pb::PolyBatch<int> small{{3, 4, 9}};
  CHECK(pb::integral(small) == pb::PolyBatch<int>{{0, 3, 2, 3}});
  CHECK_THROWS_AS(pb::eval(pb::integral(pb::PolyBatch<int>{{1, 1}})), pb::domain_error);
}
