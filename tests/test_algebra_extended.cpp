// The algebra rows with extended and run-time-precision scalars:
// double_double (about 106 bits) and mpfr_float at 100 digits (results must
// carry the operands' precision, not the thread default), checked against an
// independent oracle (naive loops in mpfr at twice the precision,
// support/mpfr_oracle.hpp) on non-dyadic data, and with pb::verify against
// exact rationals; double expressions through pb::cast / pb::verify.
#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <utility>

#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"
#include "support/mpfr_oracle.hpp"

namespace pb = polybatch;
namespace mp = boost::multiprecision;

namespace {

/// Dyadic coefficients k / 64 (exact in every binary type), |k| <= 64.
template <class T>
pb::PolyBatch<T> dyadic(std::mt19937_64& rng, std::size_t batch, std::size_t length, const T& prototype) {
  std::uniform_int_distribution<int> k(-64, 64);
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t j = 0; j < length; ++j) {
      T v = prototype; // assigning a T would copy its (default) precision
      v = k(rng);
      v /= 64;
      p(i, j) = v;
    }
  return p;
}

} // namespace

TEST_CASE("double_double: algebra rows agree with exact rationals to about 2^-100", "[algebra][extended]") {
  using T = pb::double_double;
  std::mt19937_64 rng(31);
  const auto a = dyadic<T>(rng, 40, 6, T(0));
  const auto b = dyadic<T>(rng, 40, 3, T(0));
  const double tol = 1e-28;
  CHECK(pb::verify(pb::pow(a, 7)).max_rel_error <= tol);
  CHECK(pb::verify(pb::compose(a, b)).max_rel_error <= tol);
  CHECK(pb::verify(pb::truncate(pb::compose(pb::pow(b, 3), a), 9)).max_rel_error <= tol);
  CHECK(pb::verify(pb::derivative(a * b) + pb::integral(b)).max_rel_error <= tol);
  const pb::PolyBatch<T> r = pb::derivative(pb::integral(a));
  CHECK(pb::verify_against(r, pb::eval(pb::cast<mp::cpp_rational>(a))).max_rel_error <= tol);
  // evaluate and divmod through exact references
  const auto values = pb::evaluate(a, T(0.375));
  const auto exact_values = pb::evaluate(pb::eval(pb::cast<mp::cpp_rational>(a)), mp::cpp_rational(3, 8));
  for (std::size_t i = 0; i < 40; ++i) {
    const mp::cpp_rational got = pb::eval(pb::cast<mp::cpp_rational>(pb::PolyBatch<T>{{values(i)}}))(0, 0);
    CHECK(abs(got - exact_values(i)) <= mp::cpp_rational(1, 1) / mp::cpp_rational(mp::cpp_int(1) << 100));
  }
  auto d = b;
  for (std::size_t i = 0; i < 40; ++i) d(i, 2) = T(1) + T(double(i)) / T(64);
  const auto [q, rem] = pb::divmod(a, d);
  CHECK(pb::verify(pb::truncate(q * d + rem, 6) - a).max_abs_error <= 1e-27);
}

