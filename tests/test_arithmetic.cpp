// Every foundation operator (a * b, a + b, a - b, -a, s * a, a * s, +=, -=,
// *=) against the naive loops of support/reference.hpp on fresh random data,
// plus broadcasting, nested and deep expressions, expressions kept in `auto`,
// evaluation into views, thread-count independence and scale-factor
// exactness. Integers compare exactly; floating point within a bound that
// scales with the magnitude of the terms (support/checks.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"
#include "support/reference.hpp"

namespace pb = polybatch;

#if defined(POLYBATCH_TEST_SANITIZER_BUILD)
// ASan/UBSan look for memory errors and undefined behaviour, which follow the
// code paths, not the scalar: one SIMD float, one double, one integer type
// cover them and keep the sanitizer build short.
#define POLYBATCH_MACHINE_TYPES float, double, std::int64_t
#else
#define POLYBATCH_MACHINE_TYPES float, double, long double, std::int32_t, std::int64_t
#endif

namespace {

template <class T>
T random_scalar(std::mt19937_64& rng) {
  if constexpr (std::is_floating_point_v<T>)
    return std::uniform_real_distribution<T>(T(-2), T(2))(rng);
  else
    return T(std::uniform_int_distribution<int>(-100, 100)(rng));
}

/// Restores the thread count a test changed.
struct ThreadCountGuard {
  std::size_t saved = pb::num_threads();
  ~ThreadCountGuard() { pb::set_num_threads(saved); }
};

} // namespace

TEMPLATE_TEST_CASE("every operator matches the naive reference, lengths 1..12, batches 1..1000", "[arithmetic]",
                   POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed << " (replay with POLYBATCH_TEST_SEED=" << seed << ")");
  std::mt19937_64 rng(seed);
  // Every (la, lb) pair in 1..12 x 1..12 meets a batch size from this list,
  // cycling so that every size meets many length pairs.
  const std::size_t batches[] = {1, 2, 3, 7, 64, 100, 333, 1000};
  std::size_t case_index = 0;
  for (std::size_t la = 1; la <= 12; ++la)
    for (std::size_t lb = 1; lb <= 12; ++lb) {
      const std::size_t batch = batches[case_index++ % std::size(batches)];
      INFO("B=" << batch << " la=" << la << " lb=" << lb);
      const auto a = ref::random_batch<T>(rng, batch, la);
      const auto b = ref::random_batch<T>(rng, batch, lb);
      const T s = random_scalar<T>(rng);
      const auto ra = checks::to_ref(a);
      const auto rb = checks::to_ref(b);
      const auto rs = checks::to_ref_scalar(s);
      const int ops = int(la + lb);

      CHECK_ROWS(pb::PolyBatch<T>(a * b), ref::product(ra, rb), ops);
      CHECK_ROWS(pb::PolyBatch<T>(b * a), ref::product(rb, ra), ops);
      CHECK_ROWS(pb::PolyBatch<T>(a + b), ref::sum(ra, rb), 1);
      CHECK_ROWS(pb::PolyBatch<T>(a - b), ref::difference(ra, rb), 1);
      CHECK_ROWS(pb::PolyBatch<T>(b - a), ref::difference(rb, ra), 1);
      CHECK_ROWS(pb::PolyBatch<T>(-a), ref::scale(checks::ref_scalar<T>(-1), ra), 1);
      CHECK_ROWS(pb::PolyBatch<T>(s * a), ref::scale(rs, ra), 1);
      CHECK_ROWS(pb::PolyBatch<T>(a * s), ref::scale(rs, ra), 1);
      CHECK_ROWS(pb::PolyBatch<T>(3 * b), ref::scale(checks::ref_scalar<T>(3), rb), 1);

      pb::PolyBatch<T> r = a;
      r += b;
      CHECK_ROWS(r, ref::sum(ra, rb), 1);
      r = a;
      r -= b;
      CHECK_ROWS(r, ref::difference(ra, rb), 1);
      r = a;
      r *= b;
      CHECK_ROWS(r, ref::product(ra, rb), ops);
      // Assignment over a batch of another shape reshapes it.
      r = a + b;
      CHECK_ROWS(r, ref::sum(ra, rb), 1);
    }
}

