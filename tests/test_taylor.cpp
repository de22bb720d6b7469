// pb::taylor::integrate against solutions known in closed form (e^t,
// 1/(1-t), cos/sin, the pendulum's elliptic period, series functions atan,
// tanh and cos in f over batches, also in MPFR), conserved quantities
// (pendulum energy, the Lotka-Volterra invariant), higher precision (dd and
// MPFR runs of the same f against MPFR references) and the input errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <random>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/math/special_functions/ellint_1.hpp>
#include <boost/multiprecision/mpfr.hpp>

#include <polybatch/kernels/jet/elementary.hpp>
#include <polybatch/polybatch.hpp>
#include <polybatch/taylor/integrate.hpp>

#include "support/worst.hpp"

namespace pb = polybatch;
using mpfr50 = boost::multiprecision::mpfr_float_50;

// Jet coefficients read as whole registers start on cache lines wherever the
// heap puts them (a split load per register was 1.7x on the ensembles), and
// the alignment never pads a Lanes value.
static_assert(alignof(pb::kernels::jet::Lanes<double, 64>) == 64);
static_assert(alignof(pb::kernels::jet::Lanes<float, 64>) == 64);
static_assert(alignof(pb::kernels::jet::Lanes<pb::dd, 8>) == 64);
static_assert(sizeof(pb::kernels::jet::Lanes<double, 3>) == 3 * sizeof(double));
static_assert(alignof(pb::kernels::jet::Lanes<double, 3>) == alignof(double));

namespace {

template <class T>
xt::xtensor<T, 1> times(std::initializer_list<double> ts) {
  xt::xtensor<T, 1> t = xt::xtensor<T, 1>::from_shape({ts.size()});
  std::size_t i = 0;
  for (double v : ts) t(i++) = T(v);
  return t;
}

// Relative error measured against max(1, |exact|), the tolerance's scale.
double scaled_error(double got, double exact) { return std::abs(got - exact) / std::max(1.0, std::abs(exact)); }

const auto exponential = [](const auto& y) { return std::tuple{y[0]}; };
const auto oscillator = [](const auto& y) { return std::tuple{y[1] + 0.0, 0.0 - y[0]}; };
const auto pendulum = [](const auto& y) { return std::tuple{y[1], -pb::series::sin(y[0])}; };

} // namespace

TEST_CASE("sin/cos constant terms of a jet, all lanes at once: libm's values within 4 ulp, or 1e-24 at zeros",
          "[taylor]") {
  namespace jet = pb::kernels::jet;
  // Near the zeros of sin and cos (multiples of pi/2 up to 2^20 pi) the
  // vector reduction keeps an absolute error below 1e-24 rather than a
  // relative one; the step's tolerance is relative to max(1, |y|).
  const auto check = [](double x, double got, double want) {
    INFO("x = " << x << ", got " << got << ", libm " << want);
    if (std::isnan(want)) {
      CHECK(std::isnan(got));
      return;
    }
    const double ulp = std::nextafter(std::abs(want), INFINITY) - std::abs(want);
    CHECK(std::abs(got - want) <= 4 * ulp + 1e-24);
  };
  jet::Lanes<double, 64> a, s, c;
  std::mt19937_64 rng(20261204);
  for (double scale : {1e-300, 1e-8, 1.0, 3.0, 100.0, 1e6, 1e12, 1e22, 1e300}) {
    std::uniform_real_distribution<double> u(-scale, scale);
    for (int round = 0; round < 20; ++round) {
      for (double& x : a.v) x = u(rng);
      jet::sincos_lanes(a, s, c);
      for (std::size_t w = 0; w < 64; ++w)
        check(a.v[w], s.v[w], std::sin(a.v[w])), check(a.v[w], c.v[w], std::cos(a.v[w]));
    }
  }
  // Multiples of pi/2 (the worst cancellation), zeros, subnormals, the
  // largest finite values, infinities and NaN.
  for (std::size_t w = 0; w < 64; ++w) a.v[w] = static_cast<double>(w * 977 + 1) * 1.5707963267948966;
  const double special[] = {0.0,
                            -0.0,
                            5e-324,
                            -5e-324,
                            2.2250738585072014e-308,
                            1.7976931348623157e308,
                            -1.7976931348623157e308,
                            INFINITY,
                            -INFINITY,
                            std::numeric_limits<double>::quiet_NaN()};
  for (std::size_t i = 0; i < std::size(special); ++i) a.v[i] = special[i];
  jet::sincos_lanes(a, s, c);
  for (std::size_t w = 0; w < 64; ++w) check(a.v[w], s.v[w], std::sin(a.v[w])), check(a.v[w], c.v[w], std::cos(a.v[w]));
  CHECK(std::signbit(s.v[1])); // sin(-0) = -0
}

