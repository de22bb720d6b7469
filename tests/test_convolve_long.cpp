// Long rows (up to 4096): the Karatsuba path and medium rows cut into pieces
// for the short-row kernels, against a long double schoolbook reference, with unequal lengths, numpy windows,
// correlation, prefix requests, broadcasting, and the across-lanes and one-row Karatsuba giving the same bits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"
#include "support/reference.hpp"
#include "support/worst.hpp"

namespace pb = polybatch;

namespace {

/// Full product in long double plus, per coefficient, sum |a_i| |b_(k-i)|.
struct Exact {
  std::vector<long double> value, magnitude;
};

template <class T>
Exact exact_product(const T* a, std::size_t la, const T* b, std::size_t lb, bool reverse_b) {
  Exact e{std::vector<long double>(la + lb - 1, 0.0L), std::vector<long double>(la + lb - 1, 0.0L)};
  for (std::size_t i = 0; i < la; ++i)
    for (std::size_t j = 0; j < lb; ++j) {
      const long double bj = b[reverse_b ? lb - 1 - j : j];
      e.value[i + j] += static_cast<long double>(a[i]) * bj;
      e.magnitude[i + j] += std::abs(static_cast<long double>(a[i]) * bj);
    }
  return e;
}

/// Worst error of out (the window [offset, offset + n) of each row) in
/// units of u * sum |a_i| |b_(k-i)|.
template <class T, class Out, class A, class B>
double worst_scaled_error(const Out& out, const A& a, const B& b, bool reverse_b, std::size_t offset) {
  double worst = 0;
  const double u = std::numeric_limits<T>::epsilon() / 2;
  for (std::size_t r = 0; r < out.batch_size(); ++r) {
    const std::size_t ra = a.batch_size() == 1 ? 0 : r, rb = b.batch_size() == 1 ? 0 : r;
    const Exact e = exact_product(&a(ra, 0), a.length(), &b(rb, 0), b.length(), reverse_b);
    for (std::size_t k = 0; k < out.length(); ++k) {
      const long double err = std::abs(static_cast<long double>(out(r, k)) - e.value[offset + k]);
      const long double scale = e.magnitude[offset + k] * u;
      if (scale > 0)
        worst = checks::worst_of(worst, static_cast<double>(err / scale));
      else if (!(err == 0)) // an exact zero computed as anything else (or NaN)
        worst = checks::worst_of(worst, std::numeric_limits<double>::infinity());
    }
  }
  return worst;
}

} // namespace

TEMPLATE_TEST_CASE("long rows: Karatsuba path within a few ulps of sum |a||b|", "[convolve][long]", float, double) {
  std::mt19937_64 rng(99);
  struct Shape {
    std::size_t batch, la, lb;
  };
  // Whole SIMD groups and leftovers, equal and unequal lengths, both sides
  // longer, a batch-of-one operand.
  const Shape shapes[] = {{19, 64, 64}, {9, 100, 37}, {5, 33, 250}, {2, 1024, 1024}, {1, 4096, 700}, {17, 500, 1}};
  double worst = 0;
  for (const Shape& s : shapes) {
    INFO("B=" << s.batch << " la=" << s.la << " lb=" << s.lb);
    const auto a = ref::random_batch<TestType>(rng, s.batch, s.la);
    const auto b = ref::random_batch<TestType>(rng, s.lb == 1 ? 1 : s.batch, s.lb);
    worst = checks::worst_of(worst, worst_scaled_error<TestType>(pb::eval(a * b), a, b, false, 0));
    for (pb::mode m : {pb::mode::full, pb::mode::same, pb::mode::valid}) {
      const auto conv = pb::eval(pb::convolve(a, b, m));
      const auto corr = pb::eval(pb::correlate(a, b, m));
      const auto wc = pb::expr::product_window(pb::expr::product_kind::convolve, m, s.la, s.lb);
      const auto wr = pb::expr::product_window(pb::expr::product_kind::correlate, m, s.la, s.lb);
      REQUIRE(conv.length() == wc.length);
      REQUIRE(corr.length() == wr.length);
      worst = checks::worst_of(worst, worst_scaled_error<TestType>(conv, a, b, false, wc.offset));
      worst = checks::worst_of(worst, worst_scaled_error<TestType>(corr, a, b, true, wr.offset));
    }
  }
  WARN("worst error / (u * sum|a||b|): " << worst);
  CHECK(worst < 64);
}

