// The scalar-constant rows a + s, s + a, a - s, s - a for every scalar family,
// against naive loops over p(i, k): on their own, fused into larger
// expressions, kept in `auto`, broadcast, truncated, assigned over their own
// operand (alias), evaluated into views; checked integers report overflow in
// the constant term and in the negated coefficients of s - a; a scalar the
// coefficient type cannot hold is a domain_error, a string or an xtensor is
// not an operand at all.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#if defined(POLYBATCH_TEST_HAS_MPFR)
#include <boost/multiprecision/mpfr.hpp>
#endif

#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"

namespace pb = polybatch;
namespace mp = boost::multiprecision;

namespace {

enum class form { a_plus_s, s_plus_a, a_minus_s, s_minus_a };

/// Dyadic values k / 64, |k| <= 64 (exact in every binary type, so sums and
/// small products are exact and the references compare with ==); integers
/// get k itself.
template <class T>
T random_value(std::mt19937_64& rng) {
  const int k = std::uniform_int_distribution<int>(-64, 64)(rng);
  if constexpr (std::numeric_limits<T>::is_integer) {
    return T(k);
  } else {
    T v = T(k);
    v /= T(64);
    return v;
  }
}

template <class T>
pb::PolyBatch<T> random_batch(std::mt19937_64& rng, std::size_t batch, std::size_t length) {
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k) p(i, k) = random_value<T>(rng);
  return p;
}

/// The naive reference, written from the contract's sentence: s added to
/// (subtracted from) the constant term, every other coefficient a's (or -a's).
template <class T, class P>
std::vector<std::vector<T>> reference(const P& a, const T& s, form f, std::size_t batch) {
  std::vector<std::vector<T>> out(batch, std::vector<T>(a.length()));
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < a.length(); ++k) {
      const T x = a(a.batch_size() == 1 ? 0 : i, k);
      T v = f == form::s_minus_a ? T(-x) : x;
      if (k == 0) {
        if (f == form::a_minus_s)
          v = T(x - s);
        else if (f == form::s_minus_a)
          v = T(s - x);
        else
          v = T(x + s);
      }
      out[i][k] = v;
    }
  return out;
}

template <class T, class P>
bool equals(const P& got, const std::vector<std::vector<T>>& want) {
  if (got.batch_size() != want.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (got.length() != want[i].size()) return false;
    for (std::size_t k = 0; k < want[i].size(); ++k)
      if (!(got(i, k) == want[i][k])) return false;
  }
  return true;
}

template <class T, class P>
pb::PolyBatch<T> apply(const P& a, const T& s, form f) {
  switch (f) {
  case form::a_plus_s:
    return a + s;
  case form::s_plus_a:
    return s + a;
  case form::a_minus_s:
    return a - s;
  default:
    return s - a;
  }
}

} // namespace

#if defined(POLYBATCH_TEST_SANITIZER_BUILD)
#define POLYBATCH_CONSTANT_TYPES float, double, std::int64_t, mp::cpp_rational
#else
#define POLYBATCH_CONSTANT_TYPES                                                                                       \
  float, double, long double, std::int32_t, std::int64_t, mp::cpp_int, mp::cpp_rational, pb::double_double,            \
      mp::cpp_bin_float_quad
#endif

TEMPLATE_TEST_CASE("a + s, s + a, a - s, s - a match the naive loops", "[scalar_constant]", POLYBATCH_CONSTANT_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed << " (replay with POLYBATCH_TEST_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);
  for (std::size_t batch : {std::size_t(1), std::size_t(3), std::size_t(100), std::size_t(1000)})
    for (std::size_t length = 1; length <= 6; ++length) {
      INFO("B=" << batch << " L=" << length);
      const auto a = random_batch<T>(rng, batch, length);
      const T s = random_value<T>(rng);
      for (form f : {form::a_plus_s, form::s_plus_a, form::a_minus_s, form::s_minus_a}) {
        INFO("form " << int(f));
        const pb::PolyBatch<T> r = apply(a, s, f);
        CHECK(r.batch_size() == batch);
        CHECK(r.length() == length);
        CHECK(equals(r, reference(a, s, f, batch)));
      }
      // Built-in scalars convert (exactly) to T, as scale factors do.
      CHECK(equals(pb::PolyBatch<T>(a + 3), reference(a, T(3), form::a_plus_s, batch)));
      CHECK(equals(pb::PolyBatch<T>(1 - a), reference(a, T(1), form::s_minus_a, batch)));
      CHECK(equals(pb::PolyBatch<T>(a - 2), reference(a, T(2), form::a_minus_s, batch)));
    }
}

