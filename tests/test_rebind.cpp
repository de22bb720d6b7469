// pb::rebind<U>(e) against independent references: exact rational products of
// the doubles computed by naive loops on leaves converted by hand (frexp, not
// the library's conversion), float and double-double trees against naive
// loops and exact bounds, integer trees that overflow in int64 but not in
// cpp_int; plus the difference from pb::cast, laziness, `auto`, aliasing,
// dropped casts, thread counts and pb::verify on a rebound tree.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>
#if defined(POLYBATCH_TEST_HAS_MPFR)
#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>
#endif

#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"

namespace pb = polybatch;
namespace mp = boost::multiprecision;
using rational = mp::cpp_rational;

namespace {

/// A finite double as an exact rational, by hand: x = m * 2^(e - 53) with an
/// integer m of at most 53 bits.
rational exact(double x) {
  if (x == 0) return rational(0);
  int e = 0;
  const double m = std::frexp(x, &e); // x = m * 2^e, 0.5 <= |m| < 1
  const auto mantissa = static_cast<std::int64_t>(std::ldexp(m, 53));
  rational r{mp::cpp_int(mantissa)};
  const int shift = e - 53;
  if (shift >= 0)
    r *= rational(mp::cpp_int(1) << shift);
  else
    r /= rational(mp::cpp_int(1) << -shift);
  return r;
}

rational exact(float x) { return exact(static_cast<double>(x)); }
rational exact(const pb::double_double& x) { return exact(x.hi) + exact(x.lo); }

/// Random doubles with full 53-bit mantissas, so products round in double.
pb::PolyBatch<double> random_doubles(std::mt19937_64& rng, std::size_t batch, std::size_t length) {
  std::uniform_real_distribution<double> u(-2, 2);
  pb::PolyBatch<double> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k) p(i, k) = u(rng);
  return p;
}

using Rows = std::vector<std::vector<rational>>;

template <class P, class F>
Rows exact_rows(const P& p, F convert) {
  Rows out(p.batch_size(), std::vector<rational>(p.length()));
  for (std::size_t i = 0; i < p.batch_size(); ++i)
    for (std::size_t k = 0; k < p.length(); ++k) out[i][k] = convert(p(i, k));
  return out;
}

Rows exact_rows(const pb::PolyBatch<double>& p) {
  return exact_rows(p, [](double x) { return exact(x); });
}

Rows convolve(const Rows& a, const Rows& b) {
  Rows out(a.size(), std::vector<rational>(a[0].size() + b[0].size() - 1, rational(0)));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].size(); ++j)
      for (std::size_t k = 0; k < b[i].size(); ++k) out[i][j + k] += a[i][j] * b[i][k];
  return out;
}

template <class P>
bool equals(const P& got, const Rows& want) {
  if (got.batch_size() != want.size() || got.length() != want[0].size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i)
    for (std::size_t k = 0; k < want[i].size(); ++k)
      if (got(i, k) != want[i][k]) return false;
  return true;
}

} // namespace

TEST_CASE("rebind<cpp_rational>(d * d) is the exact product of the doubles", "[rebind][exact]") {
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const auto a = random_doubles(rng, 300, 4);
  const auto b = random_doubles(rng, 300, 3);
  const Rows want = convolve(exact_rows(a), exact_rows(b));

  const pb::PolyBatch<rational> rebound = pb::rebind<rational>(a * b);
  CHECK(equals(rebound, want));

  // cast converts the rounded double product: on this data it differs.
  const pb::PolyBatch<rational> casted = pb::cast<rational>(a * b);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < 300; ++i)
    for (std::size_t k = 0; k < 6; ++k) differ += casted(i, k) != want[i][k];
  CHECK(differ > 300); // a double product of full-mantissa values almost always rounds
  CHECK(rebound != casted);
}

