// Google Benchmark cases for the algebra nodes:
//   truncated_product/n      r = truncate(a * b, n), La = Lb = 256, against
//                            the full r = a * b in the same run (speedup)
//   truncated_pow, truncated_compose
//                            truncate(pow(a, 16), 8), La = 16, and
//                            truncate(compose(a, b), 8), La = Lb = 32,
//                            against the untruncated expressions (speedup)
//   evaluate/<T>/threads     pb::evaluate(a, x), B = 1,000,000 rows of
//                            length 9, one point per row, against the
//                            streaming bound (bench/stream_bound.hpp)
//   evaluate_same/<T>        pb::evaluate(a, 0.5): one point for every row
//   evaluate_grid/<T>        B = 20,000 rows of length 9 at P = 64 points per
//                            row, against a plain per-point Horner loop
// Counters are medians over the iterations.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "stream_bound.hpp"

namespace pb = polybatch;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

template <class F>
double seconds(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

template <class T>
pb::PolyBatch<T> random_batch(std::size_t batch, std::size_t length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<T> d(T(-1), T(1));
  pb::PolyBatch<T> p = pb::PolyBatch<T>::uninitialized(batch, length);
  std::generate(p.data(), p.data() + batch * length, [&] { return d(rng); });
  return p;
}

/// Times `fast` and `slow` alternately; reports both per row and the speedup.
template <class Fast, class Slow>
void compare(benchmark::State& st, std::size_t batch, Fast fast, Slow slow) {
  std::vector<double> t_fast, t_slow;
  for (auto _ : st) {
    const double tf = seconds(fast);
    t_slow.push_back(seconds(slow));
    t_fast.push_back(tf);
    st.SetIterationTime(tf);
  }
  const double f = median(t_fast), s = median(t_slow);
  st.counters["ns_per_row"] = f / double(batch) * 1e9;
  st.counters["untruncated_ns_per_row"] = s / double(batch) * 1e9;
  st.counters["speedup"] = s / f;
}

void truncated_product(benchmark::State& st) {
  const auto n = static_cast<std::size_t>(st.range(0));
  pb::set_num_threads(1);
  constexpr std::size_t batch = 2000, L = 256;
  const auto a = random_batch<double>(batch, L, 1);
  const auto b = random_batch<double>(batch, L, 2);
  pb::PolyBatch<double> t(batch, n), full(batch, 2 * L - 1);
  compare(
      st, batch, [&] { t = pb::truncate(a * b, n); }, [&] { full = a * b; });
}

void truncated_pow(benchmark::State& st) {
  pb::set_num_threads(1);
  constexpr std::size_t batch = 2000, L = 16, k = 16;
  const auto a = random_batch<double>(batch, L, 3);
  pb::PolyBatch<double> t(batch, 8), full(batch, k * (L - 1) + 1);
  compare(
      st, batch, [&] { t = pb::truncate(pb::pow(a, k), 8); }, [&] { full = pb::pow(a, k); });
}

void truncated_compose(benchmark::State& st) {
  pb::set_num_threads(1);
  constexpr std::size_t batch = 2000, L = 32;
  const auto a = random_batch<double>(batch, L, 4);
  const auto b = random_batch<double>(batch, L, 5);
  pb::PolyBatch<double> t(batch, 8), full(batch, (L - 1) * (L - 1) + 1);
  compare(
      st, batch, [&] { t = pb::truncate(pb::compose(a, b), 8); }, [&] { full = pb::compose(a, b); });
}

constexpr std::size_t eval_batch = 1'000'000, eval_length = 9;

template <class T>
void evaluate_rows(benchmark::State& st) {
  pb::set_num_threads(static_cast<std::size_t>(st.range(0)));
  static const auto a = random_batch<T>(eval_batch, eval_length, 6);
  static const auto xs = random_batch<T>(eval_batch, 1, 7);
  const xt::xtensor<T, 1> x =
      xt::adapt(xs.data(), eval_batch, xt::no_ownership(), std::vector<std::size_t>{eval_batch});
  std::vector<T> sink(eval_batch);
  std::vector<double> t_eval, t_bound;
  for (auto _ : st) {
    const double te = seconds([&] { benchmark::DoNotOptimize(pb::evaluate(a, x)); });
    t_bound.push_back(seconds([&] {
      bench::stream<T>({{a.data(), eval_length}, {xs.data(), 1}}, sink.data(), 1, eval_batch);
    }));
    t_eval.push_back(te);
    st.SetIterationTime(te);
  }
  const double e = median(t_eval), b = median(t_bound);
  st.counters["ns_per_row"] = e / double(eval_batch) * 1e9;
  st.counters["bound_ns_per_row"] = b / double(eval_batch) * 1e9;
  st.counters["ratio"] = e / b;
  st.counters["GB_per_s"] = double(eval_batch * (eval_length + 2) * sizeof(T)) / e * 1e-9;
}

template <class T>
void evaluate_same(benchmark::State& st) {
  pb::set_num_threads(static_cast<std::size_t>(st.range(0)));
  static const auto a = random_batch<T>(eval_batch, eval_length, 6);
  std::vector<double> t;
  for (auto _ : st) {
    const double te = seconds([&] { benchmark::DoNotOptimize(pb::evaluate(a, T(0.5))); });
    t.push_back(te);
    st.SetIterationTime(te);
  }
  st.counters["ns_per_row"] = median(t) / double(eval_batch) * 1e9;
}

template <class T>
void evaluate_grid(benchmark::State& st) {
  pb::set_num_threads(1);
  constexpr std::size_t batch = 20000, points = 64;
  const auto a = random_batch<T>(batch, eval_length, 8);
  const auto g = random_batch<T>(batch, points, 9);
  const xt::xtensor<T, 2> x = g.coeffs();
  std::vector<T> naive(batch * points);
  auto per_point = [&] {
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t p = 0; p < points; ++p) {
        const T t = x(i, p);
        T s = a(i, eval_length - 1);
        for (std::size_t k = eval_length - 1; k-- > 0;) s = s * t + a.data()[i * eval_length + k];
        naive[i * points + p] = s;
      }
  };
  compare(
      st, batch * points, [&] { benchmark::DoNotOptimize(pb::evaluate(a, x)); }, per_point);
}

BENCHMARK(truncated_product)->Arg(8)->Arg(32)->Iterations(7)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(truncated_pow)->Iterations(7)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(truncated_compose)->Iterations(7)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(evaluate_rows, float)
    ->Name("evaluate/float")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(9)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(evaluate_rows, double)
    ->Name("evaluate/double")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(9)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(evaluate_same, double)
    ->Name("evaluate_same/double")
    ->Arg(1)
    ->Iterations(9)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(evaluate_grid, float)
    ->Name("evaluate_grid/float")
    ->Iterations(7)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(evaluate_grid, double)
    ->Name("evaluate_grid/double")
    ->Iterations(7)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
