// Alias safety: assignments whose destination is also an operand, for
// PolyBatch and for adapted views that overlap an operand with the same or
// a shifted layout. Each result is compared with the same expression
// evaluated into fresh memory from copies of the operands (bit-identical:
// rows are computed by the same kernels either way). Also checks that the
// safe cases reuse the destination's storage instead of a temporary.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"
#include "support/reference.hpp"

namespace pb = polybatch;

// Alias analysis (eval/alias.hpp) looks at addresses and shapes, never at the
// scalar: one SIMD float, one double and one checked integer type cover its
// code paths (test_arithmetic and test_container run all five machine
// types). Three instead of five also cut this program's compile time by a
// third.
#define POLYBATCH_MACHINE_TYPES float, double, std::int64_t

TEMPLATE_TEST_CASE("PolyBatch destinations that are also operands", "[alias]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const std::int64_t bound = 20;
  // Length 1 keeps products shape-preserving, so they would be written in
  // place if the alias analysis let them; longer rows change the shape.
  for (const std::size_t length : {std::size_t(1), std::size_t(4), std::size_t(11)})
    for (const std::size_t batch : {std::size_t(1), std::size_t(9), std::size_t(700)}) {
      INFO("B=" << batch << " L=" << length);
      const auto a0 = ref::random_batch<T>(rng, batch, length, bound);
      const auto b0 = ref::random_batch<T>(rng, batch, length, bound);
      const auto unit = ref::random_batch<T>(rng, batch, 1, bound); // length-1 factor: a * unit keeps a's shape
      pb::PolyBatch<T> a = a0;
      pb::PolyBatch<T> b = b0;
      const auto reset = [&] {
        a = a0;
        b = b0;
      };

      reset();
      a = a * b;
      CHECK(a == pb::PolyBatch<T>(a0 * b0));
      reset();
      b = a * b;
      CHECK(b == pb::PolyBatch<T>(a0 * b0));
      reset();
      a *= a;
      CHECK(a == pb::PolyBatch<T>(a0 * a0));
      reset();
      a = a + a;
      CHECK(a == pb::PolyBatch<T>(a0 + a0));
      reset();
      a = (a * a) * a;
      CHECK(a == pb::PolyBatch<T>((a0 * a0) * a0));
      reset();
      a = b + a * a;
      CHECK(a == pb::PolyBatch<T>(b0 + a0 * a0));
      reset();
      pb::PolyBatch<T>& same_a = a; // spelled apart to keep clang's -Wself-assign-overloaded quiet
      a -= same_a;
      CHECK(a == pb::PolyBatch<T>(a0 - a0));
      reset();
      a += a * b;
      CHECK(a == pb::PolyBatch<T>(a0 + a0 * b0));
      reset();
      a = a * unit;
      CHECK(a == pb::PolyBatch<T>(a0 * unit));
      reset();
      a *= unit;
      CHECK(a == pb::PolyBatch<T>(a0 * unit));
      reset();
      a = unit * a - a;
      CHECK(a == pb::PolyBatch<T>(unit * a0 - a0));
      reset();
      a = a * unit + a * unit;
      CHECK(a == pb::PolyBatch<T>(a0 * unit + a0 * unit));
      reset();
      a = -(a * unit) * unit;
      CHECK(a == pb::PolyBatch<T>(-(a0 * unit) * unit));
      // The answers above are right, not just self-consistent.
      reset();
      a = b + a * a;
      CHECK_ROWS(a, ref::sum(checks::to_ref(b0), ref::product(checks::to_ref(a0), checks::to_ref(a0))),
                 int(2 * length + 2));
    }
}

