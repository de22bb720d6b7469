// The register-transposing short-row kernels (kernels/simd/convolve_interleaved.hpp).
// CMake compiles this file for the widest instruction set that has them and
// that the build machine runs (AVX-512, else AVX2+FMA); CI's default build
// (SSE2) never reaches these kernels otherwise.
// References: long double loops from the definition, with an error bound
// proportional to the sum of |products| (cancellation-safe), and bit-for-bit
// comparisons between the kernel's direct and staged paths.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/worst.hpp"

namespace pb = polybatch;
namespace k = polybatch::kernels;

static_assert(k::simd::has_interleaved_kernels<float> && k::simd::has_interleaved_kernels<double>,
              "this test must be compiled for AVX2 or AVX-512");

namespace {

template <class T>
constexpr std::size_t lanes = xsimd::batch<T>::size;

/// Rows with a spread of signs and magnitudes: each row scaled by 2^e,
/// e in [-spread, spread] (60 by default: products of two rows reach float's
/// subnormal range), so that sums cancel and exponents differ between rows.
template <class T>
std::vector<T> random_rows(std::size_t rows, std::size_t length, std::mt19937_64& rng, int spread = 60) {
  std::uniform_real_distribution<T> mantissa(T(-1), T(1));
  std::uniform_int_distribution<int> exponent(-spread, spread);
  std::vector<T> v(rows * length);
  for (std::size_t r = 0; r < rows; ++r) {
    const int e = exponent(rng);
    for (std::size_t i = 0; i < length; ++i) v[r * length + i] = std::ldexp(mantissa(rng), e);
  }
  return v;
}

/// Coefficient c of row r of a (*) b (b reversed for correlation) in long
/// double, and sum |a_i b_j| over its terms.
struct ExactCoefficient {
  long double value = 0, magnitude = 0;
};
template <class T>
ExactCoefficient exact_coefficient(const std::vector<T>& a, std::size_t m, const std::vector<T>& b, std::size_t n,
                                   bool reverse, std::size_t r, std::size_t c) {
  ExactCoefficient e;
  for (std::size_t i = 0; i < m; ++i) {
    if (c < i || c - i >= n) continue;
    const std::size_t j = reverse ? n - 1 - (c - i) : c - i;
    const long double p = static_cast<long double>(a[r * m + i]) * static_cast<long double>(b[r * n + j]);
    e.value += p;
    e.magnitude += std::fabs(p);
  }
  return e;
}

/// Checks out (rows x F) against the definition: |got - exact| <= (M + 1) (eps * sum |a_i b_j| + denorm_min),
/// the bound for a sum of M products formed by FMA, with an absolute term for
/// products that underflow into the subnormal range.
template <class T>
void require_product(const std::vector<T>& a, std::size_t m, const std::vector<T>& b, std::size_t n, bool reverse,
                     const std::vector<T>& out, std::size_t rows) {
  const std::size_t f = m + n - 1;
  const long double eps = std::numeric_limits<T>::epsilon();
  const long double tiny = std::numeric_limits<T>::denorm_min();
  // One assertion per call (millions of REQUIREs dominate the run time at
  // -O0); the first bad coefficient is reported.
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < f; ++c) {
      const auto [exact, magnitude] = exact_coefficient(a, m, b, n, reverse, r, c);
      const long double got = out[r * f + c];
      const long double bound = static_cast<long double>(m + 1) * (eps * magnitude + tiny);
      if (!(std::fabs(got - exact) <= bound)) {
        INFO("m=" << m << " n=" << n << " reverse=" << reverse << " row " << r << " of " << rows << " coefficient " << c
                  << ": got " << got << ", exact " << exact << ", bound " << bound);
        REQUIRE(std::fabs(got - exact) <= bound);
      }
    }
}

template <class T>
bool same_bits(const std::vector<T>& x, const std::vector<T>& y) {
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(T)) == 0;
}

} // namespace

TEMPLATE_TEST_CASE("interleaved kernels: every length pair, partial groups, convolve and correlate", "[interleaved]",
                   float, double) {
  using T = TestType;
  constexpr std::size_t W = lanes<T>;
  std::mt19937_64 rng(20261124);
  for (std::size_t m = 2; m <= 9; ++m)
    for (std::size_t n = 2; n <= 9; ++n)
      for (bool reverse : {false, true})
        for (std::size_t rows : {std::size_t(1), W - 1, W, W + 1, 3 * W + 5}) {
          const auto kernel = k::simd::short_convolve_kernel<T>(m, n, reverse);
          REQUIRE(kernel != nullptr);
          const std::size_t f = m + n - 1;
          const auto a = random_rows<T>(rows, m, rng);
          const auto b = random_rows<T>(rows, n, rng);
          // A guard value after the output: the last group must not write past it.
          std::vector<T> out(rows * f + 1, T(12345));
          kernel(rows, a.data(), m, b.data(), n, 0, f, out.data(), f);
          REQUIRE(out.back() == T(12345));
          out.pop_back();
          require_product(a, m, b, n, reverse, out, rows);
        }
}