TEMPLATE_TEST_CASE("a batch of 1 broadcasts on either side", "[arithmetic][broadcast]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (const std::size_t batch : {std::size_t(1), std::size_t(5), std::size_t(1000)})
    for (const auto& [lo, lm] : {std::pair<std::size_t, std::size_t>{1, 1}, {3, 4}, {4, 3}, {12, 11}, {2, 12}}) {
      INFO("B=" << batch << " L(one)=" << lo << " L(many)=" << lm);
      const auto one = ref::random_batch<T>(rng, 1, lo);
      const auto one2 = ref::random_batch<T>(rng, 1, lm);
      const auto many = ref::random_batch<T>(rng, batch, lm);
      const auto ro = checks::to_ref(one);
      const auto ro2 = checks::to_ref(one2);
      const auto rm = checks::to_ref(many);
      const int ops = int(lo + lm);

      CHECK_ROWS(pb::PolyBatch<T>(one * many), ref::product(ro, rm), ops);
      CHECK_ROWS(pb::PolyBatch<T>(many * one), ref::product(rm, ro), ops);
      CHECK_ROWS(pb::PolyBatch<T>(one + many), ref::sum(ro, rm), 1);
      CHECK_ROWS(pb::PolyBatch<T>(many - one), ref::difference(rm, ro), 1);
      CHECK_ROWS(pb::PolyBatch<T>(one - many), ref::difference(ro, rm), 1);
      // Both sides a batch of one give a batch of one.
      const pb::PolyBatch<T> both = one * one2;
      CHECK(both.batch_size() == 1);
      CHECK_ROWS(both, ref::product(ro, ro2), ops);
      // An inner node with a batch of one is computed once and broadcast.
      CHECK_ROWS(pb::PolyBatch<T>((one * one2) * many), ref::product(ref::product(ro, ro2), rm), 3 * ops);
      CHECK_ROWS(pb::PolyBatch<T>(many + (-one)), ref::difference(rm, ro), 1);
      CHECK_ROWS(pb::PolyBatch<T>((one * one2) + many * one), ref::sum(ref::product(ro, ro2), ref::product(rm, ro)),
                 3 * ops);

      pb::PolyBatch<T> r = many;
      r += one;
      CHECK_ROWS(r, ref::sum(rm, ro), 1);
      r = many;
      r *= one;
      CHECK_ROWS(r, ref::product(rm, ro), ops);
      // A batch of one grows to B when the other side has B rows.
      r = one;
      r -= many;
      CHECK(r.batch_size() == batch);
      CHECK_ROWS(r, ref::difference(ro, rm), 1);
    }
}

