// Google Benchmark cases for the convolution kernels, each reporting ns/row and the ratio to
// the streaming bound (bench/stream_bound.hpp) measured in the same run:
//   product/<T>/m/n/threads   r = a * v, r preallocated, B = 4,000,000
//   fused/<T>/threads         r = (a * b) * c, all lengths 5, B = 4,000,000
//   long/<T>/L/algo           r = a * v with rows of length L (ns/row against
//                             length): algo 0 = polybatch's dispatch
//                             (Karatsuba from length 32), 1 = vectorised
//                             schoolbook forced, 2 = scalar schoolbook (the
//                             generic kernel, up to L = 1024)
// Counters: ns_per_row, bound_ns_per_row, ratio (medians over iterations).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "polybatch_core.hpp"

#include "stream_bound.hpp"

namespace pb = polybatch;

namespace {

constexpr std::size_t big_batch = 4'000'000;
constexpr std::size_t max_short = 9;

template <class T>
struct Buffers {
  std::vector<T> a, b, c, out;
};

/// One set of buffers per scalar type for the short-row cases, written once
/// so that no benchmark pays first-touch page faults.
template <class T>
Buffers<T>& short_buffers() {
  static Buffers<T> buf = [] {
    Buffers<T> x;
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<T> d(T(-1), T(1));
    x.a.resize(big_batch * max_short);
    x.b.resize(big_batch * max_short);
    x.c.resize(big_batch * 5);
    x.out.resize(big_batch * (3 * 5 - 2 > 2 * max_short - 1 ? 13 : 2 * max_short - 1));
    for (auto* v : {&x.a, &x.b, &x.c})
      for (auto& e : *v) e = d(rng);
    std::fill(x.out.begin(), x.out.end(), T(0));
    return x;
  }();
  return buf;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Times `work` and the streaming bound alternately, reports medians.
template <class T, class Work>
void measure(benchmark::State& st, std::size_t batch, Work work, const std::vector<bench::Block<T>>& inputs, T* out,
             std::size_t out_length) {
  std::vector<double> t_work, t_bound;
  for (auto _ : st) {
    auto t0 = std::chrono::steady_clock::now();
    work();
    const double tw = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    bench::stream(inputs, out, out_length, batch);
    const double tb = seconds_since(t0);
    t_work.push_back(tw);
    t_bound.push_back(tb);
    st.SetIterationTime(tw);
  }
  const double w = median(t_work), b = median(t_bound);
  st.counters["ns_per_row"] = w / static_cast<double>(batch) * 1e9;
  st.counters["bound_ns_per_row"] = b / static_cast<double>(batch) * 1e9;
  st.counters["ratio"] = w / b;
}

template <class T>
void product_case(benchmark::State& st) {
  const auto m = static_cast<std::size_t>(st.range(0));
  const auto n = static_cast<std::size_t>(st.range(1));
  pb::set_num_threads(static_cast<std::size_t>(st.range(2)));
  Buffers<T>& buf = short_buffers<T>();
  const auto a = pb::adapt(static_cast<const T*>(buf.a.data()), big_batch, m);
  const auto v = pb::adapt(static_cast<const T*>(buf.b.data()), big_batch, n);
  auto r = pb::adapt(buf.out.data(), big_batch, m + n - 1);
  measure<T>(
      st, big_batch, [&] { r = a * v; }, {{buf.a.data(), m}, {buf.b.data(), n}}, buf.out.data(), m + n - 1);
}

template <class T>
void fused_case(benchmark::State& st) {
  pb::set_num_threads(static_cast<std::size_t>(st.range(0)));
  Buffers<T>& buf = short_buffers<T>();
  const auto a = pb::adapt(static_cast<const T*>(buf.a.data()), big_batch, 5);
  const auto b = pb::adapt(static_cast<const T*>(buf.b.data()), big_batch, 5);
  const auto c = pb::adapt(static_cast<const T*>(buf.c.data()), big_batch, 5);
  auto r = pb::adapt(buf.out.data(), big_batch, 13);
  measure<T>(
      st, big_batch, [&] { r = (a * b) * c; }, {{buf.a.data(), 5}, {buf.b.data(), 5}, {buf.c.data(), 5}},
      buf.out.data(), 13);
}

template <class T>
void long_case(benchmark::State& st) {
  const auto L = static_cast<std::size_t>(st.range(0));
  const auto algo = st.range(1);
  T acc(0);
  pb::set_num_threads(1);
  const std::size_t batch = std::max<std::size_t>(16, (std::size_t(1) << 18) / L);
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<T> d(T(-1), T(1));
  std::vector<T> a(batch * L), v(batch * L), out(batch * (2 * L - 1), T(0));
  for (auto& x : a) x = d(rng);
  for (auto& x : v) x = d(rng);
  const auto pa = pb::adapt(static_cast<const T*>(a.data()), batch, L);
  const auto pv = pb::adapt(static_cast<const T*>(v.data()), batch, L);
  auto r = pb::adapt(out.data(), batch, 2 * L - 1);
  auto work = [&] {
    if (algo == 1)
      pb::kernels::schoolbook_rows<T>(batch, a.data(), L, L, v.data(), L, L, false, 0, 2 * L - 1, out.data(),
                                      2 * L - 1);
    else if (algo == 2)
      for (std::size_t i = 0; i < batch; ++i)
        pb::kernels::convolve_window_row(a.data() + i * L, L, v.data() + i * L, L, false, 0, 2 * L - 1,
                                         out.data() + i * (2 * L - 1), acc);
    else
      r = pa * pv;
  };
  measure<T>(st, batch, work, {{a.data(), L}, {v.data(), L}}, out.data(), 2 * L - 1);
}

void short_args(benchmark::internal::Benchmark* b) {
  for (int threads : {1, 2})
    for (int m = 2; m <= 9; ++m)
      for (int n = 2; n <= 9; ++n) b->Args({m, n, threads});
}
void long_args(benchmark::internal::Benchmark* b) {
  for (int L : {16, 32, 64, 128, 256, 512, 1024, 2048, 4096})
    for (int algo : {0, 1, 2})
      if (algo < 2 || L <= 1024) b->Args({L, algo});
}

constexpr int short_iterations = 5;

BENCHMARK_TEMPLATE(product_case, float)
    ->Name("product/float")
    ->Apply(short_args)
    ->Iterations(short_iterations)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(product_case, double)
    ->Name("product/double")
    ->Apply(short_args)
    ->Iterations(short_iterations)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(fused_case, float)
    ->Name("fused/float")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(short_iterations)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(fused_case, double)
    ->Name("fused/double")
    ->Arg(1)
    ->Arg(2)
    ->Iterations(short_iterations)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(long_case, float)
    ->Name("long/float")
    ->Apply(long_args)
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(long_case, double)
    ->Name("long/double")
    ->Apply(long_args)
    ->Iterations(3)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
