// The simple pendulum theta'' = -sin(theta) for a batch of amplitudes at
// once, by pb::taylor::integrate with pb::series::sin in the right-hand side,
// checked against the exact period T = 4 K(sin(theta0 / 2)) (K: complete
// elliptic integral of the first kind): after one period every pendulum
// must be back where it started, at rest, with its energy unchanged.
// Each trajectory runs to its own end time with its own step sizes.
// Usage: taylor_ode [--rows N] [--tol X]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>

#include <boost/math/special_functions/ellint_1.hpp>

#include <polybatch/polybatch.hpp>

#include "example_options.hpp"

namespace pb = polybatch;

int main(int argc, char** argv) {
  const example::Options options(argc, argv, {"--rows", "--tol"});
  const std::size_t rows = options.count("--rows", 512, 1, 1'000'000);
  const double tol = options.positive("--tol", 1e-15);

  // Amplitudes from 0.1 to 2.8 rad (close to the top, where the period
  // grows), released at rest; row i runs for exactly its own period.
  pb::PolyBatch<double> y0(rows, 2); // columns: theta, theta'
  xt::xtensor<double, 1> period = xt::xtensor<double, 1>::from_shape({rows});
  for (std::size_t i = 0; i < rows; ++i) {
    y0(i, 0) = 0.1 + 2.7 * double(i) / double(std::max<std::size_t>(rows - 1, 1));
    period(i) = 4.0 * boost::math::ellint_1(std::sin(y0(i, 0) / 2.0));
  }

  const auto start = std::chrono::steady_clock::now();
  const auto r = pb::taylor::integrate(
      [](const auto& y) {
        return std::tuple{y[1], -pb::series::sin(y[0])};
      },
      y0, period, pb::taylor::options{.order = 0, .tol = tol});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  double worst_theta = 0, worst_w = 0, worst_energy = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    worst_theta = std::max(worst_theta, std::abs(r.y(i, 0) - y0(i, 0)));
    worst_w = std::max(worst_w, std::abs(r.y(i, 1)));
    const double energy = 0.5 * r.y(i, 1) * r.y(i, 1) - std::cos(r.y(i, 0));
    worst_energy = std::max(worst_energy, std::abs(energy + std::cos(y0(i, 0))));
  }
  const std::size_t steps = std::accumulate(r.steps.begin(), r.steps.end(), std::size_t(0));
  std::printf("pendulum, %zu amplitudes in [0.1, 2.8], tol %g: %.3f s, %.1f steps per period on average\n", rows, tol,
              seconds, double(steps) / double(rows));
  std::printf("  after one exact period T = 4 K(sin(theta0/2)):\n");
  std::printf("  max |theta(T) - theta0| = %.3g\n  max |theta'(T)|         = %.3g\n  max energy drift        = %.3g\n",
              worst_theta, worst_w, worst_energy);
  if (!(worst_theta < 1e-9 && worst_w < 1e-9 && worst_energy < 1e-9)) {
    std::printf("FAILED: the integrator does not reproduce the exact period\n");
    return 1;
  }
  std::printf("OK\n");
  return 0;
}
