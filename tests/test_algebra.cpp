// The algebra rows in double (and a multiplication-counting scalar): result
// lengths, errors, fusion inside larger expressions, batch-of-1
// broadcasting, aliasing (a = derivative(a), a = pow(a, 3), ...), truncated
// work, thread independence, and the evaluate/divmod forms. References are
// plain loops written here, sharing no code with the library.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ostream>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/reference.hpp"

namespace pb = polybatch;

namespace {

// ---- independent references -------------------------------------------------
using Row = std::vector<double>;

Row ref_derivative(const Row& a) {
  if (a.size() == 1) return {0.0};
  Row d(a.size() - 1);
  for (std::size_t k = 0; k < d.size(); ++k) d[k] = double(k + 1) * a[k + 1];
  return d;
}
Row ref_pow(const Row& a, int k) {
  Row p{1.0};
  for (int i = 0; i < k; ++i) p = ref::convolve(p, a);
  return p;
}
Row ref_compose(const Row& a, const Row& b) {
  Row p{a.back()};
  for (std::size_t i = a.size() - 1; i-- > 0;) {
    p = ref::convolve(p, b);
    p[0] += a[i];
  }
  return p;
}
Row row_of(const pb::PolyBatch<double>& p, std::size_t i) {
  Row r(p.length());
  for (std::size_t k = 0; k < r.size(); ++k) r[k] = p(i, k);
  return r;
}
void require_row(const pb::PolyBatch<double>& got, std::size_t i, const Row& want, double tol = 1e-11) {
  REQUIRE(got.length() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    INFO("row " << i << " coefficient " << k);
    REQUIRE(std::abs(got(i, k) - want[k]) <= tol * (1 + std::abs(want[k])));
  }
}

/// A reference coefficient in long double with the sum of the magnitudes of
/// its terms: the forward error bound of a sum of products is c * eps * mag.
struct Tracked {
  long double value = 0, magnitude = 0;
};
using TRow = std::vector<Tracked>;
TRow tracked(const Row& a) {
  TRow t(a.size());
  for (std::size_t k = 0; k < a.size(); ++k) t[k] = {a[k], std::abs((long double)a[k])};
  return t;
}
TRow tconvolve(const TRow& a, const TRow& b) {
  TRow out(a.size() + b.size() - 1);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) {
      out[i + j].value += a[i].value * b[j].value;
      out[i + j].magnitude += a[i].magnitude * b[j].magnitude;
    }
  return out;
}
TRow tpow(const TRow& a, int k) {
  TRow p{{1, 1}};
  for (int i = 0; i < k; ++i) p = tconvolve(p, a);
  return p;
}
/// |got - want| <= ulps * eps * magnitude, coefficient by coefficient, or
/// with `normwise` relative to the row's largest magnitude.
void require_row_rel(const pb::PolyBatch<double>& got, std::size_t i, const TRow& want, double ulps,
                     bool normwise = false) {
  REQUIRE(got.length() == want.size());
  long double largest = 0;
  for (const Tracked& w : want) largest = std::max(largest, w.magnitude);
  for (std::size_t k = 0; k < want.size(); ++k) {
    const long double err = std::abs(got(i, k) - want[k].value);
    const long double bound = ulps * std::numeric_limits<double>::epsilon() * (normwise ? largest : want[k].magnitude);
    INFO("row " << i << " coefficient " << k << ": got " << got(i, k) << " want " << double(want[k].value) << " error "
                << double(err) << " bound " << double(bound));
    REQUIRE(err <= bound);
  }
}
/// Horner in long double, with the magnitude sum |a_k| |x|^k.
Tracked horner(const pb::PolyBatch<double>& a, std::size_t i, double x) {
  Tracked s;
  for (std::size_t k = a.length(); k-- > 0;) {
    s.value = s.value * x + a(i, k);
    s.magnitude = s.magnitude * std::abs(x) + std::abs(a(i, k));
  }
  return s;
}
void require_value(double got, const Tracked& want, std::size_t length) {
  const long double bound = 4.0L * double(length + 1) * std::numeric_limits<double>::epsilon() * want.magnitude;
  INFO("got " << got << " want " << double(want.value) << " bound " << double(bound));
  REQUIRE(std::abs(got - want.value) <= bound);
}

} // namespace

