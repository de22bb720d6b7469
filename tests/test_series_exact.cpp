// pb::series::* in exact rationals (cpp_rational, mpq_rational) where the
// result is rational, against references written here with naive truncated
// products (never the code under test): exp as sum q^m/m!, integer powers by
// repeated products, quotients checked by multiplying back, log and atan by
// their derivative identities, sqrt of a square; and the exactness domain
// errors. Also cpp_bin_float_quad through exp(log(a)) = a.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/gmp.hpp>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;
namespace mp = boost::multiprecision;

namespace {

template <class T>
using Row = std::vector<T>;

template <class T>
Row<T> mul(const Row<T>& p, const Row<T>& q, std::size_t n) {
  Row<T> r(n, T(0));
  for (std::size_t i = 0; i < p.size() && i < n; ++i)
    for (std::size_t j = 0; j < q.size() && i + j < n; ++j) r[i + j] += p[i] * q[j];
  return r;
}

template <class T>
Row<T> deriv(const Row<T>& p) {
  Row<T> r(p.size() > 1 ? p.size() - 1 : 1, T(0));
  for (std::size_t k = 1; k < p.size(); ++k) r[k - 1] = p[k] * T(k);
  return r;
}

template <class T>
Row<T> get(const pb::PolyBatch<T>& p, std::size_t i) {
  Row<T> r(p.length());
  for (std::size_t k = 0; k < p.length(); ++k) r[k] = p(i, k);
  return r;
}

template <class T>
pb::PolyBatch<T> batch(const std::vector<Row<T>>& rows) {
  pb::PolyBatch<T> p(rows.size(), rows[0].size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t k = 0; k < rows[0].size(); ++k) p(i, k) = rows[i][k];
  return p;
}

template <class T>
bool same(const Row<T>& a, const Row<T>& b, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    const T x = k < a.size() ? a[k] : T(0), y = k < b.size() ? b[k] : T(0);
    if (x != y) return false;
  }
  return true;
}

/// Random rationals p/q, |p| <= 9, 1 <= q <= 7; constant term `c0`.
template <class T>
std::vector<Row<T>> random_rows(std::mt19937& rng, std::size_t b, std::size_t l, const T& c0) {
  std::uniform_int_distribution<int> num(-9, 9), den(1, 7);
  std::vector<Row<T>> rows(b, Row<T>(l));
  for (auto& r : rows) {
    r[0] = c0;
    for (std::size_t k = 1; k < l; ++k) r[k] = T(num(rng)) / T(den(rng));
  }
  return rows;
}

