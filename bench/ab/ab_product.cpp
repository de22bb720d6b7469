// One build of `out = a * b` (with AB_SUM `a + b`, with AB_DERIVATIVE
// `derivative(a)`, with AB_CUBE `pow(a, AB_EXPONENT)`, 3 unless set) over B rows of small integers (or, with
// AB_RATIONAL_BOUND, rationals whose numerators and denominators are below
// it, as bench_exact builds them; with AB_COPY_FLOOR, a copy of a product's
// bytes instead, with AB_FLINT, FLINT's operation), for ab.sh: built
// once per include directory as a shared library with hidden symbols, so
// that several builds of the same inline code can live in one process.
#include <algorithm>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/gmp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "../naive_loop.hpp"
#ifndef AB_EXPONENT
#define AB_EXPONENT 3
#endif
#if defined(AB_COPY_FLOOR) && defined(AB_GMP_HEAP)
#include "../mpz_copy_floor.hpp"
#endif

#ifdef AB_FLINT
#include <flint/fmpq_poly.h>
#include <flint/fmpz_poly.h>
#endif

#ifndef AB_SCALAR
#define AB_SCALAR mp::mpz_int
#endif

namespace {
namespace pb = polybatch;
namespace mp = boost::multiprecision;
using T = AB_SCALAR;

// Values below 2^20, built from strings as bench_exact builds them (for
// mpz_int this places the heap limbs as a parser leaves them).
[[maybe_unused]] pb::PolyBatch<T> small_integers(std::size_t rows, std::size_t length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> value(-(1L << 20) + 1, (1L << 20) - 1);
  pb::PolyBatch<T> p(rows, length);
  for (std::size_t i = 0; i < rows * length; ++i) p.data()[i] = T(std::to_string(value(rng)));
  return p;
}

#if defined(AB_RATIONAL_BOUND)
pb::PolyBatch<T> small_values(std::size_t rows, std::size_t length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> num(-(AB_RATIONAL_BOUND - 1), AB_RATIONAL_BOUND - 1),
      den(1, AB_RATIONAL_BOUND - 1);
  pb::PolyBatch<T> p(rows, length);
  for (std::size_t i = 0; i < rows * length; ++i) p.data()[i] = T(mp::cpp_rational(num(rng), den(rng)).str());
  return p;
}
#else
// Integers for the integer types; for floating types (quad, mpfr,
// cpp_dec_float) values in (-1/3, 1/3) with every digit of the type used,
// as bench_exact builds them (bench/naive_loop.hpp).
pb::PolyBatch<T> small_values(std::size_t rows, std::size_t length, unsigned seed) {
  if constexpr (std::numeric_limits<T>::is_integer) {
    return small_integers(rows, length, seed);
  } else {
    return bench::float_values<T>(rows, length, seed);
  }
}
#endif

// FNV-style mix of a value's decimal string: every digit of numerator and
// denominator counts.
unsigned long hash_of(const T& x) {
  unsigned long h = 1469598103934665603UL;
  for (const char c : x.str()) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211UL;
  return h;
}

struct product {
  pb::PolyBatch<T> a, b, out;
};

// The operation timed: a * b, or with AB_SUM a + b, with AB_DERIVATIVE
// derivative(a), with AB_CUBE pow(a, AB_EXPONENT) (b unused by the last two).
[[maybe_unused]] void compute(product& p) {
#if defined(AB_SUM)
  p.out = p.a + p.b;
#elif defined(AB_DERIVATIVE)
  p.out = pb::derivative(p.a);
#elif defined(AB_CUBE)
  p.out = pb::pow(p.a, AB_EXPONENT);
#else
  p.out = p.a * p.b;
#endif
}

// Coefficients of a result row.
[[maybe_unused]] std::size_t result_length(std::size_t la, std::size_t lb) {
#if defined(AB_SUM)
  return la > lb ? la : lb;
#elif defined(AB_DERIVATIVE)
  (void)lb;
  return la > 1 ? la - 1 : 1;
#elif defined(AB_CUBE)
  (void)lb;
  return AB_EXPONENT * (la - 1) + 1;
#else
  return la + lb - 1;
#endif
}
} // namespace

#ifndef AB_FLINT
extern "C" [[gnu::visibility("default")]] void* ab_setup(int la, int lb, int rows) {
  pb::set_num_threads(1);
  const auto n = static_cast<std::size_t>(rows);
  auto* p = new product{small_values(n, static_cast<std::size_t>(la), 1),
                        small_values(n, static_cast<std::size_t>(lb), 2), pb::PolyBatch<T>(1, 1)};
  compute(*p); // results written before, as in a solver that reuses its batches
  return p;
}
#endif