// pb::rebind<T>(e) over its own destination, with shapes that let the result
// be written in place: the rebound tree reads a's rows (converted tile by tile
// into scratch) while its root writes them, so a product-like root computed
// naively in place would read coefficients it has already overwritten.
// Each result is compared with the same expression over separate copies.
TEMPLATE_TEST_CASE("rebind over its own destination, same shape", "[alias][rebind]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (const std::size_t length : {std::size_t(1), std::size_t(4), std::size_t(11)})
    for (const std::size_t batch : {std::size_t(1), std::size_t(9), std::size_t(700)}) {
      INFO("B=" << batch << " L=" << length);
      const auto a0 = ref::random_batch<T>(rng, batch, length, 20);
      const auto b0 = ref::random_batch<T>(rng, batch, length, 20);
      const auto unit = ref::random_batch<T>(rng, batch, 1, 20);
      pb::PolyBatch<T> a = a0;
      pb::PolyBatch<T> b = b0;
      const auto reset = [&] {
        a = a0;
        b = b0;
      };
      const std::size_t n = length;

      reset();
      a = pb::rebind<T>(pb::truncate(a * a, n));
      CHECK(a == pb::PolyBatch<T>(pb::rebind<T>(pb::truncate(a0 * a0, n))));
      CHECK(a == pb::PolyBatch<T>(pb::truncate(a0 * a0, n)));
      reset();
      a = pb::rebind<T>(pb::truncate(a * b, n));
      CHECK(a == pb::PolyBatch<T>(pb::truncate(a0 * b0, n)));
      reset();
      b = pb::rebind<T>(pb::truncate(a * b, n));
      CHECK(b == pb::PolyBatch<T>(pb::truncate(a0 * b0, n)));
      reset();
      a = pb::rebind<T>(pb::truncate(pb::pow(a, 3), n));
      CHECK(a == pb::PolyBatch<T>(pb::truncate(pb::pow(a0, 3), n)));
      reset();
      a = pb::rebind<T>(pb::convolve(a, b, pb::mode::same));
      CHECK(a == pb::PolyBatch<T>(pb::convolve(a0, b0, pb::mode::same)));
      reset();
      a = pb::rebind<T>(pb::correlate(b, a, pb::mode::same));
      CHECK(a == pb::PolyBatch<T>(pb::correlate(b0, a0, pb::mode::same)));
      reset();
      a = pb::rebind<T>(a * unit);
      CHECK(a == pb::PolyBatch<T>(a0 * unit));
      reset();
      a = pb::rebind<T>(a);
      CHECK(a == a0);
      reset();
      a = pb::rebind<T>(-(a * unit) * unit + a);
      CHECK(a == pb::PolyBatch<T>(-(a0 * unit) * unit + a0));
      // Casts inside are dropped: the tree is a * a in T, over the destination.
      reset();
      a = pb::rebind<T>(pb::truncate(pb::cast<double>(a) * pb::cast<double>(a), n));
      CHECK(a == pb::PolyBatch<T>(pb::truncate(a0 * a0, n)));
      // A rebound operand inside an ordinary tree, and compound assignment.
      reset();
      a = pb::rebind<T>(pb::truncate(a * b, n)) - a;
      CHECK(a == pb::PolyBatch<T>(pb::truncate(a0 * b0, n) - a0));
      reset();
      a += pb::rebind<T>(pb::truncate(a * a, n));
      CHECK(a == pb::PolyBatch<T>(a0 + pb::truncate(a0 * a0, n)));
      reset();
      a -= pb::rebind<T>(pb::truncate(b * a, n));
      CHECK(a == pb::PolyBatch<T>(a0 - pb::truncate(b0 * a0, n)));
      reset();
      a *= pb::rebind<T>(unit);
      CHECK(a == pb::PolyBatch<T>(a0 * unit));
      reset();
      a *= pb::rebind<T>(pb::truncate(a, 1)); // a's own constant terms, as a length-1 factor
      CHECK(a == pb::PolyBatch<T>(a0 * pb::truncate(a0, 1)));
      // The answer is right, not just self-consistent.
      reset();
      a = pb::rebind<T>(pb::truncate(a * a, n));
      auto want = ref::product(checks::to_ref(a0), checks::to_ref(a0));
      for (auto& row : want) row.resize(n);
      CHECK_ROWS(a, want, int(length + 1));
    }
}