template <class T>
void exact_checks(unsigned seed) {
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  const std::size_t n = 7;
  const auto zero_rows = random_rows<T>(rng, 4, 4, T(0));
  const auto one_rows = random_rows<T>(rng, 4, 5, T(1));
  const auto any_rows = random_rows<T>(rng, 4, 3, T(-5) / T(3));
  const pb::PolyBatch<T> z = batch(zero_rows), o = batch(one_rows), g = batch(any_rows);

  const pb::PolyBatch<T> e = pb::series::exp(z, n), sn = pb::series::sin(z, n), cs = pb::series::cos(z, n);
  const pb::PolyBatch<T> sh = pb::series::sinh(z, n), ch = pb::series::cosh(z, n), t = pb::series::tan(z, n);
  const pb::PolyBatch<T> th = pb::series::tanh(z, n), at = pb::series::atan(z, n);
  const pb::PolyBatch<T> lg = pb::series::log(o, n), inv = pb::series::inv(g, n), dv = pb::series::div(o, g, n);
  const pb::PolyBatch<T> p5 = pb::series::pow(g, 5, n), ph = pb::series::pow(o, T(1) / T(2), n);
  const pb::PolyBatch<T> pm = pb::series::pow(o, T(-7) / T(3), n);
  for (std::size_t i = 0; i < 4; ++i) {
    INFO("row " << i);
    const Row<T>& q = zero_rows[i];
    // exp, sin, cos, sinh, cosh as sums of q^m / m!
    Row<T> ex(n, T(0)), s(n, T(0)), c(n, T(0)), hs(n, T(0)), hc(n, T(0)), power(n, T(0));
    power[0] = 1;
    T fact = 1;
    for (std::size_t m = 0; m < n; ++m) {
      if (m > 0) fact *= T(m);
      for (std::size_t k = 0; k < n; ++k) {
        const T term = power[k] / fact;
        ex[k] += term;
        (m % 2 ? hs : hc)[k] += term;
        const T sign = (m / 2) % 2 ? T(-1) : T(1);
        (m % 2 ? s : c)[k] += sign * term;
      }
      power = mul(power, q, n);
    }
    CHECK(same(get(e, i), ex, n));
    CHECK(same(get(sn, i), s, n));
    CHECK(same(get(cs, i), c, n));
    CHECK(same(get(sh, i), hs, n));
    CHECK(same(get(ch, i), hc, n));
    // tan = sin / cos and tanh = sinh / cosh: multiply back
    CHECK(same(mul(get(t, i), c, n), s, n));
    CHECK(same(mul(get(th, i), hc, n), hs, n));
    // atan: (1 + q^2) y' = q', and y(0) = 0
    Row<T> one_q2 = mul(q, q, n);
    one_q2[0] += 1;
    CHECK(get(at, i)[0] == 0);
    CHECK(same(mul(one_q2, deriv(get(at, i)), n - 1), deriv(q), n - 1));
    // log: a y' = a', y(0) = 0
    const Row<T>& a1 = one_rows[i];
    CHECK(get(lg, i)[0] == 0);
    CHECK(same(mul(a1, deriv(get(lg, i)), n - 1), deriv(a1), n - 1));
    // inverse and quotient multiplied back
    const Row<T>& ga = any_rows[i];
    Row<T> unit(n, T(0));
    unit[0] = 1;
    CHECK(same(mul(get(inv, i), ga, n), unit, n));
    CHECK(same(mul(get(dv, i), ga, n), a1, n));
    // integer power by repeated products; half power squared; a^(-7/3) cubed times a^7 is 1
    Row<T> p = unit;
    for (int m = 0; m < 5; ++m) p = mul(p, ga, n);
    CHECK(same(get(p5, i), p, n));
    const Row<T> h = get(ph, i);
    CHECK(same(mul(h, h, n), a1, n));
    const Row<T> r = get(pm, i);
    Row<T> prod = mul(mul(r, r, n), r, n);
    for (int m = 0; m < 7; ++m) prod = mul(prod, a1, n);
    CHECK(same(prod, unit, n));
    // sqrt of a square (constant term 25/9 and 0)
    const Row<T> sq = mul(ga, ga, n);
    pb::PolyBatch<T> sqb = batch(std::vector<Row<T>>{sq});
    CHECK(same(get(pb::PolyBatch<T>(pb::series::sqrt(sqb, 3)), 0), Row<T>{T(5) / T(3), -ga[1], -ga[2]}, 3));
    Row<T> shifted(n, T(0)); // x^2 q'^2 where q' = q / x
    const Row<T> qq = mul(q, q, n + 2);
    for (std::size_t k = 0; k < n; ++k) shifted[k] = qq[k];
    const pb::PolyBatch<T> sb = batch(std::vector<Row<T>>{shifted});
    if (q[1] == 0 && q[2] == 0 && q[3] == 0) continue; // a zero row has no square root to compare
    const Row<T> root = get(pb::PolyBatch<T>(pb::series::sqrt(sb, 4)), 0);
    // The root's leading (first non-zero) coefficient is positive; q[1] may be 0.
    const T& lead = q[1] != 0 ? q[1] : q[2] != 0 ? q[2] : q[3];
    const T sgn = lead < 0 ? T(-1) : T(1);
    CHECK(same(root, Row<T>{T(0), sgn * q[1], sgn * q[2], sgn * q[3]}, 4));
  }
  // the exactness conditions
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::exp(o)), Catch::Contains("exp(a, n): row 0 has constant term 1"));
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::sin(o)), Catch::Contains("row 0"));
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::log(g)), Catch::Contains("log(a, n): row 0 has constant term -5/3"));
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::pow(g, T(1) / T(2))), Catch::Contains("pow(a, s, n): row 0"));
  CHECK(pb::PolyBatch<T>(pb::series::pow(g, -1)) == pb::PolyBatch<T>(pb::series::inv(g))); // a rational power
  // a0^s has s times a0's digits: a million times at most (2^999999999 would take hours), but 1 and -1 any s
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::pow(g, T(1 << 20) + 1, 2)), Catch::Contains("needs s <= 1048576"));
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::pow(g, T(std::int64_t(1) << 62) * 4, 2)),
                    Catch::Contains("needs s <= 1048576"));
  const pb::PolyBatch<T> minus_one{{T(-1), T(3)}}, one{{T(1), T(3)}}, two{{T(2), T(3)}};
  CHECK(pb::PolyBatch<T>(pb::series::pow(minus_one, T(999999999), 1))(0, 0) == T(-1));
  CHECK(pb::PolyBatch<T>(pb::series::pow(one, T(std::int64_t(1) << 62) * 4, 1))(0, 0) == T(1));
  // -1 to natural powers beyond 2^62 (too large to count with): by parity.
  CHECK(pb::PolyBatch<T>(pb::series::pow(minus_one, T(std::int64_t(1) << 62) * 4, 1))(0, 0) == T(1));
  CHECK(pb::PolyBatch<T>(pb::series::pow(minus_one, T(std::int64_t(1) << 62) * 4 + 1, 1))(0, 0) == T(-1));
  const pb::PolyBatch<T> minus_one_series = pb::series::pow(minus_one, T(std::int64_t(1) << 62) * 4 + 1, 3);
  // (-1 + 3x)^s = -(1 - 3x)^s = -1 + 3 s x - 9 s (s - 1) / 2 x^2 + ...
  const T big = T(std::int64_t(1) << 62) * 4 + 1;
  CHECK(minus_one_series(0, 1) == T(3) * big);
  CHECK(minus_one_series(0, 2) == -T(9) * big * (big - 1) / 2);
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::pow(minus_one, T(std::int64_t(1) << 62) * 4 + T(1) / T(2), 1)),
                    Catch::Contains("irrational"));
  // Negative integer powers are rational: (-1 + 3x)^-3 = -(1 + 9x + 54x^2 + ...), (2 + 3x)^-3 = 1/8 - 9/16 x + ...
  const pb::PolyBatch<T> minus_three = pb::series::pow(minus_one, T(-3), 3);
  CHECK(minus_three(0, 0) == T(-1));
  CHECK(minus_three(0, 1) == T(-9));
  CHECK(minus_three(0, 2) == T(-54));
  const pb::PolyBatch<T> two_three{{T(2), T(3)}};
  const pb::PolyBatch<T> inverse_cube = pb::series::pow(two_three, T(-3), 3);
  CHECK(inverse_cube(0, 0) == T(1) / T(8));
  CHECK(inverse_cube(0, 1) == T(-9) / T(16));
  CHECK(inverse_cube(0, 2) == T(27) / T(16));
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::pow(two_three, T(-(1 << 20)) - 1, 2)),
                    Catch::Contains("needs s >= -1048576"));
  // A zero constant term to a natural power beyond 2^62: x^s is past every coefficient.
  const pb::PolyBatch<T> x_only{{T(0), T(1)}};
  const pb::PolyBatch<T> far = pb::series::pow(x_only, T(std::int64_t(1) << 62) * 4 + 1, 3);
  CHECK((far(0, 0) == 0 && far(0, 1) == 0 && far(0, 2) == 0));
  T two_to_2_to_20 = 2;
  for (int i = 0; i < 20; ++i) two_to_2_to_20 *= two_to_2_to_20;
  CHECK(pb::PolyBatch<T>(pb::series::pow(two, T(1 << 20), 1))(0, 0) == two_to_2_to_20);
  // Rational constant terms to integer powers, in lowest terms, against repeated products (a negative
  // power of a negative value moves the sign to the numerator), and at the bound 2^20 against powers of the
  // numerator and denominator raised here.
  const T ratio = T(-12) / T(35);
  for (const int e : {1, 2, 37, -1, -2, -37, 300, -301}) {
    T expected = 1;
    for (int i = 0; i < (e < 0 ? -e : e); ++i) expected *= ratio;
    if (e < 0) expected = T(1) / expected;
    const T got = pb::PolyBatch<T>(pb::series::pow(pb::PolyBatch<T>{{ratio, T(1)}}, T(e), 1))(0, 0);
    INFO("e = " << e);
    CHECK(got == expected);
    CHECK(numerator(got) == numerator(expected));
    CHECK(denominator(got) == denominator(expected));
  }
  const T at_bound = pb::PolyBatch<T>(pb::series::pow(pb::PolyBatch<T>{{ratio, T(1)}}, T(1 - (1 << 20)), 1))(0, 0);
  using Integer = std::decay_t<decltype(numerator(ratio))>;
  CHECK(numerator(at_bound) == -pow(Integer(35), (1u << 20) - 1));
  CHECK(denominator(at_bound) == pow(Integer(12), (1u << 20) - 1));
  // (r + x)^s = sum_k binom(s, k) r^(s - k) x^k with r^(s - k) long (its numerator and denominator raised here,
  // then normalised): the long constant term seeds the recurrence with 1 and multiplies the results by it.
  for (const long e : {5000L, -5001L}) {
    const pb::PolyBatch<T> got = pb::series::pow(pb::PolyBatch<T>{{ratio, T(1)}}, T(e), 4);
    T binomial = 1;
    for (long k = 0; k < 4; ++k) {
      const long m = e - k; // r^m = (-12/35)^m
      const unsigned magnitude = static_cast<unsigned>(m < 0 ? -m : m);
      const Integer top = pow(Integer(m < 0 ? 35 : 12), magnitude), bottom = pow(Integer(m < 0 ? 12 : 35), magnitude);
      const T expected = binomial * (magnitude % 2 == 1 ? -T(top) : T(top)) / T(bottom);
      INFO("e = " << e << ", k = " << k);
      CHECK(numerator(got(0, k)) == numerator(expected));
      CHECK(denominator(got(0, k)) == denominator(expected));
      binomial = binomial * T(e - k) / T(k + 1);
    }
  }
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::sqrt(o * T(2))), Catch::Contains("square of a rational"));
  CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::inv(z)), Catch::Contains("inv(a, n): row 0 has constant term 0"));
  CHECK_THROWS_AS(pb::PolyBatch<T>(pb::series::tanh(g)), pb::domain_error);
  // alias: a = exp(a), a = div(b, a)
  pb::PolyBatch<T> a = z;
  a = pb::series::exp(a);
  CHECK(a == pb::PolyBatch<T>(pb::series::exp(z)));
  pb::PolyBatch<T> d = g;
  d = pb::series::div(o, d, 5);
  CHECK(d == pb::PolyBatch<T>(pb::series::div(o, g, 5)));
}