TEMPLATE_TEST_CASE("scalar constants fuse with the other nodes, broadcast, truncate and live in auto",
                   "[scalar_constant]", POLYBATCH_CONSTANT_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const std::size_t B = 257;
  const auto a = random_batch<T>(rng, B, 4);
  const auto b = random_batch<T>(rng, B, 3);
  const auto one_row = random_batch<T>(rng, 1, 5);

  // 2 * a + 1: the reference scales by hand, then adds to the constant term.
  pb::PolyBatch<T> twice(B, 4);
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t k = 0; k < 4; ++k) twice(i, k) = T(T(2) * a(i, k));
  CHECK(equals(pb::PolyBatch<T>(2 * a + 1), reference(twice, T(1), form::a_plus_s, B)));

  // (a * b) - 3: the product by naive convolution.
  pb::PolyBatch<T> ab(B, 6);
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 3; ++k) ab(i, j + k) = T(ab(i, j + k) + T(a(i, j) * b(i, k)));
  CHECK(equals(pb::PolyBatch<T>((a * b) - 3), reference(ab, T(3), form::a_minus_s, B)));
  CHECK(equals(pb::PolyBatch<T>(T(5) - a * b), reference(ab, T(5), form::s_minus_a, B)));

  // A scalar-constant node as an operand of a product: (1 - a) * b.
  const auto one_minus_a = reference(a, T(1), form::s_minus_a, B);
  pb::PolyBatch<T> expected(B, 6);
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t j = 0; j < 4; ++j)
      for (std::size_t k = 0; k < 3; ++k) expected(i, j + k) = T(expected(i, j + k) + T(one_minus_a[i][j] * b(i, k)));
  CHECK(pb::PolyBatch<T>((1 - a) * b) == expected);

  // Broadcast: a batch of one plus a scalar, then against a batch of B.
  const pb::PolyBatch<T> shifted_row = one_row + 7;
  CHECK(shifted_row.batch_size() == 1);
  CHECK(equals(shifted_row, reference(one_row, T(7), form::a_plus_s, 1)));
  pb::PolyBatch<T> bsum(B, 5);
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t k = 0; k < 5; ++k) bsum(i, k) = T(shifted_row(0, k) + (k < 4 ? a(i, k) : T(0)));
  CHECK(pb::PolyBatch<T>((one_row + 7) + a) == bsum);

  // truncate asks for a prefix: the constant term is still shifted.
  const pb::PolyBatch<T> head = pb::truncate(a - 4, 2);
  REQUIRE(head.length() == 2);
  for (std::size_t i = 0; i < B; ++i) {
    CHECK(head(i, 0) == T(a(i, 0) - T(4)));
    CHECK(head(i, 1) == a(i, 1));
  }

  // Kept in auto with an rvalue operand: the node owns it.
  auto make = [&] { return pb::PolyBatch<T>(a); };
  auto e = 1 - (make() + 2);
  const pb::PolyBatch<T> from_auto = e;
  for (std::size_t i = 0; i < B; ++i) {
    CHECK(from_auto(i, 0) == T(T(1) - T(a(i, 0) + T(2))));
    for (std::size_t k = 1; k < 4; ++k) CHECK(from_auto(i, k) == T(-a(i, k)));
  }
}