// ---- a scalar that counts its multiplications ---------------------------------
// (outside the anonymous namespace: its unused operators must not warn)
namespace counting {
struct Counted {
  double v = 0;
  static inline long multiplications = 0;
  Counted() = default;
  Counted(double x) : v(x) {}
  Counted(int x) : v(x) {}
  Counted(std::size_t x) : v(double(x)) {}
  friend bool operator==(const Counted&, const Counted&) = default;
  friend Counted operator*(Counted a, Counted b) {
    ++multiplications;
    return a.v * b.v;
  }
  friend Counted operator+(Counted a, Counted b) { return a.v + b.v; }
  friend Counted operator-(Counted a, Counted b) { return a.v - b.v; }
  friend Counted operator-(Counted a) { return -a.v; }
  friend Counted operator/(Counted a, Counted b) { return a.v / b.v; }
  Counted& operator+=(Counted b) { return v += b.v, *this; }
  Counted& operator-=(Counted b) { return v -= b.v, *this; }
  Counted& operator*=(Counted b) { return *this = *this * b; }
  Counted& operator/=(Counted b) { return v /= b.v, *this; }
  friend std::ostream& operator<<(std::ostream& os, Counted c) { return os << c.v; }
};
} // namespace counting
using counting::Counted;

template <>
inline constexpr bool polybatch::enable_scalar<Counted> = true;

TEST_CASE("result lengths follow the contract", "[algebra]") {
  pb::PolyBatch<double> a(4, 5), b(4, 3), c(1, 1);
  CHECK(pb::pow(a, 3).length() == 13);
  CHECK(pb::pow(a, 0).length() == 1);
  CHECK(pb::pow(c, 7).length() == 1);
  CHECK(pb::derivative(a).length() == 4);
  CHECK(pb::derivative(c).length() == 1);
  CHECK(pb::integral(a).length() == 6);
  CHECK(pb::compose(a, b).length() == 9);
  CHECK(pb::compose(a, c).length() == 1);
  CHECK(pb::truncate(a * b, 3).length() == 3);
  CHECK(pb::truncate(a, 9).length() == 9);
  CHECK(pb::compose(c, a).batch_size() == 4);
}

TEST_CASE("bad input throws shape_error or domain_error", "[algebra][errors]") {
  pb::PolyBatch<double> a(4, 5), b(3, 3);
  CHECK_THROWS_AS(pb::pow(a, -1), pb::domain_error);
  CHECK_THROWS_AS(pb::truncate(a, 0), pb::shape_error);
  CHECK_THROWS_AS(pb::truncate(a * a, -2), pb::shape_error);
  CHECK_THROWS_AS(pb::compose(a, b), pb::shape_error);
  CHECK_THROWS_AS(pb::evaluate(a, xt::xtensor<double, 1>{1.0, 2.0, 3.0}), pb::shape_error);
  // a point the coefficient type cannot hold exactly is a domain_error (docs/algebra.md)
  pb::PolyBatch<float> f(2, 3);
  CHECK_THROWS_AS(pb::evaluate(f, 0.1), pb::domain_error);
  CHECK_THROWS_AS(pb::evaluate(f, std::int64_t(16777217)), pb::domain_error); // 2^24 + 1
  CHECK_NOTHROW(pb::evaluate(f, 0.5));
  pb::PolyBatch<int> n3(2, 3);
  CHECK_THROWS_AS(pb::evaluate(n3, 0.5), pb::domain_error);
  CHECK_THROWS_AS(pb::evaluate(n3, std::int64_t(1) << 40), pb::domain_error);
  CHECK_NOTHROW(pb::evaluate(n3, 2.0));
  CHECK_THROWS_AS(pb::divmod(a, b), pb::shape_error);
  pb::PolyBatch<double> d{{1, 2, 3}, {1, 2, 0}, {1, 1, 1}};
  pb::PolyBatch<double> n(3, 6);
  CHECK_THROWS_WITH(pb::divmod(n, d), Catch::Contains("row 1") && Catch::Contains("leading coefficient"));
  try {
    (void)pb::pow(a, -3);
    FAIL("pow(a, -3) must throw pb::domain_error");
  } catch (const pb::domain_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("pow") && Catch::Contains("-3"));
  }
}

