// Evaluation splits the batch across threads; every row must come out with
// the same bits whatever the thread count (rows never interact, and every
// kernel computes a row the same way wherever tiles and SIMD groups cut).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <thread>
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

  // 503 rows: the valid correlation (length 131) has 65,893 coefficients,
  // just above the threading threshold (2^16), so it is split too.
  const std::size_t BL = 503;
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

// ---- a scalar that records which threads computed with it --------------------
namespace recording {
struct Recorded {
  double v = 0;
  static inline std::mutex mutex;
  static inline std::set<std::thread::id> threads;
  static void note() {
    // one lock per thread per pass would need a pass id; a lock per
    // multiplication is cheap enough for these small batches
    const std::lock_guard<std::mutex> lock(mutex);
    threads.insert(std::this_thread::get_id());
  }
  Recorded() = default;
  Recorded(double x) : v(x) {}
  Recorded(int x) : v(x) {}
  Recorded(std::size_t x) : v(double(x)) {}
  friend bool operator==(const Recorded&, const Recorded&) = default;
  friend Recorded operator*(Recorded a, Recorded b) {
    note();
    return a.v * b.v;
  }
  friend Recorded operator+(Recorded a, Recorded b) { return a.v + b.v; }
  friend Recorded operator-(Recorded a, Recorded b) { return a.v - b.v; }
  friend Recorded operator-(Recorded a) { return -a.v; }
  friend Recorded operator/(Recorded a, Recorded b) { return a.v / b.v; }
  Recorded& operator+=(Recorded b) { return v += b.v, *this; }
  Recorded& operator-=(Recorded b) { return v -= b.v, *this; }
  Recorded& operator*=(Recorded b) { return *this = *this * b; }
  Recorded& operator/=(Recorded b) { return v /= b.v, *this; }
  friend std::ostream& operator<<(std::ostream& os, Recorded c) { return os << c.v; }
};
} // namespace recording
using recording::Recorded;

template <>
inline constexpr bool polybatch::enable_scalar<Recorded> = true;