TEST_CASE("rebind fuses a whole tree: (a*b)*c + 2*a - 1.5 exactly", "[rebind][exact]") {
  std::mt19937_64 rng(checks::test_seed());
  const auto a = random_doubles(rng, 200, 3);
  const auto b = random_doubles(rng, 200, 2);
  const auto c = random_doubles(rng, 1, 3); // broadcast
  Rows want = convolve(convolve(exact_rows(a), exact_rows(b)), Rows(200, exact_rows(c)[0]));
  const Rows ra = exact_rows(a);
  for (std::size_t i = 0; i < 200; ++i) {
    for (std::size_t k = 0; k < 3; ++k) want[i][k] += 2 * ra[i][k];
    want[i][0] -= rational(3, 2);
  }
  const pb::PolyBatch<rational> got = pb::rebind<rational>((a * b) * c + 2 * a - 1.5);
  CHECK(equals(got, want));
  // Every node kind the rebinder knows, against the same tree built from
  // exactly converted leaves by hand.
  pb::PolyBatch<rational> ea(200, 3), eb(200, 2);
  for (std::size_t i = 0; i < 200; ++i) {
    for (std::size_t k = 0; k < 3; ++k) ea(i, k) = exact(a(i, k));
    for (std::size_t k = 0; k < 2; ++k) eb(i, k) = exact(b(i, k));
  }
  const pb::PolyBatch<rational> hand =
      pb::truncate(pb::compose(pb::pow(ea, 2), eb) - pb::derivative(pb::integral(-ea)) + 0.25 * eb, 4);
  const pb::PolyBatch<rational> rebound = pb::rebind<rational>(
      pb::truncate(pb::compose(pb::pow(a, 2), b) - pb::derivative(pb::integral(-a)) + 0.25 * b, 4));
  CHECK(rebound == hand);
}

TEST_CASE("rebind<float> rounds the leaves, then computes in float", "[rebind][float]") {
  std::mt19937_64 rng(checks::test_seed());
  const auto a = random_doubles(rng, 500, 5);
  const auto b = random_doubles(rng, 500, 4);
  pb::PolyBatch<float> fa(500, 5), fb(500, 4);
  for (std::size_t i = 0; i < 500; ++i) {
    for (std::size_t k = 0; k < 5; ++k) fa(i, k) = static_cast<float>(a(i, k));
    for (std::size_t k = 0; k < 4; ++k) fb(i, k) = static_cast<float>(b(i, k));
  }
  const pb::PolyBatch<float> got = pb::rebind<float>(a * b + 1.0);
  // The same float kernels on the hand-converted leaves: bit for bit.
  CHECK(got == pb::PolyBatch<float>(fa * fb + 1.0f));
  // And within float rounding of the exact product of the float leaves.
  const Rows want =
      convolve(exact_rows(fa, [](float x) { return exact(x); }), exact_rows(fb, [](float x) { return exact(x); }));
  for (std::size_t i = 0; i < 500; ++i)
    for (std::size_t k = 0; k < 8; ++k) {
      rational magnitude = 0;
      for (std::size_t j = 0; j < 5; ++j)
        if (k >= j && k - j < 4) magnitude += abs(exact(fa(i, j)) * exact(fb(i, k - j)));
      const rational w = want[i][k] + (k == 0 ? 1 : 0);
      CHECK(abs(exact(got(i, k)) - w) <= (magnitude + 1) * rational(8, 1 << 24));
    }
}

TEST_CASE("rebind<pb::dd>(d * d) carries the exact product of short rows", "[rebind][dd]") {
  std::mt19937_64 rng(checks::test_seed());
  const auto a = random_doubles(rng, 400, 2);
  const auto b = random_doubles(rng, 400, 2);
  const pb::PolyBatch<pb::double_double> got = pb::rebind<pb::double_double>(a * b);
  const Rows want = convolve(exact_rows(a), exact_rows(b));
  const rational tiny = rational(1) / rational(mp::cpp_int(1) << 100);
  for (std::size_t i = 0; i < 400; ++i)
    for (std::size_t k = 0; k < 3; ++k) CHECK(abs(exact(got(i, k)) - want[i][k]) <= 16 * tiny);
  // In double the same products round far beyond that.
  const pb::PolyBatch<double> plain = a * b;
  std::size_t rounded = 0;
  for (std::size_t i = 0; i < 400; ++i) rounded += abs(exact(plain(i, 0)) - want[i][0]) > 16 * tiny;
  CHECK(rounded > 200);
}

