// The compiled kernels (polybatch::kernels) on the instruction set that
// POLYBATCH_ARCH forces: CTest runs this program once per target, so every
// path is checked on one machine. Float and double against a long double
// reference, double-double bit for bit against the scalar kernel, thread
// counts bit for bit, and a target the machine lacks as a clear error.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <polybatch/algebra/roots.hpp>
#include <polybatch/kernels/compiled.hpp>
#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"
#include "support/dd_kernel_check.hpp"
#include "support/worst.hpp"

namespace pb = polybatch;
using checks::test_seed;

#if !defined(POLYBATCH_COMPILED_KERNELS)
#error "test_dispatch must link polybatch::kernels"
#endif

namespace {

std::string requested_arch() {
  const char* env = std::getenv("POLYBATCH_ARCH");
  return env ? env : "";
}

bool requested_is_runnable() {
  const std::string r = requested_arch();
  const pb::isa best = pb::detect_isa();
  if (r.empty() || r == "sse2") return true;
  if (r == "avx2") return best != pb::isa::sse2;
  if (r == "avx512") return best == pb::isa::avx512;
  return false;
}

template <class T>
pb::PolyBatch<T> random_batch(std::mt19937_64& rng, std::size_t rows, std::size_t length) {
  std::uniform_real_distribution<double> coeff(-1.0, 1.0);
  pb::PolyBatch<T> p(rows, length);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t k = 0; k < length; ++k) p(i, k) = static_cast<T>(coeff(rng));
  return p;
}

/// Worst error over the window [offset, offset + out.length()) of the full
/// product (correlation reverses b), in units of u * sum |a_i| |b_(k-i)|,
/// against a long double schoolbook that shares no code with the library.
/// With `normwise` the unit is u * sum_i |a_i| * max_j |b_j| for every
/// coefficient instead: Karatsuba (both lengths >= 32) mixes the halves of
/// a row, so its error is bounded normwise, not coefficient by coefficient.
template <class T>
double worst_scaled_error(const pb::PolyBatch<T>& out, const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b,
                          bool reverse_b, std::size_t offset, bool normwise = false) {
  const std::size_t la = a.length(), lb = b.length();
  const double u = std::numeric_limits<T>::epsilon() / 2;
  double worst = 0;
  std::vector<long double> value(la + lb - 1), magnitude(la + lb - 1);
  for (std::size_t r = 0; r < out.batch_size(); ++r) {
    const std::size_t ra = a.batch_size() == 1 ? 0 : r, rb = b.batch_size() == 1 ? 0 : r;
    std::fill(value.begin(), value.end(), 0.0L);
    std::fill(magnitude.begin(), magnitude.end(), 0.0L);
    for (std::size_t i = 0; i < la; ++i)
      for (std::size_t j = 0; j < lb; ++j) {
        const long double p =
            static_cast<long double>(a(ra, i)) * static_cast<long double>(b(rb, reverse_b ? lb - 1 - j : j));
        value[i + j] += p;
        magnitude[i + j] += std::abs(p);
      }
    long double norm_a = 0, max_b = 0;
    for (std::size_t i = 0; i < la; ++i) norm_a += std::abs(static_cast<long double>(a(ra, i)));
    for (std::size_t j = 0; j < lb; ++j) max_b = std::max(max_b, std::abs(static_cast<long double>(b(rb, j))));
    for (std::size_t k = 0; k < out.length(); ++k) {
      const long double err = std::abs(static_cast<long double>(out(r, k)) - value[offset + k]);
      const long double scale = (normwise ? norm_a * max_b : magnitude[offset + k]) * u;
      if (scale > 0)
        worst = checks::worst_of(worst, static_cast<double>(err / scale));
      else if (!(err == 0))
        worst = checks::worst_of(worst, std::numeric_limits<double>::infinity());
    }
  }
  return worst;
}

template <class T>
bool same_bits(const pb::PolyBatch<T>& x, const pb::PolyBatch<T>& y) {
  if (x.batch_size() != y.batch_size() || x.length() != y.length()) return false;
  for (std::size_t i = 0; i < x.batch_size(); ++i)
    for (std::size_t k = 0; k < x.length(); ++k)
      if (std::memcmp(&x(i, k), &y(i, k), sizeof(T)) != 0) return false;
  return true;
}

/// The header kernels compiled into this (baseline) translation unit.
template <class T>
pb::PolyBatch<T> header_product(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b) {
  pb::PolyBatch<T> out(a.batch_size(), a.length() + b.length() - 1);
  T acc{};
  pb::kernels::convolve_backend<T>::run_here(a.batch_size(), a.data(), a.length(), a.length(), b.data(), b.length(),
                                             b.length(), false, 0, out.length(), out.data(), out.length(), acc);
  return out;
}