TEMPLATE_TEST_CASE("rebind over its own destination with two threads", "[alias][rebind][threads]",
                   POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const std::size_t saved = pb::num_threads();
  pb::set_num_threads(2);
  const std::size_t batch = 20000, length = 11; // 220,000 coefficients: split between the threads
  const auto a0 = ref::random_batch<T>(rng, batch, length, 20);
  const auto unit = ref::random_batch<T>(rng, batch, 1, 20);
  pb::PolyBatch<T> a = a0;
  a = pb::rebind<T>(pb::truncate(a * a, length));
  CHECK(a == pb::PolyBatch<T>(pb::truncate(a0 * a0, length)));
  // Rows 1.. of a written from rows 0..: each thread's first rows were
  // another thread's (or an earlier tile's) last ones.
  std::vector<T> memory(a0.data(), a0.data() + batch * length);
  const pb::PolyBatch<T> head = pb::eval(pb::adapt(a0.data(), batch - 1, length));
  const auto tail_unit = pb::eval(pb::adapt(unit.data() + 1, batch - 1, 1));
  auto dst = pb::adapt(memory.data() + length, batch - 1, length);
  dst = pb::rebind<T>(pb::truncate(pb::adapt(std::as_const(memory).data(), batch - 1, length) * tail_unit, length));
  CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(pb::truncate(head * tail_unit, length)));
  pb::set_num_threads(saved);
}

TEMPLATE_TEST_CASE("safe cases write in place without a temporary", "[alias]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  const std::size_t batch = 333;
  const auto a0 = ref::random_batch<T>(rng, batch, 6, 20);
  const auto b = ref::random_batch<T>(rng, batch, 6, 20);
  const auto unit = ref::random_batch<T>(rng, batch, 1, 20);
  pb::PolyBatch<T> a = a0;
  const T* storage = a.data();

  a = a + b;
  CHECK(a.data() == storage);
  CHECK(a == pb::PolyBatch<T>(a0 + b));
  a = 2 * a;
  CHECK(a.data() == storage);
  CHECK(a == pb::PolyBatch<T>(2 * (a0 + b)));
  a = a0;
  CHECK(a.data() == storage);
  a = -a;
  CHECK(a.data() == storage);
  a = a + a;
  CHECK(a.data() == storage);
  a += b;
  CHECK(a.data() == storage);
  a -= b;
  CHECK(a.data() == storage);
  CHECK(a == pb::PolyBatch<T>(((-a0 + -a0) + b) - b)); // same roundings, one fused pass
  // A product that reads the destination only inside an inner node: the
  // inner node is computed into tile scratch before the tile is written.
  a = a0;
  a = (a * unit) + b;
  CHECK(a.data() == storage);
  CHECK(a == pb::PolyBatch<T>((a0 * unit) + b));
  // Assigning another expression of the same shape reuses the storage too.
  a = b * unit;
  CHECK(a.data() == storage);
  CHECK(a == pb::PolyBatch<T>(b * unit));
}

namespace {

/// Buffer with room for `rows` rows of `length` plus one row and one
/// coefficient of slack, filled with small random values.
template <class T>
std::vector<T> random_buffer(std::mt19937_64& rng, std::size_t rows, std::size_t length) {
  std::vector<T> memory((rows + 1) * length + 1);
  std::uniform_int_distribution<int> d(-20, 20);
  for (auto& x : memory) x = T(d(rng));
  return memory;
}

} // namespace

