// Kepler orbits with eccentricities 0.1 .. 0.9 integrated together by
// pb::taylor::integrate: x'' = -x / r^3 in the plane, r^-3 written as
// pb::series::pow(r^2, -1.5). Each orbit runs for its own number of periods
// (period 2 pi for semi-major axis 1). The energy drift of the double run is
// measured against the same f run in double-double (pb::dd), whose result
// is also checked against the exact return to pericentre after whole periods.
// Usage: kepler_ensemble [--rows N] [--orbits K] [--tol X]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numbers>

#include <polybatch/polybatch.hpp>

#include "example_options.hpp"

namespace pb = polybatch;

namespace {

// x' = v, v' = -x (x^2 + y^2)^(-3/2); state columns x, y, vx, vy.
const auto kepler = [](const auto& s) {
  return std::tuple{s[2], s[3], -s[0] * pb::series::pow(s[0] * s[0] + s[1] * s[1], -1.5),
                    -s[1] * pb::series::pow(s[0] * s[0] + s[1] * s[1], -1.5)};
};

// |E + 1/2| computed in T: the drift from the initial energy -1/2.
template <class T>
double energy_drift(const pb::PolyBatch<T>& s, std::size_t i) {
  using std::sqrt;
  const T e = (s(i, 2) * s(i, 2) + s(i, 3) * s(i, 3)) / T(2) - T(1) / sqrt(s(i, 0) * s(i, 0) + s(i, 1) * s(i, 1));
  return std::abs(static_cast<double>(e + T(0.5)));
}

} // namespace

int main(int argc, char** argv) {
  const example::Options options(argc, argv, {"--rows", "--orbits", "--tol"});
  const std::size_t rows = options.count("--rows", 9, 1, 1'000'000);
  const std::size_t orbits = options.count("--orbits", 10, 1, 100'000);
  const double tol = options.positive("--tol", 1e-15);

  // Start at pericentre (1 - e, 0) with speed sqrt((1 + e) / (1 - e)): semi-major axis 1, energy -1/2.
  pb::PolyBatch<double> y0(rows, 4);
  pb::PolyBatch<pb::dd> y0_dd(rows, 4);
  xt::xtensor<double, 1> t1 = xt::xtensor<double, 1>::from_shape({rows});
  xt::xtensor<pb::dd, 1> t1_dd = xt::xtensor<pb::dd, 1>::from_shape({rows});
  for (std::size_t i = 0; i < rows; ++i) {
    const double e = 0.1 + 0.8 * double(i) / double(std::max<std::size_t>(rows - 1, 1));
    y0(i, 0) = 1 - e;
    y0(i, 3) = std::sqrt((1 + e) / (1 - e));
    y0_dd(i, 0) = pb::dd(1) - pb::dd(e);
    y0_dd(i, 3) = pb::sqrt((pb::dd(1) + pb::dd(e)) / (pb::dd(1) - pb::dd(e)));
    // Whole periods: orbit i makes 1 + i % orbits revolutions.
    const double revolutions = double(1 + i % orbits);
    t1(i) = 2 * std::numbers::pi * revolutions;
    t1_dd(i) = pb::dd::from_parts(2 * std::numbers::pi, 2 * 1.2246467991473532e-16) * pb::dd(revolutions);
  }

  auto start = std::chrono::steady_clock::now();
  const auto r = pb::taylor::integrate(kepler, y0, t1, {.tol = tol});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  start = std::chrono::steady_clock::now();
  const auto r_dd = pb::taylor::integrate(kepler, y0_dd, t1_dd, {.tol = 1e-30});
  const double seconds_dd = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  double worst_drift = 0, worst_drift_dd = 0, worst_vs_dd = 0, worst_return_dd = 0;
  std::printf("  e     periods  steps  energy drift (double)  |double - dd|\n");
  for (std::size_t i = 0; i < rows; ++i) {
    const double drift = energy_drift(r.y, i);
    const double drift_dd = energy_drift(r_dd.y, i);
    double vs_dd = 0, back = 0;
    for (std::size_t c = 0; c < 4; ++c) {
      vs_dd = std::max(vs_dd, std::abs(r.y(i, c) - static_cast<double>(r_dd.y(i, c))));
      back = std::max(back, std::abs(static_cast<double>(r_dd.y(i, c) - y0_dd(i, c))));
    }
    worst_drift = std::max(worst_drift, drift);
    worst_drift_dd = std::max(worst_drift_dd, drift_dd);
    worst_vs_dd = std::max(worst_vs_dd, vs_dd);
    worst_return_dd = std::max(worst_return_dd, back);
    if (rows <= 20)
      std::printf("  %.2f  %7.0f  %5zu  %21.3g  %13.3g\n", y0(i, 0) > 0 ? 1 - y0(i, 0) : 0.0,
                  t1(i) / (2 * std::numbers::pi), r.steps(i), drift, vs_dd);
  }
  std::printf("%zu orbits, tol %g: double %.3f s, double-double %.3f s\n", rows, tol, seconds, seconds_dd);
  std::printf("  max energy drift: double %.3g, double-double %.3g\n", worst_drift, worst_drift_dd);
  std::printf("  max |double - double-double| = %.3g; double-double back at pericentre within %.3g\n", worst_vs_dd,
              worst_return_dd);
  if (!(worst_drift < 1e-12 && worst_drift_dd < 1e-26 && worst_vs_dd < 1e-9 && worst_return_dd < 1e-24)) {
    std::printf("FAILED\n");
    return 1;
  }
  std::printf("OK\n");
  return 0;
}