TEMPLATE_TEST_CASE("medium rows: whole products in short-kernel pieces within a few ulps", "[convolve][long]", float,
                   double) {
  using T = TestType;
  const auto seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  // Row groups of 32 and a leftover; the left operand past the short kernels
  // (up to four pieces; the other order takes the general loops), broadcast rows.
  const std::size_t rows = 70;
  for (std::size_t la : {10u, 11u, 18u, 19u, 27u, 36u, 37u})
    for (std::size_t lb : {1u, 2u, 5u, 9u}) {
      INFO("la = " << la << ", lb = " << lb);
      const auto a = ref::random_batch<T>(rng, rows, la);
      const auto b = ref::random_batch<T>(rng, rows, lb);
      const auto one = ref::random_batch<T>(rng, 1, lb);
      const double bound = 2.0 * static_cast<double>(lb + 1);
      const pb::PolyBatch<T> ab = a * b, ba = b * a, a_one = a * one, one_a = one * a;
      CHECK(worst_scaled_error<T>(ab, a, b, false, 0) <= bound);
      CHECK(worst_scaled_error<T>(ba, b, a, false, 0) <= bound);
      CHECK(worst_scaled_error<T>(a_one, a, one, false, 0) <= bound);
      CHECK(worst_scaled_error<T>(one_a, one, a, false, 0) <= bound);
      // Windows and correlation: numpy's same and valid, a full correlation.
      const pb::PolyBatch<T> same = pb::convolve(a, b, pb::mode::same);
      CHECK(worst_scaled_error<T>(same, a, b, false, (lb - 1) / 2) <= bound);
      const pb::PolyBatch<T> valid = pb::convolve(a, b, pb::mode::valid);
      CHECK(worst_scaled_error<T>(valid, a, b, false, lb - 1) <= bound);
      const pb::PolyBatch<T> corr = pb::correlate(a, b, pb::mode::full);
      CHECK(worst_scaled_error<T>(corr, a, b, true, 0) <= bound);
      // A prefix, and any window, is the same sums as the whole product.
      const pb::PolyBatch<T> prefix = pb::truncate(a * b, 7);
      for (std::size_t i = 0; i < rows; ++i) {
        for (std::size_t k = 0; k < 7; ++k) CHECK(prefix(i, k) == ab(i, k));
        for (std::size_t k = 0; k < same.length(); ++k) CHECK(same(i, k) == ab(i, k + (lb - 1) / 2));
      }
    }
}

TEMPLATE_TEST_CASE("long rows: prefix requests and truncated operands", "[convolve][long]", float, double) {
  // The evaluator asks for the first n coefficients only; the operands are
  // then cut to n as well, so Karatsuba runs on shorter rows.
  std::mt19937_64 rng(5);
  const std::size_t B = 11;
  const auto a = ref::random_batch<TestType>(rng, B, 300);
  const auto b = ref::random_batch<TestType>(rng, B, 200);
  namespace ev = pb::evaluation;
  const auto node = a * b;
  for (std::size_t n : {1u, 31u, 32u, 100u, 257u, 499u}) {
    ev::Scratch<TestType> scratch(ev::scratch_per_row(node, n) * B + 1, TestType(0));
    std::vector<TestType> out(B * n);
    ev::eval_into(node, 0, B, n, out.data(), n, scratch);
    const auto view = pb::adapt(static_cast<const TestType*>(out.data()), B, n);
    const auto a_cut = pb::eval(a), b_cut = pb::eval(b); // same rows
    INFO("n=" << n);
    CHECK(worst_scaled_error<TestType>(view, a_cut, b_cut, false, 0) < 64);
  }
}

TEMPLATE_TEST_CASE("Karatsuba across lanes and per row give the same bits", "[convolve][long]", float, double) {
  std::mt19937_64 rng(8);
  for (auto [la, lb] : {std::pair<std::size_t, std::size_t>{32, 32}, {77, 40}, {40, 300}, {1000, 1000}}) {
    const std::size_t W = xsimd::batch<TestType>::size, B = 2 * W;
    const auto a = ref::random_batch<TestType>(rng, B, la);
    const auto b = ref::random_batch<TestType>(rng, B, lb);
    for (bool reverse : {false, true}) {
      const std::size_t full = la + lb - 1, offset = full / 5, n = full - offset - 3;
      std::vector<TestType> lanes(B * n), rows(B * n);
      const std::size_t done = pb::kernels::simd::karatsuba_row_groups(B, a.data(), la, la, b.data(), lb, lb, reverse,
                                                                       offset, n, lanes.data(), n);
      REQUIRE(done == B);
      pb::kernels::karatsuba_rows(B, a.data(), la, la, b.data(), lb, lb, reverse, offset, n, rows.data(), n);
      INFO("la=" << la << " lb=" << lb << " reverse=" << reverse);
      CHECK(lanes == rows);
    }
  }
}
