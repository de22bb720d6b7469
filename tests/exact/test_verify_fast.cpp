// pb::verify's dyadic fast path against its rational path (every leaf
// converted to cpp_rational, the tree evaluated exactly, verify_against):
// identical reports on random and adversarial rows, the fallbacks taken
// where the widths cannot hold a row, and exact::dyadic against cpp_rational.
#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;
using pb::exact::dyadic;
using pb::exact::detail::verify_stats;

namespace {

std::mt19937_64& rng() {
  static std::mt19937_64 g = [] {
    const unsigned seed = Catch::rngSeed() != 0 ? Catch::rngSeed() : 20261201u;
    WARN("test_verify_fast seed " << seed);
    return std::mt19937_64(seed);
  }();
  return g;
}

/// A random float or double: uniform in (-1, 1) times 2^(random in [lo, hi]).
template <class T>
T random_value(int lo = 0, int hi = 0) {
  std::uniform_real_distribution<double> u(-1, 1);
  std::uniform_int_distribution<int> e(lo, hi);
  const double m = u(rng()); // sequenced: the same values from every compiler
  return static_cast<T>(std::ldexp(m, e(rng())));
}

template <class T>
pb::PolyBatch<T> random_batch(std::size_t batch, std::size_t length, int lo = 0, int hi = 0) {
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch * length; ++i) p.data()[i] = random_value<T>(lo, hi);
  return p;
}

/// verify(e) by the fast path and by the rational path: every member equal.
template <class E>
verify_stats same_report(const E& e) {
  verify_stats stats;
  const pb::verify_report fast = pb::exact::detail::verify(e, stats);
  const pb::verify_report slow = pb::exact::detail::verify_rational(e);
  INFO("fast: " << fast << "\nrational: " << slow);
  CHECK(fast.max_abs_error_exact == slow.max_abs_error_exact);
  CHECK(fast.max_rel_error_exact == slow.max_rel_error_exact);
  CHECK(fast.worst_row == slow.worst_row);
  CHECK(fast.worst_coefficient == slow.worst_coefficient);
  CHECK(fast.batch_size == slow.batch_size);
  CHECK(fast.length == slow.length);
  // Bit-identical doubles (inf compares equal to inf).
  CHECK(fast.max_abs_error == slow.max_abs_error);
  CHECK(fast.max_rel_error == slow.max_rel_error);
  CHECK(stats.rows_dyadic + stats.rows_wide + stats.rows_rational == e.batch_size());
  return stats;
}

template <int N>
cpp_rational exact_of(const dyadic<N>& d) {
  return d.to_rational();
}

} // namespace