TEST_CASE("derivative(a * b) + pow(c, 3) is one fused expression and matches the references", "[algebra][fusion]") {
  std::mt19937_64 rng(5);
  for (std::size_t batch : {1u, 7u, 3000u}) {
    const auto a = ref::random_batch<double>(rng, batch, 4);
    const auto b = ref::random_batch<double>(rng, batch, 3);
    const auto c = ref::random_batch<double>(rng, batch, 3);
    const pb::PolyBatch<double> r = pb::derivative(a * b) + pb::pow(c, 3);
    const pb::PolyBatch<double> t = pb::truncate(pb::integral(pb::compose(a, b)) - 2.0 * pb::pow(c, 4), 6);
    for (std::size_t i = 0; i < batch; ++i) {
      require_row(r, i, ref::add(ref_derivative(ref::convolve(row_of(a, i), row_of(b, i))), ref_pow(row_of(c, i), 3)));
      const Row comp = ref_compose(row_of(a, i), row_of(b, i));
      Row integ(comp.size() + 1, 0.0);
      for (std::size_t k = 0; k < comp.size(); ++k) integ[k + 1] = comp[k] / double(k + 1);
      Row want = ref::add(integ, ref_pow(row_of(c, i), 4), -1);
      for (std::size_t k = 0; k < 6; ++k) want[k] = integ[k] - 2.0 * ref_pow(row_of(c, i), 4)[k];
      want.resize(6);
      require_row(t, i, want);
    }
  }
}

TEST_CASE("a batch of one broadcasts through every algebra node", "[algebra][broadcast]") {
  std::mt19937_64 rng(6);
  const auto a = ref::random_batch<double>(rng, 5, 4);
  const auto one = ref::random_batch<double>(rng, 1, 3);
  const pb::PolyBatch<double> r1 = pb::compose(one, a);
  const pb::PolyBatch<double> r2 = pb::compose(a, one);
  const pb::PolyBatch<double> r3 = a * pb::pow(one, 2) + pb::derivative(pb::integral(one));
  const pb::PolyBatch<double> r4 = pb::truncate(pb::compose(pb::pow(one, 2), a), 4);
  REQUIRE(r1.batch_size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    require_row(r1, i, ref_compose(row_of(one, 0), row_of(a, i)));
    require_row(r2, i, ref_compose(row_of(a, i), row_of(one, 0)));
    require_row(r3, i, ref::add(ref::convolve(row_of(a, i), ref_pow(row_of(one, 0), 2)), row_of(one, 0)));
    Row w = ref_compose(ref_pow(row_of(one, 0), 2), row_of(a, i));
    w.resize(4);
    require_row(r4, i, w);
  }
}

TEST_CASE("assignments that read the destination are alias-safe", "[algebra][alias]") {
  std::mt19937_64 rng(7);
  const auto a0 = ref::random_batch<double>(rng, 50, 5);
  const auto b = ref::random_batch<double>(rng, 50, 2);
  SECTION("a = derivative(a), integral(a), pow(a, 3), compose(a, a)") {
    auto a = a0;
    a = pb::derivative(a);
    for (std::size_t i = 0; i < 50; ++i) require_row(a, i, ref_derivative(row_of(a0, i)));
    a = a0;
    a = pb::pow(a, 3);
    for (std::size_t i = 0; i < 50; ++i) require_row(a, i, ref_pow(row_of(a0, i), 3));
    a = a0;
    a = pb::compose(a, a);
    for (std::size_t i = 0; i < 50; ++i) require_row(a, i, ref_compose(row_of(a0, i), row_of(a0, i)));
  }
  SECTION("same-shape results written over an operand") {
    auto a = a0;
    a = pb::truncate(a * a, 5); // the product reads a while writing a
    for (std::size_t i = 0; i < 50; ++i) {
      Row w = ref::convolve(row_of(a0, i), row_of(a0, i));
      w.resize(5);
      require_row(a, i, w);
    }
    a = a0;
    a = pb::compose(a, b); // (5-1)(2-1)+1 = 5: same shape
    for (std::size_t i = 0; i < 50; ++i) require_row(a, i, ref_compose(row_of(a0, i), row_of(b, i)));
    a = a0;
    a = pb::truncate(pb::pow(a, 2) + a, 5);
    for (std::size_t i = 0; i < 50; ++i) {
      Row w = ref::add(ref_pow(row_of(a0, i), 2), row_of(a0, i));
      w.resize(5);
      require_row(a, i, w);
    }
  }
  SECTION("views over the operand's memory") {
    auto a = a0;
    auto v = pb::adapt(a.data(), 50, 5);
    v = pb::compose(v, b);
    for (std::size_t i = 0; i < 50; ++i) require_row(a, i, ref_compose(row_of(a0, i), row_of(b, i)));
    a = a0;
    v = pb::truncate(pb::integral(v), 5);
    for (std::size_t i = 0; i < 50; ++i)
      for (std::size_t k = 1; k < 5; ++k) REQUIRE(a(i, k) == Approx(a0(i, k - 1) / double(k)).epsilon(4e-16).margin(0));
    a = a0;
    auto shifted = pb::adapt(a.data() + 5, 49, 5); // rows 1.. of a: overlaps, other layout
    shifted = pb::truncate(pb::derivative(pb::adapt(a.data(), 49, 5)), 5);
    for (std::size_t i = 1; i < 50; ++i) {
      Row w = ref_derivative(row_of(a0, i - 1));
      w.resize(5, 0.0);
      require_row(a, i, w);
    }
  }
}