TEMPLATE_TEST_CASE("view destinations overlapping an operand", "[alias][view]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  for (const std::size_t batch : {std::size_t(3), std::size_t(5000)}) {
    const std::size_t length = 4;
    INFO("B=" << batch);
    const auto unit = ref::random_batch<T>(rng, batch, 1, 20);
    const auto other = ref::random_batch<T>(rng, batch, length, 20);
    const auto original = random_buffer<T>(rng, batch, length);
    std::vector<T> memory;

    // The expected result: the same expression over copies of the operands.
    const auto fresh = [&](std::size_t dst_offset, std::size_t src_offset, auto&& expression_of) {
      memory = original;
      std::vector<T> source(original.begin() + std::ptrdiff_t(src_offset),
                            original.begin() + std::ptrdiff_t(src_offset + batch * length));
      const pb::PolyBatch<T> expected = expression_of(pb::adapt(std::as_const(source).data(), batch, length));
      auto dst = pb::adapt(memory.data() + dst_offset, batch, length);
      dst = expression_of(pb::adapt(std::as_const(memory).data() + src_offset, batch, length));
      const pb::PolyBatch<T> got = dst;
      return got == expected;
    };
    // Each builder takes the operand view by value and hands copies of it to
    // the expression (rvalues are owned by the node, so nothing dangles).
    const auto own = [](const auto& view) { return view; };
    const auto times_unit = [&](auto x) { return own(x) * unit; };
    const auto plus_other = [&](auto x) { return own(x) + other; };
    const auto twice_minus = [&](auto x) { return 2 * own(x) - other * unit; };
    const auto product_tree = [&](auto x) { return (own(x) * unit) * unit + own(x); };
    // pb::rebind<T> of the same trees: the leaves are converted into scratch
    // tile by tile, so only an overlap with another layout needs a temporary.
    const auto rebound_square = [&](auto x) { return pb::rebind<T>(pb::truncate(own(x) * own(x), length)); };
    const auto rebound_tree = [&](auto x) { return pb::rebind<T>((own(x) * unit) * unit + own(x)); };
    const auto rebound_leaf = [&](auto x) { return pb::rebind<T>(own(x)); };
    const auto rebound_cast = [&](auto x) {
      return pb::rebind<T>(pb::truncate(pb::cast<double>(own(x)) * pb::cast<double>(own(x) - other), length));
    };
    const auto rebound_inside = [&](auto x) { return pb::rebind<T>(own(x) * unit) - other; };
    // Every rebound tree with the destination `shift` values after the
    // source, and before it.
    const auto rebound_shifted_both_ways = [&](std::size_t shift) {
      for (const auto& [dst_offset, src_offset] :
           {std::pair{shift, std::size_t(0)}, std::pair{std::size_t(0), shift}}) {
        CHECK(fresh(dst_offset, src_offset, rebound_square));
        CHECK(fresh(dst_offset, src_offset, rebound_tree));
        CHECK(fresh(dst_offset, src_offset, rebound_leaf));
        CHECK(fresh(dst_offset, src_offset, rebound_cast));
        CHECK(fresh(dst_offset, src_offset, rebound_inside));
      }
    };

    // Sections named per batch: Catch runs a plainly named section in the
    // first loop iteration only, which left B=5000 (many tiles) untested.
    DYNAMIC_SECTION("same layout, B=" << batch) {
      CHECK(fresh(0, 0, times_unit));
      CHECK(fresh(0, 0, plus_other));
      CHECK(fresh(0, 0, twice_minus));
      CHECK(fresh(0, 0, product_tree));
      CHECK(fresh(0, 0, rebound_square));
      CHECK(fresh(0, 0, rebound_tree));
      CHECK(fresh(0, 0, rebound_leaf));
      CHECK(fresh(0, 0, rebound_cast));
      CHECK(fresh(0, 0, rebound_inside));
    }
    DYNAMIC_SECTION("shifted by one row, either way, B=" << batch) {
      CHECK(fresh(length, 0, times_unit));
      CHECK(fresh(0, length, times_unit));
      CHECK(fresh(length, 0, plus_other));
      CHECK(fresh(0, length, plus_other));
      CHECK(fresh(length, 0, twice_minus));
      CHECK(fresh(length, 0, product_tree));
      rebound_shifted_both_ways(length);
    }
    DYNAMIC_SECTION("shifted by one coefficient, either way, B=" << batch) {
      CHECK(fresh(1, 0, times_unit));
      CHECK(fresh(0, 1, times_unit));
      CHECK(fresh(1, 0, plus_other));
      CHECK(fresh(0, 1, plus_other));
      CHECK(fresh(1, 0, product_tree));
      rebound_shifted_both_ways(1);
    }
    DYNAMIC_SECTION("a batch-1 view of row 0 broadcast against the destination, B=" << batch) {
      memory = original;
      const pb::PolyBatch<T> row0 = pb::eval(pb::adapt(original.data(), 1, length));
      const pb::PolyBatch<T> whole = pb::eval(pb::adapt(original.data(), batch, length));
      auto dst = pb::adapt(memory.data(), batch, length);
      const auto first_row = pb::adapt(std::as_const(memory).data(), 1, length);
      dst = dst - first_row;
      CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(whole - row0));
      memory = original;
      dst = first_row * unit;
      CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(row0 * unit));
      memory = original;
      dst += first_row * unit;
      CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(whole + row0 * unit));
      memory = original;
      // Coefficient 0 of row 0 as a batch of one of length 1: a * it keeps a's shape.
      dst *= pb::adapt(std::as_const(memory).data(), 1, 1);
      const pb::PolyBatch<T> first = pb::eval(pb::adapt(original.data(), 1, 1));
      CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(whole * first));
      // The same through pb::rebind: the broadcast row is converted once per
      // tile, from memory the earlier tiles have overwritten unless a
      // temporary is taken.
      memory = original;
      dst = pb::rebind<T>(first_row * unit);
      CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(row0 * unit));
      memory = original;
      dst = pb::rebind<T>(dst - first_row);
      CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(whole - row0));
      memory = original;
      dst += pb::rebind<T>(pb::truncate(first_row * first_row, length));
      CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(whole + pb::truncate(row0 * row0, length)));
      memory = original;
      dst *= pb::rebind<T>(pb::adapt(std::as_const(memory).data(), 1, 1));
      CHECK(pb::PolyBatch<T>(dst) == pb::PolyBatch<T>(whole * first));
    }
  }
}

