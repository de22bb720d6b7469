// Evaluation splits the batch across threads; every row must come out with
// the same bits whatever the thread count (rows never interact, and every
// kernel computes a row the same way wherever tiles and SIMD groups cut).
#include <catch2/catch.hpp>

#include <cstddef>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/reference.hpp"

namespace pb = polybatch;

namespace {

struct ThreadCount {
  explicit ThreadCount(std::size_t n) : saved(pb::num_threads()) { pb::set_num_threads(n); }
  ~ThreadCount() { pb::set_num_threads(saved); }
  std::size_t saved;
};

template <class F>
void same_bits_for_any_thread_count(F make) {
  using P = decltype(make());
  P reference = [&] {
    ThreadCount one(1);
    return make();
  }();
  for (std::size_t n : {2u, 3u, 5u, 8u}) {
    ThreadCount t(n);
    const P got = make();
    INFO(n << " threads");
    REQUIRE(got.batch_size() == reference.batch_size());
    REQUIRE(got.length() == reference.length());
    CHECK(std::equal(got.data(), got.data() + got.batch_size() * got.length(), reference.data()));
  }
}

} // namespace

TEMPLATE_TEST_CASE("results are bit-identical for any thread count", "[threads]", float, double) {
  std::mt19937_64 rng(1);
  // Odd batch sizes so that thread blocks, tiles and SIMD groups all end in
  // the middle of each other.
  const std::size_t B = 40'009;
  const auto a = ref::random_batch<TestType>(rng, B, 9);
  const auto b = ref::random_batch<TestType>(rng, B, 7);
  const auto c = ref::random_batch<TestType>(rng, B, 5);
  const auto one = ref::random_batch<TestType>(rng, 1, 3);
  same_bits_for_any_thread_count([&] { return pb::eval(a * b); });
  same_bits_for_any_thread_count([&] { return pb::eval(pb::correlate(a, b, pb::mode::same)); });
  same_bits_for_any_thread_count([&] { return pb::eval((a * b) * c + one * a); });

  const std::size_t BL = 203;
  const auto la = ref::random_batch<TestType>(rng, BL, 300);
  const auto lb = ref::random_batch<TestType>(rng, BL, 170);
  same_bits_for_any_thread_count([&] { return pb::eval(la * lb); });
  same_bits_for_any_thread_count([&] { return pb::eval(pb::correlate(la, lb, pb::mode::valid)); });
}

TEST_CASE("integers too", "[threads]") {
  std::mt19937_64 rng(2);
  const auto a = ref::random_batch<long long>(rng, 70'001, 6);
  const auto b = ref::random_batch<long long>(rng, 70'001, 40);
  same_bits_for_any_thread_count([&] { return pb::eval(a * b + a); });
}

TEST_CASE("the thread count is settable and validated", "[threads]") {
  const std::size_t saved = pb::num_threads();
  pb::set_num_threads(3);
  CHECK(pb::num_threads() == 3);
  CHECK_THROWS_AS(pb::set_num_threads(0), pb::domain_error);
  CHECK(pb::num_threads() == 3);
  pb::set_num_threads(saved);
}