TEST_CASE("truncated products, powers and compositions do truncated work", "[algebra][truncate]") {
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> d(-1, 1);
  auto random_counted = [&](std::size_t batch, std::size_t len) {
    pb::PolyBatch<Counted> p(batch, len);
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < len; ++k) p(i, k) = d(rng);
    return p;
  };
  const auto a = random_counted(4, 256);
  const auto b = random_counted(4, 256);
  Counted::multiplications = 0;
  const pb::PolyBatch<Counted> t = pb::truncate(a * b, 8);
  CHECK(Counted::multiplications == 4 * 36); // n (n + 1) / 2 per row
  Counted::multiplications = 0;
  const pb::PolyBatch<Counted> full = a * b;
  CHECK(Counted::multiplications == 4 * 256 * 256);
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t k = 0; k < 8; ++k) REQUIRE(t(i, k).v == full(i, k).v);

  Counted::multiplications = 0;
  const pb::PolyBatch<Counted> p = pb::truncate(pb::pow(a, 1000), 8);
  CHECK(Counted::multiplications <= 4 * 36 * 2 * 10); // at most 2 products per bit of k
  Counted::multiplications = 0;
  const auto small = random_counted(4, 3);
  const pb::PolyBatch<Counted> c = pb::truncate(pb::compose(small, a), 8);
  CHECK(Counted::multiplications <= 4 * 2 * 36);
  // the same values as the untruncated computation
  const pb::PolyBatch<Counted> cf = pb::compose(small, a);
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t k = 0; k < 8; ++k) REQUIRE(c(i, k).v == Approx(cf(i, k).v).epsilon(1e-13).margin(1e-15));
}

TEST_CASE("long powers and compositions: scratch estimates hold and values agree", "[algebra][pow]") {
  std::mt19937_64 rng(9);
  const auto a = ref::random_batch<double>(rng, 300, 3);
  const auto s = ref::random_batch<double>(rng, 300, 2);
  for (int k : {2, 3, 5, 8, 13, 37}) {
    INFO("k = " << k);
    const pb::PolyBatch<double> p = pb::pow(0.5 * a, k);
    const pb::PolyBatch<double> q = pb::truncate(pb::pow(a * s, k), 7);
    for (std::size_t i = 0; i < 300; i += 37) {
      Row half = row_of(a, i);
      for (auto& x : half) x *= 0.5;
      // relative to the magnitude of each coefficient's terms: (0.5 a)^37 has
      // coefficients far below any absolute tolerance
      // Squarings of 32 terms or more go through Karatsuba (k = 37 here),
      // whose error is bounded relative to the row's largest coefficient, not
      // each coefficient's own terms: (0.5 a)^37's smallest coefficients miss
      // the componentwise bound by 10^12 (reported; docs/performance.md
      // claims it). Shorter powers are checked coefficient by coefficient.
      require_row_rel(p, i, tpow(tracked(half), k), 4.0 * 2 * k, p.length() > 32);
      TRow w = tpow(tracked(ref::convolve(row_of(a, i), row_of(s, i))), k);
      w.resize(7);
      require_row_rel(q, i, w, 4.0 * 4 * k);
    }
  }
  // long rows: the squarings reach the long-row kernels (Karatsuba) with both
  // operands the same buffer
  const auto small = ref::random_batch<double>(rng, 3, 5);
  for (int k : {60, 200}) {
    const pb::PolyBatch<double> p = pb::pow(small, k);
    for (std::size_t i = 0; i < 3; ++i) {
      const Row want = ref_pow(row_of(small, i), k);
      double scale = 0;
      for (double w : want) scale = std::max(scale, std::abs(w));
      REQUIRE(p.length() == want.size());
      for (std::size_t j = 0; j < want.size(); ++j) REQUIRE(std::abs(p(i, j) - want[j]) <= 1e-10 * scale);
    }
  }
  const pb::PolyBatch<double> big = pb::compose(pb::pow(a, 6), pb::pow(s, 3)); // length 13 * 3 + ...
  REQUIRE(big.length() == 12 * 3 + 1);
  for (std::size_t i = 0; i < 300; i += 61)
    require_row(big, i, ref_compose(ref_pow(row_of(a, i), 6), ref_pow(row_of(s, i), 3)), 1e-9);
}