TEST_CASE("dyadic: + - * agree with cpp_rational, overflow throws, values stay canonical", "[exact][verify]") {
  using D = dyadic<2>;
  for (int trial = 0; trial < 4000; ++trial) {
    const int spread = trial % 4 == 0 ? 200 : 30;
    const double x = random_value<double>(-spread, spread), y = random_value<double>(-spread, spread);
    const D a(x), b(y);
    REQUIRE(exact_of(a) == cpp_rational(x));
    const cpp_rational rx(x), ry(y);
    for (int op = 0; op < 3; ++op) {
      const cpp_rational want = op == 0   ? cpp_rational(rx + ry)
                                : op == 1 ? cpp_rational(rx - ry)
                                          : cpp_rational(rx * ry);
      try {
        const D got = op == 0 ? a + b : op == 1 ? a - b : a * b;
        REQUIRE(exact_of(got) == want);
        // Canonical: an odd mantissa (or zero), so == compares values.
        if (!got.is_zero()) REQUIRE(got.limb_at(0) % 2 == 1);
        const int cmp = compare_magnitude(got, a);
        const cpp_rational g = abs(want), h = abs(rx);
        REQUIRE(cmp == (g < h ? -1 : g > h ? 1 : 0));
      } catch (const pb::exact::dyadic_overflow&) {
        // Only when the exact result needs more than 128 bits.
        REQUIRE(op != 2);
        REQUIRE(std::abs(std::ilogb(x) - std::ilogb(y)) > 128 - 53 - 2);
      }
    }
  }
  // 2^-1074 (the smallest subnormal), 1 - 2^-53, integers, zero, -0.
  REQUIRE(exact_of(D(std::numeric_limits<double>::denorm_min())) == cpp_rational(cpp_int(1), cpp_int(1) << 1074));
  REQUIRE(exact_of(D(1.0) - D(0x1p-53)) == 1 - cpp_rational(cpp_int(1), cpp_int(1) << 53));
  REQUIRE(D(-0.0) == D());
  REQUIRE(D(6) == D(3.0) * D(2.0));
  REQUIRE((D(1.0) - D(1.0)).is_zero());
  REQUIRE_THROWS_AS(D(std::numeric_limits<double>::quiet_NaN()), pb::exact::dyadic_not_finite);
  REQUIRE_THROWS_AS(D(1.0) + D(0x1p-200), pb::exact::dyadic_overflow);
  REQUIRE_NOTHROW(dyadic<8>(1.0) + dyadic<8>(0x1p-200));
  // A product of three 53-bit mantissas needs three limbs.
  const double m = 1 - 0x1p-53;
  REQUIRE_THROWS_AS(D(m) * D(m) * D(m), pb::exact::dyadic_overflow);
  REQUIRE(exact_of(dyadic<4>(m) * dyadic<4>(m) * dyadic<4>(m)) == cpp_rational(m) * cpp_rational(m) * cpp_rational(m));
}

TEST_CASE("verify: random products, double and float, every report member equal", "[exact][verify]") {
  const auto a = random_batch<double>(1500, 5), b = random_batch<double>(1500, 7), c = random_batch<double>(1500, 3);
  verify_stats s = same_report(a * b);
  CHECK(s.rows_dyadic > 1400);
  s = same_report((a * b) * c);
  CHECK(s.rows_dyadic > 1400);
  same_report(a * b - 3.0 * pow(a, 2) + 0.5);
  same_report(-(a + b) - 0.25 * c);
  // Values spread over 2^-40 .. 2^40: alignment widens the sums; some rows
  // need the widest dyadic, none need rationals.
  const auto wa = random_batch<double>(400, 5, -40, 40), wb = random_batch<double>(400, 7, -40, 40);
  s = same_report(wa * wb);
  CHECK(s.rows_rational == 0);

  const auto fa = random_batch<float>(1000, 5), fb = random_batch<float>(1000, 7), fc = random_batch<float>(1000, 3);
  s = same_report((fa * fb) * fc);
  CHECK(s.rows_dyadic == 1000);
  same_report(pb::cast<double>(fa) * pb::cast<double>(fb));
}