TEMPLATE_TEST_CASE("nested and deep expressions, long rows", "[arithmetic][nested]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  // Small integer entries keep deep int32 products far from overflow.
  const std::int64_t bound = std::is_floating_point_v<T> ? 100 : 6;

  SECTION("(a*b)*c + 2*a over every length class") {
    for (const std::size_t length : {1, 2, 5, 9, 10, 12}) {
      const std::size_t batch = 1 + rng() % 700;
      INFO("B=" << batch << " L=" << length);
      const auto a = ref::random_batch<T>(rng, batch, length, bound);
      const auto b = ref::random_batch<T>(rng, batch, length + 1, bound);
      const auto c = ref::random_batch<T>(rng, batch, length, bound);
      const auto ra = checks::to_ref(a), rb = checks::to_ref(b), rc = checks::to_ref(c);
      const auto expected = ref::sum(ref::product(ref::product(ra, rb), rc), ref::scale(checks::ref_scalar<T>(2), ra));
      CHECK_ROWS(pb::PolyBatch<T>((a * b) * c + 2 * a), expected, int(6 * length + 4));
      CHECK_ROWS(pb::PolyBatch<T>(2 * a + (a * b) * c), expected, int(6 * length + 4));
      CHECK_ROWS(pb::PolyBatch<T>(a * (b * c)), ref::product(ra, ref::product(rb, rc)), int(6 * length + 4));
    }
  }
  SECTION("a deep tree mixing every node kind") {
    const std::size_t batch = 257;
    const auto a = ref::random_batch<T>(rng, batch, 3, bound);
    const auto b = ref::random_batch<T>(rng, batch, 4, bound);
    const auto c = ref::random_batch<T>(rng, 1, 2, bound);
    const auto d = ref::random_batch<T>(rng, batch, 5, bound);
    const auto e = ref::random_batch<T>(rng, batch, 2, bound);
    const auto ra = checks::to_ref(a), rb = checks::to_ref(b), rc = checks::to_ref(c), rd = checks::to_ref(d),
               re = checks::to_ref(e);
    using R = checks::ref_scalar<T>;
    // ((a*b - c) * (-d) + 3*(a+b)*c) * e - a*(b*(c*d))
    const auto lhs =
        ref::product(ref::sum(ref::product(ref::difference(ref::product(ra, rb), rc), ref::scale(R(-1), rd)),
                              ref::product(ref::scale(R(3), ref::sum(ra, rb)), rc)),
                     re);
    const auto expected = ref::difference(lhs, ref::product(ra, ref::product(rb, ref::product(rc, rd))));
    const pb::PolyBatch<T> got = ((a * b - c) * (-d) + 3 * (a + b) * c) * e - a * (b * (c * d));
    CHECK_ROWS(got, expected, 64);
  }
  SECTION("rows longer than the unrolled kernels (generic kernel)") {
    for (const auto& [la, lb] : {std::pair<std::size_t, std::size_t>{10, 10}, {15, 20}, {4, 13}, {31, 1}, {1, 17}}) {
      const std::size_t batch = 1 + rng() % 300;
      INFO("B=" << batch << " la=" << la << " lb=" << lb);
      const auto a = ref::random_batch<T>(rng, batch, la, bound);
      const auto b = ref::random_batch<T>(rng, batch, lb, bound);
      const auto c = ref::random_batch<T>(rng, batch, 3, bound);
      const auto ra = checks::to_ref(a), rb = checks::to_ref(b), rc = checks::to_ref(c);
      const int ops = int(2 * (la + lb) + 6);
      CHECK_ROWS(pb::PolyBatch<T>(a * b), ref::product(ra, rb), ops);
      CHECK_ROWS(pb::PolyBatch<T>((a * b) * c - b), ref::difference(ref::product(ref::product(ra, rb), rc), rb), ops);
      CHECK_ROWS(pb::PolyBatch<T>(c * (a + b)), ref::product(rc, ref::sum(ra, rb)), ops);
    }
  }
}

namespace {
/// Returns a temporary batch: the operand an `auto` expression must own.
template <class T>
pb::PolyBatch<T> make_batch(const pb::PolyBatch<T>& like) {
  return pb::PolyBatch<T>(like.coeffs());
}

/// Allocates and scribbles over heap memory, so that anything an expression
/// wrongly left dangling is overwritten (and flagged under ASan).
std::size_t churn_heap() {
  std::vector<std::vector<double>> blocks;
  for (std::size_t i = 0; i < 64; ++i) blocks.emplace_back(64 + 37 * i, -12345.0);
  std::size_t total = 0;
  for (const auto& b : blocks) total += b.size();
  return total;
}
} // namespace

