// Long float and double power series, where pb::series::inv, div, exp, log,
// pow, sqrt, atan and the trigonometric and hyperbolic functions switch to
// Newton iteration on the fast products (kernels/series/newton.hpp,
// newton_elementary.hpp): against the O(n^2) recurrence run in double-double
// (never Newton) on the same inputs, the identities inv(a) a = 1,
// exp(log a) = a, sin^2 + cos^2 = 1, cosh^2 - sinh^2 = 1, sqrt(a)^2 = a and
// tan cos = sin checked in double-double, lengths at the crossovers +-1,
// batch 1, broadcasting, aliasing and domain errors naming the row.
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

#include <boost/multiprecision/cpp_int.hpp>

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
#include "support/worst.hpp"

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
    worst = checks::worst_of(worst, std::abs(d.hi));
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
    // Independently of the recurrence, the result satisfies its defining
    // identity, summed in double-double; a result within `bound` of the
    // exact one leaves a residual within the bounds below.
    const auto rd = row_dd(r, i, n);
    if (f == Fn::div) { // r a = b: residual <= ||a||_1 bound
      const auto ra = product_dd(rd, ad, n);
      double residual = 0;
      for (std::size_t k = 0; k < n; ++k) residual = checks::worst_of(residual, std::abs((ra[k] - bd[k]).hi));
      INFO("div: |r a - b| " << residual);
      CHECK(residual <= norm1(ad) * bound);
    }
    if (f == Fn::pow) { // r' a = s a' r: sum_j (j - s (k - j)) r_j a_(k-j) = 0, residual <= (1 + |s|) n ||a||_1 bound
      double residual = 0;
      for (std::size_t k = 1; k < n; ++k) {
        pb::dd sum(0.0);
        for (std::size_t j = 0; j <= k; ++j)
          sum += rd[j] * ad[k - j] * pb::dd(static_cast<double>(j) - s * static_cast<double>(k - j));
        residual = checks::worst_of(residual, std::abs(sum.hi));
      }
      INFO("pow: |r' a - s a' r| " << residual);
      CHECK(residual <= (1 + std::abs(s)) * static_cast<double>(n) * norm1(ad) * bound);
    }
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
    for (std::size_t k = 0; k < n; ++k)
      worst = checks::worst_of(worst, std::abs((k == 0 ? ag[k] - pb::dd(1.0) : ag[k]).hi));
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

// ---- sqrt, atan, sin/cos, sinh/cosh, tan, tanh (kernels/series/newton_elementary.hpp)

