// cpp_int (et_on and et_off) and checked_cpp_int: every width threshold of the exact integer
// kernel against naive cpp_int loops, identities, variants agreeing.
#include <boost/multiprecision/cpp_int.hpp>

#include "exact/exact_common.hpp"

using namespace boost::multiprecision;
using cpp_int_off = number<cpp_int_backend<>, et_off>;

TEST_CASE("cpp_int: exact products across int64/int128/limb thresholds", "[exact][cpp_int]") {
  exact_test::check_integer_family<cpp_int>();
}
TEST_CASE("cpp_int et_off: exact products across thresholds", "[exact][cpp_int]") {
  exact_test::check_integer_family<cpp_int_off>();
}
// checked_cpp_int has limb access but not plain cpp_int's field layout: its
// blocks go through the generic limb-accessor reader.
TEST_CASE("checked_cpp_int: exact products across thresholds", "[exact][cpp_int]") {
  exact_test::check_integer_family<checked_cpp_int>();
}
TEST_CASE("cpp_int: et_on and et_off agree", "[exact][cpp_int]") {
  exact_test::check_expression_template_variants_agree<cpp_int, cpp_int_off>(false);
}
TEST_CASE("cpp_int: width selection is proven by the magnitude bound", "[exact][cpp_int]") {
  using polybatch::kernels::exact::choose_integer_width;
  using polybatch::kernels::exact::integer_width;
  CHECK(choose_integer_width(20, 20, 5) == integer_width::int64);
  CHECK(choose_integer_width(31, 31, 2) == integer_width::int64);
  CHECK(choose_integer_width(31, 31, 3) == integer_width::int128);
  CHECK(choose_integer_width(62, 62, 5) == integer_width::int128);
  CHECK(choose_integer_width(63, 63, 2) == integer_width::int128);
  CHECK(choose_integer_width(63, 63, 3) == integer_width::limbs);
  CHECK(choose_integer_width(64, 1, 1) == integer_width::limbs);
  CHECK(choose_integer_width(200, 200, 5) == integer_width::limbs);
}
TEST_CASE("cpp_int: correlate and broadcast go through the exact kernel", "[exact][cpp_int]") {
  std::mt19937_64 rng(5);
  // 62 bits: machine words; 100, 150 and 200 bits: the unrolled limb path
  // at 2, 3 and 4 limbs, reversed operand and a broadcast row.
  for (unsigned bits : {62u, 100u, 150u, 200u}) {
    INFO(bits << "-bit values");
    const auto a = exact_test::integer_batch<cpp_int>(rng, 6, 9, bits, true);
    const auto v = exact_test::integer_batch<cpp_int>(rng, 6, 4, bits, true);
    const polybatch::PolyBatch<cpp_int> r = polybatch::correlate(a, v, polybatch::mode::valid);
    for (std::size_t i = 0; i < 6; ++i)
      for (std::size_t k = 0; k < r.length(); ++k) {
        cpp_int want = 0;
        for (std::size_t j = 0; j < 4; ++j) want += a(i, k + j) * v(i, j);
        REQUIRE(r(i, k) == want);
      }
    const auto one = exact_test::integer_batch<cpp_int>(rng, 1, 9, bits, true);
    const polybatch::PolyBatch<cpp_int> rb = polybatch::correlate(one, v, polybatch::mode::valid);
    REQUIRE(rb.batch_size() == 6);
    for (std::size_t i = 0; i < 6; ++i)
      for (std::size_t k = 0; k < rb.length(); ++k) {
        cpp_int want = 0;
        for (std::size_t j = 0; j < 4; ++j) want += one(0, k + j) * v(i, j);
        REQUIRE(rb(i, k) == want);
      }
  }
}
TEST_CASE("cpp_int: full correlation of rows longer than the word kernels, small and wide values", "[exact][cpp_int]") {
  // Rows of 21 take the row-by-row paths (machine words past the unrolled
  // lengths, limbs for 200-bit values), not the blocked word kernels.
  std::mt19937_64 rng(6);
  for (unsigned bits : {20u, 200u}) {
    INFO(bits << "-bit values");
    const auto a = exact_test::integer_batch<cpp_int>(rng, 5, 21, bits);
    const auto v = exact_test::integer_batch<cpp_int>(rng, 5, 6, bits);
    const polybatch::PolyBatch<cpp_int> r = polybatch::correlate(a, v, polybatch::mode::full);
    REQUIRE(r.length() == 26);
    for (std::size_t i = 0; i < 5; ++i)
      for (std::size_t k = 0; k < r.length(); ++k) {
        // full correlation: r[k] = sum_j a[k + j - (lv - 1)] v[j]
        cpp_int want = 0;
        for (std::size_t j = 0; j < 6; ++j)
          if (k + j >= 5 && k + j - 5 < 21) want += a(i, k + j - 5) * v(i, j);
        REQUIRE(r(i, k) == want);
      }
  }
}
TEST_CASE("cpp_int: results written again into the same values", "[exact][cpp_int]") {
  exact_test::check_results_written_in_place<cpp_int>([](std::mt19937_64& rng, std::size_t length, unsigned bits) {
    return exact_test::integer_batch<cpp_int>(rng, 9, length, bits, true);
  });
}
TEST_CASE("cpp_int: blocks of small rows in every shape, partial blocks, reversed rows and mixed results",
          "[exact][cpp_int]") {
  // 75 rows: two whole blocks of 32 and a partial one (eight-row groups and
  // a tail of three). Lengths 1 to 16 on either side reach every register
  // group the block reads and writes take (one value to two registers of
  // eight in, up to 31 values out).
  std::mt19937_64 rng(8);
  const std::size_t rows = 75;
  for (std::size_t la : {1u, 2u, 3u, 5u, 8u, 9u, 12u, 16u})
    for (std::size_t lb : {1u, 4u, 7u, 9u, 16u}) {
      INFO("la = " << la << ", lb = " << lb);
      const auto a = exact_test::integer_batch<cpp_int>(rng, rows, la, 20, true);
      const auto b = exact_test::integer_batch<cpp_int>(rng, rows, lb, 20, true);
      exact_test::check_product_against_reference(a, b);
      // Correlation reads one operand reversed.
      const polybatch::PolyBatch<cpp_int> r = polybatch::correlate(a, b, polybatch::mode::full);
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t k = 0; k < r.length(); ++k) {
          cpp_int want = 0;
          for (std::size_t j = 0; j < lb; ++j)
            if (k + j + 1 >= lb && k + j + 1 - lb < la) want += a(i, k + j + 1 - lb) * b(i, j);
          REQUIRE(r(i, k) == want);
        }
    }
  // Results that hold heap limbs, negative values or zero before the write,
  // scattered over the rows: the rows with a heap result take the fallback.
  const auto a = exact_test::integer_batch<cpp_int>(rng, rows, 5, 20, true);
  const auto b = exact_test::integer_batch<cpp_int>(rng, rows, 7, 20, true);
  auto wide = exact_test::integer_batch<cpp_int>(rng, rows, 5, 20, true);
  for (std::size_t i : {0u, 9u, 31u, 40u, 74u}) wide(i, i % 5) = cpp_int(1) << 200;
  polybatch::PolyBatch<cpp_int> out = wide * b;
  out = a * b;
  exact_test::require_equal_rows(ref::rows_of(out), ref::product(ref::rows_of(a), ref::rows_of(b)));
  out = -(a * b);
  exact_test::require_equal_rows(ref::rows_of(out),
                                 ref::scale(cpp_int(-1), ref::product(ref::rows_of(a), ref::rows_of(b))));
}
TEST_CASE("cpp_int: tiles large enough to stream from memory, in their smaller blocks", "[exact][cpp_int]") {
  // A tile of 2,048 rows of these shapes holds more than an L2 cache of
  // objects, so its blocks are 16 or 8 rows and the next block is fetched
  // while one is written; 2,100 rows also leave a short second tile.
  std::mt19937_64 rng(9);
  exact_test::check_tiles_from_memory<cpp_int>(rng, {{5, 7}, {9, 9}, {16, 16}}, 1000);
}
TEST_CASE("cpp_int: sums and differences of small rows, with values at the word bounds", "[exact][cpp_int]") {
  // Values through machine words where they and the old result are one-limb
  // inline values and the sum stays in int64; Boost's arithmetic for values
  // at and past 2^62 whose sums leave it, wide values and heap-held results.
  std::mt19937_64 rng(10);
  const std::size_t rows = 37;
  const cpp_int bound = cpp_int(1) << 62;
  for (std::size_t n : {1u, 2u, 5u, 8u, 9u}) {
    INFO("n = " << n);
    auto x = exact_test::integer_batch<cpp_int>(rng, rows, n, 61, true);
    auto y = exact_test::integer_batch<cpp_int>(rng, rows, n, 61, true);
    x(1, 0) = bound - 1;
    y(1, 0) = bound - 1; // the largest sum of two values below 2^62
    x(2, n - 1) = -(bound - 1);
    y(2, n - 1) = bound - 1; // x - y: the most negative difference
    x(3, 0) = bound;         // 2^62: past the pair bound, Boost's arithmetic
    y(4, n - 1) = -bound - 5;
    x(5, 0) = y(5, 0); // x - y = 0 over a negative old result
    x(6, n - 1) = cpp_int(1) << 100;
    const auto naive = [&](bool subtract) {
      ref::Rows<cpp_int> want = ref::rows_of(x);
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t k = 0; k < n; ++k)
          want[i][k] = subtract ? cpp_int(x(i, k) - y(i, k)) : cpp_int(x(i, k) + y(i, k));
      return want;
    };
    polybatch::PolyBatch<cpp_int> out(rows, n);
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t k = 0; k < n; ++k) {
        out(i, k) = (i + k) % 4 == 0 ? cpp_int(1) << 300 : cpp_int(-7); // heap-held or negative
        if ((i + k) % 4 == 0) out(i, k) = -3;                           // small, in a heap buffer
      }
    out = x + y;
    exact_test::require_equal_rows(ref::rows_of(out), naive(false));
    out = x - y;
    exact_test::require_equal_rows(ref::rows_of(out), naive(true));
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t k = 0; k < n; ++k) REQUIRE(out(i, k).sign() == (out(i, k) < 0 ? -1 : out(i, k) > 0 ? 1 : 0));
    const auto difference = naive(true);
    x = x - y; // in place
    exact_test::require_equal_rows(ref::rows_of(x), difference);
    // One row of y against every row of x.
    const auto y1 = exact_test::integer_batch<cpp_int>(rng, 1, n, 61, true);
    const polybatch::PolyBatch<cpp_int> s1 = x + y1;
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t k = 0; k < n; ++k) REQUIRE(s1(i, k) == x(i, k) + y1(0, k));
  }
}
TEST_CASE("cpp_int: windows of the product (same, valid) and fused products over blocks", "[exact][cpp_int]") {
  // A window writes a slice of the coefficients (an offset into the
  // product), and a fused product reads its operand from scratch.
  std::mt19937_64 rng(12);
  const std::size_t rows = 43;
  for (auto [la, lb] : {std::pair<std::size_t, std::size_t>{5, 7}, {9, 9}, {16, 3}, {2, 16}}) {
    INFO("la = " << la << ", lb = " << lb);
    const auto a = exact_test::integer_batch<cpp_int>(rng, rows, la, 20, true);
    const auto b = exact_test::integer_batch<cpp_int>(rng, rows, lb, 20, true);
    const auto full = ref::product(ref::rows_of(a), ref::rows_of(b));
    const std::size_t n1 = std::max(la, lb), n2 = std::min(la, lb);
    for (auto [m, offset, length] : {std::tuple{polybatch::mode::same, n2 - 1 - n2 / 2, n1},
                                     std::tuple{polybatch::mode::valid, n2 - 1, n1 - n2 + 1}}) {
      const polybatch::PolyBatch<cpp_int> w = polybatch::convolve(a, b, m);
      REQUIRE(w.length() == length);
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t k = 0; k < length; ++k) REQUIRE(w(i, k) == full[i][offset + k]);
    }
    const auto c = exact_test::integer_batch<cpp_int>(rng, rows, 3, 20, true);
    const polybatch::PolyBatch<cpp_int> fused = (a * b) * c - a * b;
    exact_test::require_equal_rows(ref::rows_of(fused), ref::difference(ref::product(full, ref::rows_of(c)), full));
  }
}
