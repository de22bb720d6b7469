// The algebra rows in exact arithmetic: identities that must hold exactly in
// cpp_rational and mpq_rational (GMP), and the integer rules in cpp_int
// (integral throws on a non-integer antiderivative; pow gives binomials).
#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <type_traits>

#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/gmp.hpp>

#include <polybatch/kernels/exact/cpp_int_fields.hpp>
#include <polybatch/polybatch.hpp>
#include <polybatch/scalar/multiprecision.hpp>

#include "support/checks.hpp"
#include "support/reference.hpp"

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

TEMPLATE_TEST_CASE("pow of rational constants: p^k / q^k in lowest terms, exponents up to 2^20", "[algebra][exact]",
                   mp::cpp_rational, mp::mpq_rational) {
  using T = TestType;
  std::mt19937_64 rng(checks::test_seed());
  const pb::PolyBatch<T> constants = random_fractions<T>(rng, 9, 1);
  pb::PolyBatch<T> repeated{{T(1)}}; // the product of k copies, each normalised by the rational type
  for (std::size_t k = 1; k <= 40; ++k) {
    repeated = pb::PolyBatch<T>(repeated * constants);
    const pb::PolyBatch<T> power = pb::pow(constants, k);
    INFO("k = " << k);
    CHECK(power == repeated);
  }
  // (-3/7)^(2^17 - 1): the integer powers, odd so negative (rational
  // squarings took a minute at 2^20).
  const pb::PolyBatch<T> base{{T(-3) / T(7)}, {T(0)}, {T(1)}};
  const unsigned k = (1u << 17) - 1;
  const pb::PolyBatch<T> big = pb::pow(base, k);
  using Integer = std::remove_cvref_t<decltype(numerator(big(0, 0)))>;
  CHECK(numerator(big(0, 0)) == -Integer(mp::pow(Integer(3), k)));
  CHECK(denominator(big(0, 0)) == Integer(mp::pow(Integer(7), k)));
  CHECK(big(1, 0) == T(0));
  CHECK(big(2, 0) == T(1));
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

TEMPLATE_TEST_CASE("evaluate in rationals over a common denominator equals the naive sum of powers",
                   "[algebra][exact][evaluate]", mp::cpp_rational, mp::mpq_rational) {
  using T = TestType;
  std::mt19937_64 rng(31);
  for (std::size_t len : {std::size_t(1), std::size_t(2), std::size_t(7), std::size_t(40)}) {
    auto a = random_fractions<T>(rng, 6, len);
    a(1, len - 1) = 0;                                             // a zero top coefficient
    for (std::size_t k = 0; k < len; ++k) a(2, k) = T(int(k) - 3); // integers: denominator 1
    xt::xtensor<T, 1> x = xt::xtensor<T, 1>::from_shape({6});
    const T points[6] = {T(3), T(-7, 4), T(0), T(1, 1000003), T(-1), T(123456789, 2)};
    for (std::size_t i = 0; i < 6; ++i) x(i) = points[i];
    const auto values = pb::evaluate(a, x);
    for (std::size_t i = 0; i < 6; ++i) {
      T direct = 0, power = 1;
      for (std::size_t k = 0; k < len; ++k) {
        direct += a(i, k) * power;
        power *= x(i);
      }
      INFO("len = " << len << ", row " << i);
      REQUIRE(values(i) == direct);
    }
  }
  // 2,000 ones at x = 3 and x = 3/2: (3^2000 - 1) / 2 and the same over 2^1999.
  pb::PolyBatch<T> ones(1, 2000);
  for (std::size_t k = 0; k < 2000; ++k) ones(0, k) = T(1);
  const mp::cpp_int three = mp::pow(mp::cpp_int(3), 2000);
  const mp::cpp_int sum_at_three = (three - 1) / 2;
  CHECK(pb::evaluate(ones, T(3))(0) == T(typename mp::component_type<T>::type(sum_at_three.str())));
  const mp::cpp_int two = mp::pow(mp::cpp_int(2), 1999);
  CHECK(pb::evaluate(ones, T(3, 2))(0).str() == mp::cpp_rational(three - 2 * two, two).str());
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

// ---- small values: the machine-word fast paths against naive Boost loops ----
// Products, sums, pow and derivative of cpp_int / mpz_int / cpp_rational /
// mpq_rational batches, on values that take the word kernels, values that
// straddle their bounds (2^k - 1, 2^k, -2^k), blocks with one large value
// (that block falls back, the others must not be disturbed), results wider
// than 64 and 128 bits, zeros, length 1, batch 1, broadcasting and aliasing.

namespace {

/// A value for the fast-path tests: mostly small, sometimes at a width edge.
mp::cpp_int edge_or_small(std::mt19937_64& rng, unsigned small_bits) {
  static const unsigned edges[] = {20, 31, 32, 62, 63, 64, 65, 127, 128};
  const unsigned pick = static_cast<unsigned>(rng() % 16);
  if (pick == 0) return 0;
  mp::cpp_int v;
  if (pick == 1) {
    const unsigned e = edges[rng() % std::size(edges)];
    v = mp::cpp_int(1) << e;
    if (rng() & 1) v -= 1; // 2^k - 1 or 2^k
  } else {
    v = mp::cpp_int(rng() & ((std::uint64_t(1) << small_bits) - 1));
  }
  return (rng() & 1) ? mp::cpp_int(-v) : v;
}

template <class T>
pb::PolyBatch<T> small_batch(std::mt19937_64& rng, std::size_t batch, std::size_t length, unsigned bits, bool edges) {
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k) {
      mp::cpp_int v = edges ? edge_or_small(rng, bits)
                            : mp::cpp_int(rng() & ((std::uint64_t(1) << bits) - 1)) * ((rng() & 1) ? 1 : -1);
      p(i, k) = T(v.str());
    }
  return p;
}

/// Rationals n / d with |n| < max_num and 1 <= d < max_den.
template <class T>
pb::PolyBatch<T> small_fractions(std::mt19937_64& rng, std::size_t batch, std::size_t length, long max_num,
                                 long max_den) {
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k) {
      const long n = static_cast<long>(rng() % static_cast<std::uint64_t>(2 * max_num - 1)) - (max_num - 1);
      const long d = 1 + static_cast<long>(rng() % static_cast<std::uint64_t>(max_den - 1));
      p(i, k) = T(mp::cpp_rational(n, d).str());
    }
  return p;
}

template <class T>
void require_rows(const pb::PolyBatch<T>& got, const ref::Rows<T>& want, const char* what) {
  INFO(what);
  REQUIRE(got.batch_size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    REQUIRE(got.length() == want[i].size());
    for (std::size_t k = 0; k < want[i].size(); ++k) {
      INFO("row " << i << ", coefficient " << k << ": got " << got(i, k) << ", want " << want[i][k]);
      REQUIRE(got(i, k) == want[i][k]);
    }
  }
}

/// The naive cube and derivative, one Boost operation at a time.
template <class T>
ref::Rows<T> naive_cube(const ref::Rows<T>& a) {
  return ref::product(ref::product(a, a), a);
}
template <class T>
ref::Rows<T> naive_derivative(const ref::Rows<T>& a) {
  ref::Rows<T> out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    out[i].assign(a[i].size() > 1 ? a[i].size() - 1 : 1, T(0));
    for (std::size_t k = 1; k < a[i].size(); ++k) out[i][k - 1] = a[i][k] * T(static_cast<long>(k));
  }
  return out;
}

