// Sizes that do not fit: every shape computed from user input (constructors,
// views, each node's result length, the .npy and .csv readers) is checked, so
// a B x L that wraps is a shape_error naming the shape, never a small buffer
// written past its end. Lengths at the limit must still be accepted.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>
#include <new>
#include <string>

#include <polybatch/interop/csv.hpp>
#include <polybatch/interop/npy.hpp>
#include <polybatch/polybatch.hpp>

// A size that is representable but far larger than memory must fail as
// std::bad_alloc. AddressSanitizer's operator new aborts on such a request
// instead of throwing, so the sanitizer build leaves that check out.
#if defined(POLYBATCH_TEST_SANITIZER_BUILD) || defined(__SANITIZE_ADDRESS__)
#define SIZES_CAN_FAIL_ALLOCATION 0
#else
#define SIZES_CAN_FAIL_ALLOCATION 1
#endif

namespace pb = polybatch;
using Catch::Contains;

namespace {

// The most doubles one allocation may hold, worked out here independently
// of the library: PTRDIFF_MAX bytes.
constexpr std::size_t max_doubles = static_cast<std::size_t>(std::numeric_limits<std::ptrdiff_t>::max()) / 8;
constexpr std::size_t two61_plus_1 = (std::size_t(1) << 61) + 1; // x 8 wraps to 8 elements

// A view that claims a huge length over one real coefficient: only shapes are
// asked of it, nothing is ever evaluated.
double cell = 1.0;
pb::PolyView<const double> claim(std::size_t batch, std::size_t length) { return pb::adapt(&cell, batch, length); }

std::string npy_with_shape(const std::string& descr, const std::string& shape) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + std::string(64, '\0');
}

} // namespace

TEST_CASE("constructors refuse a B x L that wraps or exceeds PTRDIFF_MAX bytes", "[sizes]") {
  CHECK_THROWS_AS(pb::PolyBatch<double>(two61_plus_1, 8), pb::shape_error);
  CHECK_THROWS_WITH(pb::PolyBatch<double>(two61_plus_1, 8),
                    Contains("PolyBatch(B, L)") && Contains("B=2305843009213693953, L=8"));
  CHECK_THROWS_AS(pb::PolyBatch<double>(std::numeric_limits<std::size_t>::max(), 2), pb::shape_error);
  // No wrap in B x L, but the byte size does not fit ptrdiff_t.
  CHECK_THROWS_AS(pb::PolyBatch<double>(1, max_doubles + 1), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<double>(2, max_doubles / 2 + 1), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<std::int32_t>(1, max_doubles * 2 + 2), pb::shape_error);
  CHECK_THROWS_WITH(pb::PolyBatch<double>::uninitialized(two61_plus_1, 8),
                    Contains("uninitialized") && Contains("B=2305843009213693953, L=8"));
  // Representable sizes that no machine has stay bad_alloc.
  if (SIZES_CAN_FAIL_ALLOCATION) {
    CHECK_THROWS_AS(pb::PolyBatch<double>(1, max_doubles), std::bad_alloc);
    CHECK_THROWS_AS(pb::PolyBatch<double>::uninitialized(max_doubles / 4, 4), std::bad_alloc);
  }
  // Ordinary shapes are untouched.
  pb::PolyBatch<double> p(1000, 3);
  p(999, 2) = 1;
  CHECK(p(999, 2) == 1);
}

TEST_CASE("adapt refuses a shape whose byte size does not fit", "[sizes]") {
  double x = 0;
  CHECK_THROWS_WITH(pb::adapt(&x, two61_plus_1, 8), Contains("adapt(ptr, B, L)") && Contains("B=2305843009213693953"));
  CHECK_THROWS_AS(pb::adapt(&x, 3, max_doubles / 3 + 1), pb::shape_error);
  CHECK_THROWS_AS(pb::adapt(static_cast<const double*>(&x), std::size_t(1) << 32, std::size_t(1) << 32),
                  pb::shape_error);
  CHECK_NOTHROW(pb::adapt(&x, 1, max_doubles));
}