/// exp(log(a)) = a for constant term 1 and sin(x)^2 + cos(x)^2 = 1 for a
/// zero constant term, exactly, truncated to n (shorter and longer than the
/// rows: the rows are read as series mod x^L, so a is zero-padded past L).
template <class T>
void identity_checks(unsigned seed) {
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  for (std::size_t L : {1, 3, 6}) {
    const auto one_rows = random_rows<T>(rng, 5, L, T(1));
    const auto zero_rows = random_rows<T>(rng, 5, L, T(0));
    const pb::PolyBatch<T> a = batch(one_rows), x = batch(zero_rows);
    for (std::size_t n : {1, 2, 5, 9}) {
      INFO("L " << L << " n " << n);
      const pb::PolyBatch<T> back = pb::series::exp(pb::series::log(a, n), n);
      const pb::PolyBatch<T> s = pb::series::sin(x, n), c = pb::series::cos(x, n);
      const pb::PolyBatch<T> pyth = pb::truncate(s * s + c * c, n);
      // The same identity through one fused expression with the default n.
      const pb::PolyBatch<T> xn = pb::truncate(x, n);
      const pb::PolyBatch<T> fused =
          pb::truncate(pb::series::sin(xn) * pb::series::sin(xn) + pb::series::cos(xn) * pb::series::cos(xn), n);
      REQUIRE(back.length() == n);
      REQUIRE(pyth.length() == n);
      REQUIRE(fused.length() == n);
      Row<T> unit(n, T(0));
      unit[0] = 1;
      for (std::size_t i = 0; i < 5; ++i) {
        INFO("row " << i);
        CHECK(same(get(back, i), one_rows[i], n));
        CHECK(same(get(pyth, i), unit, n));
        CHECK(same(get(fused, i), unit, n));
      }
    }
  }
}

