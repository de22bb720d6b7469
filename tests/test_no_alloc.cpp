// Assignment into existing storage is the fast path: once warmed up (thread
// pool started, per-thread scratch sized), `r = e` allocates nothing, for
// short rows, fused expressions, convolve/correlate windows and 1 or 2
// threads. Counts calls to every replaceable global operator new (after
// Boost.YAP's lazy_vector_alloc_test), checks that the counter sees
// allocations, and checks the values the assignments computed.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <complex>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <new>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/reference.hpp"

namespace {
std::atomic<std::size_t> allocations{0};

void* counted(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size ? size : 1);
}
void* counted_aligned(std::size_t size, std::align_val_t align) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  const std::size_t alignment = static_cast<std::size_t>(align);
  const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  return std::aligned_alloc(alignment, rounded ? rounded : alignment);
}
void* throwing(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
// Not inlined: g++ would otherwise see free() meet a new-expression's pointer
// inside library code and warn (-Wmismatched-new-delete) at some -O levels.
[[gnu::noinline]] void release(void* p) noexcept { std::free(p); }
} // namespace

// Every replaceable allocation function: an allocation through new[], an
// over-aligned type or a nothrow form must be counted too.
void* operator new(std::size_t size) { return throwing(counted(size)); }
void* operator new[](std::size_t size) { return throwing(counted(size)); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted(size); }
void* operator new(std::size_t size, std::align_val_t align) { return throwing(counted_aligned(size, align)); }
void* operator new[](std::size_t size, std::align_val_t align) { return throwing(counted_aligned(size, align)); }
void* operator new(std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return counted_aligned(size, align);
}
void* operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t&) noexcept {
  return counted_aligned(size, align);
}
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }

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

TEST_CASE("the counter sees allocations (so a zero below means something)", "[alloc]") {
  CHECK(allocations_during([] { ::operator delete(::operator new(16)); }) == 2);
  CHECK(allocations_during(
            [] { ::operator delete[](::operator new[](16, std::align_val_t{64}), std::align_val_t{64}); }) == 2);
  std::mt19937_64 rng(3);
  const auto a = ref::random_batch<double>(rng, 1000, 5);
  // materialising a product allocates its result
  CHECK(allocations_during([&] { const pb::PolyBatch<double> r = a * a; }) >= 2);
}

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
    // and the assignments computed the right thing (naive loops, sampled rows)
    for (std::size_t i = 0; i < B; i += 4999) {
      INFO("row " << i);
      std::vector<TestType> ra(5), rb(5), rc(5);
      for (std::size_t k = 0; k < 5; ++k) ra[k] = a(i, k), rb[k] = b(i, k), rc[k] = c(i, k);
      const auto ab = ref::convolve(ra, rb);
      const auto abc = ref::convolve(ab, rc);
      const TestType tol = std::numeric_limits<TestType>::epsilon() * 64;
      for (std::size_t k = 0; k < 9; ++k) {
        REQUIRE(r(i, k) == Approx(ab[k]).epsilon(0).margin(tol * 4));
        REQUIRE(view(i, k) == r(i, k));
      }
      for (std::size_t k = 0; k < 13; ++k) REQUIRE(r3(i, k) == Approx(abc[k]).epsilon(0).margin(tol * 16));
      // same mode of lengths 9 and 5: coefficients 2..10 of the full correlation
      std::vector<TestType> rev(rc.rbegin(), rc.rend());
      const auto corr = ref::convolve(ab, rev);
      REQUIRE(rs.length() == 9);
      for (std::size_t k = 0; k < 9; ++k)
        REQUIRE(rs(i, k) == Approx(corr[k + 2] + (k < 5 ? ra[k] : TestType(0))).epsilon(0).margin(tol * 8));
    }
  }
}

TEMPLATE_TEST_CASE("long power series (Newton iteration) do not allocate once warmed up", "[alloc][series]", float,
                   double) {
  std::mt19937_64 rng(6);
  // B n just above the threading threshold (2^16); n above every Newton crossover
  const std::size_t B = 256, n = 260;
  std::uniform_real_distribution<double> u(-1, 1);
  pb::PolyBatch<TestType> a(B, n);
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t k = 0; k < n; ++k)
      a(i, k) = static_cast<TestType>(k == 0 ? 1.0 : u(rng) / static_cast<double>((k + 1) * (k + 1)));
  for (std::size_t threads : {1u, 2u}) {
    pb::set_num_threads(threads);
    INFO(threads << " threads");
    auto r = pb::PolyBatch<TestType>::uninitialized(B, n);
    CHECK(allocations_during([&] { r = pb::series::exp(a); }) == 0);
    CHECK(allocations_during([&] { r = pb::series::log(a); }) == 0);
    CHECK(allocations_during([&] { r = pb::series::pow(a, TestType(0.5)); }) == 0);
    CHECK(allocations_during([&] { r = pb::series::div(a, a); }) == 0);
    // The workspaces of newton_elementary.hpp: sqrt's (atan shares it), sin/cos's (sinh/cosh too, with
    // exp's) and tan's (which runs sin/cos and the inverse as well).
    CHECK(allocations_during([&] { r = pb::series::sqrt(a); }) == 0);
    CHECK(allocations_during([&] { r = pb::series::sin(a); }) == 0);
    CHECK(allocations_during([&] { r = pb::series::tan(a); }) == 0);
    CHECK(allocations_during([&] { r = pb::series::inv(a); }) == 0);
    // and r is the inverse: (a r)_k = [k == 0], summed in long double
    for (std::size_t i = 0; i < B; i += 149) {
      for (std::size_t k = 0; k < n; ++k) {
        long double s = 0;
        for (std::size_t j = 0; j <= k; ++j) s += static_cast<long double>(a(i, j)) * r(i, k - j);
        REQUIRE(std::abs(static_cast<double>(s) - (k == 0 ? 1.0 : 0.0)) <=
                1e3 * std::numeric_limits<TestType>::epsilon());
      }
    }
  }
}