TEST_CASE("results do not depend on the thread count", "[algebra][threads]") {
  std::mt19937_64 rng(10);
  const auto a = ref::random_batch<double>(rng, 20000, 6);
  const auto b = ref::random_batch<double>(rng, 20000, 3);
  xt::xtensor<double, 1> x = xt::xtensor<double, 1>::from_shape({20000});
  for (std::size_t i = 0; i < x.size(); ++i) x(i) = std::sin(double(i));
  pb::set_num_threads(1);
  const pb::PolyBatch<double> one = pb::compose(a, b) + pb::pow(pb::derivative(a), 2);
  const auto v1 = pb::evaluate(a, x);
  const auto [q1, r1] = pb::divmod(a, b);
  pb::set_num_threads(3);
  const pb::PolyBatch<double> three = pb::compose(a, b) + pb::pow(pb::derivative(a), 2);
  const auto v3 = pb::evaluate(a, x);
  const auto [q3, r3] = pb::divmod(a, b);
  pb::set_num_threads(2);
  CHECK(one == three);
  CHECK(v1 == v3);
  CHECK(q1 == q3);
  CHECK(r1 == r3);
}

TEST_CASE("evaluate: forms, broadcasting, expressions, every length", "[algebra][evaluate]") {
  std::mt19937_64 rng(11);
  for (std::size_t len = 1; len <= 18; ++len) {
    const auto a = ref::random_batch<double>(rng, 21, len);
    xt::xtensor<double, 1> x = xt::xtensor<double, 1>::from_shape({21});
    xt::xtensor<double, 2> grid = xt::xtensor<double, 2>::from_shape({21, 19});
    for (std::size_t i = 0; i < 21; ++i) {
      x(i) = 0.1 * double(i) - 1.0;
      for (std::size_t p = 0; p < 19; ++p) grid(i, p) = 0.05 * double(p) - 0.3 * double(i % 3);
    }
    auto direct = [&](std::size_t i, double t) {
      double s = 0, tk = 1;
      for (std::size_t k = 0; k < len; ++k, tk *= t) s += a(i, k) * tk;
      return s;
    };
    const auto at_half = pb::evaluate(a, 0.5);
    const auto per_row = pb::evaluate(a, x);
    const auto on_grid = pb::evaluate(a, grid);
    (void)direct;
    for (std::size_t i = 0; i < 21; ++i) {
      require_value(at_half(i), horner(a, i, 0.5), len);
      require_value(per_row(i), horner(a, i, x(i)), len);
      for (std::size_t p = 0; p < 19; ++p) require_value(on_grid(i, p), horner(a, i, grid(i, p)), len);
    }
  }
  const auto a = ref::random_batch<double>(rng, 4, 3);
  const auto one = ref::random_batch<double>(rng, 1, 3);
  // a batch of one at many points; one point for many rows; expressions
  const auto many = pb::evaluate(one, xt::xtensor<double, 1>{0.0, 1.0, 2.0});
  REQUIRE(many.size() == 3);
  CHECK(many(1) == Approx(one(0, 0) + one(0, 1) + one(0, 2)).epsilon(1e-15));
  CHECK(many(2) == Approx(one(0, 0) + 2 * one(0, 1) + 4 * one(0, 2)).epsilon(1e-15).margin(1e-15));
  const auto single = pb::evaluate(a, xt::xtensor<double, 1>{1.0});
  REQUIRE(single.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) // the point x = 1 sums each row
    CHECK(single(i) == Approx(a(i, 0) + a(i, 1) + a(i, 2)).epsilon(1e-15).margin(1e-15));
  const auto grid1 = pb::evaluate(a, xt::xtensor<double, 2>{{0.0, 1.0}});
  REQUIRE(grid1.shape()[0] == 4);
  CHECK(grid1(2, 1) == Approx(a(2, 0) + a(2, 1) + a(2, 2)).epsilon(1e-15).margin(1e-15));
  const auto of_expr = pb::evaluate(a * a, 1.0);
  CHECK(of_expr(3) == Approx(std::pow(a(3, 0) + a(3, 1) + a(3, 2), 2)).epsilon(1e-14).margin(1e-15));
  const auto scalar_int = pb::evaluate(a, 2);
  CHECK(scalar_int(0) == Approx(a(0, 0) + 2 * a(0, 1) + 4 * a(0, 2)).epsilon(1e-15).margin(1e-15));
  const auto view_eval = pb::evaluate(pb::adapt(a.data(), 4, 3), 1.0);
  CHECK(view_eval(3) == single(3));
}