/// A rational of up to `bits`-bit numerator and denominator (the
/// denominator a product of small prime powers and, at random, one large
/// factor), never zero; negative at random.
template <class T>
T wide_value(std::mt19937_64& rng, unsigned bits) {
  std::uniform_int_distribution<unsigned> width(1, bits);
  const auto random_int = [&](unsigned w) -> mp::cpp_int {
    mp::cpp_int v = 0;
    for (unsigned i = 0; i < w; i += 32) v = (v << 32) + rng() % (1ULL << 32);
    return (v >> (v.is_zero() ? 0 : (std::max<unsigned>(msb(v) + 1, w) - w))) + 1;
  };
  mp::cpp_int den = 1;
  for (const unsigned p : {2u, 3u, 5u, 7u, 11u, 13u})
    for (unsigned e = static_cast<unsigned>(rng() % 4); e > 0; --e) den *= p;
  if (rng() % 2) den *= random_int(width(rng));
  const mp::cpp_int num = random_int(width(rng));
  const T x = T(num.str()) / T(den.str());
  return rng() % 2 ? T(-x) : x;
}

/// exp, inv and div on rows of wide values (numerators and denominators past
/// one limb), for n below, at and above the row length: exp against the sum
/// of q^m / m!, inv by inv(a) * a = 1 and inv(inv(a)) = a, div(b, a) by
/// div(b, a) * a = b, all references built from naive truncated products.
template <class T>
void wide_checks(unsigned seed) {
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (std::size_t L : {1, 4, 9}) {
    for (std::size_t n : {1, 2, 7, 12}) {
      INFO("L " << L << " n " << n);
      std::vector<Row<T>> zero_rows(3, Row<T>(L, T(0))), any_rows(3, Row<T>(L, T(0)));
      for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t k = 0; k < L; ++k) {
          const unsigned bits = i == 0 ? 8 : i == 1 ? 70 : 130;
          if (k > 0) zero_rows[i][k] = wide_value<T>(rng, bits);
          any_rows[i][k] = wide_value<T>(rng, bits);
        }
      any_rows[0][0] = T(-1); // a unit, negative
      const pb::PolyBatch<T> e = pb::series::exp(batch(zero_rows), n), v = pb::series::inv(batch(any_rows), n);
      const pb::PolyBatch<T> back = pb::series::inv(v, n);
      const pb::PolyBatch<T> q = pb::series::div(batch(zero_rows), batch(any_rows), n);
      std::vector<Row<T>> one_rows = zero_rows;
      for (auto& r : one_rows) r[0] = 1;
      const pb::PolyBatch<T> lg = pb::series::log(batch(one_rows), n);
      const pb::PolyBatch<T> sn = pb::series::sin(batch(zero_rows), n), cs = pb::series::cos(batch(zero_rows), n);
      const pb::PolyBatch<T> sh = pb::series::sinh(batch(zero_rows), n), ch = pb::series::cosh(batch(zero_rows), n);
      const pb::PolyBatch<T> tn = pb::series::tan(batch(zero_rows), n), th = pb::series::tanh(batch(zero_rows), n);
      const pb::PolyBatch<T> at = pb::series::atan(batch(zero_rows), n);
      const T exponent = T(-7) / 3;
      const pb::PolyBatch<T> pw = pb::series::pow(batch(one_rows), exponent, n);
      // squares of rows with a non-zero constant term (any_rows[0] starts with -1)
      std::vector<Row<T>> squares(3);
      for (std::size_t i = 0; i < 3; ++i) squares[i] = mul(any_rows[i], any_rows[i], std::max(n, L));
      const pb::PolyBatch<T> rt = pb::series::sqrt(batch(squares), n);
      for (std::size_t i = 0; i < 3; ++i) {
        INFO("row " << i);
        Row<T> ex(n, T(0)), power(n, T(0));
        power[0] = 1;
        T fact = 1;
        for (std::size_t m = 0; m < n; ++m) {
          if (m > 0) fact *= T(m);
          for (std::size_t k = 0; k < n; ++k) ex[k] += power[k] / fact;
          power = mul(power, zero_rows[i], n);
        }
        CHECK(same(get(e, i), ex, n));
        Row<T> unit(n, T(0));
        unit[0] = 1;
        CHECK(same(mul(get(v, i), any_rows[i], n), unit, n));
        CHECK(same(get(back, i), any_rows[i], n));
        CHECK(same(mul(get(q, i), any_rows[i], n), zero_rows[i], n));
        // log(a)' a = a' to n - 1 terms, and log(a)_0 = 0
        CHECK(lg(i, 0) == T(0));
        if (n > 1) CHECK(same(mul(deriv(get(lg, i)), one_rows[i], n - 1), deriv(one_rows[i]), n - 1));
        // sin' = a' cos, cos' = -a' sin (sinh' = a' cosh, cosh' = a' sinh), sin(0) = 0, cos(0) = 1
        CHECK((sn(i, 0) == T(0) && cs(i, 0) == T(1) && sh(i, 0) == T(0) && ch(i, 0) == T(1)));
        if (n > 1) {
          const Row<T> da = deriv(zero_rows[i]);
          Row<T> minus_sin = get(sn, i);
          for (auto& x : minus_sin) x = -x;
          CHECK(same(deriv(get(sn, i)), mul(da, get(cs, i), n - 1), n - 1));
          CHECK(same(deriv(get(cs, i)), mul(da, minus_sin, n - 1), n - 1));
          CHECK(same(deriv(get(sh, i)), mul(da, get(ch, i), n - 1), n - 1));
          CHECK(same(deriv(get(ch, i)), mul(da, get(sh, i), n - 1), n - 1));
          // tan' = a' (1 + tan^2), tanh' = a' (1 - tanh^2), atan' (1 + a^2) = a'
          Row<T> u = mul(get(tn, i), get(tn, i), n - 1), v = mul(get(th, i), get(th, i), n - 1);
          for (auto& x : v) x = -x;
          u[0] += 1;
          v[0] += 1;
          CHECK(same(deriv(get(tn, i)), mul(da, u, n - 1), n - 1));
          CHECK(same(deriv(get(th, i)), mul(da, v, n - 1), n - 1));
          Row<T> q = mul(zero_rows[i], zero_rows[i], n - 1);
          q[0] += 1;
          CHECK(same(mul(deriv(get(at, i)), q, n - 1), da, n - 1));
          // (a^s)' a = s a' a^s, a^s(0) = 1
          Row<T> rhs = mul(deriv(one_rows[i]), get(pw, i), n - 1);
          for (auto& x : rhs) x *= exponent;
          CHECK(same(mul(deriv(get(pw, i)), one_rows[i], n - 1), rhs, n - 1));
        }
        CHECK((pw(i, 0) == T(1) && tn(i, 0) == T(0) && th(i, 0) == T(0) && at(i, 0) == T(0)));
        // sqrt(r^2) = r, the root of positive constant term
        Row<T> root = any_rows[i];
        if (root[0] < 0)
          for (auto& x : root) x = -x;
        CHECK(same(get(rt, i), root, n));
      }
    }
  }
}

} // namespace