TEST_CASE("step-size arithmetic: logarithms, powers of two, min and max in vector lanes", "[taylor]") {
  namespace td = pb::taylor::detail;
  using Packs = pb::kernels::PackOps<double>;
  using Scalars = pb::kernels::ScalarOps<double>;
  std::mt19937_64 rng(20261205);
  std::uniform_real_distribution<double> mantissa(1.0, 2.0);
  std::uniform_int_distribution<int> exponent(-1021, 1023);
  double worst_log = 0, worst_exp = 0;
  for (int round = 0; round < 2000; ++round) {
    double x[Packs::lanes], y[Packs::lanes], lg[Packs::lanes], ex[Packs::lanes];
    for (std::size_t l = 0; l < Packs::lanes; ++l)
      x[l] = std::ldexp(mantissa(rng), exponent(rng)), y[l] = (mantissa(rng) - 1.5) * 1900.0 + double(l);
    Packs::store(lg, td::coarse_log2<Packs>(Packs::load(x)));
    Packs::store(ex, td::approx_exp2<Packs>(Packs::load(y)));
    for (std::size_t l = 0; l < Packs::lanes; ++l) {
      INFO("x = " << x[l] << ", y = " << y[l]);
      CHECK(lg[l] == td::coarse_log2<Scalars>(x[l])); // the same bits in a lane and alone
      worst_log = checks::worst_of(worst_log, std::abs(lg[l] - std::log2(x[l])));
      worst_exp = checks::worst_of(worst_exp, std::abs(ex[l] / std::exp2(y[l]) - 1.0));
    }
  }
  CHECK(worst_log <= 0.044); // the step rule divides it by the order
  CHECK(worst_log >= 0.04);  // the bound is the approximation's, not a loose one
  CHECK(worst_exp <= 4e-6);  // "about 3e-6"
  // Exact powers of two land the offset above their logarithm.
  CHECK(td::coarse_log2<Scalars>(1.0) == Approx(0.043035666028894).margin(1e-12));
  CHECK(td::coarse_log2<Scalars>(0x1p-1000) == Approx(-999.956964333971106).margin(1e-9));

  // min and max as the instructions give them: the second operand where
  // either is NaN, lane by lane the same as one lane alone.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double as[] = {1.0, -2.0, nan, 3.0, -0.0, INFINITY, 5.0, nan};
  const double bs[] = {2.0, -3.0, 1.0, nan, 0.0, 1.0, 5.0, nan};
  for (std::size_t base = 0; base < std::size(as); base += Packs::lanes) {
    double a[Packs::lanes], b[Packs::lanes], lo[Packs::lanes], hi[Packs::lanes];
    for (std::size_t l = 0; l < Packs::lanes; ++l) a[l] = as[(base + l) % 8], b[l] = bs[(base + l) % 8];
    Packs::store(lo, Packs::min(Packs::load(a), Packs::load(b)));
    Packs::store(hi, Packs::max(Packs::load(a), Packs::load(b)));
    for (std::size_t l = 0; l < Packs::lanes; ++l) {
      INFO("a = " << a[l] << ", b = " << b[l]);
      const double want_lo = Scalars::min(a[l], b[l]), want_hi = Scalars::max(a[l], b[l]);
      CHECK(std::memcmp(&lo[l], &want_lo, sizeof(double)) == 0);
      CHECK(std::memcmp(&hi[l], &want_hi, sizeof(double)) == 0);
      CHECK(std::memcmp(&want_lo, a[l] < b[l] ? &a[l] : &b[l], sizeof(double)) == 0);
      CHECK(std::memcmp(&want_hi, a[l] > b[l] ? &a[l] : &b[l], sizeof(double)) == 0);
    }
  }

  // The steps of W lanes against the rule computed in long double: within
  // 1.5% (the logarithms' error over the smallest order), zero and NaN
  // coefficients imposing no bound, an infinite one the smallest step.
  constexpr std::size_t W = 64;
  double tol_rho[W], norms[3][W], h[W];
  const double inverse_m[3] = {1.0 / 9, 1.0 / 10, 1.0 / 11};
  std::uniform_real_distribution<double> log_norm(-40.0, 10.0);
  for (std::size_t w = 0; w < W; ++w) {
    tol_rho[w] = 1e-7 * (1.0 + double(w));
    for (auto& n : norms) n[w] = std::exp2(log_norm(rng));
  }
  norms[0][3] = 0.0, norms[1][3] = nan, norms[2][5] = INFINITY, norms[0][7] = 5e-324;
  norms[0][9] = norms[1][9] = 0.0, norms[2][9] = nan;
  td::step_sizes<W>(tol_rho, norms, inverse_m, 0.9, h);
  for (std::size_t w = 0; w < W; ++w) {
    long double want = 0x1p1000L;
    for (std::size_t j = 0; j < 3; ++j) {
      const long double n = norms[j][w];
      if (!(n >= 0x1p-1022L)) continue;
      const long double q = std::clamp(std::log2((long double)tol_rho[w] / n) * inverse_m[j], -1000.0L, 1000.0L);
      want = std::min(want, std::exp2(q));
    }
    INFO("lane " << w);
    CHECK(std::abs(h[w] / (0.9L * want) - 1) <= 0.015);
  }
  CHECK(h[5] < 1e-300); // an infinite coefficient: a blow-up, the smallest step (2^-1000)
  CHECK(h[9] > 1e300);  // zero and NaN coefficients only: no bound (2^1000)
}

TEST_CASE("y' = y gives e^t per trajectory, each landing on its own end time", "[taylor]") {
  pb::PolyBatch<double> y0{{1.0}, {2.0}, {-0.5}, {1e-3}, {3.0}};
  const auto t1 = times<double>({0.0, 0.5, 1.0, 2.5, 7.0});
  const auto r = pb::taylor::integrate(exponential, y0, t1, {.tol = 1e-15});
  REQUIRE(r.y.batch_size() == 5);
  REQUIRE(r.y.length() == 1);
  CHECK(r.steps(0) == 0);
  CHECK(r.y(0, 0) == 1.0);
  for (std::size_t i = 1; i < 5; ++i) {
    const double exact = y0(i, 0) * std::exp(t1(i));
    INFO("row " << i << " got " << r.y(i, 0) << " exact " << exact << " steps " << r.steps(i));
    CHECK(r.steps(i) >= 1);
    CHECK(std::abs(r.y(i, 0) - exact) <= 1e-14 * std::abs(exact) * double(r.steps(i)));
  }
  // Longer horizons take more steps.
  CHECK(r.steps(4) > r.steps(2));
}

TEST_CASE("y' = y^2 gives 1/(1/y0 - t) up to close to the pole", "[taylor]") {
  pb::PolyBatch<double> y0{{0.5}, {0.5}, {-1.0}};
  const auto t1 = times<double>({1.0, 1.9, 3.0});
  const auto r = pb::taylor::integrate([](const auto& y) { return std::tuple{y[0] * y[0]}; }, y0, t1);
  for (std::size_t i = 0; i < 3; ++i) {
    const double exact = 1.0 / (1.0 / y0(i, 0) - t1(i));
    INFO("row " << i << " got " << r.y(i, 0) << " exact " << exact);
    CHECK(std::abs(r.y(i, 0) - exact) <= 1e-13 * std::abs(exact));
  }
}

TEST_CASE("harmonic oscillator: cos and sin, scalar terms a + s and s - a", "[taylor]") {
  pb::PolyBatch<double> y0{{1.0, 0.0}, {0.0, 2.0}, {0.3, -0.7}};
  const auto t1 = times<double>({10.0, 3.0, 100.0});
  const auto r = pb::taylor::integrate(oscillator, y0, t1, {.tol = 1e-15});
  for (std::size_t i = 0; i < 3; ++i) {
    const double c = std::cos(t1(i)), s = std::sin(t1(i));
    const double x = y0(i, 0) * c + y0(i, 1) * s, v = -y0(i, 0) * s + y0(i, 1) * c;
    INFO("row " << i << " steps " << r.steps(i));
    CHECK(scaled_error(r.y(i, 0), x) <= 1e-15 * double(r.steps(i)) * 4);
    CHECK(scaled_error(r.y(i, 1), v) <= 1e-15 * double(r.steps(i)) * 4);
  }
}

TEST_CASE("measured error follows tol; fewer steps at higher order", "[taylor]") {
  pb::PolyBatch<double> y0{{1.0, 0.0}};
  double previous_error = 1.0;
  for (double tol : {1e-6, 1e-9, 1e-12}) {
    const auto r = pb::taylor::integrate(oscillator, y0, 20.0, {.tol = tol});
    const double error = std::max(scaled_error(r.y(0, 0), std::cos(20.0)), scaled_error(r.y(0, 1), -std::sin(20.0)));
    INFO("tol " << tol << " error " << error << " steps " << r.steps(0));
    CHECK(error <= tol * double(r.steps(0)));
    CHECK(error < previous_error);
    previous_error = error;
  }
  std::size_t previous_steps = std::numeric_limits<std::size_t>::max();
  for (std::size_t order : {6, 10, 14, 20, 28}) {
    const auto r = pb::taylor::integrate(oscillator, y0, 20.0, {.order = order, .tol = 1e-12});
    const double error = std::max(scaled_error(r.y(0, 0), std::cos(20.0)), scaled_error(r.y(0, 1), -std::sin(20.0)));
    INFO("order " << order << " steps " << r.steps(0) << " error " << error);
    CHECK(r.steps(0) <= previous_steps);
    CHECK(error <= 1e-12 * double(r.steps(0)));
    previous_steps = r.steps(0);
  }
  CHECK(previous_steps < 10);
}