TEST_CASE("verify: double-double and quad trees take the dyadic path, every report member equal", "[exact][verify]") {
  using boost::multiprecision::cpp_bin_float_quad;
  // Values that fill the mantissa: a double over 3 (hi and lo both busy), and a
  // spread of exponents that pushes some sums past 256 bits.
  auto filled = [](std::size_t batch, std::size_t length, int lo, int hi, auto one) {
    using T = decltype(one);
    pb::PolyBatch<T> p(batch, length);
    for (std::size_t i = 0; i < batch * length; ++i) p.data()[i] = T(random_value<double>(lo, hi)) / T(3);
    return p;
  };
  const auto a = filled(400, 5, 0, 0, pb::dd(1)), b = filled(400, 7, 0, 0, pb::dd(1)),
             c = filled(400, 3, 0, 0, pb::dd(1));
  verify_stats s = same_report(a * b);
  CHECK(s.rows_dyadic == 400);
  CHECK(pb::verify(a * b).max_rel_error > 0); // a real rounding error to rank
  s = same_report((a * b) * c - pb::dd(0.1) * a);
  CHECK(s.rows_rational == 0);
  same_report(pb::compose(c, b) + pb::derivative(a));
  const auto wa = filled(300, 4, -300, 300, pb::dd(1)), wb = filled(300, 4, -300, 300, pb::dd(1));
  s = same_report(wa * wb);
  CHECK(s.rows_rational > 0); // parts 600 exponents apart: past 512 bits
  // A double-double whose parts are far apart (lo far below hi's last place).
  pb::PolyBatch<pb::dd> parts(2, 2);
  parts(0, 0) = pb::dd::from_parts(1.0, 0x1p-700);
  parts(0, 1) = pb::dd(3);
  parts(1, 0) = pb::dd(-2);
  parts(1, 1) = pb::dd::from_parts(0x1p300, -0x1p-400);
  same_report(parts * parts);

  const auto qa = filled(300, 5, -20, 20, cpp_bin_float_quad(1)), qb = filled(300, 7, -20, 20, cpp_bin_float_quad(1));
  s = same_report(qa * qb - cpp_bin_float_quad(2.5) * qa);
  CHECK(s.rows_rational == 0);
  CHECK(s.rows_dyadic + s.rows_wide == 300);
  same_report(pb::pow(qa, 2) * qb);
}

TEST_CASE("verify: every dyadic node kind, and integral by the rational path", "[exact][verify]") {
  const auto a = random_batch<double>(300, 6), b = random_batch<double>(300, 4), c = random_batch<double>(300, 3);
  same_report(pb::derivative(a * b));
  same_report(pb::truncate(a * b * c, 4));
  same_report(pb::convolve(a, b, pb::mode::same));
  same_report(pb::convolve(b, a, pb::mode::valid));
  same_report(pb::correlate(a, b));
  same_report(pb::correlate(b, a, pb::mode::full));
  same_report(pb::compose(c, b));
  same_report(pb::pow(c + 1.0, 3));
  same_report(1.0 - a);
  same_report(pb::rebind<double>(a) * b);
  const verify_stats s = same_report(pb::integral(a * b));
  CHECK(s.rows_rational == 300);
  CHECK(s.rows_dyadic == 0);
}

TEST_CASE("verify: cancellation, zero rows, subnormals, spreads past every width", "[exact][verify]") {
  const auto a = random_batch<double>(200, 4), b = random_batch<double>(200, 4);
  // Exactly 0 in every coefficient but not computed so: max_rel_error = inf.
  const auto zero = pb::pow(a + b, 2) - a * a - 2.0 * (a * b) - b * b;
  verify_stats s = same_report(zero);
  CHECK(std::isinf(pb::verify(zero).max_rel_error));
  // Exactly 0 except the constant term: relative to the row's magnitude.
  const pb::PolyBatch<double> one{{1.0}};
  same_report(zero + one);

  // Subnormal inputs and products that underflow in double.
  pb::PolyBatch<double> tiny(50, 3);
  for (std::size_t i = 0; i < tiny.batch_size() * tiny.length(); ++i)
    tiny.data()[i] = random_value<double>(-1070, -1000);
  tiny.data()[0] = std::numeric_limits<double>::denorm_min();
  same_report(tiny * tiny);
  same_report(tiny + random_batch<double>(50, 3) * 0x1p-1000);

  // Huge and tiny magnitudes in one batch (rows of their own).
  pb::PolyBatch<double> big(40, 3);
  for (std::size_t i = 0; i < 40 * 3; ++i)
    big.data()[i] = random_value<double>(i < 60 ? 400 : -500, i < 60 ? 500 : -400);
  same_report(big * big);

  // Terms 2000 bits apart in one row: too wide for every dyadic, so those
  // rows go to rationals; the other rows stay fast.
  pb::PolyBatch<double> spread = random_batch<double>(300, 3);
  for (std::size_t i = 0; i < 300; i += 50) spread.data()[i * 3] = 1e150, spread.data()[i * 3 + 1] = 1e-150;
  s = same_report(spread * spread);
  CHECK(s.rows_rational == 6);
  CHECK(s.rows_dyadic == 294);
  // 2^200 apart: the widest dyadic holds them.
  for (std::size_t i = 0; i < 300; i += 50) spread.data()[i * 3] = 1e20, spread.data()[i * 3 + 1] = 1e-20;
  s = same_report(spread * spread);
  CHECK(s.rows_wide == 6);
  CHECK(s.rows_rational == 0);
}

