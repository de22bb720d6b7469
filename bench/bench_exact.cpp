// Exact and extended-precision products, 5 x 7 rows: polybatch against a
// plain int64 loop, naive Boost.Multiprecision loops and FLINT
// (fmpz_poly_mul, fmpq_poly_mul; benchmark-only dependency), one thread.
// Reported counter: ns_per_row.
#include <benchmark/benchmark.h>
#include <flint/fmpq_poly.h>
#include <flint/fmpz_poly.h>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/float128.hpp>
#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <cstdint>
#include <polybatch/polybatch.hpp>
#include <random>
#include <string>
#include <vector>

namespace pb = polybatch;
namespace mp = boost::multiprecision;

namespace {

constexpr std::size_t la = 5;
constexpr std::size_t lb = 7;
constexpr std::size_t exact_rows = 20000;

void rows_counter(benchmark::State& state, std::size_t rows) {
  state.counters["ns_per_row"] =
      benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()) * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

mp::cpp_int random_int(std::mt19937_64& rng, unsigned bits) {
  mp::cpp_int v = 0;
  for (unsigned b = 0; b < bits; b += 64) v = (v << 64) | mp::cpp_int(rng());
  v &= (mp::cpp_int(1) << bits) - 1;
  return (rng() & 1) ? mp::cpp_int(-v) : v;
}

template <class T>
pb::PolyBatch<T> int_batch(std::size_t rows, std::size_t len, unsigned bits, unsigned seed) {
  std::mt19937_64 rng(seed);
  pb::PolyBatch<T> p(rows, len);
  for (std::size_t i = 0; i < rows * len; ++i) p.data()[i] = T(random_int(rng, bits).str());
  return p;
}

template <class T>
pb::PolyBatch<T> rational_batch(std::size_t rows, std::size_t len, unsigned bits, unsigned seed) {
  std::mt19937_64 rng(seed);
  pb::PolyBatch<T> p(rows, len);
  for (std::size_t i = 0; i < rows * len; ++i) {
    mp::cpp_int den = abs(random_int(rng, bits)); // Boost 1.74 rejects negative denominators
    if (den == 0) den = 1;
    p.data()[i] = T(mp::cpp_rational(random_int(rng, bits), den).str());
  }
  return p;
}

template <class T>
pb::PolyBatch<T> float_batch(std::size_t rows, std::size_t len, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(-1, 1);
  pb::PolyBatch<T> p(rows, len);
  for (std::size_t i = 0; i < rows * len; ++i) p.data()[i] = T(d(rng)) / T(3);
  return p;
}

/// The naive Boost loop: acc += a * b per term.
template <class T>
void naive_rows(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b, pb::PolyBatch<T>& out) {
  const std::size_t rows = a.batch_size();
  T acc = a.data()[0];
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a.data() + r * la;
    const T* br = b.data() + r * lb;
    T* o = out.data() + r * (la + lb - 1);
    for (std::size_t k = 0; k < la + lb - 1; ++k) {
      acc = 0;
      for (std::size_t i = (k >= lb ? k - lb + 1 : 0); i <= std::min(k, la - 1); ++i) acc += ar[i] * br[k - i];
      o[k] = acc;
    }
  }
}

template <class T>
void bench_polybatch(benchmark::State& state, const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b) {
  pb::set_num_threads(1);
  pb::PolyBatch<T> out = a * b;
  for (auto _ : state) {
    out = a * b;
    benchmark::DoNotOptimize(out.data());
  }
  rows_counter(state, a.batch_size());
}

template <class T>
void bench_naive(benchmark::State& state, const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b) {
  pb::PolyBatch<T> out = a * b;
  for (auto _ : state) {
    naive_rows(a, b, out);
    benchmark::DoNotOptimize(out.data());
  }
  rows_counter(state, a.batch_size());
}

