// pb::verify at machine speed: verify(a * b) and verify((a * b) * c) over
// B rows (default 1,000,000) on one thread, against the double evaluation
// they check (out = a * b into existing storage, timed in the same run) and
// the rational path (on --rational-rows rows, extrapolated per row).
// Times are medians of --repeats runs, wall clock and the calling thread's
// CPU time (steadier on a loaded machine); values uniform in (-1, 1), seed 1.
// The same for double-double (values a third of those doubles: both parts
// busy), whose "double" column is then the dd evaluation.
// Usage: bench_verify [--rows B] [--repeats R] [--rational-rows N] [--threads T]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

namespace {

struct Options {
  std::size_t rows = 1000000, repeats = 5, rational_rows = 2000, threads = 1;
};

template <class T>
pb::PolyBatch<T> random_batch(std::size_t batch, std::size_t length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch * length; ++i) {
    if constexpr (std::is_same_v<T, double>)
      p.data()[i] = u(rng);
    else
      p.data()[i] = T(u(rng)) / T(3);
  }
  return p;
}

struct Seconds {
  double wall = 0, cpu = 0;
};

inline double thread_cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <class F>
Seconds median_seconds(std::size_t repeats, F&& f) {
  std::vector<double> wall, cpu;
  for (std::size_t r = 0; r < repeats; ++r) {
    const double c0 = thread_cpu_now();
    const auto start = std::chrono::steady_clock::now();
    f();
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    cpu.push_back(thread_cpu_now() - c0);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

/// One case: `make(a, b, c)` builds the expression over the given batches.
template <class T, class Make>
void run_case(const char* name, const Options& o, std::size_t la, std::size_t lb, std::size_t lc, Make make) {
  const auto a = random_batch<T>(o.rows, la, 1), b = random_batch<T>(o.rows, lb, 2), c = random_batch<T>(o.rows, lc, 3);
  const auto e = make(a, b, c);
  pb::PolyBatch<T> out = e;
  const Seconds t_double = median_seconds(o.repeats, [&] { out = make(a, b, c); });
  pb::exact::detail::verify_stats stats;
  pb::verify_report report;
  const Seconds t_verify = median_seconds(o.repeats, [&] {
    stats = {};
    report = pb::exact::detail::verify(e, stats);
  });

  const std::size_t n = std::min(o.rows, o.rational_rows);
  const auto ra = random_batch<T>(n, la, 1), rb = random_batch<T>(n, lb, 2), rc = random_batch<T>(n, lc, 3);
  const auto re = make(ra, rb, rc);
  pb::verify_report slow;
  const Seconds t_rational_n =
      median_seconds(std::max<std::size_t>(1, o.repeats / 2), [&] { slow = pb::exact::detail::verify_rational(re); });
  const double per_row = static_cast<double>(o.rows) / static_cast<double>(n);
  const Seconds t_rational{t_rational_n.wall * per_row, t_rational_n.cpu * per_row};

  const double rows = static_cast<double>(o.rows);
  for (int cpu = 0; cpu < 2; ++cpu) {
    const double d = cpu ? t_double.cpu : t_double.wall, v = cpu ? t_verify.cpu : t_verify.wall,
                 r = cpu ? t_rational.cpu : t_rational.wall;
    std::printf("%-14s %s B=%zu  double %8.2f ms (%6.2f ns/row)  verify %7.3f s (%7.1f ns/row, %4.0fx double)  "
                "rational %7.1f s (%5.0fx verify; from %zu rows)\n",
                name, cpu ? "cpu " : "wall", o.rows, d * 1e3, d / rows * 1e9, v, v / rows * 1e9, v / d, r, r / v, n);
  }
  std::printf("             rows: %zu dyadic, %zu widest dyadic, %zu rational;  %s\n", stats.rows_dyadic,
              stats.rows_wide, stats.rows_rational, [&] {
                static char buf[200];
                std::snprintf(buf, sizeof buf, "max_rel_error %.3g (row %zu)", report.max_rel_error, report.worst_row);
                return buf;
              }());
}

} // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::size_t v = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--rows"))
      o.rows = v;
    else if (!std::strcmp(argv[i], "--repeats"))
      o.repeats = v;
    else if (!std::strcmp(argv[i], "--rational-rows"))
      o.rational_rows = v;
    else if (!std::strcmp(argv[i], "--threads"))
      o.threads = v;
    else {
      std::fprintf(stderr, "usage: bench_verify [--rows B] [--repeats R] [--rational-rows N] [--threads T]\n");
      return 2;
    }
  }
  pb::set_num_threads(o.threads);
  std::printf("threads %zu, medians of %zu runs\n", o.threads, o.repeats);
  const auto product = [](const auto& a, const auto& b, const auto&) { return a * b; };
  const auto triple = [](const auto& a, const auto& b, const auto& c) { return (a * b) * c; };
  run_case<double>("a*b 5x7", o, 5, 7, 3, product);
  run_case<double>("(a*b)*c 5x7x3", o, 5, 7, 3, triple);
  run_case<pb::dd>("dd a*b 5x7", o, 5, 7, 3, product);
  run_case<pb::dd>("dd (a*b)*c", o, 5, 7, 3, triple);
  return 0;
}
