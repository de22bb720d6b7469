// Assignment into existing storage is the fast path: once warmed up (thread
// pool started, per-thread scratch sized), `r = e` allocates nothing, for
// short rows, fused expressions, convolve/correlate windows and 1 or 2
// threads. Counts calls to the global operator new (after Boost.YAP's
// lazy_vector_alloc_test).
#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <random>

#include <polybatch/polybatch.hpp>

#include "support/reference.hpp"

namespace {
std::atomic<std::size_t> allocations{0};
}

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace pb = polybatch;

namespace {

template <class F>
std::size_t allocations_during(F f) {
  f(); // warm-up: thread pool, per-thread scratch
  const std::size_t before = allocations.load();
  f();
  f();
  return allocations.load() - before;
}

} // namespace

TEMPLATE_TEST_CASE("assignment into existing storage does not allocate", "[alloc]", float, double) {
  std::mt19937_64 rng(4);
  const std::size_t B = 100'000; // above the threading threshold
  const auto a = ref::random_batch<TestType>(rng, B, 5);
  const auto b = ref::random_batch<TestType>(rng, B, 5);
  const auto c = ref::random_batch<TestType>(rng, B, 5);
  for (std::size_t threads : {1u, 2u}) {
    pb::set_num_threads(threads);
    INFO(threads << " threads");
    auto r = pb::PolyBatch<TestType>::uninitialized(B, 9);
    CHECK(allocations_during([&] { r = a * b; }) == 0);
    auto r3 = pb::PolyBatch<TestType>::uninitialized(B, 13);
    CHECK(allocations_during([&] { r3 = (a * b) * c; }) == 0);
    auto rs = pb::PolyBatch<TestType>::uninitialized(B, 5);
    CHECK(allocations_during([&] { rs = pb::correlate(a * b, c, pb::mode::same) + a; }) == 0);
    std::vector<TestType> memory(B * 9);
    auto view = pb::adapt(memory.data(), B, 9);
    CHECK(allocations_during([&] { view = a * b; }) == 0);
  }
}
