// Long float and double power series, where pb::series::inv, div, exp, log
// and pow switch to Newton iteration on the fast products
// (kernels/series/newton.hpp): against the O(n^2) recurrence run in
// double-double (never Newton) on the same inputs, the identities
// inv(a) a = 1 and exp(log a) = a checked in double-double, lengths at the
// crossovers +-1, batch 1, broadcasting, aliasing and domain errors naming
// the row.
//
// Error bound. A Karatsuba product's rounding errors are normwise, not per
// coefficient: each coefficient's error is at most a small multiple of
// u ||x||_1 ||y||_1 (docs/performance.md), and Newton chains a few products per
// step over log2(n) steps, so
//   |c_k - ref_k| <= 4 log2(n) u (1 + ||input||_1) (1 + ||ref||_1)   (every k).
// The inputs below (a0 = O(1), |a_k| <= 1/(k+1)^2) keep both norms O(1), so the
// bound stays near 1e-13 (double) and 1e-4 (float) up to n = 1000; measured
// errors are 50 to 1600 times smaller (closest for div, whose last product
// spreads u |num_0 h_0| over the whole row). The recurrence's errors are
// componentwise (tests/test_series.cpp) and meet the same bound.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <polybatch/kernels/series/rows.hpp>
#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"

namespace pb = polybatch;
namespace ks = pb::kernels::series;

namespace {

enum class Fn { inv, div, exp, log, pow };

const char* name(Fn f) {
  return f == Fn::inv ? "inv" : f == Fn::div ? "div" : f == Fn::exp ? "exp" : f == Fn::log ? "log" : "pow";
}

std::size_t threshold(Fn f) {
  switch (f) {
  case Fn::inv:
    return ks::newton_inv_threshold;
  case Fn::div:
    return ks::newton_div_threshold;
  case Fn::exp:
    return ks::newton_exp_threshold;
  case Fn::log:
    return ks::newton_log_threshold;
  default:
    return ks::newton_pow_threshold;
  }
}

/// B x n rows: a0 = c0 + spread * U(-1, 1), a_k = U(-1, 1) / (k + 1)^2, so
/// sum_{k >= 1} |a_k| < 0.65 and 1/a, log a stay bounded on the unit disc.
template <class T>
pb::PolyBatch<T> well_conditioned(std::mt19937_64& rng, std::size_t rows, std::size_t n, double c0, double spread) {
  std::uniform_real_distribution<double> u(-1, 1);
  pb::PolyBatch<T> a(rows, n);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t k = 0; k < n; ++k)
      a(i, k) = static_cast<T>(k == 0 ? c0 + spread * u(rng) : u(rng) / static_cast<double>((k + 1) * (k + 1)));
  return a;
}

template <class T>
std::vector<pb::dd> row_dd(const pb::PolyBatch<T>& a, std::size_t i, std::size_t n) {
  std::vector<pb::dd> r(n, pb::dd(0.0));
  for (std::size_t k = 0; k < n && k < a.length(); ++k) r[k] = pb::dd(static_cast<double>(a(i, k)));
  return r;
}

double norm1(const std::vector<pb::dd>& v) {
  double s = 0;
  for (const auto& x : v) s += std::abs(x.hi);
  return s;
}

template <class T>
double unit_roundoff() {
  return std::numeric_limits<T>::epsilon() / 2;
}

/// The bound above for a result of length n.
template <class T>
double newton_bound(std::size_t n, double input_norm, double ref_norm) {
  return 4 * std::log2(static_cast<double>(std::max<std::size_t>(n, 2))) * unit_roundoff<T>() * (1 + input_norm) *
         (1 + ref_norm);
}

/// Largest |r(i, k) - ref_k| over a row, in double-double.
template <class T>
double row_error(const pb::PolyBatch<T>& r, std::size_t i, const std::vector<pb::dd>& ref) {
  double worst = 0;
  for (std::size_t k = 0; k < ref.size(); ++k) {
    const pb::dd d = pb::dd(static_cast<double>(r(i, k))) - ref[k];
    worst = std::max(worst, std::abs(d.hi));
  }
  return worst;
}

/// Truncated product x y mod x^n in double-double (naive loops).
std::vector<pb::dd> product_dd(const std::vector<pb::dd>& x, const std::vector<pb::dd>& y, std::size_t n) {
  std::vector<pb::dd> p(n, pb::dd(0.0));
  for (std::size_t i = 0; i < n && i < x.size(); ++i)
    for (std::size_t j = 0; i + j < n && j < y.size(); ++j) p[i + j] += x[i] * y[j];
  return p;
}