namespace {

enum class Elem { sqrt, atan, sin, cos, sinh, cosh, tan, tanh };

const char* name(Elem f) {
  constexpr const char* names[] = {"sqrt", "atan", "sin", "cos", "sinh", "cosh", "tan", "tanh"};
  return names[static_cast<int>(f)];
}

std::size_t threshold(Elem f) {
  switch (f) {
  case Elem::sqrt:
    return ks::newton_sqrt_threshold;
  case Elem::atan:
    return ks::newton_atan_threshold;
  case Elem::tan:
  case Elem::tanh:
    return ks::newton_tan_threshold;
  case Elem::sinh:
  case Elem::cosh:
    return ks::newton_sinhcosh_threshold;
  default:
    return ks::newton_sincos_threshold;
  }
}

/// use(fn) with fn(x, n) building f's lazy node: one switch for the eager
/// result and the in-place assignment below.
template <class Use>
decltype(auto) with_elementary(Elem f, Use&& use) {
  switch (f) {
  case Elem::sqrt:
    return use([](const auto& x, std::size_t n) { return pb::series::sqrt(x, n); });
  case Elem::atan:
    return use([](const auto& x, std::size_t n) { return pb::series::atan(x, n); });
  case Elem::sin:
    return use([](const auto& x, std::size_t n) { return pb::series::sin(x, n); });
  case Elem::cos:
    return use([](const auto& x, std::size_t n) { return pb::series::cos(x, n); });
  case Elem::sinh:
    return use([](const auto& x, std::size_t n) { return pb::series::sinh(x, n); });
  case Elem::cosh:
    return use([](const auto& x, std::size_t n) { return pb::series::cosh(x, n); });
  case Elem::tan:
    return use([](const auto& x, std::size_t n) { return pb::series::tan(x, n); });
  default:
    return use([](const auto& x, std::size_t n) { return pb::series::tanh(x, n); });
  }
}

template <class T>
pb::PolyBatch<T> elementary(Elem f, const pb::PolyBatch<T>& a, std::size_t n) {
  return with_elementary(f, [&](auto fn) { return pb::PolyBatch<T>(fn(a, n)); });
}

/// x = f(x, n), the lazy node assigned over its own operand.
template <class T>
void assign_in_place(Elem f, pb::PolyBatch<T>& x, std::size_t n) {
  with_elementary(f, [&](auto fn) { x = fn(x, n); });
}

/// The double-double recurrence of f (never Newton) on one row.
std::vector<pb::dd> elementary_reference(Elem f, const std::vector<pb::dd>& a, std::size_t n, std::size_t row) {
  std::vector<pb::dd> out(n, pb::dd(0.0)), other(n, pb::dd(0.0));
  const bool hyperbolic = f == Elem::sinh || f == Elem::cosh || f == Elem::tanh;
  switch (f) {
  case Elem::sqrt:
    ks::sqrt_recurrence_row(a.data(), n, out.data(), row);
    break;
  case Elem::atan:
    ks::atan_recurrence_row(a.data(), n, out.data(), other.data(), row);
    break;
  case Elem::sin:
  case Elem::sinh:
    ks::sincos_recurrence_row(a.data(), n, out.data(), other.data(), row, hyperbolic);
    break;
  case Elem::cos:
  case Elem::cosh:
    ks::sincos_recurrence_row(a.data(), n, other.data(), out.data(), row, hyperbolic);
    break;
  default:
    ks::tan_recurrence_row(a.data(), n, out.data(), other.data(), row, hyperbolic);
    break;
  }
  return out;
}

/// Constant terms: sqrt in [0.5, 1.5]; the others around 0 (tan within
/// +-0.7, so that cos a0 stays above 0.76 and 1/cos is well conditioned).
template <class T>
void check_elementary_against_recurrence(Elem f, std::size_t n, std::uint64_t seed) {
  INFO(name(f) << " n = " << n << " seed " << seed << " (Newton from n = " << threshold(f) << ")");
  std::mt19937_64 rng(seed);
  const std::size_t B = 2;
  const double center = f == Elem::sqrt ? 1.0 : 0.0;
  const double spread = f == Elem::sqrt ? 0.5 : f == Elem::tan ? 0.7 : 1.5;
  const auto a = well_conditioned<T>(rng, B, n, center, spread);
  const pb::PolyBatch<T> r = elementary(f, a, n);
  REQUIRE(r.batch_size() == B);
  REQUIRE(r.length() == n);
  for (std::size_t i = 0; i < B; ++i) {
    const auto ad = row_dd(a, i, n);
    const auto ref = elementary_reference(f, ad, n, i);
    const double err = row_error(r, i, ref), bound = newton_bound<T>(n, norm1(ad), norm1(ref));
    INFO("row " << i << ": error " << err << ", bound " << bound);
    CHECK(err <= bound);
    if (f != Elem::atan && f != Elem::tanh) continue;
    // Independently of the recurrence, the defining differential identity
    // in double-double (coefficients 0 .. n - 2, which need r up to n - 1):
    // atan: r' (1 + a^2) = a'; tanh: r' = a' (1 - r^2). A result within
    // `bound` of the exact one leaves a residual within n times the norms.
    const auto rd = row_dd(r, i, n);
    const auto derivative = [&](const std::vector<pb::dd>& x) {
      std::vector<pb::dd> d(n - 1, pb::dd(0.0));
      for (std::size_t k = 0; k + 1 < n; ++k) d[k] = x[k + 1] * pb::dd(static_cast<double>(k + 1));
      return d;
    };
    const auto da = derivative(ad), dr = derivative(rd);
    const double an = norm1(ad), rn = norm1(rd);
    std::vector<pb::dd> lhs, rhs;
    double scale = 0;
    if (f == Elem::atan) {
      auto one_a2 = product_dd(ad, ad, n - 1);
      one_a2[0] += pb::dd(1.0);
      lhs = product_dd(dr, one_a2, n - 1);
      rhs = da;
      scale = 1 + an * an;
    } else {
      auto one_r2 = product_dd(rd, rd, n - 1);
      for (auto& x : one_r2) x = -x;
      one_r2[0] += pb::dd(1.0);
      lhs = dr;
      rhs = product_dd(da, one_r2, n - 1);
      scale = 1 + 2 * an * rn;
    }
    double residual = 0;
    for (std::size_t k = 0; k + 1 < n; ++k) residual = checks::worst_of(residual, std::abs((lhs[k] - rhs[k]).hi));
    INFO(name(f) << " identity residual " << residual);
    CHECK(residual <= static_cast<double>(n) * scale * bound);
  }
}

} // namespace