TEMPLATE_TEST_CASE("scalar constants are alias-safe", "[scalar_constant][alias]", float, double, std::int64_t,
                   mp::cpp_int, mp::cpp_rational) {
  using T = TestType;
  std::mt19937_64 rng(checks::test_seed());
  const std::size_t B = 300, L = 5;
  const auto original = random_batch<T>(rng, B, L);

  auto a = original;
  a = T(1) - a;
  CHECK(equals(a, reference(original, T(1), form::s_minus_a, B)));
  a = original;
  a = a + 2;
  CHECK(equals(a, reference(original, T(2), form::a_plus_s, B)));
  a = original;
  a += a - 3; // a + (a - 3)
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t k = 0; k < L; ++k)
      CHECK(a(i, k) == T(original(i, k) + (k == 0 ? T(original(i, k) - T(3)) : original(i, k))));

  // Views over one buffer: in place, and shifted by a row (needs a temporary).
  std::vector<T> memory(B * L);
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t k = 0; k < L; ++k) memory[i * L + k] = original(i, k);
  auto whole = pb::adapt(memory.data(), B, L);
  whole = 4 - whole;
  CHECK(equals(whole, reference(original, T(4), form::s_minus_a, B)));
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t k = 0; k < L; ++k) memory[i * L + k] = original(i, k);
  auto upper = pb::adapt(memory.data() + L, B - 1, L);
  const auto lower = pb::adapt(static_cast<const T*>(memory.data()), B - 1, L);
  upper = lower + 1;
  for (std::size_t i = 1; i < B; ++i) {
    CHECK(memory[i * L] == T(original(i - 1, 0) + T(1)));
    for (std::size_t k = 1; k < L; ++k) CHECK(memory[i * L + k] == original(i - 1, k));
  }
}

TEST_CASE("scalar constants on non-dyadic doubles: one IEEE operation per constant term", "[scalar_constant]") {
  std::mt19937_64 rng(checks::test_seed());
  std::uniform_real_distribution<double> u(-1e3, 1e3);
  pb::PolyBatch<double> a(513, 3);
  for (std::size_t i = 0; i < 513; ++i)
    for (std::size_t k = 0; k < 3; ++k) a(i, k) = u(rng);
  const double s = u(rng);
  const pb::PolyBatch<double> r = s - 0.5 * a;
  for (std::size_t i = 0; i < 513; ++i) {
    CHECK(r(i, 0) == s - 0.5 * a(i, 0));
    CHECK(r(i, 2) == -(0.5 * a(i, 2)));
  }
}

TEST_CASE("checked integers: overflow in the constant term or a negated coefficient", "[scalar_constant][overflow]") {
  using I = std::int64_t;
  constexpr I max = std::numeric_limits<I>::max();
  constexpr I min = std::numeric_limits<I>::min();
  pb::PolyBatch<I> a{{0, 1}, {max, 2}};
  CHECK_THROWS_AS(pb::eval(a + 1), pb::overflow_error);
  CHECK_THROWS_WITH(pb::eval(a + 1), Catch::Contains("a + s") && Catch::Contains("row 1, coefficient 0"));
  CHECK_THROWS_AS(pb::eval(1 + a), pb::overflow_error);
  pb::PolyBatch<I> m{{min, 0}, {5, 6}};
  CHECK_THROWS_AS(pb::eval(m - 1), pb::overflow_error);
  CHECK_THROWS_WITH(pb::eval(m - 1), Catch::Contains("a - s") && Catch::Contains("row 0, coefficient 0"));
  // s - x0 is one subtraction: -1 - min = max fits, although -min does not.
  const pb::PolyBatch<I> fits = I(-1) - m;
  CHECK(fits(0, 0) == max);
  CHECK(fits(1, 1) == -6);
  CHECK_THROWS_AS(pb::eval(0 - m), pb::overflow_error);
  CHECK_THROWS_WITH(pb::eval(0 - m), Catch::Contains("s - a") && Catch::Contains("row 0, coefficient 0"));
  pb::PolyBatch<I> high{{0, 0}, {0, min}};
  CHECK_THROWS_AS(pb::eval(3 - high), pb::overflow_error);
  CHECK_THROWS_WITH(pb::eval(3 - high), Catch::Contains("row 1, coefficient 1"));
  // The same data in cpp_int is exact.
  const pb::PolyBatch<mp::cpp_int> big = mp::cpp_int(0) - pb::eval(pb::cast<mp::cpp_int>(high));
  CHECK(big(1, 1) == -mp::cpp_int(min));
}