TEMPLATE_TEST_CASE("expressions kept in auto: rvalues are owned, lvalues referenced", "[arithmetic][auto]",
                   POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const std::size_t batch = 123;
  auto a = ref::random_batch<T>(rng, batch, 4);
  const auto b = ref::random_batch<T>(rng, batch, 3);
  const auto c = ref::random_batch<T>(rng, batch, 5);
  const auto ra = checks::to_ref(a), rb = checks::to_ref(b), rc = checks::to_ref(c);

  SECTION("auto e = (a * b) * make_batch(); evaluated after other allocations") {
    auto e = (a * b) * make_batch(c);
    CHECK(e.batch_size() == batch);
    CHECK(e.length() == 4 + 3 + 5 - 2);
    CHECK(churn_heap() > 0);
    pb::PolyBatch<T> r = e;
    CHECK_ROWS(r, ref::product(ref::product(ra, rb), rc), 24);
    // Evaluating again gives the same answer: evaluation does not consume.
    const pb::PolyBatch<T> again = e;
    CHECK(again == r);
  }
  SECTION("every node kind owning temporaries, returned from a function") {
    auto build = [&] { return -(make_batch(a) * make_batch(b)) + T(2) * make_batch(c) - make_batch(a) * T(3); };
    auto e = build();
    CHECK(churn_heap() > 0);
    using R = checks::ref_scalar<T>;
    const auto expected =
        ref::difference(ref::sum(ref::scale(R(-1), ref::product(ra, rb)), ref::scale(R(2), rc)), ref::scale(R(3), ra));
    CHECK_ROWS(pb::PolyBatch<T>(e), expected, 16);
    // A node moved into another keeps its temporaries alive.
    auto outer = std::move(e) * make_batch(b);
    CHECK(churn_heap() > 0);
    CHECK_ROWS(pb::PolyBatch<T>(outer), ref::product(expected, rb), 32);
  }
  SECTION("lvalue operands are held by reference: later changes are seen") {
    auto e = a * b + c;
    a(0, 0) = T(7);
    a(batch - 1, 3) = T(-5);
    const auto ra_now = checks::to_ref(a);
    const pb::PolyBatch<T> r = e;
    CHECK_ROWS(r, ref::sum(ref::product(ra_now, rb), rc), 16);
  }
}

TEMPLATE_TEST_CASE("evaluation into views", "[arithmetic][view]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const std::size_t batch = 301;
  const auto a = ref::random_batch<T>(rng, batch, 3);
  const auto b = ref::random_batch<T>(rng, batch, 2);
  const auto c = ref::random_batch<T>(rng, 1, 4);
  const auto ra = checks::to_ref(a), rb = checks::to_ref(b), rc = checks::to_ref(c);
  using R = checks::ref_scalar<T>;

  std::vector<T> memory(batch * 7, T(99));
  auto view = pb::adapt(memory.data(), batch, 7);
  view = (a * b) * c + 2 * a;
  CHECK(view.data() == memory.data());
  const auto expected = ref::sum(ref::product(ref::product(ra, rb), rc), ref::scale(R(2), ra));
  CHECK_ROWS(view, expected, 24);
  view -= 2 * a;
  CHECK_ROWS(view, ref::difference(expected, ref::scale(R(2), ra)), 24);

  // Views as operands, read-only ones included, evaluated into another view.
  std::vector<T> out(batch * 4);
  auto out_view = pb::adapt(out.data(), batch, 4);
  const std::vector<T>& read_only = memory;
  const auto input = pb::adapt(read_only.data(), batch, 7);
  std::vector<T> a_copy(a.data(), a.data() + batch * 3);
  out_view = pb::adapt(a_copy.data(), batch, 3) * b;
  CHECK_ROWS(out_view, ref::product(ra, rb), 8);
  const pb::PolyBatch<T> sum = input + a;
  CHECK_ROWS(sum, ref::sum(checks::to_ref(input), ra), 1);
}