TEMPLATE_TEST_CASE("series Newton: sqrt, atan and the trigonometric and hyperbolic functions against the "
                   "double-double recurrence",
                   "[series][newton]", float, double) {
  std::uint64_t seed = 20261203;
  for (const Elem f : {Elem::sqrt, Elem::atan, Elem::sin, Elem::cos, Elem::sinh, Elem::cosh, Elem::tan, Elem::tanh}) {
    const std::size_t t = threshold(f);
    for (const std::size_t n : {t - 1, t, t + 1, std::size_t(100), std::size_t(300), std::size_t(1000)})
      check_elementary_against_recurrence<TestType>(f, n, ++seed);
  }
}

TEMPLATE_TEST_CASE("series Newton: sin^2 + cos^2 = 1, cosh^2 - sinh^2 = 1, sqrt(a)^2 = a and tan cos = sin, "
                   "checked in double-double",
                   "[series][newton]", float, double) {
  std::mt19937_64 rng(78);
  for (const std::size_t n : {std::size_t(100), std::size_t(1000)}) {
    INFO("n = " << n);
    const auto a = well_conditioned<TestType>(rng, 1, n, 0.0, 0.7);
    const auto b = well_conditioned<TestType>(rng, 1, n, 1.0, 0.5);
    const pb::PolyBatch<TestType> s = pb::series::sin(a), c = pb::series::cos(a), t = pb::series::tan(a);
    const pb::PolyBatch<TestType> sh = pb::series::sinh(a), ch = pb::series::cosh(a), q = pb::series::sqrt(b);
    const auto sd = row_dd(s, 0, n), cd = row_dd(c, 0, n), td = row_dd(t, 0, n);
    const auto shd = row_dd(sh, 0, n), chd = row_dd(ch, 0, n), qd = row_dd(q, 0, n), bd = row_dd(b, 0, n);
    const double an = norm1(row_dd(a, 0, n));
    const auto residual = [&](const std::vector<pb::dd>& x, const std::vector<pb::dd>& target) {
      double worst = 0;
      for (std::size_t k = 0; k < n; ++k) worst = checks::worst_of(worst, std::abs((x[k] - target[k]).hi));
      return worst;
    };
    std::vector<pb::dd> one(n, pb::dd(0.0));
    one[0] = pb::dd(1.0);
    // Each side's error times the other factor's norm, both factors' errors.
    const auto ss = product_dd(sd, sd, n), cc = product_dd(cd, cd, n);
    std::vector<pb::dd> pythagoras(n), hyperbolic(n);
    const auto shsh = product_dd(shd, shd, n), chch = product_dd(chd, chd, n);
    for (std::size_t k = 0; k < n; ++k) {
      pythagoras[k] = ss[k] + cc[k];
      hyperbolic[k] = chch[k] - shsh[k];
    }
    const double trig = 2 * (norm1(sd) + norm1(cd)) * newton_bound<TestType>(n, an, norm1(sd) + norm1(cd));
    const double hyp = 2 * (norm1(shd) + norm1(chd)) * newton_bound<TestType>(n, an, norm1(shd) + norm1(chd));
    INFO("sin^2 + cos^2 - 1: " << residual(pythagoras, one) << ", bound " << trig);
    CHECK(residual(pythagoras, one) <= trig);
    INFO("cosh^2 - sinh^2 - 1: " << residual(hyperbolic, one) << ", bound " << hyp);
    CHECK(residual(hyperbolic, one) <= hyp);
    const double root = 2 * norm1(qd) * newton_bound<TestType>(n, norm1(bd), norm1(qd));
    INFO("sqrt(b)^2 - b: " << residual(product_dd(qd, qd, n), bd) << ", bound " << root);
    CHECK(residual(product_dd(qd, qd, n), bd) <= root);
    const double ratio = (norm1(cd) + norm1(td)) * newton_bound<TestType>(n, an, norm1(td) + norm1(cd) + norm1(sd));
    INFO("tan cos - sin: " << residual(product_dd(td, cd, n), sd) << ", bound " << ratio);
    CHECK(residual(product_dd(td, cd, n), sd) <= ratio);
  }
}