TEST_CASE("low orders take steps of their order, not of a first-order method", "[taylor]") {
  // A step bounded by coefficient m is about tol^(1/m): at order p the rule
  // reads m >= p - 1 (m = p for p <= 2), so over t = 10 a run takes at most a
  // few times 10 tol^(-1/max(p - 1, 2)) steps (13,538, 9,540, 669 and 166
  // here). Coefficient 1 in the bound had taken 18.3 million steps at order
  // 2 and 12.9 million at order 3; coefficient 2 held order 4 to 8,490.
  pb::PolyBatch<double> y0{{1.0, 0.0}};
  const double tol = 1e-6;
  for (std::size_t order : {2, 3, 4, 5}) {
    const auto r = pb::taylor::integrate(oscillator, y0, 10.0, {.order = order, .tol = tol});
    const double error = std::max(scaled_error(r.y(0, 0), std::cos(10.0)), scaled_error(r.y(0, 1), -std::sin(10.0)));
    const double bound = 4.0 * 10.0 * std::pow(tol, -1.0 / double(std::max<std::size_t>(order - 1, 2)));
    INFO("order " << order << " steps " << r.steps(0) << " error " << error);
    CHECK(double(r.steps(0)) <= bound);
    CHECK(error <= tol * double(r.steps(0)));
  }
}

TEST_CASE("pendulum: energy conserved, back at rest after the exact elliptic period", "[taylor]") {
  const std::size_t B = 40; // amplitudes up to 3.0 rad, near the top
  pb::PolyBatch<double> y0(B, 2);
  xt::xtensor<double, 1> period = xt::xtensor<double, 1>::from_shape({B});
  for (std::size_t i = 0; i < B; ++i) {
    y0(i, 0) = 0.05 + 2.95 * double(i) / double(B - 1);
    period(i) = 4.0 * boost::math::ellint_1(std::sin(y0(i, 0) / 2.0));
  }
  const auto r = pb::taylor::integrate(pendulum, y0, period, {.tol = 1e-15});
  for (std::size_t i = 0; i < B; ++i) {
    const double e0 = -std::cos(y0(i, 0));
    const double e1 = 0.5 * r.y(i, 1) * r.y(i, 1) - std::cos(r.y(i, 0));
    INFO("amplitude " << y0(i, 0) << " steps " << r.steps(i));
    CHECK(std::abs(e1 - e0) < 1e-13);
    CHECK(std::abs(r.y(i, 0) - y0(i, 0)) < 1e-11);
    CHECK(std::abs(r.y(i, 1)) < 1e-11);
  }
}

TEST_CASE("Lotka-Volterra: the invariant is conserved", "[taylor]") {
  // x' = a x - b x y, y' = d x y - g y;  V = d x - g ln x + b y - a ln y.
  const double a = 1.5, b = 1.0, d = 1.0, g = 3.0;
  pb::PolyBatch<double> y0{{10.0, 5.0}, {1.0, 1.0}, {3.0, 0.2}};
  const auto f = [&](const auto& y) { return std::tuple{a * y[0] - b * (y[0] * y[1]), d * (y[0] * y[1]) - g * y[1]}; };
  const auto r = pb::taylor::integrate(f, y0, times<double>({15.0, 15.0, 4.0}), {.tol = 1e-14});
  const auto V = [&](double x, double y) { return d * x - g * std::log(x) + b * y - a * std::log(y); };
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("row " << i << " steps " << r.steps(i));
    CHECK(std::abs(V(r.y(i, 0), r.y(i, 1)) - V(y0(i, 0), y0(i, 1))) < 1e-11 * std::abs(V(y0(i, 0), y0(i, 1))));
  }
}

TEST_CASE("Kepler with a repeated pow(r^2, -1.5): shared jets keep energy and angular momentum", "[taylor]") {
  // The two pow nodes are equal, so they share one jet; a second f spells
  // r^2 differently in one of them (no sharing) and must agree with it.
  pb::PolyBatch<double> y0{{0.5, 0.0, 0.0, std::sqrt(3.0)}, {0.1, 0.0, 0.0, std::sqrt(19.0)}, {1.0, 0.0, 0.0, 1.0}};
  const auto shared = [](const auto& y) {
    return std::tuple{y[2], y[3], -y[0] * pb::series::pow(y[0] * y[0] + y[1] * y[1], -1.5),
                      -y[1] * pb::series::pow(y[0] * y[0] + y[1] * y[1], -1.5)};
  };
  const auto unshared = [](const auto& y) {
    return std::tuple{y[2], y[3], -y[0] * pb::series::pow(y[0] * y[0] + y[1] * y[1], -1.5),
                      -y[1] * pb::series::pow(y[1] * y[1] + y[0] * y[0], -1.5)};
  };
  const auto a = pb::taylor::integrate(shared, y0, 10.0, {.tol = 1e-15});
  const auto b = pb::taylor::integrate(unshared, y0, 10.0, {.tol = 1e-15});
  const auto energy = [](double x, double y, double u, double v) { return (u * u + v * v) / 2 - 1 / std::hypot(x, y); };
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("row " << i << " steps " << a.steps(i));
    const double e0 = energy(y0(i, 0), y0(i, 1), y0(i, 2), y0(i, 3));
    CHECK(std::abs(energy(a.y(i, 0), a.y(i, 1), a.y(i, 2), a.y(i, 3)) - e0) < 1e-12 * std::abs(e0));
    const double l0 = y0(i, 0) * y0(i, 3) - y0(i, 1) * y0(i, 2);
    CHECK(std::abs(a.y(i, 0) * a.y(i, 3) - a.y(i, 1) * a.y(i, 2) - l0) < 1e-12 * std::abs(l0));
    for (std::size_t c = 0; c < 4; ++c)
      CHECK(std::abs(a.y(i, c) - b.y(i, c)) < 1e-9 * std::max(1.0, std::abs(b.y(i, c))));
  }
}