TEST_CASE("verify: shapes (length 1, batch 1, broadcasting), threads, non-finite values", "[exact][verify]") {
  const auto a = random_batch<double>(1, 1), b = random_batch<double>(1, 5), c = random_batch<double>(700, 1);
  same_report(a * a);
  same_report(a * b);
  same_report(b * c);
  same_report(c * b - a);
  same_report(c * c);

  {
    // Two threads: each takes half the rows; the halves merge in order.
    const std::size_t saved = pb::num_threads();
    pb::set_num_threads(2);
    const auto x = random_batch<double>(3000, 5), y = random_batch<double>(3000, 7);
    same_report(x * y);
    // Ties across the halves: the first worst row wins, as in one pass.
    pb::PolyBatch<double> twin(3000, 5);
    for (std::size_t i = 0; i < 3000; ++i)
      for (std::size_t k = 0; k < 5; ++k) twin.data()[i * 5 + k] = x.data()[(i % 7) * 5 + k];
    same_report(twin * twin);
    // Exactly-zero rows from row 2000 on: +inf there, in the second half.
    const auto u = random_batch<double>(3000, 5);
    pb::PolyBatch<double> w = random_batch<double>(3000, 9);
    for (std::size_t i = 2000 * 9; i < 3000 * 9; ++i) w.data()[i] = 0;
    const auto e = (x + u) * (x - u) - x * x + u * u + w;
    same_report(e);
    REQUIRE(std::isinf(pb::verify(e).max_rel_error));
    REQUIRE(pb::verify(e).worst_row >= 2000);
    pb::set_num_threads(saved);
  }

  // A NaN input, an infinite result, a NaN factor: the rational path's
  // domain_error, naming the row and coefficient of an input.
  pb::PolyBatch<double> nan = random_batch<double>(5, 3);
  nan.data()[7] = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_THROWS_WITH(pb::verify(nan * nan), Catch::Contains("row 2, coefficient 1") && Catch::Contains("nan"));
  REQUIRE_THROWS_AS(pb::exact::detail::verify_rational(nan * nan), pb::domain_error);
  pb::PolyBatch<double> huge{{1e300, 1e300}};
  REQUIRE_THROWS_AS(pb::verify(huge * huge), pb::domain_error);
  REQUIRE_THROWS_AS(pb::exact::detail::verify_rational(huge * huge), pb::domain_error);
  const pb::PolyBatch<double> small = random_batch<double>(4, 3);
  REQUIRE_THROWS_AS(pb::verify(std::numeric_limits<double>::quiet_NaN() * small), pb::domain_error);
  REQUIRE_THROWS_AS(pb::verify(small + std::numeric_limits<double>::infinity()), pb::domain_error);
}

