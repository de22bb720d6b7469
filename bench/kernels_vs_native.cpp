// The computations behind `polybatch demo` and `polybatch bench`, timed in one
// program that bench/kernels_vs_native.sh builds twice: once header-only with
// -march=native, once for plain x86-64 linked to polybatch::kernels (the
// quick-start shape). Prints one line per case: name and median ms.
#include <algorithm>
#include <cstdio>
#include <random>

#include <polybatch/machine.hpp>

#include "cli/timing.hpp" // median_ms, shared with polybatch demo/bench

namespace pb = polybatch;
using polybatch::cli::median_ms;

template <class T>
pb::PolyBatch<T> random_batch(std::size_t rows, std::size_t length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> coeff(-1, 1);
  auto p = pb::PolyBatch<T>::uninitialized(rows, length);
  std::generate(p.data(), p.data() + rows * length, [&] { return static_cast<T>(coeff(rng)); });
  return p;
}

int main() {
  const std::size_t rows = 1'000'000;
  const int repeats = 11;
  {
    const auto a = random_batch<double>(rows, 5, 1), b = random_batch<double>(rows, 7, 2),
               c = random_batch<double>(rows, 5, 3);
    pb::PolyBatch<double> r(rows, 11), f(rows, 15);
    r = a * b;
    f = (a * b) * c;
    std::printf("double 5x7 r = a * b %.3f\n", median_ms(repeats, [&] { r = a * b; }));
    std::printf("double fused (a*b)*c %.3f\n", median_ms(repeats, [&] { f = (a * b) * c; }));
  }
  {
    const auto a = random_batch<float>(rows, 9, 4), b = random_batch<float>(rows, 9, 5);
    pb::PolyBatch<float> r(rows, 17);
    r = a * b;
    std::printf("float 9x9 r = a * b %.3f\n", median_ms(repeats, [&] { r = a * b; }));
  }
  {
    const auto a = random_batch<float>(rows, 5, 6), b = random_batch<float>(rows, 5, 7),
               c = random_batch<float>(rows, 5, 8);
    pb::PolyBatch<float> f(rows, 13);
    f = (a * b) * c;
    std::printf("float fused (a*b)*c %.3f\n", median_ms(repeats, [&] { f = (a * b) * c; }));
  }
}