TEMPLATE_TEST_CASE("float, double and long double lanes: circular orbits through every kind of jet node", "[taylor]",
                   float, double, long double) {
  // Sums, scalings, negations and a + s read lazily (float, double) or
  // stored (long double); a negated product operand; a shared half-integer
  // power; a + s and s - a as product operands. B = 70 rows: more than one
  // block of lanes for every type, so lanes are refilled and compacted.
  // Exact: radius R, angular speed R^-1.5; a clock y4 = t and y5 = t - t^3/3.
  using T = TestType;
  const std::size_t B = 70;
  pb::PolyBatch<T> y0(B, 6);
  xt::xtensor<T, 1> t1 = xt::xtensor<T, 1>::from_shape({B});
  for (std::size_t i = 0; i < B; ++i) {
    const long double R = 0.5L + 0.02L * static_cast<long double>(i);
    y0(i, 0) = T(R), y0(i, 1) = T(0), y0(i, 2) = T(0), y0(i, 3) = T(1 / std::sqrt(R)), y0(i, 4) = y0(i, 5) = T(0);
    t1(i) = T(1 + 0.05L * static_cast<long double>(i));
  }
  const auto f = [](const auto& y) {
    return std::tuple{T(2) * (T(0.5) * y[2]),
                      (y[3] + T(1)) - T(1),
                      -y[0] * pb::series::pow(y[0] * y[0] + y[1] * y[1], T(-1.5)),
                      -(y[1] * pb::series::pow(y[0] * y[0] + y[1] * y[1], T(-1.5))),
                      (T(2) - y[4]) + y[4] - T(1),
                      (T(1) + y[4]) * (T(1) - y[4])};
  };
  const double tol = std::is_same_v<T, float> ? 1e-6 : std::is_same_v<T, double> ? 1e-14 : 1e-18;
  const double bound = std::is_same_v<T, float> ? 2e-4 : std::is_same_v<T, double> ? 1e-11 : 1e-14;
  const auto r = pb::taylor::integrate(f, y0, t1, {.tol = tol});
  for (std::size_t i = 0; i < B; ++i) {
    const long double R = static_cast<long double>(y0(i, 0)), t = static_cast<long double>(t1(i));
    const long double w = 1 / (R * std::sqrt(R)), v = R * w;
    const long double exact[6] = {
        R * std::cos(w * t), R * std::sin(w * t), -v * std::sin(w * t), v * std::cos(w * t), t, t - t * t * t / 3};
    INFO("row " << i << " steps " << r.steps(i));
    for (std::size_t c = 0; c < 6; ++c)
      CHECK(std::abs(static_cast<long double>(r.y(i, c)) - exact[c]) < bound * std::max(1.0L, std::abs(exact[c])));
  }
}

TEST_CASE("constants per trajectory: y' = k y with k a B x 1 batch", "[taylor]") {
  pb::PolyBatch<double> k{{-1.0}, {0.5}, {2.0}};
  pb::PolyBatch<double> y0{{1.0}, {1.0}, {1.0}};
  const auto r = pb::taylor::integrate([&](const auto& y) { return std::tuple{k * y[0]}; }, y0, 1.5);
  for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(r.y(i, 0) - std::exp(1.5 * k(i, 0))) < 1e-13 * std::exp(3.0));
  pb::PolyBatch<double> long_constant(3, 2);
  CHECK_THROWS_AS(pb::taylor::integrate([&](const auto& y) { return std::tuple{long_constant * y[0]}; }, y0, 1.0),
                  pb::shape_error);
}

TEST_CASE("double-double and MPFR runs of the same f are more accurate than double", "[taylor]") {
  // exp(t) at t = 3 and the pendulum's energy, checked in MPFR (50 digits).
  const mpfr50 e3 = boost::multiprecision::exp(mpfr50(3));
  pb::PolyBatch<double> yd{{1.0}};
  pb::PolyBatch<pb::dd> ydd{{pb::dd(1.0)}};
  pb::PolyBatch<mpfr50> ym{{mpfr50(1)}};
  const auto rd = pb::taylor::integrate(exponential, yd, 3.0, {.tol = 1e-16});
  const auto rdd = pb::taylor::integrate(exponential, ydd, 3.0, {.tol = 1e-31});
  const auto rm = pb::taylor::integrate(exponential, ym, 3, {.tol = 1e-45});
  const mpfr50 err_d = abs(mpfr50(rd.y(0, 0)) - e3) / e3;
  const mpfr50 err_dd = abs(mpfr50(rdd.y(0, 0).hi) + mpfr50(rdd.y(0, 0).lo) - e3) / e3;
  const mpfr50 err_m = abs(rm.y(0, 0) - e3) / e3;
  INFO("double " << err_d << ", dd " << err_dd << ", mpfr " << err_m);
  CHECK(err_d < 1e-14);
  CHECK(err_dd < 1e-29);
  CHECK(err_dd < err_d / 1e10);
  CHECK(err_m < 1e-43);

  pb::PolyBatch<pb::dd> pdd{{pb::dd(2.0), pb::dd(0.0)}};
  const auto rp = pb::taylor::integrate(pendulum, pdd, 20.0, {.tol = 1e-30});
  const mpfr50 th = mpfr50(rp.y(0, 0).hi) + rp.y(0, 0).lo, w = mpfr50(rp.y(0, 1).hi) + rp.y(0, 1).lo;
  const mpfr50 drift = abs(w * w / 2 - cos(th) + cos(mpfr50(2)));
  INFO("dd pendulum energy drift " << drift);
  CHECK(drift < 1e-28);
}

TEST_CASE("series functions in f: exp, log, sqrt, inv, div, pow, tan, sinh, cosh", "[taylor]") {
  // Each right-hand side has a closed-form solution from y(0) = 1 at t = 2.
  pb::PolyBatch<double> one{{1.0}};
  const double t = 2.0;
  const auto check = [&](auto f, double exact, const char* what) {
    const auto r = pb::taylor::integrate(f, pb::PolyBatch<double>{{1.0}}, t, {.tol = 1e-15});
    INFO(what << ": got " << r.y(0, 0) << " exact " << exact << " steps " << r.steps(0));
    CHECK(std::abs(r.y(0, 0) - exact) < 1e-13 * std::max(1.0, std::abs(exact)));
  };
  check([](const auto& y) { return std::tuple{pb::series::exp(-y[0])}; }, std::log(std::exp(1.0) + t), "exp");
  check([](const auto& y) { return std::tuple{pb::series::inv(y[0])}; }, std::sqrt(1.0 + 2 * t), "inv");
  check([](const auto& y) { return std::tuple{pb::series::pow(y[0], -1.0)}; }, std::sqrt(1.0 + 2 * t), "pow");
  check([&](const auto& y) { return std::tuple{pb::series::div(one, y[0])}; }, std::sqrt(1.0 + 2 * t), "div");
  // y' = sqrt(y): y = (1 + t/2)^2; y' = cosh^2 - sinh^2 = 1.
  check([](const auto& y) { return std::tuple{pb::series::sqrt(y[0])}; }, (1.0 + t / 2) * (1.0 + t / 2), "sqrt");
  check(
      [](const auto& y) {
        return std::tuple{pb::series::cosh(y[0]) * pb::series::cosh(y[0]) -
                          pb::series::sinh(y[0]) * pb::series::sinh(y[0])};
      },
      1.0 + t, "sinh/cosh");
  // y' = 1 / (1 + tan(y)^2) = cos^2 y: tan y = tan y0 + t.
  check([](const auto& y) { return std::tuple{pb::series::inv(1.0 + pb::series::tan(y[0]) * pb::series::tan(y[0]))}; },
        std::atan(std::tan(1.0) + t), "tan");
  // y' = 1/(1 + y^2): y + y^3/3 = 4/3 + t.
  {
    const auto r = pb::taylor::integrate([](const auto& y) { return std::tuple{pb::series::inv(1.0 + y[0] * y[0])}; },
                                         pb::PolyBatch<double>{{1.0}}, t);
    const double y = r.y(0, 0);
    CHECK(std::abs(y + y * y * y / 3 - (1.0 + 1.0 / 3 + t)) < 1e-13);
  }
  // atan, tanh and cos: the next test cases, over batches.
  // log: y' = y log(y) with y0 = e: y = exp(e^t).
  {
    const auto r = pb::taylor::integrate([](const auto& y) { return std::tuple{y[0] * pb::series::log(y[0])}; },
                                         pb::PolyBatch<double>{{std::exp(1.0)}}, 1.0);
    CHECK(std::abs(r.y(0, 0) - std::exp(std::exp(1.0))) < 1e-13 * std::exp(std::exp(1.0)));
  }
}

