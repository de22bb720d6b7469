// The limb arithmetic of the rational kernel's smooth-row path
// (kernels/exact/rational_limbs.hpp) against cpp_int, on limbs drawn from
// adversarial patterns (0, 1, 2^63, 2^64 - 1) as well as random ones, so
// that carries and borrows run through whole numbers and positive and
// negative sums share limbs.
#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include <polybatch/kernels/exact/convolve_rational.hpp>
#include <polybatch/kernels/exact/rational_limbs.hpp>

namespace lx = polybatch::kernels::exact::limbs;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;
using polybatch::kernels::exact::limb_t;

namespace {

limb_t pattern_limb(std::mt19937_64& rng) {
  switch (rng() % 5) {
  case 0:
    return 0;
  case 1:
    return 1;
  case 2:
    return limb_t(1) << 63;
  case 3:
    return ~limb_t(0);
  default:
    return rng();
  }
}

cpp_int from_limbs(const limb_t* x, std::size_t n) {
  cpp_int v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 64) + x[i];
  return v;
}

} // namespace

TEST_CASE("rational limbs: coefficient sums signed products exactly", "[exact][rational]") {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 4000; ++trial) {
    lx::scaled_row a{}, b{};
    // Up to max_row values a row: sums of 16 products of all-ones limbs carry
    // into the one limb coefficient() keeps above the products' length.
    const std::size_t la = 1 + rng() % (trial % 4 == 0 ? polybatch::kernels::exact::words::max_row : 4);
    const std::size_t lb = 1 + rng() % (trial % 4 == 0 ? polybatch::kernels::exact::words::max_row : 4);
    std::vector<cpp_int> va(la), vb(lb);
    auto fill = [&](lx::scaled_row& r, std::vector<cpp_int>& v) {
      for (std::size_t k = 0; k < v.size(); ++k) {
        r.size[k] = 1 + rng() % (trial % 3 == 0 ? 4 : 3); // above 3 limbs: coefficient_any
        for (std::size_t i = 0; i < r.size[k]; ++i) r.value[k][i] = pattern_limb(rng);
        r.negative[k] = rng() % 2 == 0;
        v[k] = from_limbs(r.value[k], r.size[k]) * (r.negative[k] ? -1 : 1);
        r.max_size = std::max(r.max_size, r.size[k]);
      }
    };
    fill(a, va);
    fill(b, vb);
    for (std::size_t k = 0; k < la + lb - 1; ++k) {
      cpp_int want = 0;
      for (std::size_t i = 0; i < la; ++i)
        if (k >= i && k - i < lb) want += va[i] * vb[k - i];
      limb_t mag[lx::max_reduced_limbs];
      bool negative = false;
      INFO("trial " << trial << " coefficient " << k << ", widest values " << a.max_size << " and " << b.max_size
                    << " limbs");
      // The dispatching function (fixed shapes up to 3 limbs) and the general one.
      for (const auto f : {&lx::coefficient, &lx::coefficient_any}) {
        const std::size_t n = f(a, la, b, lb, k, mag, negative);
        REQUIRE(from_limbs(mag, n) * (negative ? -1 : 1) == want);
        REQUIRE((n == 1 || mag[n - 1] != 0));
        REQUIRE(!(negative && want == 0));
      }
    }
  }
}