TEST_CASE("above the threshold the batch really runs on several threads, below it on one", "[threads]") {
  auto threads_used = [](std::size_t threads, std::size_t batch, bool correlate) {
    ThreadCount t(threads);
    pb::PolyBatch<Recorded> a(batch, 2), v(batch, 2);
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < 2; ++k) a(i, k) = v(i, k) = double(i + k);
    Recorded::threads.clear();
    const pb::PolyBatch<Recorded> r = correlate ? pb::eval(pb::correlate(a, v, pb::mode::full)) : pb::eval(a * v);
    // and the rows are right wherever the batch was cut
    for (std::size_t i = 0; i < batch; i += 997) {
      const double x = double(i), y = double(i + 1);
      // (x + y t)^2, or numpy.correlate's full window: x y, x^2 + y^2, x y
      REQUIRE(r(i, 0).v == (correlate ? x * y : x * x));
      REQUIRE(r(i, 1).v == (correlate ? x * x + y * y : 2 * x * y));
      REQUIRE(r(i, 2).v == (correlate ? x * y : y * y));
    }
    return Recorded::threads.size();
  };
  // 30,000 rows x 3 result coefficients = 90,000 >= 2^16; 20,000 x 3 < 2^16
  CHECK(threads_used(2, 30'000, false) == 2);
  // part 0 runs on the caller, the others on workers; one worker may take
  // two parts, so three threads use two or three
  CHECK(threads_used(3, 30'000, true) >= 2);
  CHECK(threads_used(1, 30'000, false) == 1);
  CHECK(threads_used(2, 20'000, true) == 1);
}

TEST_CASE("an evaluation inside a threaded evaluation's part runs on that part's thread", "[threads]") {
  // A pool task that evaluates again (a front end splitting rows itself):
  // the inner runs find the pool busy and run their parts serially, on the
  // caller's thread for part 0, and every part of both levels runs once.
  struct Context {
    std::atomic<std::size_t> outer{0}, inner{0};
    std::mutex mutex;
    std::set<std::thread::id> inner_threads[2];
  } context;
  const auto outer = [](const void* c, std::size_t part, std::size_t) {
    auto& x = *static_cast<Context*>(const_cast<void*>(c));
    x.outer.fetch_add(1);
    struct Inner {
      Context* x;
      std::size_t outer_part;
    } in{&x, part};
    pb::evaluation::ThreadPool::instance().run(
        3,
        [](const void* d, std::size_t, std::size_t) {
          const auto& i = *static_cast<const Inner*>(d);
          i.x->inner.fetch_add(1);
          const std::lock_guard<std::mutex> lock(i.x->mutex);
          i.x->inner_threads[i.outer_part].insert(std::this_thread::get_id());
        },
        &in);
  };
  pb::evaluation::ThreadPool::instance().run(2, outer, &context);
  REQUIRE(context.outer == 2);
  REQUIRE(context.inner == 6);
  // Each outer part's three inner parts ran on one thread: its own.
  REQUIRE(context.inner_threads[0].size() == 1);
  REQUIRE(context.inner_threads[1].size() == 1);
  REQUIRE(*context.inner_threads[0].begin() == std::this_thread::get_id());
  // Real evaluations nested the same way, each above the threshold at which
  // a pass splits across threads, give the rows of a pass on its own.
  ThreadCount two(2);
  const std::size_t rows = 40'000; // 40,000 x 3 results >= 2^16
  pb::PolyBatch<double> a(rows, 2);
  for (std::size_t i = 0; i < rows; ++i) a(i, 0) = double(i % 1000), a(i, 1) = 1.0 + double(i % 7);
  const pb::PolyBatch<double> alone = a * a;
  struct Nested {
    const pb::PolyBatch<double>* a;
    pb::PolyBatch<double>* out[2];
  };
  pb::PolyBatch<double> r0(rows, 3), r1(rows, 3);
  const Nested nested{&a, {&r0, &r1}};
  pb::evaluation::ThreadPool::instance().run(
      2,
      [](const void* c, std::size_t part, std::size_t) {
        const auto& n = *static_cast<const Nested*>(c);
        *n.out[part] = (*n.a) * (*n.a);
      },
      &nested);
  REQUIRE(r0 == alone);
  REQUIRE(r1 == alone);
}

// Registered again by CTest with POLYBATCH_NUM_THREADS set to valid and
// invalid values, and POLYBATCH_TEST_EXPECT_THREADS the count it must give
// ("hw": the hardware concurrency, the documented fallback).
TEST_CASE("POLYBATCH_NUM_THREADS is honoured and validated", "[.][threads_env]") {
  const char* expect = std::getenv("POLYBATCH_TEST_EXPECT_THREADS");
  REQUIRE(expect != nullptr);
  const char* env = std::getenv("POLYBATCH_NUM_THREADS");
  INFO("POLYBATCH_NUM_THREADS=" << (env ? env : "(unset)"));
  const std::size_t want =
      std::string(expect) == "hw" ? std::max(1u, std::thread::hardware_concurrency()) : std::size_t(std::stoul(expect));
  CHECK(pb::num_threads() == want);
  const std::string problem = pb::num_threads_env_problem();
  CHECK(problem.empty() == (std::string(expect) != "hw"));
  if (!problem.empty()) CHECK_THAT(problem, Catch::Contains("is not a thread count (an integer from 1 to 1024)"));
}

TEST_CASE("set_num_threads refuses counts beyond max_num_threads", "[threads]") {
  const std::size_t saved = pb::num_threads();
  CHECK_THROWS_WITH(pb::set_num_threads(pb::max_num_threads + 1), Catch::Contains("must be at most 1024, got 1025"));
  CHECK_THROWS_AS(pb::set_num_threads(std::size_t(-1)), pb::domain_error);
  CHECK(pb::num_threads() == saved);
  pb::set_num_threads(pb::max_num_threads);
  CHECK(pb::num_threads() == pb::max_num_threads);
  pb::set_num_threads(saved);
}

namespace interruption {

/// A hook answering yes from its `yes_from`-th poll on, counting polls.
struct CountingHook {
  std::atomic<std::size_t> polls{0};
  std::size_t yes_from = 0; // 0: never
  std::thread::id poller;
  std::atomic<bool> other_thread_polled{false};
  pb::evaluation::InterruptionHook hook() {
    return {[](void* raw) {
              auto& self = *static_cast<CountingHook*>(raw);
              if (std::this_thread::get_id() != self.poller) self.other_thread_polled = true;
              const std::size_t n = ++self.polls;
              return self.yes_from != 0 && n >= self.yes_from;
            },
            this, std::chrono::steady_clock::duration::zero()};
  }
};

/// Rows of a * b, and how many rows of out still hold the sentinel.
std::size_t untouched_rows(const pb::PolyBatch<double>& out) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < out.batch_size(); ++i) n += std::isnan(out(i, 0)) ? 1 : 0;
  return n;
}

} // namespace interruption

TEST_CASE("a caller's interruption hook stops a pass on every thread between tiles", "[threads][interruption]") {
  using interruption::CountingHook;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(-1, 1);
  const std::size_t batch = 200'000;
  pb::PolyBatch<double> a(batch, 5), b(batch, 7);
  for (std::size_t i = 0; i < batch * 5; ++i) a.data()[i] = d(rng);
  for (std::size_t i = 0; i < batch * 7; ++i) b.data()[i] = d(rng);
  // Cubes of the products: about 0.3 us a row, so that a worker's share
  // (50,000 rows on 4 threads) outlasts any wait of the caller's thread for
  // a core, and only a worker told to stop leaves most of it unwritten.
  const auto e = pb::pow(a * b, 3);
  const std::size_t n = e.length();
  const pb::PolyBatch<double> expected = pb::eval(e);
  for (std::size_t threads : {1u, 4u}) {
    ThreadCount t(threads);
    CAPTURE(threads);
    pb::PolyBatch<double> out(batch, n);
    std::fill(out.data(), out.data() + batch * n, std::nan(""));
    {
      CountingHook counting;
      counting.yes_from = 2;
      counting.poller = std::this_thread::get_id();
      const pb::evaluation::InterruptionHook hook = counting.hook();
      const pb::evaluation::InterruptionScope scope(hook);
      REQUIRE_THROWS_AS(out = e, pb::interrupted);
      // Polled by the caller only, and stopped at the answer: the other
      // threads stop at their next tile, so most rows were never written.
      CHECK(counting.polls == 2);
      CHECK_FALSE(counting.other_thread_polled);
      CHECK(interruption::untouched_rows(out) > batch / 2);
      // A hook that never answers yes changes nothing.
      CountingHook quiet;
      quiet.poller = std::this_thread::get_id();
      const pb::evaluation::InterruptionHook quiet_hook = quiet.hook();
      const pb::evaluation::InterruptionScope inner(quiet_hook);
      out = e;
      CHECK(quiet.polls > 1);
      CHECK_FALSE(quiet.other_thread_polled);
      REQUIRE(std::equal(out.data(), out.data() + batch * n, expected.data()));
    }
    // Outside the scopes no hook is asked: the pass completes.
    std::fill(out.data(), out.data() + batch * n, std::nan(""));
    out = e;
    REQUIRE(std::equal(out.data(), out.data() + batch * n, expected.data()));
  }
}

TEST_CASE("a pass shorter than the hook's interval never polls it", "[threads][interruption]") {
  interruption::CountingHook counting;
  counting.yes_from = 1;
  counting.poller = std::this_thread::get_id();
  pb::evaluation::InterruptionHook hook = counting.hook();
  hook.interval = std::chrono::hours(1);
  const pb::evaluation::InterruptionScope scope(hook);
  pb::PolyBatch<double> a(1000, 3), b(1000, 3), out(1000, 5);
  std::fill(a.data(), a.data() + 3000, 1.0);
  std::fill(b.data(), b.data() + 3000, 2.0);
  out = a * b;
  CHECK(counting.polls == 0);
  CHECK(out(999, 2) == 6.0);
}

TEST_CASE("verify's fixed-width pass stops between blocks too", "[threads][interruption]") {
  interruption::CountingHook counting;
  counting.yes_from = 1;
  counting.poller = std::this_thread::get_id();
  const pb::evaluation::InterruptionHook hook = counting.hook();
  pb::PolyBatch<double> a(50'000, 5), b(50'000, 7);
  std::fill(a.data(), a.data() + a.batch_size() * 5, 0.5);
  std::fill(b.data(), b.data() + b.batch_size() * 7, 0.25);
  {
    const pb::evaluation::InterruptionScope scope(hook);
    REQUIRE_THROWS_AS(pb::verify(a * b), pb::interrupted);
    CHECK(counting.polls == 1);
  }
  // Without the hook the same check runs to the end.
  const auto report = pb::verify(a * b);
  CHECK(report.max_abs_error == 0);
}