/// Every operation of the fast paths on a and b against the naive loops.
template <class T>
void check_all_operations(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b) {
  const auto ra = ref::rows_of(a), rb = ref::rows_of(b);
  require_rows<T>(a * b, ref::product(ra, rb), "a * b");
  require_rows<T>(pb::pow(a, 3), naive_cube(ra), "pow(a, 3)");
  require_rows<T>(pb::derivative(a), naive_derivative(ra), "derivative(a)");
  if (a.length() == b.length()) {
    require_rows<T>(a + b, ref::sum(ra, rb), "a + b");
    require_rows<T>(a - b, ref::difference(ra, rb), "a - b");
  }
}

} // namespace

TEMPLATE_TEST_CASE("small integers: word fast paths equal the naive loops", "[algebra][exact][fast]", mp::cpp_int,
                   mp::mpz_int) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed = " << seed << " (POLYBATCH_TEST_SEED replays it)");
  std::mt19937_64 rng(seed);
  const std::pair<std::size_t, std::size_t> shapes[] = {{1, 1}, {5, 7}, {9, 9}, {1, 9}, {16, 3}, {17, 2}};
  for (auto [la, lb] : shapes) {
    for (std::size_t batch : {std::size_t(1), std::size_t(31), std::size_t(33), std::size_t(70)}) {
      INFO("la = " << la << ", lb = " << lb << ", batch = " << batch);
      check_all_operations(small_batch<T>(rng, batch, la, 20, false), small_batch<T>(rng, batch, lb, 20, false));
      check_all_operations(small_batch<T>(rng, batch, la, 20, true), small_batch<T>(rng, batch, lb, 20, true));
      check_all_operations(small_batch<T>(rng, batch, la, 63, false), small_batch<T>(rng, batch, lb, 63, false));
      // broadcasting a batch-1 operand either side
      check_all_operations(small_batch<T>(rng, 1, la, 20, false), small_batch<T>(rng, batch, lb, 20, false));
      check_all_operations(small_batch<T>(rng, batch, la, 20, true), small_batch<T>(rng, 1, lb, 20, true));
    }
  }
  // Sums, differences and derivatives of every row length up to 19 (the word
  // loops are unrolled up to 17 values), on small values and on values near
  // 2^63 whose sums and multiples leave int64.
  for (std::size_t len = 1; len <= 19; ++len)
    for (unsigned bits : {20u, 63u}) {
      INFO("length " << len << ", bits " << bits);
      check_all_operations(small_batch<T>(rng, 33, len, bits, true), small_batch<T>(rng, 33, len, bits, true));
    }
  // Around the bound of the double-arithmetic block (partial sums below
  // 2^51): rows of largest magnitudes (2^bits - 1) with random signs, all
  // positive in row 0, just inside (5 x 7 at 24 bits, 9 x 9 at 23) and just
  // outside (25 and 24 bits: the int64 block).
  for (auto [len, bits] : {std::pair<std::size_t, unsigned>{5, 24}, {5, 25}, {9, 23}, {9, 24}}) {
    INFO("length " << len << ", bits " << bits);
    const T top = T(((mp::cpp_int(1) << bits) - 1).str());
    pb::PolyBatch<T> x(40, len), y(40, len == 5 ? 7 : len);
    for (auto* p : {&x, &y})
      for (std::size_t i = 0; i < p->batch_size(); ++i)
        for (std::size_t k = 0; k < p->length(); ++k) (*p)(i, k) = (i > 0 && (rng() & 1)) ? T(-top) : top;
    check_all_operations(x, y);
  }
  // Tiles large enough to be taken as streaming from memory (the kernel
  // then fetches the next block ahead; the values must not change).
  check_all_operations(small_batch<T>(rng, 3000, 9, 20, true), small_batch<T>(rng, 3000, 9, 20, false));
  // Sums, differences and derivatives whose tiles come from memory (cpp_int:
  // each row but a tile's last few fetches a row further on): every row
  // exact, with values that leave the word path in a fetching row, in a
  // tile's last row and in the next tile, a broadcast operand, and in place.
  for (const std::size_t len : {std::size_t(5), std::size_t(9), std::size_t(17)}) {
    INFO("rows from memory, length " << len);
    auto a = small_batch<T>(rng, 2100, len, 20, true);
    const auto b = small_batch<T>(rng, 2100, len, 63, false);
    a(7, len - 1) = T(((mp::cpp_int(1) << 150) + 7).str());
    a(2047, 1) = T((-(mp::cpp_int(1) << 70)).str()); // coefficient 1: the derivative reads it
    a(2048, len / 2) = T(((mp::cpp_int(1) << 63) - 1).str());
    const auto ra = ref::rows_of(a), rb = ref::rows_of(b);
    require_rows<T>(a + b, ref::sum(ra, rb), "a + b");
    require_rows<T>(a - b, ref::difference(ra, rb), "a - b");
    require_rows<T>(pb::derivative(a), naive_derivative(ra), "derivative(a)");
    const auto one = small_batch<T>(rng, 1, len, 20, false);
    require_rows<T>(one + b, ref::sum(ref::rows_of(one), rb), "one row + b");
    require_rows<T>(b - one, ref::difference(rb, ref::rows_of(one)), "b - one row");
    a = a + b;
    require_rows<T>(a, ref::sum(ra, rb), "a = a + b");
  }
  // One large value in a block of small rows: only its rows leave the fast
  // path; results around it must be exact (the value sits in the second
  // block of 32 rows, then at each end).
  for (std::size_t where : {std::size_t(40), std::size_t(0), std::size_t(99)}) {
    auto a = small_batch<T>(rng, 100, 5, 20, false);
    const auto b = small_batch<T>(rng, 100, 7, 20, false);
    a(where, 2) = T(((mp::cpp_int(1) << 150) + 12345).str());
    INFO("large value in row " << where);
    check_all_operations(a, b);
    a(where, 2) = T(((mp::cpp_int(1) << 40) - 1).str()); // int128 row among int64 rows
    check_all_operations(a, b);
  }
  // Exactly at the int64 bound: |x| = 2^31 - 1 with 2 terms fits, 3 do not.
  const T m31 = T(((mp::cpp_int(1) << 31) - 1).str());
  const pb::PolyBatch<T> p{{m31, m31, m31}}, q{{m31, -m31, m31}};
  check_all_operations(p, q);
  check_all_operations(pb::PolyBatch<T>{{T(0), T(0)}}, pb::PolyBatch<T>{{T(0)}});
  // Results wider than 128 bits from one-limb operands: (2^64 - 1)^2 * terms.
  const T top = T(((mp::cpp_int(1) << 64) - 1).str());
  const pb::PolyBatch<T> wide{{top, top, top, top, top}, {top, T(-1) * top, top, top, T(-1) * top}};
  check_all_operations(wide, wide);
}