TEST_CASE("a product's length La + Lb - 1 is checked", "[sizes]") {
  const auto a = claim(1, max_doubles);
  const auto b = claim(1, 2);
  CHECK_THROWS_WITH(a * b,
                    Contains("a * b") && Contains("La + Lb - 1") && Contains("La = " + std::to_string(max_doubles)));
  CHECK_THROWS_AS(pb::convolve(a, b, pb::mode::full), pb::shape_error);
  CHECK_THROWS_WITH(pb::correlate(b, a, pb::mode::full), Contains("correlate"));
  // same and valid are at most max(La, Lb) long.
  CHECK(pb::convolve(a, b, pb::mode::same).length() == max_doubles);
  CHECK(pb::convolve(a, b, pb::mode::valid).length() == max_doubles - 1);
  CHECK(pb::correlate(a, b, pb::mode::valid).length() == max_doubles - 1);
  CHECK(pb::correlate(b, a, pb::mode::same).length() == max_doubles);
  // At the limit exactly: accepted.
  CHECK((claim(1, max_doubles / 2) * claim(1, max_doubles / 2 + 2)).length() == max_doubles);
  CHECK_THROWS_AS(claim(1, max_doubles / 2) * claim(1, max_doubles / 2 + 3), pb::shape_error);
}

TEST_CASE("pow's length k(La - 1) + 1 is checked", "[sizes]") {
  const auto a = claim(1, 3);
  CHECK_THROWS_WITH(pb::pow(a, std::size_t(1) << 63), Contains("pow(a, k)") && Contains("k = 9223372036854775808"));
  CHECK_THROWS_AS(pb::pow(a, max_doubles / 2 + 1), pb::shape_error);
  CHECK(pb::pow(a, (max_doubles - 1) / 2).length() == (max_doubles - 1) / 2 * 2 + 1);
  CHECK(pb::pow(claim(1, max_doubles), 0).length() == 1);
  CHECK(pb::pow(claim(1, 1), std::numeric_limits<std::size_t>::max()).length() == 1);
}

TEST_CASE("compose's length (La - 1)(Lb - 1) + 1 is checked", "[sizes]") {
  const std::size_t two32 = std::size_t(1) << 32;
  // (2^32)(2^32) wraps to 0: the result would look like a constant.
  CHECK_THROWS_WITH(pb::compose(claim(1, two32 + 1), claim(1, two32 + 1)),
                    Contains("compose(a, b)") && Contains("(La - 1)(Lb - 1) + 1"));
  CHECK_THROWS_AS(pb::compose(claim(1, 1025), claim(1, max_doubles / 1024 + 2)), pb::shape_error);
  CHECK(pb::compose(claim(1, 1025), claim(1, max_doubles / 1024 + 1)).length() == max_doubles / 1024 * 1024 + 1);
}

TEST_CASE("integral's length La + 1 and truncate's n are checked", "[sizes]") {
  CHECK_THROWS_WITH(pb::integral(claim(1, max_doubles)), Contains("integral(a)") && Contains("La + 1"));
  CHECK(pb::integral(claim(1, max_doubles - 1)).length() == max_doubles);
  CHECK(pb::derivative(claim(1, max_doubles)).length() == max_doubles - 1);
  CHECK_THROWS_WITH(pb::truncate(claim(1, 2), max_doubles + 1), Contains("truncate(e, n)"));
  CHECK_THROWS_AS(pb::truncate(claim(1, 2), std::numeric_limits<std::size_t>::max()), pb::shape_error);
  CHECK(pb::truncate(claim(1, 2), max_doubles).length() == max_doubles);
}

TEST_CASE("evaluating a node whose B x L does not fit throws before writing", "[sizes]") {
  // Each row fits, the batch does not: B x L wraps.
  const auto a = claim(std::size_t(1) << 40, 4);
  const auto e = pb::truncate(a, std::size_t(1) << 24);
  CHECK_THROWS_WITH(pb::PolyBatch<double>(e), Contains("B=1099511627776, L=16777216"));
  CHECK_THROWS_AS(pb::eval(e), pb::shape_error);
  pb::PolyBatch<double> r(1, 1);
  CHECK_THROWS_AS(r = e, pb::shape_error);
  CHECK(r.batch_size() == 1);
  CHECK(r.length() == 1);
}

TEST_CASE(".npy reader: a header whose shape overflows is a shape_error naming it", "[sizes][npy]") {
  const std::string wraps = npy_with_shape("<f8", "(2305843009213693953, 8)");
  CHECK_THROWS_AS(pb::interop::npy_to_batch<double>(wraps, "lying.npy"), pb::shape_error);
  CHECK_THROWS_WITH(pb::interop::npy_to_batch<double>(wraps, "lying.npy"),
                    Contains("lying.npy") && Contains("B=2305843009213693953, L=8"));
  // 2^64 / 4 + 1 int32 elements: the byte count wraps to 4.
  CHECK_THROWS_AS(pb::interop::parse_npy_header(npy_with_shape("<i4", "(4611686018427387905,)"), "x.npy"),
                  pb::shape_error);
  CHECK_THROWS_AS(pb::interop::parse_npy_header(npy_with_shape("<f8", "(4294967296, 4294967296)"), "x.npy"),
                  pb::shape_error);
  // Fits ptrdiff_t but not the file: the truncation check reports it.
  CHECK_THROWS_WITH(pb::interop::parse_npy_header(npy_with_shape("<f8", "(1000, 1000)"), "x.npy"),
                    Contains("truncated"));
  // A header that tells the truth still reads.
  const std::string ok = npy_with_shape("<f8", "(2, 4)");
  const pb::PolyBatch<double> p = pb::interop::npy_to_batch<double>(ok, "ok.npy");
  CHECK(p.batch_size() == 2);
  CHECK(p.length() == 4);
}