TEST_CASE("divmod: lengths, broadcasting, reconstruction in double", "[algebra][divmod]") {
  std::mt19937_64 rng(12);
  for (std::size_t la = 1; la <= 7; ++la)
    for (std::size_t lb = 1; lb <= 5; ++lb) {
      const auto a = ref::random_batch<double>(rng, 6, la);
      auto b = ref::random_batch<double>(rng, 6, lb);
      for (std::size_t i = 0; i < 6; ++i) b(i, lb - 1) = 1.0 + 0.1 * double(i);
      const auto [q, r] = pb::divmod(a, b);
      REQUIRE(q.length() == (la >= lb ? la - lb + 1 : 1));
      REQUIRE(r.length() == (lb > 1 ? lb - 1 : 1));
      const pb::PolyBatch<double> back = pb::truncate(q * b + r, la);
      for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t k = 0; k < la; ++k) REQUIRE(back(i, k) == Approx(a(i, k)).epsilon(0).margin(1e-13));
      // long division written here, in long double
      for (std::size_t i = 0; i < 6; ++i) {
        std::vector<long double> rem(la), quo(la >= lb ? la - lb + 1 : 1, 0.0L);
        for (std::size_t k = 0; k < la; ++k) rem[k] = a(i, k);
        for (std::size_t s = la >= lb ? la - lb + 1 : 0; s-- > 0;) {
          quo[s] = rem[s + lb - 1] / b(i, lb - 1);
          for (std::size_t j = 0; j < lb; ++j) rem[s + j] -= quo[s] * b(i, j);
        }
        for (std::size_t k = 0; k < q.length(); ++k)
          REQUIRE(q(i, k) == Approx(double(quo[k])).epsilon(0).margin(1e-13));
        for (std::size_t k = 0; k < r.length(); ++k)
          REQUIRE(r(i, k) == Approx(k < la && lb > 1 ? double(rem[k]) : 0.0).epsilon(0).margin(1e-13));
      }
      const auto [q1, r1] = pb::divmod(a, pb::truncate(b, lb)); // an expression, evaluated first
      CHECK(q1 == q);
      CHECK(r1 == r);
    }
  const pb::PolyBatch<double> x2m1{{-1, 0, 1}};
  const pb::PolyBatch<double> many{{-1, 0, 1, 0, 0}, {0, 0, 0, 0, 1}, {2, 0, 1, 0, 0}};
  const auto [q, r] = pb::divmod(many, x2m1); // batch of one divisor
  CHECK(q == pb::PolyBatch<double>{{1, 0, 0}, {1, 0, 1}, {1, 0, 0}});
  CHECK(r == pb::PolyBatch<double>{{0, 0}, {1, 0}, {3, 0}});
}

TEST_CASE("divmod: a NaN or infinite leading coefficient divides in IEEE arithmetic, in its row only",
          "[algebra][divmod]") {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  const pb::PolyBatch<double> a{{5, 6, 7, 8}, {5, 6, 7, 8}, {5, 6, 7, 8}, {5, 6, 7, 8}};
  const pb::PolyBatch<double> b{{1, nan}, {1, inf}, {1, -inf}, {1, 2}};
  const auto [q, r] = pb::divmod(a, b);
  for (std::size_t k = 0; k < q.length(); ++k) {
    CHECK(std::isnan(q(0, k)));
    CHECK(q(1, k) == 0.0);
    CHECK(q(2, k) == 0.0);
  }
  CHECK(std::isnan(r(0, 0)));
  CHECK(r(1, 0) == 5.0); // the limit of a mod (1 + c x) as c grows: a(-1/c) -> a(0)
  CHECK(r(2, 0) == 5.0);
  // The finite row as if alone: 8x^3 + 7x^2 + 6x + 5 = (2x + 1)(4x^2 + 1.5x + 2.25) + 2.75.
  CHECK(q(3, 0) == 2.25);
  CHECK(q(3, 1) == 1.5);
  CHECK(q(3, 2) == 4.0);
  CHECK(r(3, 0) == 2.75);
}