namespace {

// Closed forms in long double (references, never the code under test).
// y' = atan(c), c' = 1: y = F(c) - F(c0) with F(c) = c atan(c) - log(1 + c^2) / 2.
long double atan_antiderivative(long double c) { return c * std::atan(c) - 0.5L * std::log1p(c * c); }
// y' = tanh(y): sinh(y(t)) = sinh(y0) e^t.
long double tanh_flow(long double y0, long double t) { return std::asinh(std::sinh(y0) * std::exp(t)); }
// y' = cos(y): y = gd(t + gd^-1(y0)), gd(x) = 2 atan(tanh(x / 2)), gd^-1(y) = asinh(tan(y)), |y0| < pi/2;
// from y0 = 0 this is y = 2 atan(tanh(t / 2)).
long double cos_flow(long double y0, long double t) {
  return 2 * std::atan(std::tanh((t + std::asinh(std::tan(y0))) / 2));
}

// Each row's error against max(1, |exact|), within 100 tol.
void check_rows(const pb::PolyBatch<double>& y, std::size_t column, const xt::xtensor<std::size_t, 1>& steps,
                const std::vector<long double>& exact, double tol, const char* what) {
  for (std::size_t i = 0; i < exact.size(); ++i) {
    const long double got = y(i, column), e = exact[i];
    const double error = double(std::abs(got - e) / std::max(1.0L, std::abs(e)));
    INFO(what << " row " << i << ": got " << double(got) << " exact " << double(e) << " error " << error << " steps "
              << steps(i));
    CHECK(steps(i) >= 1);
    CHECK(error <= 100 * tol);
  }
}

// y' = g(y) in one variable over rows (y0, t1), against flow(y0, t1).
template <class Rhs, class Flow>
pb::PolyBatch<double> check_flow(const std::vector<std::pair<double, double>>& rows, Rhs rhs, Flow flow,
                                 const char* what) {
  const std::size_t B = rows.size();
  pb::PolyBatch<double> y0(B, 1);
  xt::xtensor<double, 1> t1 = xt::xtensor<double, 1>::from_shape({B});
  std::vector<long double> exact(B);
  for (std::size_t i = 0; i < B; ++i) {
    y0(i, 0) = rows[i].first, t1(i) = rows[i].second;
    exact[i] = flow(rows[i].first, rows[i].second);
  }
  const double tol = 1e-12;
  const auto r = pb::taylor::integrate(rhs, y0, t1, {.tol = tol});
  check_rows(r.y, 0, r.steps, exact, tol, what);
  return r.y;
}

} // namespace

TEST_CASE("atan in f: y' = atan(c) with a clock c' = 1, against c atan(c) - log(1 + c^2)/2", "[taylor]") {
  // Rows: start of the clock c0 and end time; several end times from c0 = 0
  // sample one trajectory along the way.
  const std::vector<std::pair<double, double>> rows = {{0.0, 0.25}, {0.0, 1.0},  {0.0, 2.5}, {0.0, 6.0},  {0.5, 1.5},
                                                       {-1.5, 3.0}, {-4.0, 2.0}, {3.0, 4.0}, {-0.2, 0.7}, {10.0, 5.0}};
  const std::size_t B = rows.size();
  pb::PolyBatch<double> y0(B, 2);
  xt::xtensor<double, 1> t1 = xt::xtensor<double, 1>::from_shape({B});
  std::vector<long double> clock(B), exact(B);
  for (std::size_t i = 0; i < B; ++i) {
    const auto [c0, t] = rows[i];
    y0(i, 0) = c0, y0(i, 1) = 0.0, t1(i) = t;
    clock[i] = static_cast<long double>(c0) + t;
    exact[i] = atan_antiderivative(clock[i]) - atan_antiderivative(c0);
  }
  const double tol = 1e-12;
  const auto r = pb::taylor::integrate(
      [](const auto& y) {
        return std::tuple{y[0] * 0.0 + 1.0, pb::series::atan(y[0])};
      },
      y0, t1, {.tol = tol});
  check_rows(r.y, 0, r.steps, clock, tol, "clock");
  check_rows(r.y, 1, r.steps, exact, tol, "atan");
}

TEST_CASE("tanh in f: y' = tanh(y) keeps sinh(y) e^-t constant", "[taylor]") {
  const std::vector<std::pair<double, double>> rows = {{1.0, 0.5}, {1.0, 2.0},  {1.0, 5.0},  {0.1, 3.0},   {-0.7, 2.5},
                                                       {2.5, 1.0}, {-3.0, 4.0}, {1e-3, 6.0}, {-0.05, 0.3}, {0.0, 2.0}};
  const auto y = check_flow(
      rows, [](const auto& x) { return std::tuple{pb::series::tanh(x[0])}; }, tanh_flow, "tanh");
  CHECK(y(rows.size() - 1, 0) == 0.0); // y0 = 0 is an equilibrium
}

TEST_CASE("cos in f: y' = cos(y) gives y = 2 atan(tanh(t/2)) from 0, shifted in t from other y0", "[taylor]") {
  const std::vector<std::pair<double, double>> rows = {{0.0, 0.5},  {0.0, 1.0},  {0.0, 2.0},  {0.0, 8.0}, {0.4, 1.5},
                                                       {-1.0, 3.0}, {1.3, 0.75}, {-1.5, 6.0}, {0.9, 0.1}};
  check_flow(
      rows, [](const auto& x) { return std::tuple{pb::series::cos(x[0])}; }, cos_flow, "cos");
}