TEST_CASE("series Newton: long sqrt with a zero constant term, batch mates and aliasing", "[series][newton]") {
  std::mt19937_64 rng(11);
  const std::size_t n = 300;
  // x^2 b: sqrt is x sqrt(b), by Newton on the n - 1 coefficients of sqrt(b)
  const auto b = well_conditioned<double>(rng, 3, n, 1.0, 0.5);
  pb::PolyBatch<double> a(3, n);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t k = 2; k < n; ++k) a(i, k) = b(i, k - 2);
  pb::PolyBatch<double> padded(3, 2 * n);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t k = 0; k < 2 * n; ++k) padded(i, k) = k >= 2 && k - 2 < n ? b(i, k - 2) : 0.0;
  const pb::PolyBatch<double> r = pb::series::sqrt(padded, n), rb = pb::series::sqrt(b, n - 1);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(r(i, 0) == 0.0);
    for (std::size_t k = 1; k < n; ++k) REQUIRE(r(i, k) == rb(i, k - 1));
  }
  // every function: each row alone gives the same bits, and f(x) into x too
  const auto many = well_conditioned<double>(rng, 4, n, 1.0, 0.5);
  for (const Elem f : {Elem::sqrt, Elem::atan, Elem::sin, Elem::cos, Elem::sinh, Elem::cosh, Elem::tan, Elem::tanh}) {
    INFO(name(f));
    const pb::PolyBatch<double> all = elementary(f, many, n);
    for (std::size_t i = 0; i < 4; ++i) {
      pb::PolyBatch<double> row(1, n);
      for (std::size_t k = 0; k < n; ++k) row(0, k) = many(i, k);
      const pb::PolyBatch<double> alone = elementary(f, row, n);
      for (std::size_t k = 0; k < n; ++k) REQUIRE(all(i, k) == alone(0, k));
    }
    pb::PolyBatch<double> x = many;
    assign_in_place(f, x, n);
    CHECK(x == all);
  }
}

TEST_CASE("series Newton: sqrt's domain errors on long rows name the row", "[series][newton][errors]") {
  std::mt19937_64 rng(12);
  const std::size_t n = 300;
  auto a = well_conditioned<double>(rng, 4, n, 1.0, 0.5);
  a(3, 0) = -0.5;
  checks::check_domain_error([&] { return pb::series::sqrt(a); }, "sqrt(a, n): row 3 has constant term -0.5");
  a(3, 0) = 0;
  a(3, 1) = 0.25; // x (0.25 + ...): odd power
  checks::check_domain_error([&] { return pb::series::sqrt(a); }, "sqrt(a, n): row 3 starts with x^1 (odd power)");
}

TEMPLATE_TEST_CASE("series Newton: constant terms Newton cannot invert take the recurrence, at any length",
                   "[series][newton]", float, double) {
  using T = TestType;
  // exp(a0) subnormal or zero, and subnormal constant terms of div and log:
  // 1/x overflows where the recurrences, which divide by x, stay finite. The
  // long rows must equal the rows just below the crossover, coefficient by
  // coefficient, which the recurrence computes for every length.
  const T low = std::is_same_v<T, float> ? T(-95) : T(-740);     // exp(low) subnormal
  const T lower = std::is_same_v<T, float> ? T(-110) : T(-750);  // exp(lower) = 0
  const T tiny = std::numeric_limits<T>::denorm_min() * T(1000); // subnormal
  const std::size_t n = 200;
  auto prefix_equal = [](const pb::PolyBatch<T>& long_row, const pb::PolyBatch<T>& short_row) {
    for (std::size_t k = 0; k < short_row.length(); ++k) {
      INFO("coefficient " << k << ": " << long_row(0, k) << " against " << short_row(0, k));
      REQUIRE(std::isfinite(long_row(0, k)));
      CHECK(long_row(0, k) == short_row(0, k));
    }
  };
  for (T a0 : {low, lower}) {
    INFO("exp with a0 = " << a0);
    const pb::PolyBatch<T> a{{a0, T(1), T(0.5)}};
    const pb::PolyBatch<T> r = pb::series::exp(a, n), s = pb::series::exp(a, ks::newton_exp_threshold - 1);
    prefix_equal(r, s);
  }
  const pb::PolyBatch<T> d{{tiny, tiny, T(0)}};
  {
    INFO("div by a subnormal constant term");
    const pb::PolyBatch<T> r = pb::series::div(d, d, n);
    CHECK(r(0, 0) == T(1));
    for (std::size_t k = 1; k < n; ++k) CHECK(r(0, k) == T(0));
  }
  {
    INFO("log of a row with a subnormal constant term");
    const pb::PolyBatch<T> r = pb::series::log(d, n), s = pb::series::log(d, ks::newton_log_threshold - 1);
    prefix_equal(r, s);
    CHECK(r(0, 1) == T(1)); // log(tiny (1 + x)) = log(tiny) + x - x^2/2 + ...
    CHECK(r(0, 2) == T(-0.5));
  }
  // Zero constant terms stay domain errors on long rows, named as on short ones.
  const pb::PolyBatch<T> z{{T(0), T(1)}};
  CHECK_THROWS_AS(pb::PolyBatch<T>(pb::series::div(pb::PolyBatch<T>{{T(1), T(2)}}, z, n)), pb::domain_error);
  CHECK_THROWS_AS(pb::PolyBatch<T>(pb::series::log(z, n)), pb::domain_error);
}