TEMPLATE_TEST_CASE("small integers: pow(a, k) in machine words equals repeated products", "[algebra][exact][fast]",
                   mp::cpp_int, mp::mpz_int) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed = " << seed << " (POLYBATCH_TEST_SEED replays it)");
  std::mt19937_64 rng(seed);
  // Powers whose bounds stay in int64, leave it at the last power (__int128)
  // or before it (binary powering), at the lengths the word path takes and
  // past them (17), up to a power past the word path's (9), truncated; a
  // wide value sends its own row to the binary powering.
  for (const std::size_t len :
       {std::size_t(1), std::size_t(2), std::size_t(5), std::size_t(9), std::size_t(16), std::size_t(17)})
    for (const unsigned bits : {1u, 10u, 20u, 31u, 40u, 63u})
      for (std::size_t k = 0; k <= 9; ++k) {
        INFO("length " << len << ", bits " << bits << ", k = " << k);
        auto a = small_batch<T>(rng, 7, len, bits, true);
        if (k % 3 == 2) a(2, len - 1) = T(((mp::cpp_int(1) << 90) + 5).str());
        const auto ra = ref::rows_of(a);
        ref::Rows<T> want(ra.size(), std::vector<T>{T(1)});
        for (std::size_t j = 0; j < k; ++j) want = ref::product(want, ra);
        const pb::PolyBatch<T> full = pb::pow(a, k);
        require_rows<T>(full, want, "pow(a, k)");
        for (const std::size_t cut : {std::size_t(1), std::size_t(3), full.length() + 2}) {
          const pb::PolyBatch<T> truncated = pb::truncate(pb::pow(a, k), cut);
          CHECK(truncated == pb::PolyBatch<T>(pb::truncate(full, cut)));
        }
      }
  // Rows of the largest magnitudes 2^bits - 1, of one sign and of
  // alternating signs, where the bounds of a^2 and a^3 move between int64,
  // __int128 and binary powering (5 values: a^3 in __int128 up to 40 bits,
  // a^2 in int64 up to 30 and in __int128 up to 62).
  for (const std::size_t len : {std::size_t(5), std::size_t(9)})
    for (const unsigned bits : {29u, 30u, 31u, 32u, 39u, 40u, 41u, 61u, 62u, 63u})
      for (const std::size_t k : {std::size_t(2), std::size_t(3)}) {
        INFO("largest magnitudes, length " << len << ", bits " << bits << ", k = " << k);
        const T top = T(((mp::cpp_int(1) << bits) - 1).str());
        pb::PolyBatch<T> a(2, len);
        for (std::size_t i = 0; i < len; ++i) {
          a(0, i) = top;
          a(1, i) = i % 2 == 0 ? top : T(-top);
        }
        const auto ra = ref::rows_of(a);
        require_rows<T>(pb::pow(a, k), k == 2 ? ref::product(ra, ra) : naive_cube(ra), "pow(a, k)");
      }
}