/// |p(z)| / sum |a_k| |z|^k in long double (a naive loop, no library code).
template <class T>
long double root_backward_error(const T* a, std::size_t len, std::complex<T> z) {
  const std::complex<long double> x(z.real(), z.imag());
  std::complex<long double> p = 0;
  long double s = 0;
  for (std::size_t k = len; k-- > 0;) {
    p = p * x + static_cast<long double>(a[k]);
    s = s * std::abs(x) + std::fabs(static_cast<long double>(a[k]));
  }
  return s == 0 ? 0 : std::abs(p) / s;
}

} // namespace

TEST_CASE("dispatch: the requested target is the one that runs, or a clear error", "[dispatch]") {
  const std::string req = requested_arch();
  INFO("POLYBATCH_ARCH=" << req << ", machine best " << pb::isa_name(pb::detect_isa()));
  if (requested_is_runnable()) {
    const pb::isa active = pb::compiled::active_isa();
    if (req.empty())
      CHECK(active == pb::detect_isa());
    else
      CHECK(std::string(pb::isa_name(active)) == req);
  } else {
    try {
      (void)pb::compiled::active_isa();
      FAIL("an unsupported POLYBATCH_ARCH was accepted");
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      CHECK(what.find("POLYBATCH_ARCH=" + req) != std::string::npos);
      CHECK(what.find(std::string(pb::isa_name(pb::detect_isa()))) != std::string::npos);
    }
    // Evaluation reports it too, rather than running some other kernel.
    pb::PolyBatch<double> a{{1, 2}}, b{{3, 4}};
    CHECK_THROWS_AS(pb::PolyBatch<double>(a * b), std::runtime_error);
  }
}

TEMPLATE_TEST_CASE("dispatch: products and windows within a few ulps of a long double reference", "[dispatch]", float,
                   double) {
  if (!requested_is_runnable()) return;
  using T = TestType;
  const auto seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const std::size_t rows = 37; // several SIMD groups and a partial one
  for (std::size_t la : {1u, 2u, 3u, 5u, 8u, 9u, 10u, 19u, 33u, 36u, 70u})
    for (std::size_t lb : {1u, 2u, 4u, 7u, 9u, 12u, 40u, 65u}) {
      INFO("la = " << la << ", lb = " << lb);
      const auto a = random_batch<T>(rng, rows, la);
      const auto b = random_batch<T>(rng, rows, lb);
      const auto one = random_batch<T>(rng, 1, lb);
      const bool karatsuba = std::min(la, lb) >= pb::kernels::karatsuba_threshold;
      const double bound = 2.0 * static_cast<double>(std::min(la, lb) + 1);
      const pb::PolyBatch<T> full = a * b;
      CHECK(worst_scaled_error(full, a, b, false, 0, karatsuba) <= bound);
      const pb::PolyBatch<T> broadcast = a * one;
      CHECK(worst_scaled_error(broadcast, a, one, false, 0, karatsuba) <= bound);
      const pb::PolyBatch<T> corr = pb::correlate(a, b, pb::mode::full);
      CHECK(worst_scaled_error(corr, a, b, true, 0, karatsuba) <= bound);
      const pb::PolyBatch<T> same = pb::convolve(a, b, pb::mode::same);
      const std::size_t lmax = std::max(la, lb), lmin = std::min(la, lb);
      CHECK(worst_scaled_error(same, a, b, false, (lmin - 1) / 2, karatsuba) <= bound);
      // numpy's valid correlation: the lags of full overlap, from lag
      // lmin - 1 of the full one whichever operand is longer.
      const pb::PolyBatch<T> valid = pb::correlate(a, b, pb::mode::valid);
      REQUIRE(valid.length() == lmax - lmin + 1);
      CHECK(worst_scaled_error(valid, a, b, true, lmin - 1, karatsuba) <= bound);
      if (requested_arch() == "sse2") {
        // Same instruction set as this translation unit: the same bits as
        // the header kernels compiled here.
        CHECK(same_bits(full, header_product(a, b)));
      }
    }
}