#if defined(AB_COPY_FLOOR) && !defined(AB_FLINT) && defined(AB_GMP_HEAP)
// bench_exact's copy floor of an mpz_int product, sum or derivative
// (bench/mpz_copy_floor.hpp): the operands' handles and limbs read, the
// results' limbs written through their handles, in the operation's own
// batches, so the heap layout is the same.
extern "C" [[gnu::visibility("default")]] double ab_run(void* state) {
  auto* p = static_cast<product*>(state);
  const auto start = std::chrono::steady_clock::now();
#if defined(AB_SUM)
  bench::copy_mpz_sum_bytes(p->a, p->b, p->out);
#elif defined(AB_DERIVATIVE)
  bench::copy_mpz_derivative_bytes(p->a, p->out);
#else
  bench::copy_mpz_product_bytes(p->a, p->b, p->out);
#endif
  asm volatile("" : : "r"(p->out.data()) : "memory");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
#elif defined(AB_COPY_FLOOR) && !defined(AB_FLINT)
// Instead of the product, bench_exact's copy floor: the same bytes read and
// written (both operand rows, one result row of sizeof(T)-byte objects) by
// memcpy, so that ab.sh can set a product against it in one process. For a
// sum (result as long as a) the result row is a's with b's folded in; for a
// derivative, a's row from its second value.
extern "C" [[gnu::visibility("default")]] double ab_run(void* state) {
  auto* p = static_cast<product*>(state);
  constexpr std::size_t words = sizeof(T) / sizeof(std::uint64_t);
  const std::size_t rows = p->a.batch_size(), wa = p->a.length() * words, wb = p->b.length() * words,
                    wo = p->out.length() * words;
  static std::vector<std::uint64_t> a, b, out;
  a.resize(rows * wa, 1), b.resize(rows * wb, 2), out.resize(rows * wo);
  const auto start = std::chrono::steady_clock::now();
#ifdef AB_DERIVATIVE
  const std::size_t copied = std::min(wo, wa - words); // a constant's derivative copies nothing
  for (std::size_t r = 0; r < rows; ++r)
    std::memcpy(out.data() + r * wo, a.data() + r * wa + words, copied * sizeof(std::uint64_t));
#else
  for (std::size_t r = 0; r < rows; ++r) {
    std::uint64_t* o = out.data() + r * wo;
    std::memcpy(o, a.data() + r * wa, wa * sizeof(std::uint64_t));
    std::memcpy(o + wa, b.data() + r * wb, (wo - wa) * sizeof(std::uint64_t));
    for (std::size_t k = wo - wa; k < wb; ++k) o[k - (wo - wa)] ^= b[r * wb + k];
  }
#endif
  asm volatile("" : : "r"(out.data()) : "memory");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
#elif defined(AB_NAIVE) && !defined(AB_FLINT)
// Instead of the product, the naive Boost loop it is set against for the
// floating types: acc += a * b per term, one accumulator, each operation
// rounded in the type.
extern "C" [[gnu::visibility("default")]] double ab_run(void* state) {
  auto* p = static_cast<product*>(state);
  const auto start = std::chrono::steady_clock::now();
  bench::naive_product_rows(p->a, p->b, p->out);
  asm volatile("" : : "r"(p->out.data()) : "memory");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
#elif !defined(AB_FLINT)
extern "C" [[gnu::visibility("default")]] double ab_run(void* state) {
  auto* p = static_cast<product*>(state);
  const auto start = std::chrono::steady_clock::now();
  compute(*p);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
#endif

#ifdef AB_FLINT
// Instead of the operation, FLINT's on the same values, one call a row:
// fmpz_poly_mul (_add, _derivative), or fmpq_poly_mul for rationals (what bench_exact sets
// polybatch against), timed alternately with the builds. Its hash is taken
// from FLINT's own results, so it matches the builds' when they agree.
namespace {
#ifdef AB_RATIONAL_BOUND
using flint_poly = fmpq_poly_struct;
void flint_init(flint_poly* x) { fmpq_poly_init(x); }
void flint_clear(flint_poly* x) { fmpq_poly_clear(x); }
void flint_set(flint_poly* x, std::size_t k, const T& v) {
  fmpq_t c;
  fmpq_init(c);
  fmpq_set_str(c, v.str().c_str(), 10);
  fmpq_poly_set_coeff_fmpq(x, static_cast<slong>(k), c);
  fmpq_clear(c);
}
void flint_op(flint_poly* o, const flint_poly* a, const flint_poly* b) {
#if defined(AB_SUM)
  fmpq_poly_add(o, a, b);
#elif defined(AB_DERIVATIVE)
  (void)b;
  fmpq_poly_derivative(o, a);
#elif defined(AB_CUBE)
  (void)b;
  fmpq_poly_pow(o, a, AB_EXPONENT);
#else
  fmpq_poly_mul(o, a, b);
#endif
}
std::string flint_str(const flint_poly* x, std::size_t k) {
  fmpq_t c;
  fmpq_init(c);
  fmpq_poly_get_coeff_fmpq(c, x, static_cast<slong>(k));
  char* text = fmpq_get_str(nullptr, 10, c);
  std::string s(text);
  flint_free(text);
  fmpq_clear(c);
  return s;
}
#else
using flint_poly = fmpz_poly_struct;
void flint_init(flint_poly* x) { fmpz_poly_init(x); }
void flint_clear(flint_poly* x) { fmpz_poly_clear(x); }
void flint_set(flint_poly* x, std::size_t k, const T& v) {
  fmpz_t c;
  fmpz_init(c);
  fmpz_set_str(c, v.str().c_str(), 10);
  fmpz_poly_set_coeff_fmpz(x, static_cast<slong>(k), c);
  fmpz_clear(c);
}
void flint_op(flint_poly* o, const flint_poly* a, const flint_poly* b) {
#if defined(AB_SUM)
  fmpz_poly_add(o, a, b);
#elif defined(AB_DERIVATIVE)
  (void)b;
  fmpz_poly_derivative(o, a);
#elif defined(AB_CUBE)
  (void)b;
  fmpz_poly_pow(o, a, AB_EXPONENT);
#else
  fmpz_poly_mul(o, a, b);
#endif
}
std::string flint_str(const flint_poly* x, std::size_t k) {
  fmpz_t c;
  fmpz_init(c);
  fmpz_poly_get_coeff_fmpz(c, x, static_cast<slong>(k));
  char* text = fmpz_get_str(nullptr, 10, c);
  std::string s(text);
  flint_free(text);
  fmpz_clear(c);
  return s;
}
#endif

struct flint_rows {
  std::vector<flint_poly> a, b, out;
  std::size_t length;
};
} // namespace

extern "C" [[gnu::visibility("default")]] void* ab_setup(int la, int lb, int rows) {
  const auto n = static_cast<std::size_t>(rows);
  const auto a = small_values(n, static_cast<std::size_t>(la), 1), b = small_values(n, static_cast<std::size_t>(lb), 2);
  auto* f = new flint_rows{std::vector<flint_poly>(n), std::vector<flint_poly>(n), std::vector<flint_poly>(n),
                           result_length(static_cast<std::size_t>(la), static_cast<std::size_t>(lb))};
  for (std::size_t r = 0; r < n; ++r) {
    flint_init(&f->a[r]), flint_init(&f->b[r]), flint_init(&f->out[r]);
    for (std::size_t k = 0; k < a.length(); ++k) flint_set(&f->a[r], k, a(r, k));
    for (std::size_t k = 0; k < b.length(); ++k) flint_set(&f->b[r], k, b(r, k));
    flint_op(&f->out[r], &f->a[r], &f->b[r]); // results written before, as for the builds
  }
  return f;
}

extern "C" [[gnu::visibility("default")]] double ab_run(void* state) {
  auto* f = static_cast<flint_rows*>(state);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t r = 0; r < f->out.size(); ++r) flint_op(&f->out[r], &f->a[r], &f->b[r]);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

extern "C" [[gnu::visibility("default")]] unsigned long ab_hash(void* state) {
  const auto* f = static_cast<const flint_rows*>(state);
  unsigned long h = 0;
  for (std::size_t r = 0; r < f->out.size(); ++r)
    for (std::size_t k = 0; k < f->length; ++k) {
      unsigned long x = 1469598103934665603UL;
      for (const char c : flint_str(&f->out[r], k)) x = (x ^ static_cast<unsigned char>(c)) * 1099511628211UL;
      h = h * 31 + x;
    }
  return h;
}
#else
// A hash of the results, so that builds which disagree are seen to.
extern "C" [[gnu::visibility("default")]] unsigned long ab_hash(void* state) {
  const auto* p = static_cast<const product*>(state);
  unsigned long h = 0;
  for (std::size_t i = 0; i < p->out.batch_size() * p->out.length(); ++i) h = h * 31 + hash_of(p->out.data()[i]);
  return h;
}
#endif