TEMPLATE_TEST_CASE("small integers: a = a * b in place", "[algebra][exact][fast][alias]", mp::cpp_int, mp::mpz_int) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed = " << seed);
  std::mt19937_64 rng(seed);
  auto a = small_batch<T>(rng, 45, 5, 20, true);
  const auto b = small_batch<T>(rng, 45, 5, 20, true);
  const auto want = ref::product(ref::rows_of(a), ref::rows_of(b));
  a = a * b;
  require_rows<T>(a, want, "a = a * b");
  auto c = small_batch<T>(rng, 45, 4, 20, false);
  const auto want_c = naive_cube(ref::rows_of(c));
  c = pb::pow(c, 3);
  require_rows<T>(c, want_c, "c = pow(c, 3)");
}

TEST_CASE("small cpp_int: results of two limbs written in place over inline values, and through Boost over heap ones",
          "[algebra][exact][fast]") {
  using T = mp::cpp_int;
  using u128 = pb::uint128;
  namespace fields = pb::kernels::exact::cpp_int_fields;
#if BOOST_VERSION == 107400
  REQUIRE(fields::layout_matches());
#endif
  auto heap_small = [](long v) {
    T x = T(1) << 300;
    x = v;
    return x;
  };
  auto is_inline = [](const T& x) {
    return static_cast<const void*>(x.backend().limbs()) == static_cast<const void*>(&x);
  };
  const T probe = heap_small(3);
  const bool heap_held = !is_inline(probe); // Boost keeps a once-large value's buffer
  INFO("a reassigned large cpp_int keeps heap storage: " << heap_held);
  const u128 top = ~u128(0);
  const u128 magnitudes[] = {0, 1, u128(1) << 63, ~std::uint64_t(0), u128(1) << 64, (u128(1) << 64) + 5, top >> 1, top};
  if (fields::layout_matches())
    for (const u128 m : magnitudes)
      for (const bool negative : {false, true})
        for (int kind = 0; kind < 5; ++kind) {
          // Made in place: a copy of a heap-held small value is inline.
          T x = kind == 0 ? T(0) : kind == 1 ? T(-5) : kind == 2 ? T((T(1) << 100) + 7) : T(-(T(1) << 127));
          if (kind == 4) x = heap_small(3);
          const T old = x;
          const bool was_inline = is_inline(x);
          REQUIRE(was_inline == (kind != 4 || !heap_held));
          const T magnitude = (T(static_cast<std::uint64_t>(m >> 64)) << 64) + static_cast<std::uint64_t>(m);
          const T want = negative ? T(-magnitude) : magnitude;
          INFO("value " << want << " over " << old << (was_inline ? " (inline)" : " (heap)"));
          const bool written = fields::write_two_limbs(x, m, negative);
          REQUIRE(written == was_inline);
          if (!written) {
            REQUIRE(x == old);
            continue;
          }
          REQUIRE(x == want);
          REQUIRE(x.str() == want.str());
          REQUIRE(x.sign() == (want > 0) - (want < 0)); // no negative zero
          REQUIRE(x.backend().size() == ((m >> 64) != 0 ? 2u : 1u));
          REQUIRE(x * x + 1 == want * want + 1); // Boost's own arithmetic reads it as it reads its own values
        }
  // Through the kernels: cubes of 40-bit values (about 120 bits) written over
  // old results inline and on the heap, small and wide, negative and zero.
  std::mt19937_64 rng(checks::test_seed());
  const auto a = small_batch<T>(rng, 60, 5, 40, true);
  pb::PolyBatch<T> out(60, 13);
  for (std::size_t i = 0; i < 60; ++i)
    for (std::size_t k = 0; k < 13; ++k)
      out(i, k) = (i + k) % 4 == 0 ? heap_small(-7) : (i + k) % 4 == 1 ? T(-(T(1) << 100)) : T((i + k) % 4 - 2);
  out = pb::pow(a, 3);
  require_rows<T>(out, naive_cube(ref::rows_of(a)), "out = pow(a, 3) over mixed old results");
}