TEMPLATE_TEST_CASE("a view shape mismatch throws and leaves the memory untouched", "[alias][view]",
                   POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  std::mt19937_64 rng(7);
  const auto original = random_buffer<T>(rng, 50, 3);
  std::vector<T> memory = original;
  auto dst = pb::adapt(memory.data(), 50, 3);
  const auto operand = pb::adapt(std::as_const(memory).data(), 50, 3);
  const pb::PolyBatch<T> two{{2, 0}};
  const pb::PolyBatch<T> other(49, 3);
  const auto untouched = [&] { return std::memcmp(memory.data(), original.data(), memory.size() * sizeof(T)) == 0; };

  CHECK_THROWS_AS(dst = operand * two, pb::shape_error); // length 4 into 3
  CHECK(untouched());
  CHECK_THROWS_AS(dst *= two, pb::shape_error);
  CHECK(untouched());
  CHECK_THROWS_AS(dst += operand * two, pb::shape_error);
  CHECK(untouched());
  CHECK_THROWS_AS(dst = pb::PolyBatch<T>(1, 3), pb::shape_error); // batch 1 does not broadcast into a view
  CHECK(untouched());
  CHECK_THROWS_AS(dst = other, pb::shape_error);
  CHECK(untouched());
  CHECK_THROWS_AS(dst = pb::adapt(std::as_const(memory).data(), 50, 2), pb::shape_error);
  CHECK(untouched());
}

namespace {

/// numpy.convolve / numpy.correlate of one row, written here: the full
/// convolution (of v reversed, for correlate), then numpy's window.
std::vector<std::int64_t> numpy_window(bool correlate, pb::mode mode, const std::vector<std::int64_t>& a,
                                       std::vector<std::int64_t> v) {
  if (correlate) std::reverse(v.begin(), v.end());
  const std::vector<std::int64_t> full = ref::convolve(a, v);
  const std::size_t lo = std::min(a.size(), v.size()), hi = std::max(a.size(), v.size());
  if (mode == pb::mode::full) return full;
  const std::size_t first = mode == pb::mode::same ? (lo - 1) / 2 : lo - 1;
  const std::size_t length = mode == pb::mode::same ? hi : hi - lo + 1;
  return {full.begin() + std::ptrdiff_t(first), full.begin() + std::ptrdiff_t(first + length)};
}

} // namespace

