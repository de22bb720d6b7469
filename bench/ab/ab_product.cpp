// One build of `out = a * b` over B rows of small integers (or, with
// AB_RATIONAL_BOUND, rationals whose numerators and denominators are below
// it, as bench_exact builds them; with AB_COPY_FLOOR, a copy of the same
// bytes instead), for ab.sh: built
// once per include directory as a shared library with hidden symbols, so
// that several builds of the same inline code can live in one process.
#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/gmp.hpp>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <polybatch/polybatch.hpp>

#ifndef AB_SCALAR
#define AB_SCALAR mp::mpz_int
#endif

namespace {
namespace pb = polybatch;
namespace mp = boost::multiprecision;
using T = AB_SCALAR;

// Values below 2^20, built from strings as bench_exact builds them (for
// mpz_int this places the heap limbs as a parser leaves them).
pb::PolyBatch<T> small_integers(std::size_t rows, std::size_t length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> value(-(1L << 20) + 1, (1L << 20) - 1);
  pb::PolyBatch<T> p(rows, length);
  for (std::size_t i = 0; i < rows * length; ++i) p.data()[i] = T(std::to_string(value(rng)));
  return p;
}

#ifdef AB_RATIONAL_BOUND
pb::PolyBatch<T> small_values(std::size_t rows, std::size_t length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> num(-(AB_RATIONAL_BOUND - 1), AB_RATIONAL_BOUND - 1),
      den(1, AB_RATIONAL_BOUND - 1);
  pb::PolyBatch<T> p(rows, length);
  for (std::size_t i = 0; i < rows * length; ++i) p.data()[i] = T(mp::cpp_rational(num(rng), den(rng)).str());
  return p;
}
#else
pb::PolyBatch<T> small_values(std::size_t rows, std::size_t length, unsigned seed) {
  return small_integers(rows, length, seed);
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
} // namespace

extern "C" [[gnu::visibility("default")]] void* ab_setup(int la, int lb, int rows) {
  pb::set_num_threads(1);
  const auto n = static_cast<std::size_t>(rows);
  auto* p = new product{small_values(n, static_cast<std::size_t>(la), 1),
                        small_values(n, static_cast<std::size_t>(lb), 2), pb::PolyBatch<T>(1, 1)};
  p->out = p->a * p->b; // results written before, as in a solver that reuses its batches
  return p;
}

#ifdef AB_COPY_FLOOR
// Instead of the product, bench_exact's copy floor: the same bytes read and
// written (both operand rows, one result row of sizeof(T)-byte objects) by
// memcpy, so that ab.sh can set a product against it in one process.
extern "C" [[gnu::visibility("default")]] double ab_run(void* state) {
  auto* p = static_cast<product*>(state);
  constexpr std::size_t words = sizeof(T) / sizeof(std::uint64_t);
  const std::size_t rows = p->a.batch_size(), wa = p->a.length() * words, wb = p->b.length() * words,
                    wo = p->out.length() * words;
  static std::vector<std::uint64_t> a, b, out;
  a.resize(rows * wa, 1), b.resize(rows * wb, 2), out.resize(rows * wo);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t r = 0; r < rows; ++r) {
    std::uint64_t* o = out.data() + r * wo;
    std::memcpy(o, a.data() + r * wa, wa * sizeof(std::uint64_t));
    std::memcpy(o + wa, b.data() + r * wb, (wo - wa) * sizeof(std::uint64_t));
    for (std::size_t k = wo - wa; k < wb; ++k) o[k - (wo - wa)] ^= b[r * wb + k];
  }
  asm volatile("" : : "r"(out.data()) : "memory");
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
#else
extern "C" [[gnu::visibility("default")]] double ab_run(void* state) {
  auto* p = static_cast<product*>(state);
  const auto start = std::chrono::steady_clock::now();
  p->out = p->a * p->b;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
#endif

// A hash of the results, so that builds which disagree are seen to.
extern "C" [[gnu::visibility("default")]] unsigned long ab_hash(void* state) {
  const auto* p = static_cast<const product*>(state);
  unsigned long h = 0;
  for (std::size_t i = 0; i < p->out.batch_size() * p->out.length(); ++i) h = h * 31 + hash_of(p->out.data()[i]);
  return h;
}