TEST_CASE("MPFR at run-time precision (about 200 bits) under a low default: cos, tanh and atan in f",
          "[taylor][mpfr]") {
  // State (c, u, v, w): c' = 1, u' = cos(u), v' = tanh(v), w' = atan(c).
  // Inputs are built at 60 digits (201 bits) while the default precision is
  // 10 digits, and integrated under that default: every number the
  // integrator makes must take its precision from the state, not the default.
  using mpfr = boost::multiprecision::mpfr_float;
  struct restore {
    unsigned saved = mpfr::default_precision();
    ~restore() { mpfr::default_precision(saved); }
  } guard;
  constexpr unsigned digits = 60;
  mpfr::default_precision(10);
  const auto make = [](double num, double den) {
    mpfr x;
    x.precision(digits);
    x = num;
    x /= den; // not dyadic: a 10-digit rounding anywhere shows
    return x;
  };
  const std::size_t B = 3;
  // Rows (c0, u0, v0, t1): c0 = 0 so that c(t) = t; u0 = 0 once (the
  // y = 2 atan(tanh(t/2)) solution).
  const double rows[B][4] = {{0, 0, 1, 1}, {0, 2, -1, 7}, {0, -3, 5, 2}};
  const double dens[B][4] = {{1, 1, 3, 3}, {1, 5, 7, 3}, {1, 7, 11, 1}};
  pb::PolyBatch<mpfr> y0(B, 4);
  xt::xtensor<mpfr, 1> t1 = xt::xtensor<mpfr, 1>::from_shape({B});
  for (std::size_t i = 0; i < B; ++i) {
    for (std::size_t j = 0; j < 3; ++j) y0(i, j) = make(rows[i][j], dens[i][j]);
    y0(i, 3) = make(0, 1);
    t1(i) = make(rows[i][3], dens[i][3]);
  }
  REQUIRE(y0(1, 1).precision() >= digits);
  const double tol = 1e-45;
  const auto f = [](const auto& y) {
    return std::tuple{y[0] * 0 + 1, pb::series::cos(y[1]), pb::series::tanh(y[2]), pb::series::atan(y[0])};
  };
  const auto r = pb::taylor::integrate(f, y0, t1, {.tol = tol});
  // One end time for every row, given as a double: taken exactly, at the
  // state's precision (not rounded to the 10-digit default).
  const auto same_end = pb::taylor::integrate(f, y0, 0.1, {.tol = tol});

  mpfr::default_precision(100); // the references, at more digits than the run
  for (std::size_t i = 0; i < B; ++i) {
    const mpfr t = t1(i), u0 = y0(i, 1), v0 = y0(i, 2);
    const mpfr exact[4] = {t, 2 * atan(tanh((t + asinh(tan(u0))) / 2)), asinh(sinh(v0) * exp(t)),
                           t * atan(t) - log(1 + t * t) / 2};
    for (std::size_t j = 0; j < 4; ++j) {
      const mpfr error = abs(r.y(i, j) - exact[j]) / max(mpfr(1), mpfr(abs(exact[j])));
      INFO("row " << i << " variable " << j << " steps " << r.steps(i) << " precision " << r.y(i, j).precision()
                  << " error " << error.str(5));
      CHECK(r.y(i, j).precision() >= digits);
      CHECK(error < 1e-40);
    }
    const mpfr t_same = 0.1; // the double nearest 0.1, exactly
    const mpfr w_same = t_same * atan(t_same) - log(1 + t_same * t_same) / 2;
    CHECK(abs(same_end.y(i, 0) - t_same) < 1e-40);
    CHECK(abs(same_end.y(i, 3) - w_same) < 1e-40);
  }
}

TEST_CASE("results do not depend on the number of threads", "[taylor]") {
  const std::size_t B = 1500;
  pb::PolyBatch<double> y0(B, 2);
  xt::xtensor<double, 1> t1 = xt::xtensor<double, 1>::from_shape({B});
  for (std::size_t i = 0; i < B; ++i) {
    y0(i, 0) = 0.1 + 2.5 * double(i % 97) / 97.0;
    t1(i) = 0.5 + double(i % 13);
  }
  const std::size_t saved = pb::num_threads();
  pb::set_num_threads(1);
  const auto r1 = pb::taylor::integrate(pendulum, y0, t1, {.tol = 1e-12});
  pb::set_num_threads(2);
  const auto r2 = pb::taylor::integrate(pendulum, y0, t1, {.tol = 1e-12});
  pb::set_num_threads(saved);
  CHECK(r1.y == r2.y);
  CHECK(r1.steps == r2.steps);
  // The same trajectory alone gives the same bits as inside the ensemble.
  pb::PolyBatch<double> alone{{y0(777, 0), y0(777, 1)}};
  const auto ra = pb::taylor::integrate(pendulum, alone, t1(777), {.tol = 1e-12});
  CHECK(ra.y(0, 0) == r1.y(777, 0));
  CHECK(ra.steps(0) == r1.steps(777));
}