// pb::roots(a, out) into a result of the right shape: the chunks' bookkeeping
// (tiles, starting points, float seeds) is per-thread scratch, so a solver
// that finds roots batch after batch allocates nothing once warmed up (and
// takes no page faults, which in a VM cost as much as the roots).
TEMPLATE_TEST_CASE("roots into a reused result do not allocate once warmed up", "[alloc][roots]", float, double) {
  std::mt19937_64 rng(8);
  // Several 2048-row chunks a thread; degree 8 (float seeds for double rows),
  // some rows of lower degree (zero leading coefficients) and zero roots.
  const std::size_t B = 9000, len = 9;
  std::normal_distribution<double> g;
  pb::PolyBatch<TestType> a(B, len);
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t k = 0; k < len; ++k) a(i, k) = static_cast<TestType>(g(rng));
  for (std::size_t i = 0; i < B; i += 7) a(i, len - 1) = TestType(0);
  for (std::size_t i = 3; i < B; i += 11) a(i, 0) = TestType(0);
  for (std::size_t threads : {1u, 2u}) {
    pb::set_num_threads(threads);
    INFO(threads << " threads");
    const auto fresh = pb::roots(a);
    xt::xtensor<std::complex<TestType>, 2> z = fresh;
    CHECK(allocations_during([&] { pb::roots(a, z); }) == 0);
    // The same bits as the fresh result (NaN places compared as NaN).
    std::size_t differ = 0;
    for (std::size_t i = 0; i < B; ++i)
      for (std::size_t j = 0; j + 1 < len; ++j) {
        const auto x = z(i, j), y = fresh(i, j);
        const bool same = (x.real() == y.real() || (std::isnan(x.real()) && std::isnan(y.real()))) &&
                          (x.imag() == y.imag() || (std::isnan(x.imag()) && std::isnan(y.imag())));
        differ += same ? 0 : 1;
      }
    CHECK(differ == 0);
  }
}

// pb::rebind<U>(e) converts e's leaves tile by tile into the pass's scratch
// (docs/exact.md, docs/design.md's capture rules): it must cost no more than
// the same tree written with pb::cast<U> on each leaf, and nothing once warmed
// up. A converted copy of the leaves would allocate B x L values per leaf.
TEST_CASE("rebind allocates no more than the cast expression: nothing once warmed up", "[alloc][rebind]") {
  std::mt19937_64 rng(7);
  const std::size_t B = 16'000; // B x 5 and B x 9 both above the threading threshold (2^16)
  const auto fa = ref::random_batch<float>(rng, B, 5);
  const auto fb = ref::random_batch<float>(rng, B, 5);
  const auto da = ref::random_batch<double>(rng, B, 5);
  for (std::size_t threads : {1u, 2u}) {
    pb::set_num_threads(threads);
    INFO(threads << " threads");
    auto r = pb::PolyBatch<double>::uninitialized(B, 9);
    auto by_cast = pb::PolyBatch<double>::uninitialized(B, 9);
    const std::size_t cast_allocations =
        allocations_during([&] { by_cast = pb::cast<double>(fa) * pb::cast<double>(fb); });
    const std::size_t rebind_allocations = allocations_during([&] { r = pb::rebind<double>(fa * fb); });
    CHECK(rebind_allocations <= cast_allocations);
    CHECK(rebind_allocations == 0);
    // Scalars inside are converted with the leaves; a deeper tree, a view,
    // and the narrowing direction (double leaves computed in float).
    auto r3 = pb::PolyBatch<double>::uninitialized(B, 9);
    CHECK(allocations_during([&] { r3 = pb::rebind<double>((fa * fb) * 2.0f - fa + 1.0f); }) == 0);
    std::vector<double> memory(B * 9);
    auto view = pb::adapt(memory.data(), B, 9);
    CHECK(allocations_during([&] { view = pb::rebind<double>(fa * fb); }) == 0);
    auto narrow = pb::PolyBatch<float>::uninitialized(B, 9);
    CHECK(allocations_during([&] { narrow = pb::rebind<float>(da * pb::cast<double>(fb)); }) == 0);

    // and the values are the double products of the float leaves
    CHECK(r == by_cast);
    for (std::size_t i = 0; i < B; i += 799) {
      INFO("row " << i);
      for (std::size_t k = 0; k < 9; ++k) {
        long double want = 0, magnitude = 0;
        for (std::size_t j = 0; j < 5; ++j)
          if (k >= j && k - j < 5) {
            want += static_cast<long double>(fa(i, j)) * fb(i, k - j);
            magnitude += std::abs(static_cast<long double>(fa(i, j)) * fb(i, k - j));
          }
        const double eps = std::numeric_limits<double>::epsilon();
        REQUIRE(std::abs(static_cast<long double>(r(i, k)) - want) <= 8 * eps * magnitude);
        REQUIRE(view(i, k) == r(i, k));
        const long double scaled = 2 * want - (k < 5 ? fa(i, k) : 0.0f) + (k == 0 ? 1 : 0);
        REQUIRE(std::abs(static_cast<long double>(r3(i, k)) - scaled) <= 16 * eps * (2 * magnitude + 2));
      }
    }
  }
}
