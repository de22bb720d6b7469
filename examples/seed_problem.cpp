// The problem polybatch was built for: a million pairs of short rows
// (lengths 5 and 7) convolved, i.e. multiplied as polynomials, checked
// against a naive double loop and timed. Usage: seed_problem [--rows N]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "example_options.hpp"

namespace pb = polybatch;

namespace {

template <class F>
double median_seconds(int repeats, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  const example::Options options(argc, argv, {"--rows"});
  const std::size_t rows = options.count("--rows", 1'000'000, 1, 50'000'000);
  constexpr std::size_t la = 5, lb = 7, lr = la + lb - 1;

  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> coeff(-1.0, 1.0);
  pb::PolyBatch<double> a(rows, la), b(rows, lb), c(rows, la);
  for (auto* p : {&a, &b, &c})
    std::generate(p->data(), p->data() + p->batch_size() * p->length(), [&] { return coeff(rng); });

  // Outputs allocated (and first touched) once, reused by every repeat.
  pb::PolyBatch<double> r(rows, lr), naive(rows, lr), fused(rows, lr + la - 1);

  const double t_lib = median_seconds(5, [&] { r = a * b; });
  const double t_naive = median_seconds(5, [&] {
    const double* pa = a.data();
    const double* pb_ = b.data();
    double* out = naive.data();
    for (std::size_t i = 0; i < rows; ++i) {
      double* o = out + i * lr;
      std::fill(o, o + lr, 0.0);
      for (std::size_t j = 0; j < la; ++j)
        for (std::size_t k = 0; k < lb; ++k) o[j + k] += pa[i * la + j] * pb_[i * lb + k];
    }
  });
  const double t_fused = median_seconds(5, [&] { fused = (a * b) * c; });

  double max_err = 0.0;
  for (std::size_t i = 0; i < rows * lr; ++i) max_err = std::max(max_err, std::abs(r.data()[i] - naive.data()[i]));

  std::printf("polybatch seed problem: %zu pairs of rows, lengths %zu and %zu, threads %zu\n", rows, la, lb,
              pb::num_threads());
  std::printf("  r = a * b          %8.2f ms  (%6.2f ns/row)\n", t_lib * 1e3, t_lib * 1e9 / double(rows));
  std::printf("  naive double loop  %8.2f ms  (%6.2f ns/row)  -> polybatch is %.1fx faster\n", t_naive * 1e3,
              t_naive * 1e9 / double(rows), t_naive / t_lib);
  std::printf("  r = (a * b) * c    %8.2f ms  (%6.2f ns/row, one fused pass)\n", t_fused * 1e3,
              t_fused * 1e9 / double(rows));
  std::printf("  max |polybatch - naive| = %.3g\n", max_err);
  if (!(max_err <= 1e-12)) {
    std::printf("FAILED: polybatch disagrees with the naive loop\n");
    return 1;
  }
  std::printf("OK\n");
  return 0;
}