TEST_CASE("a scalar the coefficient type cannot hold exactly is a domain_error", "[scalar_constant][errors]") {
  pb::PolyBatch<float> f{{1, 2}};
  CHECK_THROWS_AS(f + 0.1, pb::domain_error);
  CHECK_THROWS_WITH(f + 0.1, Catch::Contains("a + s") && Catch::Contains("not exactly representable"));
  // The value with the digits that tell it apart (not std::to_string's
  // 0.000000), and the operation that refused it.
  CHECK_THROWS_WITH(1e-10 * f, Catch::Contains("s * a: the scale factor 1e-10 "));
  CHECK_THROWS_WITH(pb::evaluate(f, 0.1),
                    Catch::Contains("pb::evaluate(a, x): the point 0.10000000000000001 is not exactly representable"));
  CHECK_THROWS_AS(0.1 - f, pb::domain_error);
  CHECK(pb::PolyBatch<float>(f + 0.5)(0, 0) == 1.5f);
  pb::PolyBatch<std::int32_t> i{{1, 2}};
  CHECK_THROWS_AS(i - 0.5, pb::domain_error);
  CHECK_THROWS_WITH(i - 0.5, Catch::Contains("a - s"));
  CHECK_THROWS_AS(i + (std::int64_t(1) << 40), pb::domain_error);
  CHECK(pb::PolyBatch<std::int32_t>(i + 2.0)(0, 0) == 3);
}

// The misuses that must not compile (tests/compile_fail/ checks the messages).
template <class A, class B>
concept Addable = requires(A a, B b) {
  a + b;
};
template <class A, class B>
concept Subtractable = requires(A a, B b) {
  a - b;
};
static_assert(Addable<const pb::PolyBatch<double>&, double>);
static_assert(Addable<int, const pb::PolyBatch<std::int64_t>&>);
static_assert(Subtractable<int, const pb::PolyBatch<mp::cpp_rational>&>);
static_assert(!Addable<const pb::PolyBatch<double>&, const char*>);
static_assert(!Subtractable<std::string, const pb::PolyBatch<double>&>);
static_assert(!Addable<const pb::PolyBatch<double>&, const xt::xtensor<double, 2>&>);
static_assert(!Subtractable<const xt::xtensor<double, 2>&, const pb::PolyBatch<double>&>);
static_assert(!Addable<const pb::PolyBatch<double>&, float*>);

#if defined(POLYBATCH_TEST_HAS_MPFR)
TEST_CASE("mpfr_float: the constant term keeps the operand's precision", "[scalar_constant][mpfr]") {
  using T = mp::mpfr_float;
  const unsigned digits = 100;
  pb::PolyBatch<T> a(3, 2);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t k = 0; k < 2; ++k) {
      T v(0, digits);
      v = 1;
      v /= 3; // 1/3 to 100 digits
      a(i, k) = v;
    }
  const T s(1);
  const pb::PolyBatch<T> r = s - a * a;
  T exact(0, digits);
  exact = 8;
  exact /= 9; // 1 - 1/9
  for (std::size_t i = 0; i < 3; ++i) CHECK(abs(T(r(i, 0) - exact)) < T(1e-95));
  for (std::size_t i = 0; i < 3; ++i) CHECK(r(i, 0).precision() >= digits);
  pb::PolyBatch<mp::mpfr_float_50> fifty(1, 2);
  fifty(0, 0) = mp::mpfr_float_50(0.25);
  CHECK(pb::PolyBatch<mp::mpfr_float_50>(1 - fifty)(0, 0) == mp::mpfr_float_50(0.75));
}
#endif
