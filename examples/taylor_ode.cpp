// A Taylor-series integrator for the simple pendulum theta'' = -sin(theta),
// run over a batch of initial amplitudes at once, checked against the exact
// period T = 4 K(sin(theta0 / 2)) (K: complete elliptic integral of the
// first kind): after one period every pendulum must be back where it started.
//
// The ODE is made polynomial with s = sin(theta), c = cos(theta):
//   theta' = w,  w' = -s,  s' = c w,  c' = -s w.
// Each step finds the Taylor polynomials of (theta, w, s, c) by Picard
// iteration with truncated power-series products, x = x0 + integral(f(x)),
// each sweep fixing one more coefficient, then evaluates them at each row's
// own step h (pb::evaluate, one point per row).
// Usage: taylor_ode [--rows N] [--order N] [--steps M]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <boost/math/special_functions/ellint_1.hpp>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

int main(int argc, char** argv) {
  std::size_t rows = 512, order = 24, steps = 48;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--rows") == 0) rows = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--order") == 0) order = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--steps") == 0) steps = std::strtoull(argv[i + 1], nullptr, 10);
  }

  // Amplitudes from 0.1 to 2.8 rad (close to the top, where the period grows),
  // released at rest; each row steps through its own period in `steps` steps.
  xt::xtensor<double, 1> amplitude = xt::xtensor<double, 1>::from_shape({rows});
  xt::xtensor<double, 1> h = xt::xtensor<double, 1>::from_shape({rows});
  pb::PolyBatch<double> theta0(rows, 1), w0(rows, 1), s0(rows, 1), c0(rows, 1);
  for (std::size_t i = 0; i < rows; ++i) {
    amplitude(i) = 0.1 + 2.7 * double(i) / double(std::max<std::size_t>(rows - 1, 1));
    const double period = 4.0 * boost::math::ellint_1(std::sin(amplitude(i) / 2.0));
    h(i) = period / double(steps);
    theta0(i, 0) = amplitude(i);
  }

  const auto start = std::chrono::steady_clock::now();
  pb::PolyBatch<double> theta, w, s, c;
  for (std::size_t step = 0; step < steps; ++step) {
    for (std::size_t i = 0; i < rows; ++i) {
      s0(i, 0) = std::sin(theta0(i, 0));
      c0(i, 0) = std::cos(theta0(i, 0));
    }
    theta = theta0, w = w0, s = s0, c = c0;
    // Sweep m makes coefficients 0..m exact: series of length m + 1, from
    // products truncated to m coefficients (only those are computed).
    for (std::size_t m = 1; m < order; ++m) {
      theta = theta0 + pb::integral(pb::truncate(w, m));
      w = w0 - pb::integral(pb::truncate(s, m));
      s = s0 + pb::integral(pb::truncate(c * w, m));
      c = c0 - pb::integral(pb::truncate(s * w, m));
    }
    const auto theta_h = pb::evaluate(theta, h);
    const auto w_h = pb::evaluate(w, h);
    for (std::size_t i = 0; i < rows; ++i) {
      theta0(i, 0) = theta_h(i);
      w0(i, 0) = w_h(i);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  double worst_theta = 0, worst_w = 0, worst_energy = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    worst_theta = std::max(worst_theta, std::abs(theta0(i, 0) - amplitude(i)));
    worst_w = std::max(worst_w, std::abs(w0(i, 0)));
    const double energy = 0.5 * w0(i, 0) * w0(i, 0) - std::cos(theta0(i, 0));
    worst_energy = std::max(worst_energy, std::abs(energy + std::cos(amplitude(i))));
  }
  std::printf("pendulum, %zu amplitudes in [0.1, 2.8], Taylor order %zu, %zu steps per period: %.3f s\n", rows,
              order - 1, steps, seconds);
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
