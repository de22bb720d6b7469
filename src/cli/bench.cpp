// `polybatch bench`: the cost of going through the command line's run-time
// expression tree. a (rows x 5) and b (rows x 7) are written to .npy files,
// read back as `eval` reads them, and `a*b` is computed both by the parsed
// expression and by the direct library call `r = a * b`; the compute times
// (medians) are printed side by side. Exits non-zero above --max-ratio.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include <polybatch/eval/dynamic.hpp>
#include <polybatch/interop/npy.hpp>
#include <polybatch/polybatch.hpp>

#include "cli/build.hpp"
#include "cli/commands.hpp"
#include "cli/kernels_info.hpp"
#include "cli/timing.hpp"

namespace polybatch::cli {

int run_bench(const BenchOptions& o) {
  namespace fs = std::filesystem;
  const std::size_t rows = o.rows;
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> coeff(-1.0, 1.0);
  const fs::path dir = fs::temp_directory_path() / ("polybatch-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  const std::string fa = (dir / "a.npy").string(), fb = (dir / "b.npy").string();
  {
    PolyBatch<double> a = PolyBatch<double>::uninitialized(rows, 5), b = PolyBatch<double>::uninitialized(rows, 7);
    std::generate(a.data(), a.data() + rows * 5, [&] { return coeff(rng); });
    std::generate(b.data(), b.data() + rows * 7, [&] { return coeff(rng); });
    interop::write_npy(fa, a);
    interop::write_npy(fb, b);
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto a = std::make_shared<const PolyBatch<double>>(interop::read_npy<double>(fa));
  auto b = std::make_shared<const PolyBatch<double>>(interop::read_npy<double>(fb));
  const double t_read = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

  const std::string text = "a*b";
  std::map<std::string, NamedBatch<double>> named;
  named.emplace("a", NamedBatch<double>{dynamic_leaf(a), fa});
  named.emplace("b", NamedBatch<double>{dynamic_leaf(b), fb});
  const expr::Dynamic<double> e = Builder<double>(text, named, "double").build(parse_expression(text));

  PolyBatch<double> via_cli(rows, 11), via_lib(rows, 11);
  // Interleave the two so that drift in machine load affects both alike.
  std::vector<double> t_cli, t_lib;
  for (int i = 0; i < o.repeats; ++i) {
    t_lib.push_back(median_ms(1, [&] { via_lib = *a * *b; }));
    t_cli.push_back(median_ms(1, [&] { adapt(via_cli.data(), rows, std::size_t{11}) = e; }));
  }
  std::sort(t_cli.begin(), t_cli.end());
  std::sort(t_lib.begin(), t_lib.end());
  const double cli_ms = t_cli[t_cli.size() / 2], lib_ms = t_lib[t_lib.size() / 2];
  const double ratio = cli_ms / lib_ms;
  const bool same = via_cli == via_lib;

  std::printf("polybatch bench: a*b on %zu rows of lengths 5 and 7 from .npy, %zu threads, median of %d, %s\n", rows,
              num_threads(), o.repeats, kernels_in_use().c_str());
  std::printf("  read both .npy files          %9.2f ms\n", t_read);
  std::printf("  eval 'a*b' compute (parsed)   %9.2f ms\n", cli_ms);
  std::printf("  r = a * b  (library call)     %9.2f ms\n", lib_ms);
  std::printf("  ratio parsed / library        %9.3f   (limit %.2f)\n", ratio, o.max_ratio);
  std::printf("  results identical             %9s\n", same ? "yes" : "NO");
  const bool ok = same && ratio <= o.max_ratio;
  std::printf("%s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}

} // namespace polybatch::cli