TEST_CASE("small cpp_int: products and sums read and write the objects' fields, and fall back to Boost where a "
          "value is not inline or a sum leaves int64",
          "[algebra][exact][fast]") {
  using T = mp::cpp_int;
  namespace fields = pb::kernels::exact::cpp_int_fields;
#if BOOST_VERSION == 107400
  // Debian 12's Boost: the layout the field access assumes must be the one found.
  REQUIRE(fields::layout_matches());
#endif
  const std::uint64_t seed = checks::test_seed();
  INFO("seed = " << seed);
  std::mt19937_64 rng(seed);
  // A small value held in heap storage (Boost keeps the buffer of a value
  // that was once large): read and written through Boost's accessors.
  auto heap_small = [](long v) {
    T x = T(1) << 300;
    x = v;
    return x;
  };
  const T probe = heap_small(3);
  const bool heap_held = static_cast<const void*>(probe.backend().limbs()) != static_cast<const void*>(&probe);
  INFO("a reassigned large cpp_int keeps heap storage: " << heap_held);

  for (std::size_t batch : {std::size_t(32), std::size_t(64), std::size_t(100)}) {
    INFO("batch = " << batch);
    auto a = small_batch<T>(rng, batch, 5, 20, true);
    auto b = small_batch<T>(rng, batch, 7, 20, true);
    for (std::size_t k = 0; k < 5; ++k) a(3, k) = 0; // a zero row: zero results over negative old values
    a(40 % batch, 2) = heap_small(-12345);           // one input row through the accessors
    pb::PolyBatch<T> out(batch, 11);
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < 11; ++k)
        out(i, k) = (i + k) % 5 == 0 ? heap_small(-7) : (i + k) % 5 == 1 ? T(-(T(1) << 100)) : T(-5);
    out = a * b;
    require_rows<T>(out, ref::product(ref::rows_of(a), ref::rows_of(b)), "out = a * b over mixed old results");
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < 11; ++k) {
        INFO("row " << i << ", coefficient " << k);
        REQUIRE(out(i, k).backend().sign() == (out(i, k) < 0)); // no negative zero
        REQUIRE((out(i, k) == 0) == (out(i, k).str() == "0"));
      }
    // Broadcast b (one row) and a value of 2^62 next to the bound.
    a(0, 0) = T(1) << 62;
    const pb::PolyBatch<T> b1 = small_batch<T>(rng, 1, 7, 20, true);
    require_rows<T>(a * b1, ref::product(ref::rows_of(a), ref::rows_of(b1)), "a * b (one row)");

    // Sums and differences in words: sums that leave int64 (2^62 + 2^62,
    // -2^62 - 2^62 - 1), exact cancellation to zero over a negative old
    // result, heap-held operands and results, in place, broadcast.
    auto x = small_batch<T>(rng, batch, 5, 62, true);
    auto y = small_batch<T>(rng, batch, 5, 62, true);
    x(1, 0) = T(1) << 62;
    y(1, 0) = T(1) << 62;
    x(1, 1) = -(T(1) << 62);
    y(1, 1) = (T(1) << 62) + 1;
    y(2, 3) = x(2, 3); // x - y = 0
    x(5 % batch, 4) = heap_small(99);
    pb::PolyBatch<T> s(batch, 5);
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < 5; ++k) s(i, k) = (i + k) % 3 == 0 ? heap_small(-3) : T(-5);
    const auto rx = ref::rows_of(x), ry = ref::rows_of(y);
    auto naive = [&](bool subtract) {
      ref::Rows<T> want = rx;
      for (std::size_t i = 0; i < want.size(); ++i)
        for (std::size_t k = 0; k < 5; ++k) want[i][k] = subtract ? T(rx[i][k] - ry[i][k]) : T(rx[i][k] + ry[i][k]);
      return want;
    };
    s = x + y;
    require_rows<T>(s, naive(false), "s = x + y");
    s = x - y;
    require_rows<T>(s, naive(true), "s = x - y");
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < 5; ++k) REQUIRE(s(i, k).backend().sign() == (s(i, k) < 0));
    x = x - y; // in place
    require_rows<T>(x, naive(true), "x = x - y");
    // Derivatives in words: (k + 1) a[k + 1] leaving int64 (2^62 * 2), heap-held
    // values and results, zero results over negative old values.
    auto dx = small_batch<T>(rng, batch, 6, 62, true);
    dx(0, 1) = T(1) << 61; // 1 * 2^61 fits
    dx(0, 2) = T(1) << 62; // 2 * 2^62 leaves int64
    dx(1, 3) = heap_small(-41);
    for (std::size_t k = 0; k < 6; ++k) dx(2, k) = 0;
    pb::PolyBatch<T> d(batch, 5);
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < 5; ++k) d(i, k) = (i + k) % 3 == 0 ? heap_small(-3) : T(-5);
    d = pb::derivative(dx);
    require_rows<T>(d, naive_derivative(ref::rows_of(dx)), "d = derivative(dx)");
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < 5; ++k) REQUIRE(d(i, k).backend().sign() == (d(i, k) < 0));

    const pb::PolyBatch<T> y1 = small_batch<T>(rng, 1, 3, 20, true);
    const pb::PolyBatch<T> sum1 = y + y1;
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < 5; ++k) REQUIRE(sum1(i, k) == ry[i][k] + (k < 3 ? T(y1(0, k)) : T(0)));
  }
}