TEST_CASE("invalid input is a shape_error or domain_error naming the problem", "[taylor]") {
  pb::PolyBatch<double> y0{{1.0, 0.0}, {0.5, 0.0}};
  const auto one_rhs = [](const auto& y) { return std::tuple{y[0]}; };
  CHECK_THROWS_AS(pb::taylor::integrate(one_rhs, y0, 1.0), pb::shape_error);
  CHECK_THROWS_WITH(pb::taylor::integrate(one_rhs, y0, 1.0), Catch::Contains("N=2"));
  CHECK_THROWS_AS(pb::taylor::integrate(
                      [](const auto& y) {
                        return std::tuple{y[1], y[2]};
                      },
                      y0, 1.0),
                  pb::shape_error);
  CHECK_THROWS_AS(pb::taylor::integrate(oscillator, y0, times<double>({1.0, 2.0, 3.0})), pb::shape_error);
  CHECK_THROWS_AS(pb::taylor::integrate(oscillator, y0, times<double>({1.0, -2.0})), pb::domain_error);
  CHECK_THROWS_WITH(pb::taylor::integrate(oscillator, y0, times<double>({1.0, -2.0})), Catch::Contains("trajectory 1"));
  CHECK_THROWS_AS(pb::taylor::integrate(oscillator, y0, std::nan("")), pb::domain_error);
  CHECK_THROWS_AS(pb::taylor::integrate(oscillator, y0, 1.0, {.tol = 0.0}), pb::domain_error);
  CHECK_THROWS_AS(pb::taylor::integrate(oscillator, y0, 1.0, {.tol = -1e-9}), pb::domain_error);
  // An order no jet could hold (order + 1 coefficients would wrap) or no run could afford.
  CHECK_THROWS_WITH(pb::taylor::integrate(oscillator, y0, 1.0, {.order = std::numeric_limits<std::size_t>::max()}),
                    Catch::Contains("order must be at most 10000"));
  CHECK_THROWS_AS(pb::taylor::integrate(oscillator, y0, 1.0, {.order = 10001}), pb::domain_error);
  pb::PolyBatch<double> bad{{1.0, std::numeric_limits<double>::infinity()}};
  CHECK_THROWS_AS(pb::taylor::integrate(oscillator, bad, 1.0), pb::domain_error);
  // Blow-up at t = 1: the state does not survive to t = 2.
  CHECK_THROWS_AS(
      pb::taylor::integrate([](const auto& y) { return std::tuple{y[0] * y[0]}; }, pb::PolyBatch<double>{{1.0}}, 2.0),
      pb::domain_error);
  // A blow-up among trajectories that stay finite names its trajectory, both
  // where the state overflows (y' = y^2) and where the steps shrink below
  // the time's resolution first (y' = y^3 at tol 1e-6).
  // (From y = 1 the steps of y' = y^2 too reach the resolution of t near
  // the pole at t = 1 first; from 1e300 the pole is at 1e-300, where t
  // resolves far below the steps that overflow the state.)
  const pb::PolyBatch<double> one_blows_up{{0.1}, {0.2}, {1.0}, {0.3}};
  const pb::PolyBatch<double> one_overflows{{0.1}, {0.2}, {1e300}, {0.3}};
  CHECK_THROWS_WITH(pb::taylor::integrate([](const auto& y) { return std::tuple{y[0] * y[0]}; }, one_overflows, 2.0),
                    Catch::Contains("trajectory 2: the state became non-finite"));
  CHECK_THROWS_WITH(pb::taylor::integrate([](const auto& y) { return std::tuple{y[0] * y[0]}; }, one_blows_up, 2.0),
                    Catch::Contains("trajectory 2: the step size underflowed"));
  CHECK_THROWS_WITH(pb::taylor::integrate([](const auto& y) { return std::tuple{y[0] * y[0] * y[0]}; }, one_blows_up,
                                          2.0, {.tol = 1e-6}),
                    Catch::Contains("trajectory 2: the step size underflowed"));
  // Leaving a series function's domain names the integrator, the trajectory
  // and the function.
  const pb::PolyBatch<double> second_negative{{1.0}, {-1.0}}, second_zero{{1.0}, {0.0}};
  CHECK_THROWS_WITH(
      pb::taylor::integrate([](const auto& y) { return std::tuple{pb::series::log(y[0])}; }, second_negative, 1.0),
      Catch::Contains("pb::taylor::integrate: trajectory 1") && Catch::Contains("pb::series::log"));
  CHECK_THROWS_WITH(
      pb::taylor::integrate([](const auto& y) { return std::tuple{pb::series::sqrt(y[0])}; }, second_zero, 1.0),
      Catch::Contains("pb::taylor::integrate: trajectory 1") && Catch::Contains("pb::series::sqrt"));
  CHECK_THROWS_WITH(
      pb::taylor::integrate([](const auto& y) { return std::tuple{pb::series::inv(y[0])}; }, second_zero, 1.0),
      Catch::Contains("pb::taylor::integrate: trajectory 1") && Catch::Contains("pb::series::inv"));
  CHECK_THROWS_WITH(pb::taylor::integrate([](const auto& y) { return std::tuple{pb::series::div(y[0] + 1.0, y[0])}; },
                                          second_zero, 1.0),
                    Catch::Contains("pb::taylor::integrate: trajectory 1") && Catch::Contains("pb::series::div"));
  CHECK_THROWS_WITH(
      pb::taylor::integrate([](const auto& y) { return std::tuple{pb::series::pow(y[0], 0.5)}; }, second_negative, 1.0),
      Catch::Contains("pb::taylor::integrate: trajectory 1") && Catch::Contains("pb::series::pow"));
  CHECK_THROWS_WITH(
      pb::taylor::integrate([](const auto& y) { return std::tuple{pb::series::pow(y[0], 1.5)}; }, second_zero, 1.0),
      Catch::Contains("pb::taylor::integrate: trajectory 1") && Catch::Contains("pow"));
  // A windowed convolution is not a product of series.
  CHECK_THROWS_AS(
      pb::taylor::integrate([](const auto& y) { return std::tuple{pb::convolve(y[0], y[0], pb::mode::same)}; },
                            pb::PolyBatch<double>{{1.0}}, 1.0),
      pb::domain_error);
}

TEST_CASE("a step never crosses a zero of the argument of sqrt or of a non-integer pow", "[taylor]") {
  // Torricelli's draining tank, y' = -sqrt(y) from 1: y = (1 - t/2)^2 until
  // the tank is empty at t = 2. Every Taylor coefficient from 3 on is zero,
  // so without a guard one step ran to any end time along the polynomial,
  // and the tank filled up again (y(3) = 0.25, y(4) = 1).
  const auto drain = [](const auto& y) { return std::tuple{-pb::series::sqrt(y[0])}; };
  const auto drain_pow = [](const auto& y) { return std::tuple{-pb::series::pow(y[0], 0.5)}; };
  const pb::PolyBatch<double> full{{1.0}, {1.0}, {4.0}};
  const auto before = pb::taylor::integrate(drain, full, times<double>({1.5, 1.9, 3.0}), {.tol = 1e-15});
  CHECK(before.y(0, 0) == Approx(0.0625).epsilon(1e-13));
  CHECK(before.y(1, 0) == Approx(0.0025).epsilon(1e-12));
  CHECK(before.y(2, 0) == Approx(0.25).epsilon(1e-13)); // from 4: (2 - t/2)^2, empty at t = 4
  for (double t1 : {2.5, 3.0, 4.0}) {
    INFO("t1 = " << t1);
    const pb::PolyBatch<double> one{{1.0}};
    CHECK_THROWS_WITH(pb::taylor::integrate(drain, one, t1),
                      Catch::Contains("trajectory 0: the argument of sqrt or of a non-integer pow reaches 0 ahead"));
    CHECK_THROWS_WITH(pb::taylor::integrate(drain_pow, one, t1), Catch::Contains("reaches 0"));
  }
  // y = ((1 - t)(3 - t))^2: sqrt(y) is (1 - t)(3 - t), positive again past
  // t = 3, so a test at the step's end (or middle) let one step from 0 to 10
  // through; the Bernstein coefficients do not.
  const auto two_zeros = [](const auto& y) {
    return std::tuple{2.0 * pb::series::sqrt(y[0]) * (2.0 * y[1] - 4.0), 0.0 * y[1] + 1.0};
  };
  CHECK_THROWS_WITH(pb::taylor::integrate(two_zeros, pb::PolyBatch<double>{{9.0, 0.0}}, 10.0),
                    Catch::Contains("reaches 0"));
  CHECK_THROWS_WITH(pb::taylor::integrate(two_zeros, pb::PolyBatch<float>{{9.0f, 0.0f}}, 10.0f),
                    Catch::Contains("reaches 0"));
  // A positive value that decreases: no step is held back (z = 2 (1 - e^(-t/2))
  // through z' = sqrt(e), e' = -e).
  const auto decay = [](const auto& y) { return std::tuple{-1.0 * y[0], pb::series::sqrt(y[0])}; };
  const auto decayed = pb::taylor::integrate(decay, pb::PolyBatch<double>{{1.0, 0.0}}, 20.0, {.tol = 1e-15});
  CHECK(decayed.y(0, 1) == Approx(2.0 * (1.0 - std::exp(-10.0))).epsilon(1e-13));
  // Wider types take the same guard.
  const pb::PolyBatch<pb::dd> one_dd{{pb::dd(1.0)}};
  CHECK_THROWS_WITH(pb::taylor::integrate(drain, one_dd, pb::dd(3.0)), Catch::Contains("reaches 0"));
  const auto dd_before = pb::taylor::integrate(drain, one_dd, pb::dd(1.5));
  CHECK(std::abs(dd_before.y(0, 0).hi - 0.0625) < 1e-15);
  // Integer powers are polynomials in their argument: no guard. (1 - t)^2
  // at y = 1 - t, through its zero: y' = -1, z' = 3 pow(y, 2) gives z = 1 - (1 - t)^3.
  const auto cubic = [](const auto& y) { return std::tuple{0.0 * y[0] - 1.0, 3.0 * pb::series::pow(y[0], 2.0)}; };
  const auto through = pb::taylor::integrate(cubic, pb::PolyBatch<double>{{1.0, 0.0}}, 3.0);
  CHECK(through.y(0, 0) == Approx(-2.0).epsilon(1e-14));
  CHECK(through.y(0, 1) == Approx(9.0).epsilon(1e-14));
  CHECK(through.steps(0) <= 2);
}