TEMPLATE_TEST_CASE("results do not depend on the thread count", "[arithmetic][threads]", float, double, std::int32_t) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  ThreadCountGuard guard;
  const std::size_t batch = 20011; // prime: uneven blocks per thread
  const auto a = ref::random_batch<T>(rng, batch, 5, 20);
  const auto b = ref::random_batch<T>(rng, batch, 5, 20);
  const auto c = ref::random_batch<T>(rng, batch, 5, 20);
  // The output is large enough for the evaluator to split it across threads.
  REQUIRE(batch * 13 >= pb::evaluation::parallel_threshold);

  pb::set_num_threads(1);
  const pb::PolyBatch<T> one = (a * b) * c + 2 * a;
  pb::set_num_threads(2);
  const pb::PolyBatch<T> two = (a * b) * c + 2 * a;
  pb::set_num_threads(3);
  const pb::PolyBatch<T> three = (a * b) * c + 2 * a;
  REQUIRE(one.batch_size() == batch);
  CHECK(std::memcmp(one.data(), two.data(), batch * 13 * sizeof(T)) == 0);
  CHECK(std::memcmp(one.data(), three.data(), batch * 13 * sizeof(T)) == 0);
  CHECK_ROWS(two,
             ref::sum(ref::product(ref::product(checks::to_ref(a), checks::to_ref(b)), checks::to_ref(c)),
                      ref::scale(checks::ref_scalar<T>(2), checks::to_ref(a))),
             24);
}

TEST_CASE("scale factors must convert exactly to the coefficient type", "[arithmetic][scale]") {
  const pb::PolyBatch<double> d{{1, 2}};
  const pb::PolyBatch<float> f{{1, 2}};
  const pb::PolyBatch<std::int32_t> i32{{1, 2}};
  const pb::PolyBatch<std::int64_t> i64{{1, 2}};
  const pb::PolyBatch<long double> ld{{1, 2}};
  constexpr std::int64_t two53 = std::int64_t(1) << 53;

  SECTION("exact values are accepted, whatever their type") {
    CHECK(pb::PolyBatch<double>(two53 * d) == pb::PolyBatch<double>{{9007199254740992.0, 18014398509481984.0}});
    CHECK(pb::PolyBatch<double>(std::numeric_limits<std::int64_t>::min() * d)(0, 0) == -9223372036854775808.0);
    CHECK(pb::PolyBatch<std::int32_t>(3.0 * i32) == pb::PolyBatch<std::int32_t>{{3, 6}});
    CHECK(pb::PolyBatch<std::int64_t>(std::int32_t(-4) * i64) == pb::PolyBatch<std::int64_t>{{-4, -8}});
    CHECK(pb::PolyBatch<float>(0.5 * f) == pb::PolyBatch<float>{{0.5f, 1.0f}});
    CHECK(pb::PolyBatch<long double>((two53 + 1) * ld)(0, 0) == 9007199254740993.0L);
    CHECK(pb::PolyBatch<std::int64_t>(std::uint32_t(4000000000u) * i64)(0, 0) == 4000000000);
    CHECK(pb::PolyBatch<double>(-std::numeric_limits<double>::infinity() * d)(0, 0) ==
          -std::numeric_limits<double>::infinity());
  }
  SECTION("inexact values throw domain_error when the expression is built") {
    CHECK_THROWS_AS((two53 + 1) * d, pb::domain_error);
    CHECK_THROWS_AS(d * (two53 + 1), pb::domain_error);
    CHECK_THROWS_AS(std::numeric_limits<std::int64_t>::max() * d, pb::domain_error);
    CHECK_THROWS_AS(0.1 * f, pb::domain_error);
    CHECK_THROWS_AS(16777217 * f, pb::domain_error);
    CHECK_THROWS_AS(1e300 * f, pb::domain_error);
    CHECK_THROWS_AS(0.5 * i32, pb::domain_error);
    CHECK_THROWS_AS(i32 * (std::int64_t(1) << 40), pb::domain_error);
    CHECK_THROWS_AS(1e300 * i64, pb::domain_error);
    CHECK_THROWS_AS(9223372036854775808.0 * i64, pb::domain_error);
    CHECK_THROWS_AS(std::nan("") * i32, pb::domain_error);
    // Values that survive a round trip through the other type but change
    // sign on the way.
    CHECK_THROWS_AS(std::numeric_limits<std::uint64_t>::max() * i64, pb::domain_error);
    CHECK_THROWS_AS(std::uint32_t(4000000000u) * i32, pb::domain_error);
    CHECK_THROWS_WITH((two53 + 1) * d, Catch::Contains("scale factor") && Catch::Contains("9007199254740993"));
  }
}