TEMPLATE_TEST_CASE("small rationals: fast paths equal the naive loops, in lowest terms", "[algebra][exact][fast]",
                   mp::cpp_rational, mp::mpq_rational) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed = " << seed << " (POLYBATCH_TEST_SEED replays it)");
  std::mt19937_64 rng(seed);
  const std::pair<std::size_t, std::size_t> shapes[] = {{1, 1}, {5, 7}, {9, 9}, {16, 2}};
  for (auto [la, lb] : shapes)
    for (std::size_t batch : {std::size_t(1), std::size_t(33)}) {
      INFO("la = " << la << ", lb = " << lb << ", batch = " << batch);
      check_all_operations(small_fractions<T>(rng, batch, la, 1000, 1000),
                           small_fractions<T>(rng, batch, lb, 1000, 1000));
      check_all_operations(small_fractions<T>(rng, batch, la, 3, 4), small_fractions<T>(rng, batch, lb, 3, 4));
      check_all_operations(small_fractions<T>(rng, 1, la, 1000, 1000), small_fractions<T>(rng, batch, lb, 1000, 1000));
    }
  // Wide denominators and numerators next to small ones.
  auto a = small_fractions<T>(rng, 40, 5, 1000, 1000);
  const auto b = small_fractions<T>(rng, 40, 7, 1000, 1000);
  a(7, 1) = T(mp::cpp_rational((mp::cpp_int(1) << 100) + 1, (mp::cpp_int(1) << 90) + 3).str());
  a(8, 2) = T(mp::cpp_rational(1, (mp::cpp_int(1) << 62) + 1).str());
  a(9, 0) = T(mp::cpp_rational((mp::cpp_int(1) << 63) - 1, 7).str());
  check_all_operations(a, b);
  // Cancellation to integers and to zero; every result in lowest terms.
  const pb::PolyBatch<T> h{{T(1) / T(2), T(-1) / T(2)}}, g{{T(2) / T(3), T(2) / T(3)}};
  const pb::PolyBatch<T> hg = h * g;
  CHECK(hg(0, 1) == T(0));
  CHECK(hg(0, 0) == T(1) / T(3));
  const pb::PolyBatch<T> prod = a * b;
  for (std::size_t i = 0; i < prod.batch_size(); ++i)
    for (std::size_t k = 0; k < prod.length(); ++k) {
      const mp::cpp_rational q(prod(i, k).str());
      REQUIRE(mp::denominator(q) > 0);
      REQUIRE(mp::gcd(mp::numerator(q), mp::denominator(q)) == 1);
      REQUIRE(q.str() == prod(i, k).str());
    }
}