TEST_CASE("convolve/correlate in same and valid mode, and truncate, written over an operand", "[alias][convolve]") {
  // Integers: the reference is exact, so the aliased result must equal it.
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed << " (replay with POLYBATCH_TEST_SEED)");
  std::mt19937_64 rng(seed);
  const std::size_t B = 37;
  const auto a0 = ref::random_batch<std::int64_t>(rng, B, 6);
  const auto v = ref::random_batch<std::int64_t>(rng, B, 3);
  const auto ra = ref::rows_of(a0), rv = ref::rows_of(v);
  for (bool corr : {false, true})
    for (pb::mode mode : {pb::mode::same, pb::mode::valid}) {
      INFO((corr ? "correlate" : "convolve") << " mode " << int(mode));
      ref::Rows<std::int64_t> want(B), want_swapped(B);
      for (std::size_t i = 0; i < B; ++i) {
        want[i] = numpy_window(corr, mode, ra[i], rv[i]);
        want_swapped[i] = numpy_window(corr, mode, rv[i], ra[i]);
      }
      const std::size_t L = want[0].size();
      if (mode == pb::mode::same) { // same shape as a: a = f(a, v) and a = f(v, a)
        auto a = a0;
        if (corr)
          a = pb::correlate(a, v, mode);
        else
          a = pb::convolve(a, v, mode);
        CHECK_ROWS(a, want, 1);
        a = a0;
        if (corr)
          a = pb::correlate(v, a, mode);
        else
          a = pb::convolve(v, a, mode);
        CHECK_ROWS(a, want_swapped, 1);
      }
      // A view over the front of a's memory with the result's shape: it
      // overlaps the operand with another layout.
      auto a = a0;
      auto view = pb::adapt(a.data(), B, L);
      if (corr)
        view = pb::correlate(a, v, mode);
      else
        view = pb::convolve(a, v, mode);
      CHECK_ROWS(pb::PolyBatch<std::int64_t>(view), want, 1);
    }
  // truncate in place is a no-op; into an overlapping view it reads before writing
  auto a = a0;
  a = pb::truncate(a, 6);
  CHECK(a == a0);
  auto front = pb::adapt(a.data(), B, 4);
  front = pb::truncate(a, 4);
  ref::Rows<std::int64_t> want(B);
  for (std::size_t i = 0; i < B; ++i) want[i] = {ra[i].begin(), ra[i].begin() + 4};
  CHECK_ROWS(pb::PolyBatch<std::int64_t>(front), want, 1);
  a = a0;
  auto shifted = pb::adapt(a.data() + 6, B - 1, 6); // rows 1.. of a, written from rows 0..
  shifted = pb::truncate(pb::adapt(a.data(), B - 1, 6), 6);
  for (std::size_t i = 1; i < B; ++i)
    for (std::size_t k = 0; k < 6; ++k) REQUIRE(a(i, k) == a0(i - 1, k));
}

TEST_CASE("a cast into a wider type at the same address goes through a temporary", "[alias][cast]") {
  // float rows and double rows starting at one address: same pointer, batch
  // and length, but each double written covers two floats not yet read.
  std::vector<double> memory(2 * 3 * 2);
  auto* floats = reinterpret_cast<float*>(memory.data());
  for (int i = 0; i < 6; ++i) floats[i] = float(i + 1);
  const auto source = pb::adapt(static_cast<const float*>(floats), 2, 3);
  auto destination = pb::adapt(memory.data(), 2, 3);
  destination = pb::cast<double>(source);
  for (std::size_t i = 0; i < 6; ++i) CHECK(memory[i] == double(i + 1));
  // And through an inner node.
  for (int i = 0; i < 6; ++i) floats[i] = float(i + 1);
  destination = pb::cast<double>(source + source);
  for (std::size_t i = 0; i < 6; ++i) CHECK(memory[i] == 2.0 * double(i + 1));
}
