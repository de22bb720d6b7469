// Exact and extended-precision products: polybatch against a plain int64
// loop, the copy floor (the bytes a product reads and writes), naive
// Boost.Multiprecision loops and FLINT (fmpz_poly_mul/add/pow/derivative,
// fmpq_poly_mul; benchmark-only dependency), one thread.
// Reported counter: ns_per_row.
// g++ 12's false positives inside Boost.Multiprecision's cpp_int once it is
// inlined here (the exact tests silence the same ones).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wrestrict"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif
#include <benchmark/benchmark.h>
#include <flint/fmpq_poly.h>
#include <flint/fmpz_poly.h>

#include <algorithm>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/float128.hpp>
#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <polybatch/polybatch.hpp>
#include <random>
#include <string>
#include <vector>

#include "mpz_copy_floor.hpp"
#include "naive_loop.hpp"

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

/// Rationals n / d with |n| < max and 1 <= d < max.
template <class T>
pb::PolyBatch<T> rational_batch(std::size_t rows, std::size_t len, long max, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> num(-(max - 1), max - 1), den(1, max - 1);
  pb::PolyBatch<T> p(rows, len);
  for (std::size_t i = 0; i < rows * len; ++i) {
    // positive denominators: Boost 1.74 rejects negative ones
    p.data()[i] = T(mp::cpp_rational(num(rng), den(rng)).str());
  }
  return p;
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
    bench::naive_product_rows(a, b, out);
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

// Integer cases take Args({rows, la, lb}): B = 1,000 (in cache) and
// B = 100,000 (out of cache), shapes 5 x 7 and 9 x 9.
template <class T, unsigned Bits>
void BM_int_product(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto a = int_batch<T>(rows, static_cast<std::size_t>(state.range(1)), Bits, 1);
  const auto b = int_batch<T>(rows, static_cast<std::size_t>(state.range(2)), Bits, 2);
  bench_polybatch(state, a, b);
}
template <class T, unsigned Bits>
void BM_int_sum(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto a = int_batch<T>(rows, static_cast<std::size_t>(state.range(1)), Bits, 1);
  const auto b = int_batch<T>(rows, static_cast<std::size_t>(state.range(1)), Bits, 2);
  pb::set_num_threads(1);
  pb::PolyBatch<T> out = a + b;
  for (auto _ : state) {
    out = a + b;
    benchmark::DoNotOptimize(out.data());
  }
  rows_counter(state, rows);
}
template <class T, unsigned Bits>
void BM_int_pow3(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto a = int_batch<T>(rows, static_cast<std::size_t>(state.range(1)), Bits, 1);
  pb::set_num_threads(1);
  pb::PolyBatch<T> out = pb::pow(a, 3);
  for (auto _ : state) {
    out = pb::pow(a, 3);
    benchmark::DoNotOptimize(out.data());
  }
  rows_counter(state, rows);
}
template <class T, unsigned Bits>
void BM_int_derivative(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto a = int_batch<T>(rows, static_cast<std::size_t>(state.range(1)), Bits, 1);
  pb::set_num_threads(1);
  pb::PolyBatch<T> out = pb::derivative(a);
  for (auto _ : state) {
    out = pb::derivative(a);
    benchmark::DoNotOptimize(out.data());
  }
  rows_counter(state, rows);
}
template <unsigned Bits>
void BM_cpp_int_naive(benchmark::State& state) {
  const auto a = int_batch<mp::cpp_int>(exact_rows, la, Bits, 1);
  const auto b = int_batch<mp::cpp_int>(exact_rows, lb, Bits, 2);
  bench_naive(state, a, b);
}

/// The copy floor: per row, read the bytes of both operand rows and write
/// the bytes of one result row (cpp_int objects, 32 bytes each), i.e. the
/// memory traffic of the product with no arithmetic.
void BM_copy_floor(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto ma = static_cast<std::size_t>(state.range(1)), mb = static_cast<std::size_t>(state.range(2));
  constexpr std::size_t words = sizeof(mp::cpp_int) / sizeof(std::uint64_t);
  const std::size_t wa = ma * words, wb = mb * words, wo = (ma + mb - 1) * words;
  std::vector<std::uint64_t> a(rows * wa, 1), b(rows * wb, 2), out(rows * wo);
  for (auto _ : state) {
    for (std::size_t r = 0; r < rows; ++r) {
      const std::uint64_t* ar = a.data() + r * wa;
      const std::uint64_t* br = b.data() + r * wb;
      std::uint64_t* o = out.data() + r * wo;
      // wo = wa + wb - one object: copy a, then b, fold b's last object in.
      std::memcpy(o, ar, wa * sizeof(std::uint64_t));
      std::memcpy(o + wa, br, (wo - wa) * sizeof(std::uint64_t));
      for (std::size_t k = wo - wa; k < wb; ++k) o[k - (wo - wa)] ^= br[k];
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  rows_counter(state, rows);
}

/// The mpz_int product and its copy floor, alternately over the same
/// batches: where the limbs lie on the heap depends on what the process
/// freed before, and a floor built over other batches measured up to 2x
/// apart. Time (and ns_per_row) is the product's; copy_ns_per_row the
/// floor's, over_copy their ratio.
void BM_mpz_product_and_copy_floor(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto la_ = static_cast<std::size_t>(state.range(1)), lb_ = static_cast<std::size_t>(state.range(2));
  const auto a = int_batch<mp::mpz_int>(rows, la_, 20, 1);
  const auto b = int_batch<mp::mpz_int>(rows, lb_, 20, 2);
  pb::set_num_threads(1);
  pb::PolyBatch<mp::mpz_int> out = a * b;
  double product_seconds = 0, copy_seconds = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    out = a * b;
    benchmark::DoNotOptimize(out.data());
    const double product = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    start = std::chrono::steady_clock::now();
    bench::copy_mpz_product_bytes(a, b, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    const double copy = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(product);
    product_seconds += product;
    copy_seconds += copy;
  }
  rows_counter(state, rows);
  const double calls = static_cast<double>(state.iterations());
  state.counters["copy_ns_per_row"] = copy_seconds / calls / static_cast<double>(rows) * 1e9;
  state.counters["over_copy"] = copy_seconds > 0 ? product_seconds / copy_seconds : 0;
}

/// FLINT rows built from the same values as int_batch<cpp_int>.
struct flint_rows {
  std::vector<fmpz_poly_t> p;
  flint_rows(const pb::PolyBatch<mp::cpp_int>& x) : p(x.batch_size()) {
    fmpz_t c;
    fmpz_init(c);
    for (std::size_t r = 0; r < x.batch_size(); ++r) {
      fmpz_poly_init(p[r]);
      for (std::size_t k = 0; k < x.length(); ++k) {
        fmpz_set_str(c, x(r, k).str().c_str(), 10);
        fmpz_poly_set_coeff_fmpz(p[r], static_cast<slong>(k), c);
      }
    }
    fmpz_clear(c);
  }
  explicit flint_rows(std::size_t rows) : p(rows) {
    for (auto& q : p) fmpz_poly_init(q);
  }
  flint_rows(const flint_rows&) = delete;
  flint_rows& operator=(const flint_rows&) = delete;
  ~flint_rows() {
    for (auto& q : p) fmpz_poly_clear(q);
  }
};

enum class flint_op { mul, add, pow3, derivative };

template <flint_op Op, unsigned Bits>
void BM_flint_fmpz_poly(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const std::size_t lb_ =
      Op == flint_op::mul ? static_cast<std::size_t>(state.range(2)) : static_cast<std::size_t>(state.range(1));
  const flint_rows fa(int_batch<mp::cpp_int>(rows, static_cast<std::size_t>(state.range(1)), Bits, 1));
  const flint_rows fb(int_batch<mp::cpp_int>(rows, lb_, Bits, 2));
  flint_rows fo(rows);
  for (auto _ : state) {
    for (std::size_t r = 0; r < rows; ++r) {
      if constexpr (Op == flint_op::mul) fmpz_poly_mul(fo.p[r], fa.p[r], fb.p[r]);
      if constexpr (Op == flint_op::add) fmpz_poly_add(fo.p[r], fa.p[r], fb.p[r]);
      if constexpr (Op == flint_op::pow3) fmpz_poly_pow(fo.p[r], fa.p[r], 3);
      if constexpr (Op == flint_op::derivative) fmpz_poly_derivative(fo.p[r], fa.p[r]);
    }
    benchmark::DoNotOptimize(fo.p.data());
  }
  rows_counter(state, rows);
}

// ---- rationals: Args({rows, la, lb}), numerators and denominators below Max --------
template <class Q, long Max>
void BM_rational_polybatch(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto a = rational_batch<Q>(rows, static_cast<std::size_t>(state.range(1)), Max, 1);
  const auto b = rational_batch<Q>(rows, static_cast<std::size_t>(state.range(2)), Max, 2);
  bench_polybatch(state, a, b);
}
template <class Q, long Max>
void BM_rational_naive(benchmark::State& state) {
  const auto a = rational_batch<Q>(1000, la, Max, 1);
  const auto b = rational_batch<Q>(1000, lb, Max, 2);
  bench_naive(state, a, b);
}
template <long Max>
void BM_flint_fmpq_poly_mul(benchmark::State& state) {
  const auto rows = static_cast<std::size_t>(state.range(0));
  const auto ma = static_cast<std::size_t>(state.range(1)), mb = static_cast<std::size_t>(state.range(2));
  const auto a = rational_batch<mp::cpp_rational>(rows, ma, Max, 1);
  const auto b = rational_batch<mp::cpp_rational>(rows, mb, Max, 2);
  std::vector<fmpq_poly_t> fa(rows), fb(rows), fo(rows);
  fmpq_t c;
  fmpq_init(c);
  for (std::size_t r = 0; r < rows; ++r) {
    fmpq_poly_init(fa[r]);
    fmpq_poly_init(fb[r]);
    fmpq_poly_init(fo[r]);
    for (std::size_t k = 0; k < ma; ++k) {
      fmpq_set_str(c, a(r, k).str().c_str(), 10);
      fmpq_poly_set_coeff_fmpq(fa[r], static_cast<slong>(k), c);
    }
    for (std::size_t k = 0; k < mb; ++k) {
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
  const auto a = bench::float_values<T>(exact_rows, la, 1);
  const auto b = bench::float_values<T>(exact_rows, lb, 2);
  bench_polybatch(state, a, b);
}
template <class T>
void BM_float_naive(benchmark::State& state) {
  if constexpr (std::is_same_v<T, mp::mpfr_float>) mp::mpfr_float::default_precision(50);
  const auto a = bench::float_values<T>(exact_rows, la, 1);
  const auto b = bench::float_values<T>(exact_rows, lb, 2);
  bench_naive(state, a, b);
}

// ---- double-double vs double at B = 1,000,000 ------------------------------------
template <class T>
void BM_machine_polybatch(benchmark::State& state) {
  const auto a = bench::float_values<T>(1000000, la, 1);
  const auto b = bench::float_values<T>(1000000, lb, 2);
  bench_polybatch(state, a, b);
}

/// The ratio the target is stated in, taken so that the VM's speed drift
/// cancels: each iteration times the double product and then the dd
/// product of the same rows; counters are the medians over iterations.
void BM_dd_over_double(benchmark::State& state) {
  const auto ad = bench::float_values<double>(1000000, la, 1), bd = bench::float_values<double>(1000000, lb, 2);
  const auto a = bench::float_values<pb::dd>(1000000, la, 1), b = bench::float_values<pb::dd>(1000000, lb, 2);
  pb::set_num_threads(1);
  pb::PolyBatch<double> od = ad * bd;
  pb::PolyBatch<pb::dd> o = a * b;
  std::vector<double> t_double, t_dd, ratio;
  const auto ms = [](auto t0, auto t1) { return std::chrono::duration<double, std::milli>(t1 - t0).count(); };
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    od = ad * bd;
    benchmark::DoNotOptimize(od.data());
    const auto t1 = std::chrono::steady_clock::now();
    o = a * b;
    benchmark::DoNotOptimize(o.data());
    const auto t2 = std::chrono::steady_clock::now();
    t_double.push_back(ms(t0, t1));
    t_dd.push_back(ms(t1, t2));
    ratio.push_back(ms(t1, t2) / ms(t0, t1));
  }
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  state.counters["double_ms"] = median(t_double);
  state.counters["dd_ms"] = median(t_dd);
  state.counters["dd_over_double"] = median(ratio);
}

} // namespace

BENCHMARK(BM_int64_loop)->Unit(benchmark::kMillisecond);
// Integers: {rows, la, lb} for B = 1,000 and 100,000, shapes 5 x 7 and 9 x 9.
#define POLYBATCH_INT_ARGS                                                                                             \
  Args({1000, 5, 7})->Args({1000, 9, 9})->Args({100000, 5, 7})->Args({100000, 9, 9})->Unit(benchmark::kMicrosecond)
BENCHMARK(BM_copy_floor)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_int_product, mp::cpp_int, 20)->POLYBATCH_INT_ARGS;
BENCHMARK(BM_mpz_product_and_copy_floor)->POLYBATCH_INT_ARGS->UseManualTime();
BENCHMARK_TEMPLATE(BM_int_product, mp::mpz_int, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly, flint_op::mul, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_int_sum, mp::cpp_int, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_int_sum, mp::mpz_int, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly, flint_op::add, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_int_pow3, mp::cpp_int, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_int_pow3, mp::mpz_int, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly, flint_op::pow3, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_int_derivative, mp::cpp_int, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_int_derivative, mp::mpz_int, 20)->POLYBATCH_INT_ARGS;
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly, flint_op::derivative, 20)->POLYBATCH_INT_ARGS;
#define POLYBATCH_WIDE_ARGS Args({1000, 5, 7})->Args({1000, 9, 9})->Unit(benchmark::kMicrosecond)
BENCHMARK_TEMPLATE(BM_int_product, mp::cpp_int, 64)->POLYBATCH_WIDE_ARGS;
BENCHMARK_TEMPLATE(BM_int_product, mp::mpz_int, 64)->POLYBATCH_WIDE_ARGS;
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly, flint_op::mul, 64)->POLYBATCH_WIDE_ARGS;
BENCHMARK_TEMPLATE(BM_int_product, mp::cpp_int, 200)->POLYBATCH_WIDE_ARGS;
BENCHMARK_TEMPLATE(BM_int_product, mp::mpz_int, 200)->POLYBATCH_WIDE_ARGS;
BENCHMARK_TEMPLATE(BM_flint_fmpz_poly, flint_op::mul, 200)->POLYBATCH_WIDE_ARGS;
BENCHMARK_TEMPLATE(BM_cpp_int_naive, 20)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_cpp_int_naive, 200)->Unit(benchmark::kMillisecond);
#define POLYBATCH_RATIONAL_ARGS Args({1000, 5, 7})->Args({1000, 9, 9})->Unit(benchmark::kMicrosecond)
BENCHMARK_TEMPLATE(BM_rational_polybatch, mp::cpp_rational, 1000)->POLYBATCH_RATIONAL_ARGS;
BENCHMARK_TEMPLATE(BM_rational_polybatch, mp::mpq_rational, 1000)->POLYBATCH_RATIONAL_ARGS;
BENCHMARK_TEMPLATE(BM_flint_fmpq_poly_mul, 1000)->POLYBATCH_RATIONAL_ARGS;
BENCHMARK_TEMPLATE(BM_rational_naive, mp::cpp_rational, 1000)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_rational_polybatch, mp::cpp_rational, 32768)->POLYBATCH_RATIONAL_ARGS;
BENCHMARK_TEMPLATE(BM_rational_polybatch, mp::mpq_rational, 32768)->POLYBATCH_RATIONAL_ARGS;
BENCHMARK_TEMPLATE(BM_flint_fmpq_poly_mul, 32768)->POLYBATCH_RATIONAL_ARGS;
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
BENCHMARK(BM_dd_over_double)->Iterations(15)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
