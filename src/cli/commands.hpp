// The subcommands besides eval: their options and entry points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

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

struct RootsOptions {
  std::string input;         // .npy or .csv
  std::string output;        // .npy (complex) or .csv; empty: CSV on stdout
  std::string type = "auto"; // float, double, longdouble; auto: float for float32 .npy, else double
  bool verify = false;       // certify with pb::verify_roots
  bool sync = true;
};
int run_roots(const RootsOptions& options);

} // namespace polybatch::cli