TEST_CASE("rebind<cpp_int>: an int64 tree that overflows is exact in cpp_int", "[rebind][integer]") {
  using I = std::int64_t;
  const I big = I(1) << 40;
  pb::PolyBatch<I> a{{big, 3, -big}, {1, 2, 3}};
  CHECK_THROWS_AS(pb::eval(a * a), pb::overflow_error);
  const pb::PolyBatch<mp::cpp_int> got = pb::rebind<mp::cpp_int>(a * a - 1);
  std::vector<std::vector<mp::cpp_int>> want(2, std::vector<mp::cpp_int>(5, 0));
  for (std::size_t i = 0; i < 2; ++i) {
    for (std::size_t j = 0; j < 3; ++j)
      for (std::size_t k = 0; k < 3; ++k) want[i][j + k] += mp::cpp_int(a(i, j)) * mp::cpp_int(a(i, k));
    want[i][0] -= 1;
  }
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t k = 0; k < 5; ++k) CHECK(got(i, k) == want[i][k]);
  // A fractional leaf has no integer image: cast's rule.
  pb::PolyBatch<double> half{{0.5}};
  CHECK_THROWS_AS(pb::eval(pb::rebind<mp::cpp_int>(half * half)), pb::domain_error);
}

TEST_CASE("a refused conversion names the value with its own digits, in every scalar type", "[rebind][cast][errors]") {
#if defined(POLYBATCH_TEST_HAS_MPFR)
  // A variable-precision MPFR type reports INT_MAX as max_digits10: as a
  // stream precision it asked GMP for billions of digits.
  struct restore {
    unsigned saved = mp::mpfr_float::default_precision();
    ~restore() { mp::mpfr_float::default_precision(saved); }
  } restore_precision;
  mp::mpfr_float::default_precision(40);
  pb::PolyBatch<mp::mpfr_float> m(1, 2);
  m(0, 0) = mp::mpfr_float(1) / 4;
  m(0, 1) = 1;
  CHECK_THROWS_WITH(pb::eval(pb::cast<mp::cpp_int>(m)),
                    Catch::Contains("converting 2.5") &&
                        Catch::Contains("e-01 to an integer type: it is not an integer"));
  CHECK_THROWS_WITH(pb::eval(pb::rebind<mp::mpz_int>(m * m)), Catch::Contains("converting 2.5"));
#endif
  pb::PolyBatch<double> tiny{{1e-10, 2.0}};
  CHECK_THROWS_WITH(pb::eval(pb::cast<mp::cpp_int>(tiny)), Catch::Contains("converting 1e-10 to an integer type"));
  pb::PolyBatch<pb::dd> third{{pb::dd(1) / 3}};
  CHECK_THROWS_WITH(pb::eval(pb::cast<mp::cpp_int>(third)),
                    Catch::Contains("converting 3.3333333333333333333333333333333") &&
                        Catch::Contains("e-01 to an integer type"));
}

TEST_CASE("rebind is lazy, safe in auto, alias-safe, drops casts, thread-independent", "[rebind]") {
  std::mt19937_64 rng(checks::test_seed());
  auto a = random_doubles(rng, 64, 3);
  const auto b = random_doubles(rng, 64, 2);

  // Lazy: the leaves are read when the expression is assigned.
  auto e = pb::rebind<rational>(a * b);
  a(5, 1) = 0.125;
  CHECK(equals(pb::eval(e), convolve(exact_rows(a), exact_rows(b))));

  // An rvalue operand is owned by the node.
  auto make = [&] { return pb::PolyBatch<double>(a); };
  auto owned = pb::rebind<rational>(make() * b);
  CHECK(equals(pb::eval(owned), convolve(exact_rows(a), exact_rows(b))));

  // Same-type rebind over its own destination: a = rebind<double>(a * a). Its shape
  // differs from a's, so it always lands in new storage; the cases that
  // overlap with the same shape (and would fail if computed naively in
  // place) are in test_alias.cpp, [alias][rebind].
  const pb::PolyBatch<double> before = a;
  const pb::PolyBatch<double> square = before * before;
  a = pb::rebind<double>(a * a);
  CHECK(a == square);
  auto view_memory = std::vector<double>(before.data(), before.data() + 64 * 3);
  auto view = pb::adapt(view_memory.data(), 64, 3);
  view = pb::rebind<double>(1.0 - view);
  for (std::size_t i = 0; i < 64; ++i) CHECK(view(i, 0) == 1.0 - before(i, 0));

  // Casts inside are dropped: the tree computes the mathematical value.
  pb::PolyBatch<float> f(64, 2);
  for (std::size_t i = 0; i < 64; ++i)
    for (std::size_t k = 0; k < 2; ++k) f(i, k) = static_cast<float>(b(i, k));
  const pb::PolyBatch<rational> dropped = pb::rebind<rational>(pb::cast<float>(before) * f);
  CHECK(equals(dropped, convolve(exact_rows(before), exact_rows(f, [](float x) { return exact(x); }))));

  // Thread count does not change an exact result.
  const auto big_a = random_doubles(rng, 3000, 3);
  const auto big_b = random_doubles(rng, 3000, 3);
  const std::size_t saved = pb::num_threads();
  pb::set_num_threads(1);
  const pb::PolyBatch<rational> one = pb::rebind<rational>(big_a * big_b);
  pb::set_num_threads(2);
  const pb::PolyBatch<rational> two = pb::rebind<rational>(big_a * big_b);
  pb::set_num_threads(saved);
  CHECK(one == two);
  CHECK(equals(two, convolve(exact_rows(big_a), exact_rows(big_b))));

  // verify measures the rebound float tree against the exact doubles. On positive data nothing cancels, so
  // each coefficient's relative error is bounded by (rounded leaves + product + sums) <= 5 float ulps;
  // signed data could cancel and make any fixed relative bound flaky.
  pb::PolyBatch<double> positive_a = before, positive_b = b;
  for (std::size_t i = 0; i < 64; ++i) {
    for (std::size_t k = 0; k < 3; ++k) positive_a(i, k) = std::abs(before(i, k));
    for (std::size_t k = 0; k < 2; ++k) positive_b(i, k) = std::abs(b(i, k));
  }
  const auto report = pb::verify(pb::rebind<float>(positive_a * positive_b));
  CHECK(report.max_rel_error > 0);
  CHECK(report.max_rel_error < 5 * std::numeric_limits<float>::epsilon());
}