TEST_CASE("rational limbs: exact division, shifts and Montgomery residues", "[exact][rational]") {
  std::mt19937_64 rng(6);
  for (int trial = 0; trial < 4000; ++trial) {
    limb_t x[12] = {};
    const std::size_t n = 1 + rng() % 6;
    for (std::size_t i = 0; i < n; ++i) x[i] = pattern_limb(rng);
    const cpp_int v = from_limbs(x, n);
    INFO("trial " << trial << ": " << v);

    // x * g / g for odd g below 2^63.
    const limb_t g = (rng() >> 1) | 1;
    limb_t y[12] = {};
    for (std::size_t i = 0; i < n; ++i) y[i] = x[i];
    const std::size_t ny = lx::multiply_1(y, n, g);
    REQUIRE(from_limbs(y, ny) == v * g);
    // (x g / g) w in one pass, for any word w.
    const limb_t w = pattern_limb(rng);
    limb_t qw[12] = {};
    const std::size_t nqw =
        lx::divide_exact_multiply_1(y, ny, g, polybatch::kernels::exact::words::inverse_mod_2_64(g), w, qw);
    REQUIRE(from_limbs(qw, nqw) == v * w);
    REQUIRE((nqw == 1 || qw[nqw - 1] != 0));
    lx::divide_exact_keep(y, ny, g, polybatch::kernels::exact::words::inverse_mod_2_64(g));
    REQUIRE(from_limbs(y, ny) == v);

    const unsigned s = static_cast<unsigned>(rng() % 130);
    limb_t z[12] = {};
    for (std::size_t i = 0; i < n; ++i) z[i] = x[i];
    const std::size_t nl = lx::shift_left(z, n, s);
    REQUIRE(from_limbs(z, nl) == v << s);
    if (s < 64 * nl) {
      lx::shift_right_keep(z, nl, s);
      REQUIRE(from_limbs(z, nl) == v);
    }

    // r = x 2^(-64 n) mod m, below m + 2, for odd m below 2^63.
    const limb_t m = (rng() >> (1 + rng() % 40)) | 1;
    const limb_t r = lx::montgomery_residue(x, n, m, limb_t(0) - polybatch::kernels::exact::words::inverse_mod_2_64(m));
    REQUIRE(r < m + 2);
    REQUIRE(((cpp_int(r) << (64 * n)) - v) % m == 0);
  }
}

TEST_CASE("rational limbs: rows scaled to their common denominator", "[exact][rational]") {
  // Numerators up to 2^62 against denominators with up to 2^40 in them, so
  // that |num| 2^(twos - zeros) both fits a word and does not (the shift
  // after the one-pass product), with odd parts up to the smooth bound.
  using R = polybatch::kernels::exact::rational_access<cpp_rational>;
  namespace words = polybatch::kernels::exact::words;
  std::mt19937_64 rng(7);
  int lcm_in_word = 0; // rows scaled by one product per value, not from the factors
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t len = 1 + rng() % words::max_row;
    std::vector<cpp_rational> row(len);
    for (auto& q : row) {
      const int num_bits = static_cast<int>(rng() % 63);
      const std::int64_t num = static_cast<std::int64_t>(rng() >> (64 - std::max(num_bits, 1))) * (rng() % 2 ? 1 : -1);
      const std::uint64_t odd = (rng() % (words::smooth_bound / 2)) * 2 + 1;
      q = cpp_rational(num, cpp_int(odd) << (rng() % 3 == 0 ? rng() % 41 : rng() % 4));
    }
    words::rational_row r;
    words::read_rational_row<R>(row.data(), len, false, r);
    REQUIRE(r.read);
    REQUIRE(r.smooth);
    cpp_int lcm = 1;
    for (const auto& q : row) lcm = boost::multiprecision::lcm(lcm, boost::multiprecision::denominator(q));
    REQUIRE(r.lcm_in_word == (lcm < (cpp_int(1) << 63)));
    lcm_in_word += r.lcm_in_word;
    lx::scaled_row s{};
    lx::scale_row(r, len, s);
    for (std::size_t k = 0; k < len; ++k) {
      INFO("trial " << trial << ", value " << k << " = " << row[k] << ", lcm " << lcm);
      const cpp_int want =
          boost::multiprecision::numerator(row[k]) * (lcm / boost::multiprecision::denominator(row[k]));
      REQUIRE(from_limbs(s.value[k], s.size[k]) * (s.negative[k] ? -1 : 1) == want);
      REQUIRE(s.size[k] <= s.max_size);
      for (std::size_t i = s.size[k]; i < s.max_size; ++i) REQUIRE(s.value[k][i] == 0);
    }
  }
  CHECK(lcm_in_word > 200);
  CHECK(lcm_in_word < 1800);
}