/// pow(a, s) with a0 in [0.5, 1.5] for the general s, and a0 in [-1.5, -0.5]
/// for the integer s (a0 < 0 is allowed there).
template <class T>
void check_against_recurrence(Fn f, std::size_t n, std::uint64_t seed, double s = 0) {
  INFO(name(f) << " n = " << n << " s = " << s << " seed " << seed << " (Newton from n = " << threshold(f) << ")");
  std::mt19937_64 rng(seed);
  const std::size_t B = 2;
  // exp: any a0; inv, div, log: a0 in [0.5, 1.5]; div's numerator a0 in [1, 3]
  const bool negative = f == Fn::pow && s == std::round(s);
  const auto a = well_conditioned<T>(rng, B, n, f == Fn::exp ? 0.0 : negative ? -1.0 : 1.0, 0.5);
  const auto b = well_conditioned<T>(rng, B, n, 2.0, 1.0);
  pb::PolyBatch<T> r;
  switch (f) {
  case Fn::inv:
    r = pb::series::inv(a, n);
    break;
  case Fn::div:
    r = pb::series::div(b, a, n);
    break;
  case Fn::exp:
    r = pb::series::exp(a, n);
    break;
  case Fn::log:
    r = pb::series::log(a, n);
    break;
  case Fn::pow:
    r = pb::series::pow(a, static_cast<T>(s), n);
    break;
  }
  REQUIRE(r.batch_size() == B);
  REQUIRE(r.length() == n);
  for (std::size_t i = 0; i < B; ++i) {
    const auto ad = row_dd(a, i, n), bd = row_dd(b, i, n);
    std::vector<pb::dd> ref(n, pb::dd(0.0));
    switch (f) {
    case Fn::inv:
      ks::inv_recurrence_row(ad.data(), n, ref.data(), i);
      break;
    case Fn::div:
      ks::div_recurrence_row(bd.data(), ad.data(), n, ref.data(), i);
      break;
    case Fn::exp:
      ks::exp_recurrence_row(ad.data(), n, ref.data(), i);
      break;
    case Fn::log:
      ks::log_recurrence_row(ad.data(), n, ref.data(), i);
      break;
    case Fn::pow:
      ks::pow_recurrence_row(ad.data(), n, pb::dd(s), ref.data(), i);
      break;
    }
    const double in_norm = norm1(ad) + (f == Fn::div ? norm1(bd) : 0.0);
    // pow: log's error is multiplied by s before exp
    const double err = row_error(r, i, ref), bound = (1 + std::abs(s)) * newton_bound<T>(n, in_norm, norm1(ref));
    INFO("row " << i << ": error " << err << ", bound " << bound);
    CHECK(err <= bound);
  }
}

} // namespace

TEMPLATE_TEST_CASE("series Newton: long rows against the double-double recurrence", "[series][newton]", float, double) {
  std::uint64_t seed = 20261201;
  for (const Fn f : {Fn::inv, Fn::div, Fn::exp, Fn::log}) {
    const std::size_t t = threshold(f);
    for (const std::size_t n :
         {t - 1, t, t + 1, std::size_t(40), std::size_t(100), std::size_t(300), std::size_t(1000)})
      check_against_recurrence<TestType>(f, n, ++seed);
  }
  const std::size_t t = ks::newton_pow_threshold;
  for (const double s : {0.5, -1.5, 3.0, -2.0})
    for (const std::size_t n : {t - 1, t, t + 1, std::size_t(300)})
      check_against_recurrence<TestType>(Fn::pow, n, ++seed, s);
}

TEMPLATE_TEST_CASE("series Newton: inv(a) a = 1 and exp(log a) = a, checked in double-double", "[series][newton]",
                   float, double) {
  std::mt19937_64 rng(77);
  for (const std::size_t n : {std::size_t(100), std::size_t(1000)}) {
    INFO("n = " << n);
    const auto a = well_conditioned<TestType>(rng, 1, n, 1.0, 0.5);
    const pb::PolyBatch<TestType> g = pb::series::inv(a);
    const pb::PolyBatch<TestType> l = pb::series::log(a);
    const pb::PolyBatch<TestType> e = pb::series::exp(l);
    const auto ad = row_dd(a, 0, n), gd = row_dd(g, 0, n), ld = row_dd(l, 0, n);
    // a g - 1: g's error times ||a||_1 (the product summed in double-double adds nothing visible)
    const auto ag = product_dd(ad, gd, n);
    double worst = 0;
    for (std::size_t k = 0; k < n; ++k) worst = std::max(worst, std::abs((k == 0 ? ag[k] - pb::dd(1.0) : ag[k]).hi));
    const double an = norm1(ad);
    CHECK(worst <= an * newton_bound<TestType>(n, an, norm1(gd)));
    // exp(log a) - a: log's error times ||exp||_1 = ||a||_1, plus exp's own
    const double ln = norm1(ld);
    const double bound = an * newton_bound<TestType>(n, an, ln) + newton_bound<TestType>(n, ln, an);
    INFO("exp(log a) - a: error " << row_error(e, 0, ad) << ", bound " << bound);
    CHECK(row_error(e, 0, ad) <= bound);
  }
}

