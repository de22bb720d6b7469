// convolve/correlate nodes inside larger fused expressions: broadcasting of a
// batch of one, nesting, prefix (truncation) requests made by the evaluator,
// and tiles that cut through the batch. References: plain loops in
// tests/support/reference.hpp plus numpy's windows written out here.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/reference.hpp"

namespace pb = polybatch;

namespace {

/// numpy.convolve / numpy.correlate of one row pair, from the definitions.
std::vector<double> numpy_like(bool correlate, pb::mode m, std::vector<double> a, std::vector<double> v) {
  if (correlate) {
    // correlate(a, v)[k] = sum_n a[n + k] * v[n] over the full overlap range,
    // i.e. convolve(a, reversed v) with numpy's swap-and-reverse rule.
    const bool swapped = v.size() > a.size();
    if (swapped) std::swap(a, v);
    std::reverse(v.begin(), v.end());
    std::vector<double> full = ref::convolve(a, v);
    const std::size_t n1 = a.size(), n2 = v.size();
    std::size_t off = 0, len = full.size();
    if (m == pb::mode::same) off = n2 - 1 - n2 / 2, len = n1;
    if (m == pb::mode::valid) off = n2 - 1, len = n1 - n2 + 1;
    std::vector<double> out(full.begin() + static_cast<std::ptrdiff_t>(off),
                            full.begin() + static_cast<std::ptrdiff_t>(off + len));
    if (swapped) std::reverse(out.begin(), out.end());
    return out;
  }
  if (v.size() > a.size()) std::swap(a, v);
  std::vector<double> full = ref::convolve(a, v);
  const std::size_t n1 = a.size(), n2 = v.size();
  std::size_t off = 0, len = full.size();
  if (m == pb::mode::same) off = n2 - 1 - n2 / 2, len = n1;
  if (m == pb::mode::valid) off = n2 - 1, len = n1 - n2 + 1;
  return {full.begin() + static_cast<std::ptrdiff_t>(off), full.begin() + static_cast<std::ptrdiff_t>(off + len)};
}

template <class P>
void require_close(const P& got, const ref::Rows<double>& want, double tol = 1e-12) {
  REQUIRE(got.batch_size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    REQUIRE(got.length() == want[i].size());
    for (std::size_t k = 0; k < want[i].size(); ++k) {
      INFO("row " << i << " coefficient " << k);
      REQUIRE(std::abs(got(i, k) - want[i][k]) <= tol);
    }
  }
}

const pb::mode all_modes[] = {pb::mode::full, pb::mode::same, pb::mode::valid};

} // namespace

TEST_CASE("windows agree with numpy's definitions for long rows too", "[convolve]") {
  std::mt19937_64 rng(7);
  for (std::size_t m : {1u, 2u, 7u, 16u, 33u, 70u})
    for (std::size_t n : {1u, 3u, 16u, 40u, 70u})
      for (pb::mode mode : all_modes)
        for (bool corr : {false, true}) {
          INFO("m=" << m << " n=" << n << " mode=" << int(mode) << " correlate=" << corr);
          const auto a = ref::random_batch<double>(rng, 3, m);
          const auto v = ref::random_batch<double>(rng, 3, n);
          const auto ra = ref::rows_of(a), rv = ref::rows_of(v);
          ref::Rows<double> want;
          for (std::size_t i = 0; i < 3; ++i) want.push_back(numpy_like(corr, mode, ra[i], rv[i]));
          if (corr)
            require_close(pb::eval(pb::correlate(a, v, mode)), want);
          else
            require_close(pb::eval(pb::convolve(a, v, mode)), want);
        }
}