TEST_CASE("a state whose high coefficients vanish imposes no step bound", "[taylor]") {
  // x' = v, v' = 0: every Taylor coefficient from 2 on is zero. With "no
  // bound" (2^1000) divided by the order, steps stayed below 4.6e13 at
  // order 22: t = 1e17 took 2,000 steps and t = 1e100 never came.
  const pb::PolyBatch<double> y0{{1.0, 2.0}};
  const auto free_particle = [](const auto& y) { return std::tuple{y[1] + 0.0, y[1] * 0.0}; };
  const auto r = pb::taylor::integrate(free_particle, y0, 1e17);
  CHECK(r.steps(0) <= 2);
  CHECK(r.y(0, 0) == Approx(2e17).epsilon(1e-15));
  CHECK(r.y(0, 1) == 2.0);
  if (r.steps(0) <= 2) { // (with the bug, 2e86 steps: not worth waiting for)
    const auto far = pb::taylor::integrate(free_particle, y0, 1e100);
    CHECK(far.steps(0) <= 2);
    CHECK(far.y(0, 0) == Approx(2e100).epsilon(1e-15));
  }
}

TEST_CASE("the state moves by the time the clock records", "[taylor]") {
  // At t = 1e5 fl(t + h) loses up to 7e-12 of h: moved by h itself the
  // oscillator drifted to 6.4e-10 from the closed form in 69,567 steps.
  const pb::PolyBatch<double> y0{{1.0, 0.0}};
  const long double t1 = 1e5L;
  const auto r = pb::taylor::integrate(oscillator, y0, static_cast<double>(t1), {.tol = 1e-15});
  const double error = std::max(std::abs(r.y(0, 0) - static_cast<double>(std::cos(t1))),
                                std::abs(r.y(0, 1) + static_cast<double>(std::sin(t1))));
  CHECK(r.steps(0) > 50000);
  CHECK(error < 2e-11);
}

TEST_CASE("long double end times and initial states are checked in long double", "[taylor]") {
  if constexpr (std::numeric_limits<long double>::max_exponent > std::numeric_limits<double>::max_exponent) {
    const pb::PolyBatch<long double> y0{{1.0L, 0.0L}};
    // -1e-330 is -0 in double: it passed as a valid end time.
    CHECK_THROWS_WITH(pb::taylor::integrate(oscillator, y0, -1e-330L),
                      Catch::Contains("end time of trajectory 0") && Catch::Contains("must be finite and >= 0"));
    // Finite in long double, out of the double step rule's reach: named as such (was "got inf").
    CHECK_THROWS_WITH(pb::taylor::integrate(oscillator, y0, 1e400L),
                      Catch::Contains("end time of trajectory 0") && Catch::Contains("beyond the range of double"));
    // States beyond double's range integrate (the step rule takes their
    // logarithms in long double): x = 1e4000 cos t.
    const pb::PolyBatch<long double> huge{{1e4000L, 0.0L}};
    const auto far = pb::taylor::integrate(oscillator, huge, 1.0L);
    CHECK(std::abs(far.y(0, 0) / (1e4000L * std::cos(1.0L)) - 1) < 1e-14L);
    const pb::PolyBatch<long double> infinite{{1.0L, std::numeric_limits<long double>::infinity()}};
    CHECK_THROWS_WITH(pb::taylor::integrate(oscillator, infinite, 1.0L),
                      Catch::Contains("y0(0, 1) (inf) is not finite"));
    // Tiny but nonzero long double end times and states are fine.
    const auto r = pb::taylor::integrate(oscillator, pb::PolyBatch<long double>{{1e-400L, 0.0L}}, 1e-330L);
    CHECK(r.y(0, 0) == 1e-400L);
  }
}

TEST_CASE("coefficients beyond double's range bound the steps of wider types", "[taylor]") {
  // y' = y^2 from 1e16: coefficient m is 1e16^(m+1), beyond double from
  // m = 19 on; read through double as infinite, they were blow-ups whose
  // steps of 2^-1000 never reached t1 = 1e-17.
  const auto square = [](const auto& y) { return std::tuple{y[0] * y[0]}; };
  for (const long double y0 : {1e15L, 1e16L, 1e20L}) {
    INFO("y0 = " << static_cast<double>(y0));
    const long double t1 = 0.1L / y0;
    const auto r = pb::taylor::integrate(square, pb::PolyBatch<long double>{{y0}}, t1);
    CHECK(r.steps(0) < 100);
    CHECK(std::abs(r.y(0, 0) / (y0 / (1 - y0 * t1)) - 1) < 1e-15L); // y = y0 / (1 - y0 t)
  }
  // MPFR the same, and its values printed in a refusal with their own digits.
  using mpfr = boost::multiprecision::mpfr_float_50;
  const auto r = pb::taylor::integrate(square, pb::PolyBatch<mpfr>{{mpfr("1e400")}}, mpfr("1e-401"));
  CHECK(r.steps(0) < 100);
  CHECK(abs(r.y(0, 0) / (mpfr("1e400") / mpfr("0.9")) - 1) < mpfr("1e-15"));
  using mpfr_any = boost::multiprecision::mpfr_float;
  CHECK_THROWS_WITH(pb::taylor::integrate(square, pb::PolyBatch<mpfr_any>{{mpfr_any(1)}}, mpfr_any(-1)),
                    Catch::Contains("end time of trajectory 0 (-1") && Catch::Contains("must be finite and >= 0"));
}