TEST_CASE("series Newton: rows whose intermediates outgrow the result take the recurrence", "[series][newton]") {
  // b = 1/128 + x/4 + x^2/2 has roots near 0, so 1/b grows like 60^k;
  // exp(20x) sits beside exp(-20x). Newton's products carry those
  // intermediates, and their rounding errors came out at 1e5 to 1e213.
  // References: exact dyadic products, and 20^k / k! in rationals.
  using boost::multiprecision::cpp_rational;
  const pb::PolyBatch<double> b{{0.0078125, 0.25, 0.5}};
  const pb::PolyBatch<double> b_one_plus_x{{0.0078125, 0.2578125, 0.75, 0.5}}; // b (1 + x)
  const pb::PolyBatch<double> b_squared = pb::pow(b, 2);                       // exact: dyadic
  for (const std::size_t n : {std::size_t(64), std::size_t(100), std::size_t(200)}) {
    INFO("n = " << n);
    const pb::PolyBatch<double> q = pb::series::div(b_one_plus_x, b, n);
    const pb::PolyBatch<double> p2 = pb::series::pow(b, 2.0, n);
    const pb::PolyBatch<double> root = pb::series::pow(b_squared, 0.5, n);
    for (std::size_t k = 0; k < n; ++k) {
      INFO("coefficient " << k);
      CHECK(std::abs(q(0, k) - (k < 2 ? 1.0 : 0.0)) <= 1e-12);
      CHECK(std::abs(p2(0, k) - (k < 5 ? b_squared(0, k) : 0.0)) <= 1e-12);
      CHECK(std::abs(root(0, k) - (k < 3 ? b(0, k) : 0.0)) <= 1e-12);
    }
  }
  // The gates keep Newton for rows like the benchmark's and the tests'
  // above (a0 = 1, sum |a_k| < 0.65) and send these to the recurrences.
  std::vector<double> well(200);
  well[0] = 1;
  for (std::size_t k = 1; k < well.size(); ++k)
    well[k] = (k % 2 ? 0.99 : -0.99) / static_cast<double>((k + 1) * (k + 1));
  CHECK(ks::newton_inverse_bounded(well.data(), well.size()));
  CHECK(ks::newton_exponential_bounded(well.data(), well.size()));
  CHECK(ks::newton_power_bounded(well.data(), well.size(), 0.5));
  CHECK(ks::newton_power_bounded(well.data(), well.size(), -1.0));
  CHECK_FALSE(ks::newton_inverse_bounded(&b(0, 0), 3));
  CHECK_FALSE(ks::newton_power_bounded(&b(0, 0), 3, 2.0));
  const pb::PolyBatch<double> a{{0.0, 20.0}};
  CHECK_FALSE(ks::newton_exponential_bounded(&a(0, 0), 2));
  {
    // tan(2x) at n = 300, against the double-double recurrence: every odd
    // coefficient positive, growing like (4/pi)^k; by sin and cos (exp(+-2ix))
    // Newton was off by 1e14 relative.
    const std::size_t n = 300;
    const pb::PolyBatch<double> t = pb::series::tan(pb::PolyBatch<double>{{0.0, 2.0}}, n);
    std::vector<pb::dd> ad(n, pb::dd(0.0)), ref(n), aux(n);
    ad[1] = pb::dd(2.0);
    ks::tan_recurrence_row(ad.data(), n, ref.data(), aux.data(), 0, false);
    for (std::size_t k = 0; k < n; ++k) {
      INFO("tan coefficient " << k);
      CHECK(std::abs(t(0, k) - ref[k].hi) <= 1e-13 * std::abs(ref[k].hi));
    }
  }
  for (const std::size_t n : {std::size_t(64), std::size_t(200)}) {
    INFO("n = " << n);
    const pb::PolyBatch<double> e = pb::series::exp(a, n), sh = pb::series::sinh(a, n), sn = pb::series::sin(a, n);
    cpp_rational term = 1; // 20^k / k!
    for (std::size_t k = 0; k < n; ++k) {
      if (k > 0) term = term * 20 / static_cast<long>(k);
      const double want = static_cast<double>(term);
      INFO("coefficient " << k << " = " << want);
      CHECK(std::abs(e(0, k) - want) <= 1e-14 * want);
      CHECK(std::abs(sh(0, k) - (k % 2 == 1 ? want : 0.0)) <= 1e-14 * want);
      CHECK(std::abs(sn(0, k) - (k % 2 == 1 ? (k % 4 == 1 ? want : -want) : 0.0)) <= 1e-14 * want);
    }
  }
}