// ---- integers --------------------------------------------------------------
void BM_int64_loop(benchmark::State& state) {
  const std::size_t rows = 1000000;
  std::mt19937_64 rng(1);
  std::vector<std::int64_t> a(rows * la), b(rows * lb), out(rows * (la + lb - 1));
  for (auto& v : a) v = static_cast<std::int64_t>(rng() % (1u << 20)) - (1 << 19);
  for (auto& v : b) v = static_cast<std::int64_t>(rng() % (1u << 20)) - (1 << 19);
  for (auto _ : state) {
    for (std::size_t r = 0; r < rows; ++r) {
      const std::int64_t* ar = a.data() + r * la;
      const std::int64_t* br = b.data() + r * lb;
      std::int64_t* o = out.data() + r * (la + lb - 1);
      for (std::size_t k = 0; k < la + lb - 1; ++k) o[k] = 0;
      for (std::size_t i = 0; i < la; ++i)
        for (std::size_t j = 0; j < lb; ++j) o[i + j] += ar[i] * br[j];
    }
    benchmark::DoNotOptimize(out.data());
  }
  rows_counter(state, rows);
}

template <unsigned Bits>
void BM_cpp_int_polybatch(benchmark::State& state) {
  const auto a = int_batch<mp::cpp_int>(exact_rows, la, Bits, 1);
  const auto b = int_batch<mp::cpp_int>(exact_rows, lb, Bits, 2);
  bench_polybatch(state, a, b);
}
template <unsigned Bits>
void BM_cpp_int_naive(benchmark::State& state) {
  const auto a = int_batch<mp::cpp_int>(exact_rows, la, Bits, 1);
  const auto b = int_batch<mp::cpp_int>(exact_rows, lb, Bits, 2);
  bench_naive(state, a, b);
}
template <unsigned Bits>
void BM_mpz_int_polybatch(benchmark::State& state) {
  const auto a = int_batch<mp::mpz_int>(exact_rows, la, Bits, 1);
  const auto b = int_batch<mp::mpz_int>(exact_rows, lb, Bits, 2);
  bench_polybatch(state, a, b);
}

template <unsigned Bits>
void BM_flint_fmpz_poly_mul(benchmark::State& state) {
  const auto a = int_batch<mp::cpp_int>(exact_rows, la, Bits, 1);
  const auto b = int_batch<mp::cpp_int>(exact_rows, lb, Bits, 2);
  std::vector<fmpz_poly_t> fa(exact_rows), fb(exact_rows), fo(exact_rows);
  for (std::size_t r = 0; r < exact_rows; ++r) {
    fmpz_poly_init(fa[r]);
    fmpz_poly_init(fb[r]);
    fmpz_poly_init(fo[r]);
    fmpz_t c;
    fmpz_init(c);
    for (std::size_t k = 0; k < la; ++k) {
      fmpz_set_str(c, a(r, k).str().c_str(), 10);
      fmpz_poly_set_coeff_fmpz(fa[r], static_cast<slong>(k), c);
    }
    for (std::size_t k = 0; k < lb; ++k) {
      fmpz_set_str(c, b(r, k).str().c_str(), 10);
      fmpz_poly_set_coeff_fmpz(fb[r], static_cast<slong>(k), c);
    }
    fmpz_clear(c);
  }
  for (auto _ : state)
    for (std::size_t r = 0; r < exact_rows; ++r) fmpz_poly_mul(fo[r], fa[r], fb[r]);
  rows_counter(state, exact_rows);
  for (std::size_t r = 0; r < exact_rows; ++r) {
    fmpz_poly_clear(fa[r]);
    fmpz_poly_clear(fb[r]);
    fmpz_poly_clear(fo[r]);
  }
}