TEST_CASE(".npy reader: read_npy_header on a file with a lying shape", "[sizes][npy]") {
  const std::string path = "test_sizes_lying.npy";
  {
    std::ofstream out(path, std::ios::binary);
    const std::string bytes = npy_with_shape("<f8", "(2305843009213693953, 8)");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  CHECK_THROWS_WITH(pb::interop::read_npy_header(path), Contains(path) && Contains("B=2305843009213693953"));
  CHECK_THROWS_AS(pb::interop::read_npy<double>(path), pb::shape_error);
  std::remove(path.c_str());
}

TEST_CASE(".csv reader: the shape is the counted lines and values", "[sizes][csv]") {
  // The csv reader's B x L is bounded by the text it holds; its batch comes
  // from the checked allocation. Counted here by hand.
  std::string text;
  for (int i = 0; i < 300; ++i) {
    for (int k = 0; k < 40; ++k) {
      // Two appends, not `"," + std::to_string(...)`: g++ 12 at -O3 reports a
      // false -Wstringop-overflow inside operator+(const char*, string&&).
      if (k) text += ',';
      text += std::to_string(i * 40 + k);
    }
    text += "\n";
  }
  const pb::PolyBatch<std::int64_t> p = pb::interop::csv_to_batch<std::int64_t>(text, "t.csv");
  CHECK(p.batch_size() == 300);
  CHECK(p.length() == 40);
  CHECK(p(299, 39) == 299 * 40 + 39);
  CHECK_THROWS_AS(pb::interop::csv_to_batch<double>("1,2\n3\n", "t.csv"), pb::interop::format_error);
}

TEST_CASE("a tree whose scratch needs add up past size_t is a shape_error, not a division by zero", "[sizes]") {
  // Each node's length is checked; the sum of their scratch needs was not
  // (it wrapped to 0 bytes a row and the tile size divided by it: SIGFPE).
  const pb::PolyBatch<double> a{{1.0, 1.0}};
  const auto p = pb::pow(a, (std::size_t(1) << 58) - 1) + 1.0;
  CHECK_THROWS_WITH(pb::PolyBatch<double>(pb::correlate(p, p, pb::mode::valid)),
                    Catch::Contains("intermediate results for 1 row need more than"));
  CHECK_THROWS_AS(pb::PolyBatch<double>(pb::correlate(p, p, pb::mode::valid)), pb::shape_error);
}

TEST_CASE("scratch needs that add up past size_t inside a tree saturate instead of wrapping", "[sizes]") {
  // 38 (m + 1) scalars a row for this tree: with m + 1 = ceil(2^64 / 38) the
  // nodes' sums wrapped to 2, and evaluation ran out of its 2-scalar scratch
  // (an internal logic_error) instead of refusing the shape.
  const pb::PolyBatch<double> a{{1.0, 1.0}};
  const std::size_t m = 485440633518672410U;
  const auto p = pb::pow(a, m) + 1.0;
  const auto q = p + p;
  const auto s = q + q;
  const auto r = pb::correlate(s, s, pb::mode::valid);
  CHECK(pb::evaluation::scratch_per_row(r, r.length()) == SIZE_MAX);
  CHECK_THROWS_AS(pb::PolyBatch<double>(r), pb::shape_error);
  // A node above a saturated one stays saturated (1 + SIZE_MAX wrapped to 0).
  CHECK(pb::evaluation::scratch_per_row(r + 1.0, 1) == SIZE_MAX);
  CHECK_THROWS_AS(pb::PolyBatch<double>(r + 1.0), pb::shape_error);
  // Small trees keep their exact count: 38 (m + 1) for m = 1000.
  const auto small = pb::pow(a, 1000) + 1.0;
  const auto small_sum = (small + small) + (small + small);
  CHECK(pb::evaluation::scratch_per_row(pb::correlate(small_sum, small_sum, pb::mode::valid), 1) == 38 * 1001);
}
