// Proof of fusion: counts the heap bytes allocated while `r = (a*b)*c` runs
// into a preallocated r. The fused pass needs per-thread tile scratch only,
// so the figure stays small and does not grow with B, while materialising
// a * b first allocates B x 9 values. Replaces the global operator new and
// delete, so this test is not built under the sanitizers.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <new>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/reference.hpp"

namespace {

std::atomic<std::size_t> allocated_bytes{0};
std::atomic<std::size_t> allocation_count{0};

void* counted_allocate(std::size_t size) {
  allocated_bytes.fetch_add(size, std::memory_order_relaxed);
  allocation_count.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}

void* counted_allocate_aligned(std::size_t size, std::align_val_t align) {
  allocated_bytes.fetch_add(size, std::memory_order_relaxed);
  allocation_count.fetch_add(1, std::memory_order_relaxed);
  const std::size_t alignment = static_cast<std::size_t>(align);
  const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  return std::aligned_alloc(alignment, rounded == 0 ? alignment : rounded);
}

void* throwing(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

} // namespace

// ---- every replaceable allocation function --------------------------------
void* operator new(std::size_t size) { return throwing(counted_allocate(size)); }
void* operator new[](std::size_t size) { return throwing(counted_allocate(size)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_allocate(size); }
void* operator new(std::size_t size, std::align_val_t align) { return throwing(counted_allocate_aligned(size, align)); }
void* operator new[](std::size_t size, std::align_val_t align) {
  return throwing(counted_allocate_aligned(size, align));
}
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return counted_allocate_aligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return counted_allocate_aligned(size, align);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

namespace pb = polybatch;

struct Allocated {
  std::size_t bytes;
  std::size_t count;
};

/// Heap bytes and allocations made while f runs.
template <class F>
Allocated measure(F&& f) {
  const std::size_t bytes0 = allocated_bytes.load();
  const std::size_t count0 = allocation_count.load();
  f();
  return {allocated_bytes.load() - bytes0, allocation_count.load() - count0};
}

struct ThreadCountGuard {
  std::size_t saved = pb::num_threads();
  ~ThreadCountGuard() { pb::set_num_threads(saved); }
};

struct Operands {
  pb::PolyBatch<double> a, b, c, r;
};

Operands make_operands(std::size_t batch) {
  std::mt19937_64 rng(batch);
  return {ref::random_batch<double>(rng, batch, 5), ref::random_batch<double>(rng, batch, 5),
          ref::random_batch<double>(rng, batch, 5), pb::PolyBatch<double>(batch, 13)};
}

constexpr std::size_t fused_limit_bytes = 64 * 1024;

} // namespace

TEST_CASE("the counting allocator sees allocations", "[allocation]") {
  const Allocated seen = measure([] { std::vector<double> v(1000, 1.0); });
  CHECK(seen.bytes >= 1000 * sizeof(double));
  CHECK(seen.count >= 1);
}

TEST_CASE("r = (a*b)*c allocates a bounded amount that does not grow with B", "[allocation]") {
  ThreadCountGuard guard;
  // Warm up: start the thread pool's workers and any lazily built state.
  pb::set_num_threads(2);
  {
    Operands w = make_operands(50000);
    w.r = (w.a * w.b) * w.c;
  }

  for (const int threads : {1, 2}) {
    pb::set_num_threads(threads);
    std::vector<Allocated> fused;
    const std::size_t batches[] = {10000, 100000, 400000};
    for (const std::size_t batch : batches) {
      Operands x = make_operands(batch);
      const double* storage = x.r.data();
      const Allocated seen = measure([&] { x.r = (x.a * x.b) * x.c; });
      fused.push_back(seen);
      std::cout << "[allocation] threads=" << threads << " B=" << batch << " fused r = (a*b)*c: " << seen.bytes
                << " bytes in " << seen.count << " allocations\n";
      CHECK(x.r.data() == storage); // evaluated in place into the preallocated r
      CHECK(seen.bytes < fused_limit_bytes);
      // Spot-check coefficient 6 of the last row so the measured pass is real.
      const std::size_t last = batch - 1;
      double ab[9] = {};
      for (std::size_t i = 0; i < 5; ++i)
        for (std::size_t j = 0; j < 5; ++j) ab[i + j] += x.a(last, i) * x.b(last, j);
      double expected = 0;
      for (std::size_t i = 2; i <= 6; ++i) expected += ab[i] * x.c(last, 6 - i);
      CHECK(x.r(last, 6) == Approx(expected));
    }
    INFO("threads " << threads);
    // Does not grow with B.
    CHECK(fused[1].bytes <= fused[0].bytes);
    CHECK(fused[2].bytes <= fused[0].bytes);

    // Into a view: the same bound.
    {
      Operands x = make_operands(100000);
      std::vector<double> out(100000 * 13);
      auto view = pb::adapt(out.data(), 100000, 13);
      const Allocated seen = measure([&] { view = (x.a * x.b) * x.c; });
      std::cout << "[allocation] threads=" << threads << " B=100000 fused view = (a*b)*c: " << seen.bytes
                << " bytes in " << seen.count << " allocations\n";
      CHECK(seen.bytes < fused_limit_bytes);
      const Allocated seen2 = measure([&] { x.r = (x.a * x.b) * x.c + 2.0 * x.a; });
      std::cout << "[allocation] threads=" << threads << " B=100000 fused r = (a*b)*c + 2*a: " << seen2.bytes
                << " bytes in " << seen2.count << " allocations\n";
      CHECK(seen2.bytes < fused_limit_bytes);
    }

    // Materialising a * b first costs B x 9 values.
    {
      const std::size_t batch = 100000;
      Operands x = make_operands(batch);
      const Allocated seen = measure([&] {
        const pb::PolyBatch<double> tmp = x.a * x.b;
        x.r = tmp * x.c;
      });
      std::cout << "[allocation] threads=" << threads << " B=" << batch
                << " materialising tmp = a*b; r = tmp*c: " << seen.bytes << " bytes in " << seen.count
                << " allocations (B*9*sizeof(double) = " << batch * 9 * sizeof(double) << ")\n";
      CHECK(seen.bytes >= batch * 9 * sizeof(double));
    }
  }
}