TEST_CASE("convolve and correlate fuse inside larger expressions", "[convolve][fusion]") {
  std::mt19937_64 rng(11);
  // several tiles, and above the threading threshold (2^16 result
  // coefficients) in full and same mode, so two threads share the batch
  const std::size_t B = 12'000;
  pb::set_num_threads(2);
  const auto a = ref::random_batch<double>(rng, B, 4);
  const auto b = ref::random_batch<double>(rng, B, 3);
  const auto v = ref::random_batch<double>(rng, B, 6);
  const auto k1 = ref::random_batch<double>(rng, 1, 3); // broadcast kernel
  const auto ra = ref::rows_of(a), rb = ref::rows_of(b), rv = ref::rows_of(v), rk = ref::rows_of(k1);

  for (pb::mode mode : all_modes) {
    INFO("mode " << int(mode));
    // convolve(a * b, v) + 2 * correlate(v, k1) - a
    const pb::PolyBatch<double> got = pb::convolve(a * b, v, mode) + 2.0 * pb::correlate(v, k1, mode) - a;
    ref::Rows<double> want(B);
    for (std::size_t i = 0; i < B; ++i) {
      const auto left = numpy_like(false, mode, ref::convolve(ra[i], rb[i]), rv[i]);
      auto right = numpy_like(true, mode, rv[i], rk[0]);
      for (auto& x : right) x *= 2.0;
      want[i] = ref::add(ref::add(left, right), ra[i], -1);
    }
    require_close(got, want);

    // A product of two windows, the broadcast operand on the left.
    const pb::PolyBatch<double> nested = pb::correlate(k1, pb::convolve(a, b, mode), mode) * v;
    ref::Rows<double> want_nested(B);
    for (std::size_t i = 0; i < B; ++i)
      want_nested[i] = ref::convolve(numpy_like(true, mode, rk[0], numpy_like(false, mode, ra[i], rb[i])), rv[i]);
    require_close(nested, want_nested);
  }
}

TEST_CASE("a batch of one broadcasts on either side", "[convolve][fusion]") {
  std::mt19937_64 rng(3);
  const auto a = ref::random_batch<double>(rng, 1, 5);
  const auto v = ref::random_batch<double>(rng, 40, 3);
  const auto ra = ref::rows_of(a), rv = ref::rows_of(v);
  for (pb::mode mode : all_modes) {
    ref::Rows<double> w1, w2;
    for (std::size_t i = 0; i < 40; ++i) {
      w1.push_back(numpy_like(false, mode, ra[0], rv[i]));
      w2.push_back(numpy_like(true, mode, rv[i], ra[0]));
    }
    require_close(pb::eval(pb::convolve(a, v, mode)), w1);
    require_close(pb::eval(pb::correlate(v, a, mode)), w2);
  }
  // batch of one with batch of one stays a batch of one
  CHECK(pb::eval(pb::convolve(a, a, pb::mode::same)).batch_size() == 1);
}

TEST_CASE("prefix requests compute exactly the leading coefficients", "[convolve][fusion]") {
  // The evaluator may ask a product node for its first n coefficients only
  // (truncation pushed down). Ask directly for every n and compare with the
  // prefix of the full result, for nested nodes and reversed operands.
  std::mt19937_64 rng(5);
  const std::size_t B = 37;
  const auto a = ref::random_batch<double>(rng, B, 9);
  const auto b = ref::random_batch<double>(rng, B, 7);
  const auto c = ref::random_batch<double>(rng, 1, 4);
  auto check = [&](const auto& e) {
    const pb::PolyBatch<double> whole = e;
    for (std::size_t n = 1; n <= e.length(); ++n) {
      namespace ev = pb::evaluation;
      ev::Scratch<double> scratch(ev::scratch_per_row(e, n) * B + 1, 0.0);
      std::vector<double> out(B * n, -99.0);
      ev::eval_into(e, 0, B, n, out.data(), n, scratch);
      for (std::size_t i = 0; i < B; ++i)
        for (std::size_t k = 0; k < n; ++k) {
          INFO("n=" << n << " row " << i << " k " << k);
          REQUIRE(out[i * n + k] == whole(i, k));
        }
    }
  };
  check(a * b);
  check((a * b) * c);
  check(pb::correlate(a, b, pb::mode::full));
  check(pb::convolve(a * c, b, pb::mode::same));
  check(pb::correlate(c, a * b, pb::mode::full));
  check(pb::correlate(a, b * c, pb::mode::valid) * a);
}
