// Batched Newton root polishing with pb::evaluate and pb::derivative, checked
// with exact arithmetic. Each row is p(x) = (x^2 - m) (x^3 + u x + v) with
// integer coefficients, m not a square, so sqrt(m) is an irrational root.
// Starting from guesses 0.1% off, Newton's method runs on the whole batch at
// once (x <- x - p(x) / p'(x)) until the steps are rounding noise. The
// polished roots are then certified in cpp_rational: p changes sign between
// the doubles k ulps below and above each root (exact evaluation at B x 8
// points), so a true root lies within k ulps; k = 1 for almost every row (the
// rest is the rounding error of evaluating p in double near the root).
// Usage: newton_roots [--rows N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>

#include <boost/multiprecision/cpp_int.hpp>

#include <polybatch/polybatch.hpp>
#include <polybatch/scalar/multiprecision.hpp>

#include "example_options.hpp"

namespace pb = polybatch;
using rational = boost::multiprecision::cpp_rational;

int main(int argc, char** argv) {
  const example::Options options(argc, argv, {"--rows"});
  const std::size_t rows = options.count("--rows", 20000, 1, 10'000'000);

  std::mt19937_64 rng(2026);
  std::uniform_int_distribution<int> pick_m(2, 5000), pick_u(1, 50), pick_v(1, 90);
  std::uniform_real_distribution<double> jitter(-1e-3, 1e-3);
  const pb::PolyBatch<double> x_sq{{0.0, 0.0, 1.0}};
  pb::PolyBatch<double> minus_m(rows, 1), cubic(rows, 4);
  xt::xtensor<double, 1> x = xt::xtensor<double, 1>::from_shape({rows});
  for (std::size_t i = 0; i < rows; ++i) {
    int m = pick_m(rng);
    while (int(std::sqrt(double(m))) * int(std::sqrt(double(m))) == m) ++m;
    minus_m(i, 0) = -m;
    cubic(i, 0) = pick_v(rng), cubic(i, 1) = pick_u(rng), cubic(i, 3) = 1; // positive root-free for x > 0
    x(i) = std::sqrt(double(m)) * (1.0 + jitter(rng));
  }
  // p = (x^2 - m) q, and p' once: both fused passes over the batch.
  const pb::PolyBatch<double> p = (x_sq + minus_m) * cubic;
  const pb::PolyBatch<double> dp = pb::derivative(p);

  const auto start = std::chrono::steady_clock::now();
  int iterations = 0;
  while (iterations < 20) {
    ++iterations;
    const auto value = pb::evaluate(p, x);
    const auto slope = pb::evaluate(dp, x);
    double largest_step = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      const double step = value(i) / slope(i);
      x(i) -= step;
      largest_step = std::max(largest_step, std::abs(step) / x(i));
    }
    if (largest_step < 4 * std::numeric_limits<double>::epsilon()) break; // down to rounding noise
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Exact certificate: p changes sign between x - k ulp and x + k ulp, for
  // the smallest such k (evaluated exactly in rationals at B x 8 points).
  constexpr std::size_t max_ulps = 4;
  const pb::PolyBatch<rational> exact = pb::cast<rational>(p); // double -> rational is exact
  xt::xtensor<rational, 2> bracket = xt::xtensor<rational, 2>::from_shape({rows, 2 * max_ulps});
  for (std::size_t i = 0; i < rows; ++i) {
    double below = x(i), above = x(i);
    for (std::size_t k = 0; k < max_ulps; ++k) {
      below = std::nextafter(below, 0.0);
      above = std::nextafter(above, std::numeric_limits<double>::infinity());
      bracket(i, 2 * k) = rational(below); // doubles convert exactly
      bracket(i, 2 * k + 1) = rational(above);
    }
  }
  const auto values = pb::evaluate(exact, bracket);
  std::size_t within[max_ulps + 1] = {}, correctly_rounded = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    std::size_t k = 0;
    while (k < max_ulps && values(i, 2 * k).sign() * values(i, 2 * k + 1).sign() >= 0) ++k;
    ++within[k]; // k == max_ulps: not certified
    if (x(i) == std::sqrt(-minus_m(i, 0))) ++correctly_rounded;
  }
  std::printf("Newton on %zu quintics: %d batched iterations, %.2f ms\n", rows, iterations, seconds * 1e3);
  std::printf("  exact sign change (cpp_rational) certifies a true root within\n");
  for (std::size_t k = 0; k < max_ulps; ++k) std::printf("    %zu ulp: %zu roots\n", k + 1, within[k]);
  std::printf("  roots equal to the correctly rounded sqrt(m): %zu / %zu\n", correctly_rounded, rows);
  if (within[max_ulps] != 0) {
    std::printf("FAILED: %zu roots are not certified within %zu ulps\n", within[max_ulps], max_ulps);
    return 1;
  }
  std::printf("OK\n");
  return 0;
}