// ---- rationals -------------------------------------------------------------
template <class Q>
void BM_rational_polybatch(benchmark::State& state) {
  const auto a = rational_batch<Q>(exact_rows / 4, la, 15, 1);
  const auto b = rational_batch<Q>(exact_rows / 4, lb, 15, 2);
  bench_polybatch(state, a, b);
}
template <class Q>
void BM_rational_naive(benchmark::State& state) {
  const auto a = rational_batch<Q>(exact_rows / 4, la, 15, 1);
  const auto b = rational_batch<Q>(exact_rows / 4, lb, 15, 2);
  bench_naive(state, a, b);
}
void BM_flint_fmpq_poly_mul(benchmark::State& state) {
  const std::size_t rows = exact_rows / 4;
  const auto a = rational_batch<mp::cpp_rational>(rows, la, 15, 1);
  const auto b = rational_batch<mp::cpp_rational>(rows, lb, 15, 2);
  std::vector<fmpq_poly_t> fa(rows), fb(rows), fo(rows);
  fmpq_t c;
  fmpq_init(c);
  for (std::size_t r = 0; r < rows; ++r) {
    fmpq_poly_init(fa[r]);
    fmpq_poly_init(fb[r]);
    fmpq_poly_init(fo[r]);
    for (std::size_t k = 0; k < la; ++k) {
      fmpq_set_str(c, a(r, k).str().c_str(), 10);
      fmpq_poly_set_coeff_fmpq(fa[r], static_cast<slong>(k), c);
    }
    for (std::size_t k = 0; k < lb; ++k) {
      fmpq_set_str(c, b(r, k).str().c_str(), 10);
      fmpq_poly_set_coeff_fmpq(fb[r], static_cast<slong>(k), c);
    }
  }
  fmpq_clear(c);
  for (auto _ : state)
    for (std::size_t r = 0; r < rows; ++r) fmpq_poly_mul(fo[r], fa[r], fb[r]);
  rows_counter(state, rows);
  for (std::size_t r = 0; r < rows; ++r) {
    fmpq_poly_clear(fa[r]);
    fmpq_poly_clear(fb[r]);
    fmpq_poly_clear(fo[r]);
  }
}

// ---- floating types ----------------------------------------------------------
template <class T>
void BM_float_polybatch(benchmark::State& state) {
  if constexpr (std::is_same_v<T, mp::mpfr_float>) mp::mpfr_float::default_precision(50);
  const auto a = float_batch<T>(exact_rows, la, 1);
  const auto b = float_batch<T>(exact_rows, lb, 2);
  bench_polybatch(state, a, b);
}
template <class T>
void BM_float_naive(benchmark::State& state) {
  if constexpr (std::is_same_v<T, mp::mpfr_float>) mp::mpfr_float::default_precision(50);
  const auto a = float_batch<T>(exact_rows, la, 1);
  const auto b = float_batch<T>(exact_rows, lb, 2);
  bench_naive(state, a, b);
}

// ---- double-double vs double at B = 1,000,000 ------------------------------------
template <class T>
void BM_machine_polybatch(benchmark::State& state) {
  const auto a = float_batch<T>(1000000, la, 1);
  const auto b = float_batch<T>(1000000, lb, 2);
  bench_polybatch(state, a, b);
}

} // namespace

BENCHMARK(BM_int64_loop)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_cpp_int_polybatch, 20)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_cpp_int_naive, 20)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_mpz_int_polybatch, 20)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly_mul, 20)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_cpp_int_polybatch, 40)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly_mul, 40)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_cpp_int_polybatch, 200)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_cpp_int_naive, 200)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_mpz_int_polybatch, 200)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly_mul, 200)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_rational_polybatch, mp::cpp_rational)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_rational_naive, mp::cpp_rational)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_rational_polybatch, mp::mpq_rational)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_flint_fmpq_poly_mul)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_float_polybatch, mp::cpp_bin_float_quad)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_float_naive, mp::cpp_bin_float_quad)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_float_polybatch, mp::float128)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_float_naive, mp::float128)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_float_polybatch, mp::mpfr_float)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_float_naive, mp::mpfr_float)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_float_polybatch, mp::cpp_dec_float_50)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_float_naive, mp::cpp_dec_float_50)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_machine_polybatch, double)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_machine_polybatch, pb::dd)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
