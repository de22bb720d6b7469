// Wall-clock timing: the median of repeated runs for the demo and bench
// commands (the machines these run on are shared and noisy), and the time
// spent in each phase of `polybatch eval --time`.
#pragma once

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

namespace polybatch::cli {

/// Seconds accumulated per phase; a phase may be entered many times (the
/// output is computed and written block by block).
struct PhaseTimes {
  double read = 0, compute = 0, verify = 0, write = 0, sync = 0;

  /// Runs f(), adds its wall time to `phase`, and returns what f returns.
  template <class F>
  static decltype(auto) add(double& phase, F&& f) {
    struct Stop {
      double& phase;
      std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
      ~Stop() { phase += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); }
    } stop{phase};
    return std::forward<F>(f)();
  }
};

template <class F>
double median_ms(int repeats, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

} // namespace polybatch::cli