TEST_CASE("series Newton: batch 1, broadcasting and aliasing give the row-by-row results", "[series][newton]") {
  std::mt19937_64 rng(5);
  const std::size_t n = 200;
  const auto many = well_conditioned<double>(rng, 4, n, 1.0, 0.5);
  const auto one = well_conditioned<double>(rng, 1, n, 1.0, 0.5);
  const pb::PolyBatch<double> q = pb::series::div(many, one);
  const pb::PolyBatch<double> p = pb::series::div(one, many);
  REQUIRE(q.batch_size() == 4);
  REQUIRE(p.batch_size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    INFO("row " << i);
    pb::PolyBatch<double> row(1, n);
    for (std::size_t k = 0; k < n; ++k) row(0, k) = many(i, k);
    const pb::PolyBatch<double> qi = pb::series::div(row, one), pi = pb::series::div(one, row);
    const pb::PolyBatch<double> ei = pb::series::exp(row), li = pb::series::log(row), gi = pb::series::inv(row);
    const pb::PolyBatch<double> e = pb::series::exp(many), l = pb::series::log(many), g = pb::series::inv(many);
    for (std::size_t k = 0; k < n; ++k) {
      REQUIRE(q(i, k) == qi(0, k));
      REQUIRE(p(i, k) == pi(0, k));
      REQUIRE(e(i, k) == ei(0, k));
      REQUIRE(l(i, k) == li(0, k));
      REQUIRE(g(i, k) == gi(0, k));
    }
  }
  // a = f(a) and a = div(b, a) in place equal the results into fresh storage
  const pb::PolyBatch<double> inv_ref = pb::series::inv(many), exp_ref = pb::series::exp(many);
  const pb::PolyBatch<double> div_ref = pb::series::div(one, many), log_ref = pb::series::log(many);
  pb::PolyBatch<double> x = many;
  x = pb::series::inv(x);
  CHECK(x == inv_ref);
  x = many;
  x = pb::series::exp(x);
  CHECK(x == exp_ref);
  x = many;
  x = pb::series::log(x);
  CHECK(x == log_ref);
  x = many;
  x = pb::series::div(one, x);
  CHECK(x == div_ref);
  // n below the row's length: the first n coefficients, from a shorter Newton
  // chain (150, 75, 38 against 200, 100, 50), so equal within the bound only
  const pb::PolyBatch<double> head = pb::series::inv(many, 150);
  REQUIRE(head.length() == 150);
  for (std::size_t k = 0; k < 150; ++k) CHECK(std::abs(head(2, k) - inv_ref(2, k)) <= 1e-13);
}

TEST_CASE("series Newton: domain errors still name the operation and the row", "[series][newton][errors]") {
  std::mt19937_64 rng(9);
  const std::size_t n = 300;
  auto a = well_conditioned<double>(rng, 4, n, 1.0, 0.5);
  auto zero = a;
  zero(2, 0) = 0;
  checks::check_domain_error([&] { return pb::series::inv(zero); }, "inv(a, n): row 2 has constant term 0");
  checks::check_domain_error([&] { return pb::series::div(a, zero); },
                             "div(a, b, n) (divisor b): row 2 has constant term 0");
  auto negative = a;
  negative(3, 0) = -0.5;
  checks::check_domain_error([&] { return pb::series::log(negative); }, "log(a, n): row 3 has constant term -0.5");
  checks::check_domain_error([&] { return pb::series::log(zero); }, "log(a, n): row 2 has constant term 0");
  checks::check_domain_error([&] { return pb::series::pow(negative, 0.5); },
                             "pow(a, s, n): row 3 has constant term -0.5");
  checks::check_domain_error([&] { return pb::series::pow(zero, -2); }, "pow(a, s, n): row 2 has constant term 0");
}