TEMPLATE_TEST_CASE("interleaved kernels: strided, broadcast and windowed operands give the direct path's bits",
                   "[interleaved]", float, double) {
  using T = TestType;
  std::mt19937_64 rng(7);
  const std::size_t rows = 5 * lanes<T> + 3;
  for (std::size_t m = 2; m <= 9; ++m)
    for (std::size_t n = 2; n <= 9; ++n) {
      const std::size_t f = m + n - 1;
      const auto kernel = k::simd::short_convolve_kernel<T>(m, n, false);
      const auto a = random_rows<T>(rows, m, rng);
      const auto b = random_rows<T>(rows, n, rng);
      std::vector<T> direct(rows * f);
      kernel(rows, a.data(), m, b.data(), n, 0, f, direct.data(), f);

      // The same rows with padding between them (staged path).
      const std::size_t lda = m + 3, ldb = n + 1, ldo = f + 2;
      std::vector<T> sa(rows * lda, T(99)), sb(rows * ldb, T(99)), so(rows * ldo, T(0));
      for (std::size_t r = 0; r < rows; ++r) {
        std::copy_n(a.data() + r * m, m, sa.data() + r * lda);
        std::copy_n(b.data() + r * n, n, sb.data() + r * ldb);
      }
      kernel(rows, sa.data(), lda, sb.data(), ldb, 0, f, so.data(), ldo);
      std::vector<T> strided(rows * f);
      for (std::size_t r = 0; r < rows; ++r) std::copy_n(so.data() + r * ldo, f, strided.data() + r * f);
      INFO("m=" << m << " n=" << n);
      REQUIRE(same_bits(direct, strided));

      // A window [offset, offset + len) of each row: exactly the slice of the full product.
      const std::size_t offset = (f - 1) / 2, len = f - offset - 1;
      std::vector<T> window(rows * len);
      kernel(rows, a.data(), m, b.data(), n, offset, len, window.data(), len);
      bool window_matches = true;
      for (std::size_t r = 0; r < rows; ++r)
        window_matches = window_matches &&
                         std::memcmp(window.data() + r * len, direct.data() + r * f + offset, len * sizeof(T)) == 0;
      REQUIRE(window_matches);

      // b broadcast (ld = 0) against explicit copies of its first row.
      std::vector<T> b_repeated(rows * n);
      for (std::size_t r = 0; r < rows; ++r) std::copy_n(b.data(), n, b_repeated.data() + r * n);
      std::vector<T> broadcast(rows * f), explicit_rows(rows * f);
      kernel(rows, a.data(), m, b.data(), 0, 0, f, broadcast.data(), f);
      kernel(rows, a.data(), m, b_repeated.data(), n, 0, f, explicit_rows.data(), f);
      REQUIRE(same_bits(broadcast, explicit_rows));
    }
}