TEST_CASE(
    "series: exact exp, inv, div, log, pow, sqrt, sin/cos and sinh/cosh of wide values, rows shorter and longer than n",
    "[series][exact]") {
  const unsigned seed = std::random_device{}();
  wide_checks<mp::cpp_rational>(seed);
  wide_checks<mp::mpq_rational>(seed + 1);
}

/// Word-size values whose lcm or scaled numerators leave 63 bits: the
/// common-denominator rows fall back from machine words to big integers.
template <class T>
void word_overflow_checks() {
  const T p1(2147483647), p2(2147483629), p3(2147483587); // primes near 2^31: their lcm needs 93 bits
  const std::vector<Row<T>> rows{{T(0), T(1) / p1, T(-3) / p2, T(5) / p3, T(1) / 7},
                                 {T(0), T(9223372036854775807LL) / 3, T(1) / 5, T(-2), T(1)}};
  for (std::size_t n : {5, 9}) {
    const pb::PolyBatch<T> e = pb::series::exp(batch(rows), n), v = pb::series::inv(batch(rows) + T(1), n);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      INFO("row " << i << " n " << n);
      // exp: sum of q^m / m! by naive products (q has no constant term, so
      // n terms give every coefficient below x^n); inv: (1 + q) inv = 1.
      Row<T> q = rows[i], ex(n, T(0)), power(n, T(0)), unit(n, T(0));
      q.resize(n, T(0));
      power[0] = unit[0] = 1;
      T fact = 1;
      for (std::size_t m = 0; m < n; ++m) {
        if (m > 0) fact *= T(m);
        for (std::size_t k = 0; k < n; ++k) ex[k] += power[k] / fact;
        power = mul(power, q, n);
      }
      Row<T> one_q = q;
      one_q[0] += 1;
      CHECK(same(get(e, i), ex, n));
      CHECK(same(mul(get(v, i), one_q, n), unit, n));
    }
  }
}

