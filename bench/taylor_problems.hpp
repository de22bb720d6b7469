// The four ensembles of bench_taylor.cpp and taylor_steps.cpp
// (bench/taylor_peers.py builds the same ones): initial states, end times and
// right-hand sides, once as polybatch expressions and once as plain functions
// for Boost.Odeint; and the timing both programs take.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace bench_taylor {

namespace pb = polybatch;

struct Pendulum {
  static constexpr std::size_t N = 2;
  static constexpr const char* name = "pendulum";
  static constexpr double t1 = 20.0;
  static std::array<double, N> initial(std::size_t i, std::size_t B) {
    return {0.1 + 2.7 * double(i) / double(B), 0.0};
  }
  template <class S>
  static auto rhs(const S& y) {
    return std::tuple{y[1], -pb::series::sin(y[0])};
  }
  static void f(const double* y, double* d) {
    d[0] = y[1];
    d[1] = -std::sin(y[0]);
  }
};

struct Kepler {
  static constexpr std::size_t N = 4;
  static constexpr const char* name = "kepler e 0.1..0.9";
  static constexpr double t1 = 20.0;
  static std::array<double, N> initial(std::size_t i, std::size_t B) {
    const double e = 0.1 + 0.8 * double(i) / double(B);
    return {1 - e, 0.0, 0.0, std::sqrt((1 + e) / (1 - e))};
  }
  template <class S>
  static auto rhs(const S& y) {
    return std::tuple{y[2], y[3], -y[0] * pb::series::pow(y[0] * y[0] + y[1] * y[1], -1.5),
                      -y[1] * pb::series::pow(y[0] * y[0] + y[1] * y[1], -1.5)};
  }
  static void f(const double* y, double* d) {
    const double r2 = y[0] * y[0] + y[1] * y[1];
    const double r3 = 1.0 / (r2 * std::sqrt(r2));
    d[0] = y[2];
    d[1] = y[3];
    d[2] = -y[0] * r3;
    d[3] = -y[1] * r3;
  }
};

struct LotkaVolterra {
  static constexpr std::size_t N = 2;
  static constexpr const char* name = "lotka-volterra";
  static constexpr double t1 = 10.0;
  static std::array<double, N> initial(std::size_t i, std::size_t B) {
    return {1.0 + 9.0 * double(i) / double(B), 1.0 + 4.0 * double(i) / double(B)};
  }
  template <class S>
  static auto rhs(const S& y) {
    return std::tuple{1.5 * y[0] - y[0] * y[1], y[0] * y[1] - 3.0 * y[1]};
  }
  static void f(const double* y, double* d) {
    d[0] = 1.5 * y[0] - y[0] * y[1];
    d[1] = y[0] * y[1] - 3.0 * y[1];
  }
};

struct Lorenz {
  static constexpr std::size_t N = 3;
  static constexpr const char* name = "lorenz (t = 2)";
  static constexpr double t1 = 2.0;
  static std::array<double, N> initial(std::size_t i, std::size_t B) { return {1.0 + double(i) / double(B), 1.0, 1.0}; }
  template <class S>
  static auto rhs(const S& y) {
    return std::tuple{10.0 * (y[1] - y[0]), y[0] * (28.0 - y[2]) - y[1], y[0] * y[1] - (8.0 / 3.0) * y[2]};
  }
  static void f(const double* y, double* d) {
    d[0] = 10.0 * (y[1] - y[0]);
    d[1] = y[0] * (28.0 - y[2]) - y[1];
    d[2] = y[0] * y[1] - (8.0 / 3.0) * y[2];
  }
};

/// The B x N initial states of problem P.
template <class P>
pb::PolyBatch<double> initial_batch(std::size_t B) {
  pb::PolyBatch<double> y0(B, P::N);
  for (std::size_t i = 0; i < B; ++i) {
    const auto y = P::initial(i, B);
    for (std::size_t c = 0; c < P::N; ++c) y0(i, c) = y[c];
  }
  return y0;
}

/// The median wall time of `repeats` calls of run().
template <class Run>
double median_seconds(std::size_t repeats, Run run) {
  std::vector<double> t;
  for (std::size_t r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

} // namespace bench_taylor