TEMPLATE_TEST_CASE("dispatch: infinities and NaN stay in their rows, and short rows sum them term by term",
                   "[dispatch]", float, double) {
  if (!requested_is_runnable()) return;
  using T = TestType;
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  std::mt19937_64 rng(41);
  // Lengths through the short, piecewise, schoolbook and Karatsuba kernels;
  // small integers, so every finite coefficient is exact in the reference.
  // Row 0 has no special: the others' never reach it.
  for (std::size_t la : {2u, 9u, 10u, 17u, 34u, 40u})
    for (std::size_t lb : {1u, 3u, 10u, 12u, 33u, 40u}) {
      INFO("la = " << la << ", lb = " << lb);
      const std::size_t rows = 5;
      pb::PolyBatch<T> a(rows, la), b(rows, lb);
      std::uniform_int_distribution<int> v(-9, 9);
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t i = 0; i < la; ++i) a(r, i) = T(v(rng));
        for (std::size_t j = 0; j < lb; ++j) b(r, j) = T(v(rng)) + T(0.5);
      }
      a(1, 0) = inf;       // at the start of a
      a(2, la - 1) = -inf; // at its end
      b(3, lb / 2) = nan;  // inside b
      b(4, 0) = inf;
      const pb::PolyBatch<T> got = a * b;
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t k = 0; k < la + lb - 1; ++k) {
          T want = 0;
          for (std::size_t i = 0; i < la; ++i)
            if (k >= i && k - i < lb) want += a(r, i) * b(r, k - i);
          INFO("row " << r << ", coefficient " << k << ": " << got(r, k) << ", term by term " << want);
          if (r == 0 || (la <= 9 && lb <= 9)) {
            CHECK((std::isnan(want) ? std::isnan(got(r, k)) : got(r, k) == want));
          } else {
            // Long rows with a special (docs/convolution.md): non-finite where the
            // sum is, and otherwise the sum or a NaN of the padding or Karatsuba.
            if (!std::isfinite(want)) CHECK(!std::isfinite(got(r, k)));
            if (std::isfinite(want)) CHECK((got(r, k) == want || std::isnan(got(r, k))));
          }
        }
    }
}

TEST_CASE("dispatch: double-double bit for bit as the scalar kernel", "[dispatch]") {
  if (!requested_is_runnable()) return;
  const auto seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<double> coeff(-1.0, 1.0);
  for (std::size_t la : {2u, 5u, 9u, 12u})
    for (std::size_t lb : {3u, 7u, 9u}) {
      INFO("la = " << la << ", lb = " << lb);
      pb::PolyBatch<pb::dd> a(21, la), b(21, lb);
      for (std::size_t i = 0; i < 21; ++i) {
        for (std::size_t k = 0; k < la; ++k) a(i, k) = pb::dd(coeff(rng)) / pb::dd(3.0);
        for (std::size_t k = 0; k < lb; ++k) b(i, k) = pb::dd(coeff(rng)) / pb::dd(7.0);
      }
      const pb::PolyBatch<pb::dd> fast = a * b;
      CHECK(same_bits(fast, header_product(a, b)));
    }
}

TEST_CASE("dispatch: double-double lengths, directions and windows as the scalar row kernel", "[dispatch]") {
  if (!requested_is_runnable()) return;
  const auto seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed + 5);
  checks::dd_kernel_matches_scalar_rows(rng);
}

TEST_CASE("dispatch: the same bits for one and two threads", "[dispatch][threads]") {
  if (!requested_is_runnable()) return;
  const auto seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed + 2);
  // Above the threading threshold (2^16 output coefficients).
  const auto a = random_batch<double>(rng, 20'000, 5), b = random_batch<double>(rng, 20'000, 7);
  const std::size_t before = pb::num_threads();
  pb::set_num_threads(1);
  const pb::PolyBatch<double> one = (a * b) * a;
  pb::set_num_threads(2);
  const pb::PolyBatch<double> two = (a * b) * a;
  pb::set_num_threads(before);
  CHECK(same_bits(one, two));
  CHECK(worst_scaled_error(pb::PolyBatch<double>(a * b), a, b, false, 0) <= 12.0);
}

TEMPLATE_TEST_CASE("dispatch: roots' Aberth tiles on every target, backward stable", "[dispatch][roots]", float,
                   double) {
  using T = TestType;
  if (!requested_is_runnable()) return;
  const auto seed = test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed + 3);
  std::normal_distribution<T> normal;
  const long double u = std::numeric_limits<T>::epsilon() / 2;
  for (std::size_t n : {3u, 4u, 5u, 8u, 13u, 24u}) {
    INFO("degree " << n);
    // 37 rows: two full tiles of float lanes (16) or more of double, and a partial one.
    pb::PolyBatch<T> a(37, n + 1);
    for (std::size_t i = 0; i < a.batch_size() * a.length(); ++i) a.data()[i] = normal(rng);
    const auto z = pb::roots(a);
    // (The roots as a set are checked in test_roots, on fixed seeds: on fresh
    // random rows of degree 24 a correct set reached 26 n u of its majorant.)
    for (std::size_t i = 0; i < a.batch_size(); ++i)
      for (std::size_t j = 0; j < n; ++j)
        CHECK(root_backward_error(a.data() + i * (n + 1), n + 1, z(i, j)) <= static_cast<long double>(4 * (n + 1)) * u);
    if (requested_arch() == "sse2") {
      // Same instruction set as this translation unit: the header code's bits.
      std::vector<std::complex<T>> header(a.batch_size() * n);
      pb::detail::roots_block(a.data(), n + 1, 0, a.batch_size(), header.data());
      CHECK(std::memcmp(header.data(), z.data(), header.size() * sizeof(std::complex<T>)) == 0);
    }
  }
}