#if defined(POLYBATCH_TEST_HAS_MPFR)
TEST_CASE("rebind<mpfr_float_50>(d * d) agrees with the exact product to 50 digits", "[rebind][mpfr]") {
  using M = mp::mpfr_float_50;
  std::mt19937_64 rng(checks::test_seed());
  const auto a = random_doubles(rng, 50, 4);
  const auto b = random_doubles(rng, 50, 4);
  const pb::PolyBatch<M> got = pb::rebind<M>(a * b + 2.0);
  const Rows want = convolve(exact_rows(a), exact_rows(b));
  for (std::size_t i = 0; i < 50; ++i)
    for (std::size_t k = 0; k < 7; ++k) {
      // The exact value rounded to 50 digits through its integer parts.
      const M w = M(mp::numerator(want[i][k]).str()) / M(mp::denominator(want[i][k]).str()) + (k == 0 ? M(2) : M(0));
      CHECK(abs(M(got(i, k) - w)) <= M(1e-45));
    }
}
#endif

#if defined(POLYBATCH_TEST_HAS_MPFR)
TEST_CASE("rebind<mpfr_float>: leaves and scalars take the default precision in effect at each call",
          "[rebind][mpfr]") {
  // docs/exact.md: "For mpfr_float the converted leaves take the current
  // default precision, as with pb::cast"; a product coefficient takes the
  // largest precision of its operands and is the exact sum rounded once.
  using M = mp::mpfr_float;
  struct PrecisionGuard {
    unsigned saved = M::default_precision();
    std::size_t threads = pb::num_threads();
    ~PrecisionGuard() {
      M::default_precision(saved);
      pb::set_num_threads(threads);
    }
  } guard;
  pb::set_num_threads(2);
  std::mt19937_64 rng(checks::test_seed());
  const std::size_t B = 12000; // 12,000 x 7 result coefficients: split between two threads
  const auto a = random_doubles(rng, B, 4);
  const auto b = random_doubles(rng, B, 4);
  const double shift = 0.1; // not representable in 10 digits

  // The expected coefficients at `digits`: leaves (and the shift) rounded to
  // `digits`, the products summed exactly at 200 digits, rounded once; the
  // shift added in a second rounding at `digits`.
  const auto expected = [&](unsigned digits, std::size_t i, std::size_t k) {
    M::default_precision(digits);
    std::vector<M> ra(4), rb(4);
    for (std::size_t j = 0; j < 4; ++j) ra[j] = M(a(i, j)), rb[j] = M(b(i, j));
    const M s(shift);
    M::default_precision(200);
    M sum(0, 200);
    for (std::size_t j = 0; j < 4; ++j)
      if (k >= j && k - j < 4) sum += M(ra[j], 200) * M(rb[k - j], 200);
    const M product(sum, digits); // one rounding to `digits`
    M::default_precision(digits);
    return k == 0 ? M(product + s, digits) : product;
  };

  M::default_precision(10);
  const unsigned p10 = M(1).precision();
  pb::PolyBatch<M> r = pb::rebind<M>(a * b + shift);
  M::default_precision(100);
  const unsigned p100 = M(1).precision();
  REQUIRE(p100 > p10);
  // Rows of both threads' halves, and every coefficient of them.
  for (std::size_t i = 0; i < B; i += 997)
    for (std::size_t k = 0; k < 7; ++k) {
      INFO("row " << i << ", coefficient " << k);
      REQUIRE(r(i, k).precision() == p10);
      const M want = expected(10, i, k);
      CHECK(r(i, k) == want);
    }
  CHECK(r(B - 1, 6).precision() == p10);

  // A second call at 100 digits, into the same container (holding 10-digit
  // values) and into a fresh one: the precision of this call, not the last.
  M::default_precision(100);
  r = pb::rebind<M>(a * b + shift);
  M::default_precision(100);
  const pb::PolyBatch<M> fresh = pb::rebind<M>(a * b + shift);
  for (std::size_t i = 0; i < B; i += 997)
    for (std::size_t k = 0; k < 7; ++k) {
      INFO("row " << i << ", coefficient " << k);
      REQUIRE(r(i, k).precision() == p100);
      REQUIRE(fresh(i, k).precision() == p100);
      const M want = expected(100, i, k); // exact: 100 digits hold every product and sum
      CHECK(r(i, k) == want);
      CHECK(fresh(i, k) == want);
    }
  // Back to 10 digits: the 100-digit call left nothing behind.
  M::default_precision(10);
  r = pb::rebind<M>(a * b + shift);
  CHECK(r(0, 0).precision() == p10);
  CHECK(r(B - 1, 3).precision() == p10);
  CHECK(r(B - 1, 3) == expected(10, B - 1, 3));
}
#endif