TEMPLATE_TEST_CASE("interleaved kernels through the public API: products, fused products, modes, threads",
                   "[interleaved]", float, double) {
  using T = TestType;
  std::mt19937_64 rng(99);
  const std::size_t batch = 100'003; // splits across threads and tiles at odd rows
  for (auto [m, n] : {std::pair<std::size_t, std::size_t>{3, 3}, {5, 5}, {9, 9}, {2, 9}, {8, 4}, {6, 7}}) {
    const auto a_data = random_rows<T>(batch, m, rng);
    const auto v_data = random_rows<T>(batch, n, rng);
    const auto a = pb::adapt(a_data.data(), batch, m);
    const auto v = pb::adapt(v_data.data(), batch, n);

    pb::set_num_threads(1);
    pb::PolyBatch<T> one = a * v;
    pb::set_num_threads(2);
    pb::PolyBatch<T> two = a * v;
    std::vector<T> one_flat(one.data(), one.data() + batch * (m + n - 1));
    std::vector<T> two_flat(two.data(), two.data() + batch * (m + n - 1));
    INFO("m=" << m << " n=" << n);
    REQUIRE(same_bits(one_flat, two_flat));
    require_product(a_data, m, v_data, n, false, one_flat, batch);

    // correlate in full mode is the product with v reversed.
    pb::PolyBatch<T> corr = pb::correlate(a, v, pb::mode::full);
    std::vector<T> corr_flat(corr.data(), corr.data() + batch * (m + n - 1));
    require_product(a_data, m, v_data, n, true, corr_flat, batch);
  }

  // (a*b)*c, all lengths 5: the inner product lives in scratch and is read back contiguously.
  const std::size_t b5 = 4099;
  // Exponents within +-30: a product of three rows stays inside float's range.
  const auto a5 = random_rows<T>(b5, 5, rng, 30), b5d = random_rows<T>(b5, 5, rng, 30),
             c5 = random_rows<T>(b5, 5, rng, 30);
  const auto a = pb::adapt(a5.data(), b5, 5), b = pb::adapt(b5d.data(), b5, 5), c = pb::adapt(c5.data(), b5, 5);
  pb::PolyBatch<T> fused = (a * b) * c;
  pb::PolyBatch<T> ab = a * b;
  std::vector<T> ab_flat(ab.data(), ab.data() + b5 * 9);
  pb::PolyBatch<T> two_step = ab * c;
  REQUIRE(std::memcmp(fused.data(), two_step.data(), b5 * 13 * sizeof(T)) == 0);
  require_product(ab_flat, 9, c5, 5, false, std::vector<T>(two_step.data(), two_step.data() + b5 * 13), b5);
}

// Karatsuba across lanes (kernels/simd/karatsuba_rows.hpp) moves W x W blocks
// between rows and lane-vectors by register transposes; at this ISA's width
// (16 floats or 8 doubles with AVX-512) they must give the one-row kernel's
// bits, with strided rows, reversed operands, windows and lengths that are
// not multiples of W.
TEMPLATE_TEST_CASE("Karatsuba across lanes: register transposes give the one-row bits", "[interleaved][long]", float,
                   double) {
  using T = TestType;
  std::mt19937_64 rng(11);
  const std::size_t W = lanes<T>, B = 2 * W;
  for (auto [la, lb] : {std::pair<std::size_t, std::size_t>{32, 32}, {77, 40}, {40, 300}, {203, 203}}) {
    const std::size_t lda = la + 3, ldb = lb + 1; // strided rows
    const auto a = random_rows<T>(B, lda, rng, 10);
    const auto b = random_rows<T>(B, ldb, rng, 10);
    for (bool reverse : {false, true}) {
      const std::size_t full = la + lb - 1, offset = full / 7, n = full - offset - 1, ldo = n + 2;
      std::vector<T> lanes_out(B * ldo, T(0)), rows_out(B * ldo, T(0));
      const std::size_t done = k::simd::karatsuba_row_groups(B, a.data(), lda, la, b.data(), ldb, lb, reverse, offset,
                                                             n, lanes_out.data(), ldo);
      REQUIRE(done == B);
      k::karatsuba_rows(B, a.data(), lda, la, b.data(), ldb, lb, reverse, offset, n, rows_out.data(), ldo);
      INFO("la=" << la << " lb=" << lb << " reverse=" << reverse);
      REQUIRE(same_bits(lanes_out, rows_out));
    }
  }
  // And against the definition (long double), in units of u * sum |a_i b_j|
  // per coefficient: Karatsuba's bound grows about 3x per level
  // (kernels/karatsuba.hpp), the same allowance as test_convolve_long.
  const std::size_t la = 77, lb = 40, full = la + lb - 1;
  const auto a = random_rows<T>(B, la, rng, 4);
  const auto b = random_rows<T>(B, lb, rng, 4);
  for (bool reverse : {false, true}) {
    std::vector<T> out(B * full);
    REQUIRE(k::simd::karatsuba_row_groups(B, a.data(), la, la, b.data(), lb, lb, reverse, 0, full, out.data(), full) ==
            B);
    long double worst = 0;
    for (std::size_t r = 0; r < B; ++r)
      for (std::size_t c = 0; c < full; ++c) {
        const auto [exact, magnitude] = exact_coefficient(a, la, b, lb, reverse, r, c);
        const long double u = std::numeric_limits<T>::epsilon() / 2;
        const long double err = std::fabs(out[r * full + c] - exact);
        worst = checks::worst_of(worst, magnitude > 0 ? err / (u * magnitude)
                                        : err == 0    ? 0.0L
                                                      : std::numeric_limits<long double>::infinity());
      }
    INFO("reverse=" << reverse << ": worst error / (u * sum |a||b|) = " << static_cast<double>(worst));
    REQUIRE(worst < 64);
  }
}