TEST_CASE("series: exact rows whose lcm or numerators leave a machine word", "[series][exact]") {
  word_overflow_checks<mp::cpp_rational>();
  word_overflow_checks<mp::mpq_rational>();
}

TEST_CASE("series: exact rationals against naive references", "[series][exact]") {
  const unsigned seed = std::random_device{}();
  exact_checks<mp::cpp_rational>(seed);
  exact_checks<mp::mpq_rational>(seed + 1);
}

TEST_CASE("series: cpp_bin_float_quad exp(log(a)) = a", "[series][quad]") {
  using Q = mp::cpp_bin_float_quad;
  pb::PolyBatch<Q> a{{Q(3) / 7, Q(1) / 3, Q(-2) / 9, Q(5) / 11}};
  const pb::PolyBatch<Q> back = pb::series::exp(pb::series::log(a, 6));
  for (std::size_t k = 0; k < 6; ++k) CHECK(abs(back(0, k) - (k < 4 ? a(0, k) : Q(0))) < Q(1e-32));
}

TEST_CASE("series: exact identities exp(log a) = a and sin^2 + cos^2 = 1 for several n", "[series][exact]") {
  const unsigned seed = std::random_device{}();
  identity_checks<mp::cpp_rational>(seed);
  identity_checks<mp::mpq_rational>(seed + 1);
}