TEST_CASE("cast and rebind round once to the nearest value: dd to float, mpz_int to double", "[rebind][cast]") {
  // dd: rounding hi + lo to double first lands on a float midpoint when hi is
  // one, and ties-to-even then ignores lo's side.
  struct dd_case {
    double hi, lo;
    float want;
  };
  const float one_up = std::nextafter(1.0f, 2.0f), two_up = std::nextafter(one_up, 2.0f);
  const dd_case cases[] = {
      {1.0 + 0x1p-24, 0x1p-80, one_up},      // above the midpoint of 1 and 1 + 2^-23
      {1.0 + 0x1p-24, -0x1p-80, 1.0f},       // below it
      {1.0 + 0x1p-24, 0.0, 1.0f},            // on it: to even
      {1.0 + 3 * 0x1p-24, -0x1p-80, one_up}, // below the midpoint that rounds up to even
      {1.0 + 3 * 0x1p-24, 0x1p-80, two_up},
      {-(1.0 + 0x1p-24), -0x1p-80, -one_up},
      {1.0 + 0x1p-30, -0x1p-80, 1.0f}, // not a midpoint: lo cannot matter
  };
  for (const dd_case& c : cases) {
    pb::PolyBatch<pb::dd> x(1, 1);
    x.data()[0] = pb::dd::from_parts(c.hi, c.lo);
    INFO("hi " << c.hi << " lo " << c.lo);
    CHECK(pb::PolyBatch<float>(pb::cast<float>(x))(0, 0) == c.want);
    CHECK(pb::PolyBatch<float>(pb::rebind<float>(x))(0, 0) == c.want);
  }
#if defined(POLYBATCH_TEST_HAS_MPFR)
  // mpz_int: GMP's mpz_get_d truncates toward zero.
  using boost::multiprecision::mpz_int;
  pb::PolyBatch<mpz_int> z(1, 3);
  z(0, 0) = (mpz_int(1) << 60) + 255;  // nearer 2^60 + 256 than 2^60
  z(0, 1) = -((mpz_int(1) << 54) + 3); // halfway between 2^54 + 2 and + 4: to even (+ 4)
  z(0, 2) = (mpz_int(1) << 60) + 127;  // nearer 2^60
  const pb::PolyBatch<double> d = pb::cast<double>(z);
  CHECK(d(0, 0) == 0x1.0000000000001p+60);
  CHECK(d(0, 1) == -0x1.0000000000001p+54);
  CHECK(d(0, 2) == 0x1p+60);
#endif
}