TEST_CASE("verify: bounds past 256 bits start in 512 bits, and past 512 fall to rationals", "[exact][verify]") {
  using pb::exact::detail::limbs_for;
  using pb::exact::detail::widest_limbs;
  const auto a = random_batch<double>(300, 3), b = random_batch<double>(300, 4);
  // 4 x 53 + 3 ceil(log2 3) + 16 = 234 bits: 4 limbs; one more factor is 289: 8 limbs.
  REQUIRE(limbs_for(pb::pow(a, 4)) == 4);
  REQUIRE(limbs_for(pb::pow(a, 5)) == widest_limbs);
  verify_stats s = same_report(pb::pow(a, 5));
  CHECK(s.rows_dyadic == 300); // the first width was the widest one
  CHECK(s.rows_wide == 0);
  CHECK(s.rows_rational == 0);
  // A deep product: (108 + 108 + 2) + 53 + 2 + 16 = 289 bits.
  const auto deep = ((a * b) * (b * a)) * a;
  REQUIRE(limbs_for(deep) == widest_limbs);
  s = same_report(deep);
  CHECK(s.rows_dyadic == 300);
  // The same with float leaves and a sum on top: 24-bit leaves need more factors.
  const auto fa = random_batch<float>(300, 3), fb = random_batch<float>(300, 4);
  const auto fdeep = pb::pow(fa, 6) * pb::pow(fb, 5) - 0.5f * fa;
  REQUIRE(limbs_for(fdeep) == widest_limbs);
  s = same_report(fdeep);
  CHECK(s.rows_dyadic == 300);

  // Rows with coefficients 1e30 and 1e-30 (about 2^200 apart): in pow(., 5)
  // c0^2 c1 c2^2 and c1^5 meet in one coefficient, 600 bits apart, past 512,
  // so those rows alone go to rationals (no wider dyadic follows the widest).
  pb::PolyBatch<double> spread = a;
  for (std::size_t i = 0; i < 300; i += 50) spread(i, 0) = 1e30, spread(i, 1) = 1e-30;
  s = same_report(pb::pow(spread, 5));
  CHECK(s.rows_rational == 6);
  CHECK(s.rows_wide == 0);
  CHECK(s.rows_dyadic == 294);
  // Two threads (1000 x 11 coefficients: past the threshold for a split).
  const std::size_t saved = pb::num_threads();
  pb::set_num_threads(2);
  const auto big = random_batch<double>(1000, 3);
  s = same_report(pb::pow(big, 5) + big);
  CHECK(s.rows_dyadic == 1000);
  pb::set_num_threads(saved);
}

TEST_CASE("verify: a non-finite scale factor or constant inside a tree is the rational path's domain_error",
          "[exact][verify]") {
  // The leaves are finite, so the leaf scan lets the tree into the dyadic path;
  // converting the factor to a dyadic number fails there and the rational
  // path reports it: a pb::domain_error (docs/exact.md, "Which expressions").
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto a = random_batch<double>(20, 3), b = random_batch<double>(20, 4);
  const auto check_fails = [](const auto& e, const char* value) {
    REQUIRE_THROWS_AS(pb::verify(e), pb::domain_error);
    REQUIRE_THROWS_AS(pb::exact::detail::verify_rational(e), pb::domain_error);
    REQUIRE_THROWS_WITH(pb::verify(e), Catch::Contains(value));
    // The fast path's own failure never escapes: only the documented error.
    try {
      (void)pb::verify(e);
    } catch (const pb::domain_error&) {
    } catch (...) {
      FAIL("verify threw something other than pb::domain_error");
    }
  };
  check_fails(a * b + inf * a, "inf");
  check_fails(a * b - a * (-inf), "inf");
  check_fails(pb::pow(a, 2) - nan * (a * b), "nan");
  check_fails((a * b) * (a - inf), "inf");
  check_fails(pb::truncate(pb::pow(a, 5) + nan, 4), "nan"); // in the 512-bit tree
  check_fails(pb::rebind<double>(a * b + inf * a), "inf");
  // Threads: the failure of a worker's block is reported the same way.
  const std::size_t saved = pb::num_threads();
  pb::set_num_threads(2);
  const auto x = random_batch<double>(6000, 5), y = random_batch<double>(6000, 7);
  check_fails(x * y + inf * x, "inf");
  pb::set_num_threads(saved);
  // A finite factor with the same tree is checked normally.
  same_report(a * b + 1e300 * a);
}