TEST_CASE("mpfr_float: results carry the operands' precision and are accurate", "[algebra][extended]") {
  using T = mp::mpfr_float;
  const unsigned saved = T::default_precision();
  T::default_precision(20); // a thread default much lower than the operands'
  T prototype;
  prototype.precision(100);
  prototype = 0;
  std::mt19937_64 rng(32);
  const auto a = dyadic<T>(rng, 12, 5, prototype);
  const auto b = dyadic<T>(rng, 12, 3, prototype);
  REQUIRE(a(0, 0).precision() == 100);

  const pb::PolyBatch<T> p = pb::pow(a, 5);
  const pb::PolyBatch<T> c = pb::truncate(pb::compose(a, b), 7);
  const pb::PolyBatch<T> i3 = pb::integral(pb::derivative(a) * b);
  CHECK(p(3, 10).precision() == 100);
  CHECK(c(5, 6).precision() == 100);
  CHECK(i3(7, 2).precision() == 100);
  CHECK(pb::verify(pb::pow(a, 5)).max_rel_error <= 1e-95);
  CHECK(pb::verify(pb::integral(pb::derivative(a) * b)).max_rel_error <= 1e-95);

  xt::xtensor<T, 1> x = xt::xtensor<T, 1>::from_shape({12});
  for (std::size_t i = 0; i < 12; ++i) {
    x(i).precision(100);
    x(i) = T(1) / T(3);
  }
  const auto values = pb::evaluate(a, x);
  CHECK(values(4).precision() == 100);
  auto d = b;
  for (std::size_t i = 0; i < 12; ++i) d(i, 2) = T(3);
  const auto [q, rem] = pb::divmod(a, d);
  CHECK(q(2, 1).precision() == 100);
  CHECK(pb::verify(pb::truncate(q * d + rem, 5) - a).max_abs_error <= 1e-95);

  // gcd, resultant and discriminant: exact results rounded once at the
  // operands' precision. gcd(3x^2 - 7x + 2, 3x - 1) = x - 1/3.
  pb::PolyBatch<T> f(1, 3), h(1, 2), k(1, 2);
  for (auto [target, value] : {std::pair{&f(0, 0), 2},
                               {&f(0, 1), -7},
                               {&f(0, 2), 3},
                               {&h(0, 0), -1},
                               {&h(0, 1), 3},
                               {&k(0, 0), 1},
                               {&k(0, 1), 3}}) {
    *target = prototype;
    *target = value;
  }
  const pb::PolyBatch<T> g = pb::gcd(f, h);
  REQUIRE(g.length() == 2);
  CHECK(g(0, 0).precision() == 100);
  T third = prototype;
  third = 1;
  third /= 3;
  CHECK(g(0, 0) == -third); // the nearest 100-digit value to -1/3
  CHECK(g(0, 1) == 1);
  // res(3x^2 - 7x + 2, 3x + 1) = 9 f(-1/3) = 9 (1/3 + 7/3 + 2) = 42; disc(f) = 49 - 24 = 25.
  const auto res = pb::resultant(f, k);
  CHECK(res(0).precision() == 100);
  CHECK(res(0) == 42);
  CHECK(pb::discriminant(f)(0).precision() == 100);
  CHECK(pb::discriminant(f)(0) == 25);
  pb::PolyBatch<T> quarter = f;
  for (std::size_t j = 0; j < 3; ++j) quarter(0, j) /= 4; // disc(f / 4) = disc(f) / 4^2
  CHECK(pb::discriminant(quarter)(0) == T(25) / 16);
  CHECK(pb::discriminant(quarter)(0).precision() == 100);
  T::default_precision(saved);
}

TEST_CASE("pb::verify sees through algebra nodes in double", "[algebra][extended]") {
  std::mt19937_64 rng(33);
  const auto a = dyadic<double>(rng, 100, 8, 0.0);
  const auto b = dyadic<double>(rng, 100, 4, 0.0);
  const auto report = pb::verify(pb::truncate(pb::compose(a, b), 10) + pb::pow(pb::derivative(a), 3));
  CHECK(report.max_rel_error < 1e-12);
  CHECK(report.batch_size == 100);
  // dyadic inputs: derivative and small powers are exact in double
  CHECK(pb::verify(pb::derivative(pb::pow(b, 2))).max_abs_error == 0.0);
}

TEST_CASE("double_double: algebra against naive loops in mpfr at 230 bits", "[algebra][extended][oracle]") {
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed << " (replay with POLYBATCH_TEST_SEED)");
  oracle::check_algebra(pb::double_double(0), 0x1p-104, 70, seed);
}

TEST_CASE("mpfr_float at 100 digits: algebra against naive loops in mpfr at 210 digits",
          "[algebra][extended][oracle]") {
  using T = mp::mpfr_float;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed << " (replay with POLYBATCH_TEST_SEED)");
  T prototype;
  prototype.precision(100);
  prototype = 0;
  oracle::check_algebra(prototype, 1e-99, 210, seed);
}
