// pb::taylor::integrate against Boost.Odeint (runge_kutta_fehlberg78 with
// step control, bulirsch_stoer; one trajectory at a time and all of them as
// one state vector) on the ensembles of taylor_problems.hpp, one thread.
// Accuracy: the largest error over a sample of trajectories, scaled by
// max(1, |y|), against the same f run by polybatch in double-double (tol
// 1e-28). Times are medians of --repeats runs. A closing table compares,
// at equal accuracy, the fastest Odeint variant with polybatch at the
// loosest tol (tol times 1000, 500, 200, ..., 0.2, 0.1) that is at least as accurate. --ref DIR also writes the
// sample's reference states and every rung of that ladder for bench/taylor_peers.py.
// Usage: bench_taylor [--rows B] [--repeats R] [--sample S] [--ref DIR]
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

// g++ 12 at -O3 -march=native warns that Odeint's controlled stepper copies
// a state member before it is set (harmless: it is overwritten before use).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/numeric/odeint.hpp>

#include <polybatch/polybatch.hpp>

#include "taylor_problems.hpp"

namespace odeint = boost::numeric::odeint;
namespace pb = polybatch;
using namespace bench_taylor;

namespace {

struct Options {
  std::size_t rows = 10000, repeats = 3, sample = 100;
  std::string ref_dir;
};

template <class P>
std::vector<std::size_t> sample_rows(const Options& o) {
  std::vector<std::size_t> rows;
  const std::size_t step = std::max<std::size_t>(o.rows / o.sample, 1);
  for (std::size_t i = 0; i < o.rows; i += step) rows.push_back(i);
  return rows;
}

/// The problem's name up to its first space: the file names under --ref.
template <class P>
std::string short_name() {
  return std::string(P::name).substr(0, std::string(P::name).find(' '));
}

/// Sampled reference states from a double-double run.
template <class P>
std::vector<std::array<double, P::N>> reference(const Options& o, const std::vector<std::size_t>& rows) {
  pb::PolyBatch<pb::dd> y0(rows.size(), P::N);
  for (std::size_t s = 0; s < rows.size(); ++s) {
    const auto y = P::initial(rows[s], o.rows);
    for (std::size_t c = 0; c < P::N; ++c) y0(s, c) = pb::dd(y[c]);
  }
  const auto r = pb::taylor::integrate([](const auto& y) { return P::rhs(y); }, y0, P::t1, {.tol = 1e-28});
  std::vector<std::array<double, P::N>> out(rows.size());
  for (std::size_t s = 0; s < rows.size(); ++s)
    for (std::size_t c = 0; c < P::N; ++c) out[s][c] = static_cast<double>(r.y(s, c));
  if (!o.ref_dir.empty()) {
    std::ofstream f(o.ref_dir + "/" + short_name<P>() + ".csv");
    std::ofstream(o.ref_dir + "/" + short_name<P>() + "_ladder.csv"); // emptied: run_problem appends its rungs
    f.precision(17);
    for (std::size_t s = 0; s < rows.size(); ++s) {
      f << rows[s];
      for (std::size_t c = 0; c < P::N; ++c) f << "," << out[s][c];
      f << "\n";
    }
  }
  return out;
}

template <std::size_t N>
double error_of(const std::vector<std::size_t>& rows, const std::vector<std::array<double, N>>& ref,
                const std::vector<double>& y) {
  double worst = 0;
  for (std::size_t s = 0; s < rows.size(); ++s) {
    double scale = 1;
    for (std::size_t c = 0; c < N; ++c) scale = std::max(scale, std::abs(ref[s][c]));
    for (std::size_t c = 0; c < N; ++c) worst = std::max(worst, std::abs(y[rows[s] * N + c] - ref[s][c]) / scale);
  }
  return worst;
}

void report(const char* problem, double tol, const char* method, double seconds, double error, double base) {
  std::printf("| %-18s | %.0e | %-34s | %9.3f | %8.2f | %8.1e |\n", problem, tol, method, seconds, seconds / base,
              error);
  std::fflush(stdout);
}

/// The fastest Odeint variant at one tol, with its error.
struct Fastest {
  double seconds = 1e300, error = 0;
  const char* name = "";
  void consider(double t, double e, const char* n) {
    if (t < seconds) seconds = t, error = e, name = n;
  }
};

std::vector<std::string> summary;

template <class P>
void run_problem(const Options& o) {
  constexpr std::size_t N = P::N;
  const std::size_t B = o.rows;
  const auto rows = sample_rows<P>(o);
  const auto ref = reference<P>(o, rows);
  const pb::PolyBatch<double> y0 = initial_batch<P>(B);
  const std::vector<double> flat0(y0.coeffs().begin(), y0.coeffs().end());
  for (double tol : {1e-9, 1e-13}) {
    std::vector<double> y(B * N);
    const double t_pb = median_seconds(o.repeats, [&] {
      const auto r = pb::taylor::integrate([](const auto& s) { return P::rhs(s); }, y0, P::t1, {.tol = tol});
      std::copy(r.y.coeffs().begin(), r.y.coeffs().end(), y.begin());
    });
    const double e_pb = error_of(rows, ref, y);
    report(P::name, tol, "polybatch taylor (double)", t_pb, e_pb, t_pb);

    using state = std::array<double, N>;
    const auto sys = [](const state& x, state& d, double) { P::f(x.data(), d.data()); };
    const auto one_by_one = [&](auto make_stepper) {
      return median_seconds(o.repeats, [&] {
        for (std::size_t i = 0; i < B; ++i) {
          state x;
          std::copy(flat0.begin() + i * N, flat0.begin() + (i + 1) * N, x.begin());
          auto stepper = make_stepper();
          odeint::integrate_adaptive(stepper, sys, x, 0.0, P::t1, 0.01);
          std::copy(x.begin(), x.end(), y.begin() + i * N);
        }
      });
    };
    Fastest fastest;
    double t = one_by_one([&] { return odeint::make_controlled(tol, tol, odeint::runge_kutta_fehlberg78<state>()); });
    double e = error_of(rows, ref, y);
    report(P::name, tol, "odeint rkf78, one at a time", t, e, t_pb);
    fastest.consider(t, e, "rkf78, one at a time");
    t = one_by_one([&] { return odeint::bulirsch_stoer<state>(tol, tol); });
    e = error_of(rows, ref, y);
    report(P::name, tol, "odeint bulirsch_stoer, one at a time", t, e, t_pb);
    fastest.consider(t, e, "bulirsch_stoer, one at a time");

    using big = std::vector<double>;
    const auto big_sys = [B](const big& x, big& d, double) {
      for (std::size_t i = 0; i < B; ++i) P::f(x.data() + i * N, d.data() + i * N);
    };
    const auto all_at_once = [&](auto make_stepper) {
      return median_seconds(o.repeats, [&] {
        big x = flat0;
        auto stepper = make_stepper();
        odeint::integrate_adaptive(stepper, big_sys, x, 0.0, P::t1, 0.01);
        y = x;
      });
    };
    t = all_at_once([&] { return odeint::make_controlled(tol, tol, odeint::runge_kutta_fehlberg78<big>()); });
    e = error_of(rows, ref, y);
    report(P::name, tol, "odeint rkf78, one state vector", t, e, t_pb);
    fastest.consider(t, e, "rkf78, one state vector");
    t = all_at_once([&] { return odeint::bulirsch_stoer<big>(tol, tol); });
    const double e_bs = error_of(rows, ref, y);
    report(P::name, tol, "odeint bulirsch_stoer, one vector", t, e_bs, t_pb);
    fastest.consider(t, e_bs, "bulirsch_stoer, one vector");

    // Equal accuracy: Odeint's errors sit 10x to 100x above tol, and
    // polybatch's often 10x to 100x below it, so polybatch is also run on a
    // 1-2-5 ladder of tols from 1000 tol down to tol / 10; the loosest whose
    // error is at most the fastest Odeint variant's is compared with it.
    // With --ref every rung is written (DIR/NAME_ladder.csv) so that
    // taylor_peers.py can compare scipy at equal accuracy the same way.
    struct rung {
      double tol, seconds, error;
    };
    std::vector<rung> ladder;
    for (double factor : {1000.0, 500.0, 200.0, 100.0, 50.0, 20.0, 10.0, 5.0, 2.0, 1.0, 0.5, 0.2, 0.1}) {
      const double other = factor * tol;
      if (factor == 1.0) { // the run above
        ladder.push_back({tol, t_pb, e_pb});
        continue;
      }
      if (other >= 1e-3) continue;
      std::vector<double> y_other(B * N);
      const double t_o = median_seconds(o.repeats, [&] {
        const auto r = pb::taylor::integrate([](const auto& s) { return P::rhs(s); }, y0, P::t1, {.tol = other});
        std::copy(r.y.coeffs().begin(), r.y.coeffs().end(), y_other.begin());
      });
      ladder.push_back({other, t_o, error_of(rows, ref, y_other)});
    }
    if (!o.ref_dir.empty()) {
      std::ofstream f(o.ref_dir + "/" + short_name<P>() + "_ladder.csv", std::ios::app);
      f.precision(6);
      for (const rung& r : ladder) f << tol << "," << r.tol << "," << r.seconds << "," << r.error << "\n";
    }
    double t_eq = t_pb, e_eq = e_pb, tol_eq = tol;
    bool matched = false;
    for (const rung& r : ladder)
      if (r.error <= fastest.error) {
        t_eq = r.seconds, e_eq = r.error, tol_eq = r.tol, matched = true;
        break;
      }
    char method[64];
    std::snprintf(method, sizeof method, "polybatch at tol %.0e (%s)", tol_eq,
                  matched ? "equal acc." : "no tol as accurate");
    report(P::name, tol, method, t_eq, e_eq, t_pb);
    char line[256];
    std::snprintf(line, sizeof line, "| %-18s | %.0e | %-30s | %8.3f | %7.1e | %.0e | %8.3f | %7.1e | %6.2f |", P::name,
                  tol, fastest.name, fastest.seconds, fastest.error, tol_eq, t_eq, e_eq, fastest.seconds / t_eq);
    summary.push_back(line);
  }
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--rows") == 0) o.rows = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--repeats") == 0) o.repeats = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--sample") == 0) o.sample = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--ref") == 0) o.ref_dir = argv[i + 1];
  }
  pb::set_num_threads(1);
  std::printf("B = %zu trajectories, 1 thread, median of %zu runs; error: max over %zu sampled trajectories of "
              "|y - y_dd| / max(1, |y_dd|)\n\n",
              o.rows, o.repeats, o.sample);
  std::printf(
      "| problem            | tol   | method                             | seconds   | vs pb    | error    |\n");
  std::printf("|---|---|---|---|---|---|\n");
  run_problem<Pendulum>(o);
  run_problem<Kepler>(o);
  run_problem<LotkaVolterra>(o);
  run_problem<Lorenz>(o);
  std::printf("\nEqual accuracy: the fastest Odeint variant at each tol against polybatch at the loosest tol in "
              "{1000, 500, 200, ..., 0.2, 0.1} x tol whose error is at most that variant's\n\n");
  std::printf("| problem            | tol   | fastest odeint                 | seconds  | error   | pb tol | pb "
              "seconds | error   | speedup |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& line : summary) std::printf("%s\n", line.c_str());
}