TEMPLATE_TEST_CASE("small rationals: prime-power and boundary denominators reduce to lowest terms",
                   "[algebra][exact][fast]", mp::cpp_rational, mp::mpq_rational) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed = " << seed << " (POLYBATCH_TEST_SEED replays it)");
  std::mt19937_64 rng(seed);
  // Powers of 3 and 2 (primes repeated in both rows' denominators, so a
  // coefficient can hold more of a prime than either row), the largest
  // prime below the factor tables' bound 4096, odd parts just inside and
  // just outside it, and a power of two whose odd part is 1.
  const long denominators[] = {1,
                               2,
                               3,
                               9,
                               27,
                               81,
                               243,
                               729,
                               2187,
                               12,
                               36,
                               360,
                               1024,
                               4093,
                               4095,
                               4097,
                               8191,
                               6561,
                               3 * 4093,
                               2 * 4093,
                               4096,
                               1L << 40,
                               3 * 5 * 7 * 11 * 13};
  const long numerator_factors[] = {1, 3, 9, 27, 81, 5, 25, 7, 4093};
  auto fractions = [&](std::size_t batch, std::size_t length, std::size_t choices) {
    pb::PolyBatch<T> p(batch, length);
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < length; ++k) {
        const long d = denominators[rng() % choices];
        const long n = (static_cast<long>(rng() % 41) - 20) * numerator_factors[rng() % std::size(numerator_factors)];
        p(i, k) = T(mp::cpp_rational(n, d).str());
      }
    return p;
  };
  const std::pair<std::size_t, std::size_t> shapes[] = {{1, 1}, {2, 3}, {5, 7}, {9, 9}, {16, 16}};
  for (auto [la, lb] : shapes)
    for (std::size_t choices : {std::size_t(9), std::size_t(16), std::size(denominators)}) {
      INFO("la = " << la << ", lb = " << lb << ", denominators from the first " << choices);
      const auto a = fractions(50, la, choices), b = fractions(50, lb, choices);
      check_all_operations(a, b);
      check_all_operations(fractions(1, la, choices), b);
      const pb::PolyBatch<T> prod = a * b;
      for (std::size_t i = 0; i < prod.batch_size(); ++i)
        for (std::size_t k = 0; k < prod.length(); ++k) {
          const mp::cpp_rational q(prod(i, k).str());
          REQUIRE(mp::gcd(mp::numerator(q), mp::denominator(q)) == 1);
          REQUIRE(q.str() == prod(i, k).str());
        }
    }
  // 3^12 in the product's denominator, and coefficients that hold 3^12 or
  // more: the powers of 3 must cancel as far as they go, and no further.
  const pb::PolyBatch<T> a{{T(1) / T(729), T(2) / T(729), T(4) / T(729)}};
  const pb::PolyBatch<T> b{{T(729) / T(1), T(1) / T(729), T(-2) / T(729)}};
  check_all_operations(a, b);
  const pb::PolyBatch<T> ab = a * b;
  CHECK(ab(0, 0) == T(1));
  CHECK(ab(0, 1) == T(2) + T(1) / T(729 * 729));
  CHECK(ab(0, 3) == T(0));
  const pb::PolyBatch<T> c{{T(81) / T(729)}}, d{{T(27) / T(2187)}};
  const pb::PolyBatch<T> cd = c * d;
  CHECK(cd(0, 0) == T(1) / T(729));
}
