// pb::count_real_roots on 100,000 random int64 rows of degree 8 against
// FLINT's fmpz_poly_num_real_roots on the same rows, one thread each: ns per
// row (medians of repeated runs) and their ratio; the counts must agree.
//   bench_real_roots [rows] [repeats]
#include <flint/fmpz_poly.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

namespace {

template <class F>
double median_ns_per_row(int repeats, std::size_t rows, F&& f) {
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    f();
    const auto stop = std::chrono::steady_clock::now();
    t.push_back(std::chrono::duration<double, std::nano>(stop - start).count() / static_cast<double>(rows));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t rows = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::size_t len = 9;
  const unsigned seed = 20240611;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> coef(-1000, 1000);
  pb::PolyBatch<std::int64_t> a(rows, len);
  for (std::size_t i = 0; i < rows * len; ++i) a.data()[i] = coef(rng);
  for (std::size_t i = 0; i < rows; ++i)
    if (a.data()[i * len + len - 1] == 0) a.data()[i * len + len - 1] = 1;

  std::vector<fmpz_poly_struct> flint(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    fmpz_poly_init(&flint[i]);
    for (std::size_t j = 0; j < len; ++j)
      fmpz_poly_set_coeff_si(&flint[i], static_cast<slong>(j), static_cast<slong>(a.data()[i * len + j]));
  }
  pb::set_num_threads(1);
  xt::xtensor<std::size_t, 1> ours;
  std::vector<slong> theirs(rows);
  const double ns_pb = median_ns_per_row(repeats, rows, [&] { ours = pb::count_real_roots(a); });
  const double ns_flint = median_ns_per_row(repeats, rows, [&] {
    for (std::size_t i = 0; i < rows; ++i) theirs[i] = fmpz_poly_num_real_roots(&flint[i]);
  });
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < rows; ++i) mismatches += ours(i) != static_cast<std::size_t>(theirs[i]);
  for (auto& p : flint) fmpz_poly_clear(&p);
  std::printf("count_real_roots, %zu int64 rows of degree 8 (coefficients in [-1000, 1000], seed %u), 1 thread, "
              "median of %d\n",
              rows, seed, repeats);
  std::printf("  polybatch %10.0f ns/row\n  FLINT     %10.0f ns/row\n  ratio     %10.2f (polybatch / FLINT)\n", ns_pb,
              ns_flint, ns_pb / ns_flint);
  std::printf("  counts that differ: %zu\n", mismatches);
  return mismatches == 0 ? 0 : 1;
}
