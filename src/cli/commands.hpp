// The subcommands besides eval: their options and entry points.
#pragma once

#include <cstddef>
#include <cstdint>

namespace polybatch::cli {

struct DemoOptions {
  std::size_t rows = 1'000'000;
  std::size_t exact_rows = 2000;
  std::uint64_t seed = 42;
};
int run_demo(const DemoOptions& options);

struct BenchOptions {
  std::size_t rows = 4'000'000;
  int repeats = 5;
  double max_ratio = 1.5;
  std::uint64_t seed = 7;
};
int run_bench(const BenchOptions& options);

} // namespace polybatch::cli
