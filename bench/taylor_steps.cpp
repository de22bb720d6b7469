// The cost of one trajectory-step of pb::taylor::integrate alone, for the
// four ensembles of bench_taylor (no peers, no reference runs): median wall
// time of --calls calls, the steps taken, ns per trajectory-step and a hash
// of the final states (two builds that should give the same bits can be
// checked against each other). Short enough to alternate two builds many
// times on a machine whose speed drifts (docs/taylor.md).
//   taylor_steps [--rows B] [--calls N] [--problem pendulum|kepler|lotka-volterra|lorenz] [--tol X]
// Without --tol each problem runs at the tol whose error matches scipy's at
// rtol = atol = 1e-9 (the equal-accuracy rungs of docs/taylor.md).
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "taylor_problems.hpp"

namespace {

namespace pb = polybatch;

struct Settings {
  std::size_t rows = 10000, calls = 9;
  std::string problem; // empty: all four
  double tol = 0;      // 0: each problem's own
};

template <class P>
void run(const Settings& s, double default_tol) {
  if (std::string(P::name).rfind(s.problem, 0) != 0) return; // --problem: a prefix of the name
  const double tol = s.tol > 0 ? s.tol : default_tol;
  const pb::PolyBatch<double> y0 = bench_taylor::initial_batch<P>(s.rows);
  pb::PolyBatch<double> y;
  xt::xtensor<std::size_t, 1> steps_per_row;
  const double median = bench_taylor::median_seconds(s.calls, [&] {
    auto r = pb::taylor::integrate([](const auto& x) { return P::rhs(x); }, y0, P::t1, {.tol = tol});
    y = std::move(r.y);
    steps_per_row = std::move(r.steps);
  });
  std::size_t steps = 0;
  for (const std::size_t n : steps_per_row) steps += n;
  // FNV-1a over the states' bits: a floating-point sum would itself round
  // differently between builds (contracted or not) and hide equal results.
  std::uint64_t hash = 14695981039346656037ull;
  for (const double v : y.coeffs()) hash = (hash ^ std::bit_cast<std::uint64_t>(v)) * 1099511628211ull;
  std::printf("%-18s tol %-7.0e %9.3f ms %9zu trajectory-steps %7.2f ns each  hash %016llx\n", P::name, tol,
              median * 1e3, steps, median * 1e9 / static_cast<double>(steps), static_cast<unsigned long long>(hash));
}

} // namespace

int main(int argc, char** argv) {
  Settings s;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rows") == 0)
      s.rows = std::strtoull(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--calls") == 0)
      s.calls = std::strtoull(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--problem") == 0)
      s.problem = argv[i + 1];
    else if (std::strcmp(argv[i], "--tol") == 0)
      s.tol = std::strtod(argv[i + 1], nullptr);
    else {
      std::fprintf(stderr, "taylor_steps: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (s.rows == 0 || s.calls == 0 || !(s.tol >= 0)) {
    std::fprintf(stderr,
                 "taylor_steps: --rows and --calls must be positive, --tol positive or 0 (each problem's own)\n");
    return 2;
  }
  run<bench_taylor::Pendulum>(s, 1e-7);
  run<bench_taylor::Kepler>(s, 1e-7);
  run<bench_taylor::LotkaVolterra>(s, 5e-10);
  run<bench_taylor::Lorenz>(s, 2e-8);
}