TEMPLATE_TEST_CASE("series pow: a0^s beyond the type's range", "[series]", float, double) {
  // Every coefficient of a^s is a multiple of a0^s: where that underflows
  // to 0 or overflows, the recurrences and Newton returned zeros or NaN. An
  // integer s goes by binary powering of the truncated series (checked
  // against the polynomial power), any other s is an overflow_error.
  using T = TestType;
  const T tiny = std::is_same_v<T, float> ? T(1e-20) : T(1e-120);
  const T huge = std::is_same_v<T, float> ? T(1e20) : T(1e200);
  for (const std::size_t n : {std::size_t(5), std::size_t(100)}) {
    INFO("n = " << n);
    for (const T a0 : {tiny, -tiny, huge}) {
      INFO("a0 = " << a0);
      const pb::PolyBatch<T> a{{a0, T(1)}};
      const pb::PolyBatch<T> got = pb::series::pow(a, T(3), n), want = pb::pow(a, 3);
      for (std::size_t k = 0; k < n; ++k) {
        INFO("coefficient " << k << ": " << got(0, k));
        const T w = k < 4 ? want(0, k) : T(0);
        if (std::isinf(w))
          CHECK(got(0, k) == w);
        else
          CHECK(std::abs(got(0, k) - w) <= 4 * std::numeric_limits<T>::epsilon() * std::abs(w));
      }
    }
    const pb::PolyBatch<T> a{{tiny, T(1)}};
    CHECK_THROWS_AS(pb::PolyBatch<T>(pb::series::pow(a, T(3.5), n)), pb::overflow_error);
    CHECK_THROWS_WITH(pb::PolyBatch<T>(pb::series::pow(a, T(-3), n)),
                      Catch::Contains("row 0") && Catch::Contains("out of the scalar type's range"));
  }
  // A lone constant term is its rounded power, as before.
  CHECK(pb::PolyBatch<T>(pb::series::pow(pb::PolyBatch<T>{{tiny}}, T(3), 3))(0, 1) == T(0));
}

TEST_CASE("series pow: a NaN exponent and integer exponents beyond 2^62", "[series]") {
  const pb::PolyBatch<double> a{{2.0, 1.0, 0.5}};
  const pb::PolyBatch<double> r = pb::series::pow(a, std::nan(""), 4);
  for (std::size_t k = 0; k < 4; ++k) CHECK(std::isnan(r(0, k)));
  CHECK_THROWS_AS(pb::PolyBatch<double>(pb::series::pow(pb::PolyBatch<double>{{0.0, 1.0}}, std::nan(""), 4)),
                  pb::domain_error);
  // 1e20 is an even integer: any sign of a0, and 0 mod x^n for a0 = 0.
  const pb::PolyBatch<double> neg{{-1.0, 1e-25}};
  const pb::PolyBatch<double> p = pb::series::pow(neg, 1e20, 3);
  CHECK(p(0, 0) == 1.0); // (-1)^1e20
  CHECK(std::isfinite(p(0, 1)));
  const pb::PolyBatch<double> zero = pb::series::pow(pb::PolyBatch<double>{{0.0, 1.0, 0.5}}, 1e20, 5);
  for (std::size_t k = 0; k < 5; ++k) CHECK(zero(0, k) == 0.0);
  // Still refused: a non-integer power of a negative constant term.
  CHECK_THROWS_AS(pb::PolyBatch<double>(pb::series::pow(neg, 2.5, 3)), pb::domain_error);
}