TEST_CASE("rational limbs: reduce_lanes leaves every coefficient in lowest terms at every length",
          "[exact][rational]") {
  // Coefficients of 1 to max_reduced_limbs limbs (each length has its own
  // unrolled loops) over the denominators of two smooth rows, with 1 to
  // `lanes` coefficients at once and lengths mixed within a call; half of
  // them multiples of random divisors of the denominator (products of its
  // primes and powers of two), so that tests hit, several times per prime.
  using R = polybatch::kernels::exact::rational_access<cpp_rational>;
  namespace words = polybatch::kernels::exact::words;
  std::mt19937_64 rng(8);
  std::size_t lengths_seen[lx::max_reduced_limbs + 1] = {};
  for (int trial = 0; trial < 1500; ++trial) {
    words::rational_row rows[2];
    cpp_int lcm[2];
    for (int side = 0; side < 2; ++side) {
      const std::size_t len = 1 + rng() % words::max_row;
      std::vector<cpp_rational> row(len);
      lcm[side] = 1;
      for (auto& q : row) {
        const std::uint64_t odd = trial % 3 == 0 ? (rng() % 500) * 2 + 1 : (rng() % (words::smooth_bound / 2)) * 2 + 1;
        q = cpp_rational(static_cast<std::int64_t>(rng() % 2000) - 1000, cpp_int(odd) << (rng() % 5));
        lcm[side] = boost::multiprecision::lcm(lcm[side], boost::multiprecision::denominator(q));
      }
      words::read_rational_row<R>(row.data(), len, false, rows[side]);
      REQUIRE(rows[side].read);
      REQUIRE(rows[side].smooth);
    }
    lx::pair_denominator pair;
    lx::pair_groups(rows[0], rows[1], pair);
    const cpp_int denominator = lcm[0] * lcm[1];

    const std::size_t count = 1 + rng() % lx::lanes;
    const std::size_t longest = 1 + rng() % lx::max_reduced_limbs;
    limb_t c[lx::lanes][lx::max_reduced_limbs] = {};
    const limb_t* x[lx::lanes];
    std::size_t n[lx::lanes];
    std::vector<cpp_int> want(count);
    for (std::size_t w = 0; w < count; ++w) {
      n[w] = w == 0 ? longest : 1 + rng() % longest;
      cpp_int v = 0;
      for (std::size_t i = 0; i < n[w]; ++i) v = (v << 64) + (i + 1 == n[w] ? rng() | 1 : pattern_limb(rng));
      if (rng() % 2 == 0) {
        // v rounded down to a multiple of a divisor of the denominator.
        cpp_int divisor = 1;
        for (int f = 0; f < 6; ++f) {
          const cpp_int g = boost::multiprecision::gcd(denominator / divisor, cpp_int(rng() % 64 + 2));
          divisor *= g;
        }
        v = (v / divisor) * divisor;
      }
      if (rng() % 16 == 0) v = 0;
      n[w] = 0;
      for (cpp_int t = v; t != 0; t >>= 64) c[w][n[w]++] = static_cast<limb_t>(t & ~limb_t(0));
      n[w] = std::max<std::size_t>(n[w], 1);
      x[w] = c[w];
      want[w] = v;
    }
    std::size_t len = 1;
    for (std::size_t w = 0; w < count; ++w) len = std::max(len, n[w]);
    ++lengths_seen[len];
    lx::reduced out[lx::lanes];
    lx::reduce_lanes(x, n, count, pair, out);
    for (std::size_t w = 0; w < count; ++w) {
      const cpp_rational expected(want[w], denominator);
      INFO("trial " << trial << ", lane " << w << " of " << count << ", length " << n[w] << " of " << len << ": "
                    << want[w] << " / " << denominator);
      REQUIRE(from_limbs(out[w].num, out[w].num_size) == boost::multiprecision::numerator(expected));
      REQUIRE(from_limbs(out[w].den, out[w].den_size) == boost::multiprecision::denominator(expected));
      REQUIRE((out[w].num_size == 1 || out[w].num[out[w].num_size - 1] != 0));
    }
  }
  for (std::size_t len = 1; len <= lx::max_reduced_limbs; ++len) {
    INFO("calls of length " << len);
    CHECK(lengths_seen[len] > 20);
  }
}
