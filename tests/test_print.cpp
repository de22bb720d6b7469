// Printing: pb::to_string(p, i) and `os << p` for every scalar family against
// hand-written expected strings, floating values read back with strtod /
// strtof / strtold (bit for bit) and extended ones with Boost's own parser,
// the elision of long batches, views and expressions (only the printed rows
// are computed: an overflow in a row that is not printed does not throw).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#if defined(POLYBATCH_TEST_HAS_MPFR) // MPFR's tests link GMP too
#include <boost/multiprecision/gmp.hpp>
#include <boost/multiprecision/mpfr.hpp>
#endif
// float128 needs libquadmath (and GNU extensions): the build defines this
// macro where it links it.
#if defined(POLYBATCH_TEST_HAS_QUADMATH)
#include <boost/multiprecision/float128.hpp>
#endif

#include <polybatch/polybatch.hpp>

#include "support/checks.hpp"

namespace pb = polybatch;
namespace mp = boost::multiprecision;

namespace {

template <class P>
std::string printed(const P& p) {
  std::ostringstream out;
  out << p;
  return out.str();
}

/// The coefficient texts of the one row printed by `os << p` (B = 1).
std::vector<std::string> printed_coefficients(const std::string& text) {
  const std::size_t open = text.find('['), close = text.find(']');
  REQUIRE(open != std::string::npos);
  REQUIRE(close != std::string::npos);
  std::vector<std::string> out;
  std::string item;
  for (std::size_t i = open + 1; i < close; ++i) {
    if (text[i] == ',') {
      out.push_back(item);
      item.clear();
    } else if (text[i] != ' ') {
      item += text[i];
    }
  }
  out.push_back(item);
  return out;
}

template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

} // namespace

TEST_CASE("to_string: ascending powers, zero terms left out, unit and negative coefficients", "[print]") {
  pb::PolyBatch<double> a{{1, 2, -3}, {0, 0, 0},    {0.1, -1, 1}, {0, 1, 0},         {-1, 0, 0.5},
                          {0, -1, 0}, {-2.5, 0, 0}, {0, 0, -1},   {1e-300, 0, 1e300}};
  CHECK(pb::to_string(a, 0) == "1 + 2*x - 3*x^2");
  CHECK(pb::to_string(a, 1) == "0");
  CHECK(pb::to_string(a, 2) == "0.1 - x + x^2");
  CHECK(pb::to_string(a, 3) == "x");
  CHECK(pb::to_string(a, 4) == "-1 + 0.5*x^2");
  CHECK(pb::to_string(a, 5) == "-x");
  CHECK(pb::to_string(a, 6) == "-2.5");
  CHECK(pb::to_string(a, 7) == "-x^2");
  CHECK(pb::to_string(a, 8) == "1e-300 + 1e+300*x^2");
  CHECK_THROWS_AS(pb::to_string(a, 9), pb::shape_error);
  CHECK_THROWS_WITH(pb::to_string(a, 9), Catch::Contains("row 9") && Catch::Contains("(B=9, L=3)"));
  pb::PolyBatch<double> special{
      {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), -0.0, 1}};
  CHECK(pb::to_string(special, 0) == "inf - inf*x + x^3");
  pb::PolyBatch<double> longer{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4}};
  CHECK(pb::to_string(longer, 0) == "4*x^11");
}

TEST_CASE("to_string for every scalar family: exact values in full", "[print]") {
  CHECK(pb::to_string(pb::PolyBatch<float>{{0.5f, -0.25f, 0.1f}}, 0) == "0.5 - 0.25*x + 0.1*x^2");
  CHECK(pb::to_string(pb::PolyBatch<long double>{{1.5L, 0, -2}}, 0) == "1.5 - 2*x^2");
  CHECK(pb::to_string(pb::PolyBatch<std::int32_t>{{0, 0, 7}}, 0) == "7*x^2");
  CHECK(pb::to_string(pb::PolyBatch<std::int64_t>{{std::numeric_limits<std::int64_t>::min(), 1, -1}}, 0) ==
        "-9223372036854775808 + x - x^2");

  pb::PolyBatch<mp::cpp_int> big(1, 2);
  big(0, 0) = mp::cpp_int(1) << 100;
  big(0, 1) = -1;
  CHECK(pb::to_string(big, 0) == "1267650600228229401496703205376 - x");

  pb::PolyBatch<mp::cpp_rational> q(2, 3);
  q(0, 1) = mp::cpp_rational(1, 3);
  q(0, 2) = mp::cpp_rational(-2, 7);
  q(1, 0) = mp::cpp_rational(-1, 2);
  q(1, 2) = 1;
  CHECK(pb::to_string(q, 0) == "1/3*x - 2/7*x^2");
  CHECK(pb::to_string(q, 1) == "-1/2 + x^2");

  pb::PolyBatch<pb::double_double> d(1, 4);
  d(0, 0) = pb::double_double(0.25);
  d(0, 1) = pb::double_double(-12);
  d(0, 3) = pb::double_double(1);
  CHECK(pb::to_string(d, 0) == "0.25 - 12*x + x^3");

  pb::PolyBatch<mp::cpp_bin_float_quad> quad(1, 2);
  quad(0, 0) = 0.5;
  quad(0, 1) = 3;
  CHECK(pb::to_string(quad, 0) == "0.5 + 3*x");
}

TEST_CASE("os << p: header, rows, elision of long batches", "[print]") {
  const pb::PolyBatch<double> a{{1, 2, 3}, {4, 5, 6.5}};
  CHECK(printed(a) == "PolyBatch<double> (B=2, L=3)\n"
                      "  0: [1, 2, 3]\n"
                      "  1: [4, 5, 6.5]\n");

  pb::PolyBatch<std::int64_t> six(6, 1), seven(7, 1), twelve(12, 1);
  for (std::size_t i = 0; i < 12; ++i) {
    if (i < 6) six(i, 0) = std::int64_t(i);
    if (i < 7) seven(i, 0) = std::int64_t(i);
    twelve(i, 0) = -std::int64_t(i);
  }
  CHECK(printed(six) == "PolyBatch<int64> (B=6, L=1)\n  0: [0]\n  1: [1]\n  2: [2]\n  3: [3]\n  4: [4]\n  5: [5]\n");
  // Up to numpy's threshold (1000 coefficients) every row prints.
  CHECK(printed(seven) == "PolyBatch<int64> (B=7, L=1)\n  0: [0]\n  1: [1]\n  2: [2]\n  3: [3]\n  4: [4]\n"
                          "  5: [5]\n  6: [6]\n");
  CHECK(printed(twelve).find("   ...") == std::string::npos);
  // Past it, the first and last 3 rows, and the first and last 3
  // coefficients of rows longer than 6, as numpy summarises.
  pb::PolyBatch<std::int64_t> tall(1001, 1), wide(1, 1001), both(200, 7);
  for (std::size_t i = 0; i < 1001; ++i) tall(i, 0) = -std::int64_t(i), wide(0, i) = std::int64_t(i);
  for (std::size_t i = 0; i < 200; ++i)
    for (std::size_t k = 0; k < 7; ++k) both(i, k) = std::int64_t(10 * i + k);
  CHECK(printed(tall) == "PolyBatch<int64> (B=1001, L=1)\n     0: [0]\n     1: [-1]\n     2: [-2]\n     ...\n"
                         "   998: [-998]\n   999: [-999]\n  1000: [-1000]\n");
  CHECK(printed(wide) == "PolyBatch<int64> (B=1, L=1001)\n  0: [0, 1, 2, ..., 998, 999, 1000]\n");
  CHECK(printed(both) ==
        "PolyBatch<int64> (B=200, L=7)\n    0: [0, 1, 2, ..., 4, 5, 6]\n    1: [10, 11, 12, ..., 14, 15, 16]\n"
        "    2: [20, 21, 22, ..., 24, 25, 26]\n    ...\n  197: [1970, 1971, 1972, ..., 1974, 1975, 1976]\n"
        "  198: [1980, 1981, 1982, ..., 1984, 1985, 1986]\n  199: [1990, 1991, 1992, ..., 1994, 1995, 1996]\n");
  pb::PolyBatch<std::int64_t> at_threshold(1, 1000);
  CHECK(printed(at_threshold).find("...") == std::string::npos);

  double memory[4] = {0.5, -1, 0, 2};
  CHECK(printed(pb::adapt(memory, 2, 2)) == "PolyView<double> (B=2, L=2)\n  0: [0.5, -1]\n  1: [0, 2]\n");
  CHECK(printed(pb::adapt(static_cast<const double*>(memory), 1, 4)) ==
        "PolyView<double> (B=1, L=4)\n  0: [0.5, -1, 0, 2]\n");

  // An expression prints its value; a broadcast row and a scalar constant too.
  const pb::PolyBatch<double> one{{1, 1}};
  CHECK(printed(one * a - 1) == "expression<double> (B=2, L=4)\n"
                                "  0: [0, 3, 5, 3]\n"
                                "  1: [3, 9, 11.5, 6.5]\n");
  CHECK(pb::to_string(one * a - 1, 1) == "3 + 9*x + 11.5*x^2 + 6.5*x^3");
}

TEST_CASE("os << p names every scalar family", "[print]") {
  auto header = [](const auto& p) {
    const std::string s = printed(p);
    return s.substr(0, s.find('\n'));
  };
  CHECK(header(pb::PolyBatch<float>(1, 1)) == "PolyBatch<float> (B=1, L=1)");
  CHECK(header(pb::PolyBatch<long double>(1, 1)) == "PolyBatch<long double> (B=1, L=1)");
  CHECK(header(pb::PolyBatch<std::int32_t>(1, 1)) == "PolyBatch<int32> (B=1, L=1)");
  CHECK(header(pb::PolyBatch<std::uint64_t>(1, 1)) == "PolyBatch<uint64> (B=1, L=1)");
  CHECK(header(pb::PolyBatch<mp::cpp_int>(1, 1)) == "PolyBatch<cpp_int> (B=1, L=1)");
  CHECK(header(pb::PolyBatch<mp::cpp_rational>(1, 1)) == "PolyBatch<cpp_rational> (B=1, L=1)");
  CHECK(header(pb::PolyBatch<pb::double_double>(1, 1)) == "PolyBatch<pb::dd> (B=1, L=1)");
  CHECK(header(pb::PolyBatch<mp::cpp_bin_float_quad>(1, 1)) == "PolyBatch<cpp_bin_float_quad> (B=1, L=1)");
  CHECK(header(pb::PolyBatch<mp::cpp_bin_float_50>(1, 1)) == "PolyBatch<cpp_bin_float (50 digits)> (B=1, L=1)");
  pb::PolyBatch<mp::cpp_rational> q(1, 2);
  q(0, 1) = mp::cpp_rational(-5, 3);
  CHECK(printed(q) == "PolyBatch<cpp_rational> (B=1, L=2)\n  0: [0, -5/3]\n");
}

TEST_CASE("an expression computes only the rows it prints", "[print][overflow]") {
  using I = std::int64_t;
  // 400 x 3 results: past the 1000-coefficient threshold, rows 0-2 and
  // 397-399 print.
  pb::PolyBatch<I> a(400, 2);
  for (std::size_t i = 0; i < 400; ++i) a(i, 0) = I(i);
  a(5, 1) = I(1) << 40; // (a * a) overflows in row 5 only
  CHECK_THROWS_AS(pb::eval(a * a), pb::overflow_error);
  const std::string text = printed(a * a);
  CHECK(text.find("expression<int64> (B=400, L=3)") == 0);
  CHECK(text.find("  399: [159201, 0, 0]") != std::string::npos);
  CHECK(pb::to_string(a * a, 4) == "16");
  CHECK_THROWS_AS(pb::to_string(a * a, 5), pb::overflow_error);
  CHECK_THROWS_WITH(pb::to_string(a * a, 5), Catch::Contains("row 5"));
}

TEST_CASE("floating coefficients read back bit for bit with strtod, strtof, strtold", "[print][roundtrip]") {
  const std::uint64_t seed = checks::test_seed();
  INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  // Random bit patterns cover subnormals, huge and tiny values; NaN is skipped.
  pb::PolyBatch<double> d(1, 200);
  pb::PolyBatch<float> f(1, 200);
  pb::PolyBatch<long double> ld(1, 200);
  std::uniform_real_distribution<long double> u(-1, 1);
  for (std::size_t k = 0; k < 200; ++k) {
    double x;
    do {
      const std::uint64_t bits = rng();
      std::memcpy(&x, &bits, sizeof x);
    } while (std::isnan(x));
    d(0, k) = x;
    float y;
    do {
      const auto bits = static_cast<std::uint32_t>(rng());
      std::memcpy(&y, &bits, sizeof y);
    } while (std::isnan(y));
    f(0, k) = y;
    ld(0, k) = std::ldexp(u(rng), int(rng() % 200) - 100);
  }
  d(0, 0) = std::numeric_limits<double>::denorm_min();
  d(0, 1) = std::numeric_limits<double>::max();
  d(0, 2) = -0.0;
  d(0, 3) = 0.1;

  const auto dt = printed_coefficients(printed(d));
  REQUIRE(dt.size() == 200);
  for (std::size_t k = 0; k < 200; ++k) {
    INFO(dt[k]);
    CHECK(same_bits(std::strtod(dt[k].c_str(), nullptr), d(0, k)));
  }
  const auto ft = printed_coefficients(printed(f));
  for (std::size_t k = 0; k < 200; ++k) CHECK(same_bits(std::strtof(ft[k].c_str(), nullptr), f(0, k)));
  const auto lt = printed_coefficients(printed(ld));
  for (std::size_t k = 0; k < 200; ++k) CHECK(std::strtold(lt[k].c_str(), nullptr) == ld(0, k));

  // to_string's terms read back too: "c*x^k" split at the '*'.
  pb::PolyBatch<double> row(1, 3);
  row(0, 0) = d(0, 10);
  row(0, 1) = d(0, 11);
  row(0, 2) = d(0, 12);
  std::string s = pb::to_string(row, 0);
  INFO(s);
  const double c0 = std::strtod(s.c_str(), nullptr);
  CHECK(same_bits(c0, row(0, 0)));
}

TEST_CASE("double-double and Boost floating values read back at their precision", "[print][roundtrip]") {
  using wide = mp::number<mp::cpp_bin_float<300, mp::digit_base_2>>;
  std::mt19937_64 rng(checks::test_seed());
  std::uniform_real_distribution<double> u(-1, 1);
  pb::PolyBatch<pb::double_double> d(1, 50);
  for (std::size_t k = 0; k < 50; ++k)
    d(0, k) = pb::double_double(u(rng)) / pb::double_double(7.0) * pb::double_double(std::ldexp(1.0, int(k) - 25));
  const auto texts = printed_coefficients(printed(d));
  REQUIRE(texts.size() == 50);
  for (std::size_t k = 0; k < 50; ++k) {
    INFO(texts[k]);
    // Boost's parser at 300 bits, then rounded to hi + lo by hand.
    const wide x(texts[k]);
    const double hi = static_cast<double>(x);
    const double lo = static_cast<double>(wide(x - hi));
    CHECK(hi == d(0, k).hi);
    CHECK(lo == d(0, k).lo);
  }

  pb::PolyBatch<mp::cpp_bin_float_50> b(1, 3);
  b(0, 0) = mp::cpp_bin_float_50(1) / 3;
  b(0, 1) = -mp::cpp_bin_float_50(2) / 7;
  b(0, 2) = mp::cpp_bin_float_50(1) / 1024;
  const auto bt = printed_coefficients(printed(b));
  for (std::size_t k = 0; k < 3; ++k) CHECK(mp::cpp_bin_float_50(bt[k]) == b(0, k));
  CHECK(bt[2] == "0.0009765625");
}

#if defined(POLYBATCH_TEST_HAS_MPFR)
TEST_CASE("mpfr_float: printed at the value's precision and read back", "[print][mpfr]") {
  using M = mp::mpfr_float;
  pb::PolyBatch<M> p(1, 3);
  for (std::size_t k = 0; k < 3; ++k) {
    M v(0, 60);
    v = int(k) + 1;
    v /= 3;
    p(0, k) = v;
  }
  p(0, 2) = M(1, 60);
  const std::string text = printed(p);
  CHECK(text.substr(0, text.find('\n')) == "PolyBatch<mpfr_float (60 digits)> (B=1, L=3)");
  const auto t = printed_coefficients(text);
  const unsigned saved = M::default_precision();
  M::default_precision(60); // the parsed value takes the thread's precision
  for (std::size_t k = 0; k < 3; ++k) CHECK(M(t[k]) == p(0, k));
  M::default_precision(saved);
  CHECK(pb::to_string(p, 0).substr(0, 22) == "0.33333333333333333333");
  CHECK(pb::to_string(p, 0).find(" + x^2") != std::string::npos);
  pb::PolyBatch<mp::mpfr_float_50> half(1, 2);
  half(0, 1) = mp::mpfr_float_50(-0.5);
  CHECK(pb::to_string(half, 0) == "-0.5*x");
}
#endif

TEST_CASE("cpp_dec_float_50: decimal values in full, every value read back", "[print][roundtrip][dec_float]") {
  using D = mp::cpp_dec_float_50;
  pb::PolyBatch<D> p(1, 3);
  p(0, 0) = D("0.5");
  p(0, 1) = D(-12);
  p(0, 2) = D("0.1"); // exact in decimal: printed as written
  CHECK(pb::to_string(p, 0) == "0.5 - 12*x + 0.1*x^2");
  CHECK(printed(p) == "PolyBatch<cpp_dec_float (50 digits)> (B=1, L=3)\n  0: [0.5, -12, 0.1]\n");

  // Values that fill every digit (and the guard digits) of the type, tiny and
  // huge exponents, and results of arithmetic: Boost's parser gives each back.
  std::mt19937_64 rng(checks::test_seed());
  std::uniform_int_distribution<int> small(1, 1000), exponent(-3000, 3000);
  pb::PolyBatch<D> q(1, 60);
  for (std::size_t k = 0; k < 60; ++k) {
    D v = D(small(rng)) / D(small(rng) + 2); // a repeating fraction
    if (k % 2) v = -v;
    if (k % 3 == 0) v *= pow(D(10), exponent(rng));
    q(0, k) = v;
  }
  q(0, 0) = D(1) / 3;
  q(0, 1) = sqrt(D(2));
  q(0, 2) = std::numeric_limits<D>::max();
  q(0, 3) = std::numeric_limits<D>::min();
  q(0, 4) = -std::numeric_limits<D>::epsilon();
  const auto texts = printed_coefficients(printed(q));
  REQUIRE(texts.size() == 60);
  for (std::size_t k = 0; k < 60; ++k) {
    INFO("coefficient " << k << ": " << texts[k]);
    CHECK(D(texts[k]) == q(0, k));
  }
  // An expression's computed coefficients too (products rounded once).
  const auto product = printed(q * q);
  CHECK(product.find("expression<cpp_dec_float (50 digits)> (B=1, L=119)") == 0);
  const pb::PolyBatch<D> qq = pb::truncate(q * q, 5);
  const auto pt = printed_coefficients(printed(qq));
  REQUIRE(pt.size() == 5);
  for (std::size_t k = 0; k < 5; ++k) {
    INFO(pt[k]);
    CHECK(D(pt[k]) == qq(0, k));
  }
}

#if defined(POLYBATCH_TEST_HAS_MPFR)
TEST_CASE("mpz_int and mpq_rational: exact values in full, read back by GMP", "[print][gmp]") {
  using Z = mp::mpz_int;
  using Q = mp::mpq_rational;
  pb::PolyBatch<Z> z(2, 3);
  z(0, 0) = Z(1) << 100;
  z(0, 2) = -(Z(1) << 70);
  z(1, 1) = -1;
  CHECK(pb::to_string(z, 0) == "1267650600228229401496703205376 - 1180591620717411303424*x^2");
  CHECK(pb::to_string(z, 1) == "-x");
  CHECK(printed(z) == "PolyBatch<mpz_int> (B=2, L=3)\n"
                      "  0: [1267650600228229401496703205376, 0, -1180591620717411303424]\n"
                      "  1: [0, -1, 0]\n");
  CHECK(pb::to_string(z * z, 1) == "x^2"); // an expression's value, computed

  pb::PolyBatch<Q> q(2, 3);
  q(0, 1) = Q(1, 3);
  q(0, 2) = Q(-2, 7);
  q(1, 0) = Q(Z(1) << 80, Z(3)); // numerator wider than 64 bits
  q(1, 2) = 1;
  CHECK(pb::to_string(q, 0) == "1/3*x - 2/7*x^2");
  CHECK(pb::to_string(q, 1) == "1208925819614629174706176/3 + x^2");
  CHECK(printed(q) == "PolyBatch<mpq_rational> (B=2, L=3)\n"
                      "  0: [0, 1/3, -2/7]\n"
                      "  1: [1208925819614629174706176/3, 0, 1]\n");
  CHECK(pb::to_string(q * q, 0) == "1/9*x^2 - 4/21*x^3 + 4/49*x^4");

  // Random wide values: GMP's own parsers read every printed text back.
  std::mt19937_64 rng(checks::test_seed());
  pb::PolyBatch<Z> rz(1, 40);
  pb::PolyBatch<Q> rq(1, 40);
  for (std::size_t k = 0; k < 40; ++k) {
    Z n = 0, d = 0;
    for (std::size_t w = 0; w <= k % 5; ++w) n = (n << 64) + Z(rng());
    for (std::size_t w = 0; w <= k % 3; ++w) d = (d << 64) + Z(rng());
    if (k % 2) n = -n;
    rz(0, k) = n;
    rq(0, k) = Q(n, d + 1);
  }
  const auto zt = printed_coefficients(printed(rz));
  const auto qt = printed_coefficients(printed(rq));
  REQUIRE(zt.size() == 40);
  REQUIRE(qt.size() == 40);
  for (std::size_t k = 0; k < 40; ++k) {
    INFO(zt[k] << " / " << qt[k]);
    CHECK(Z(zt[k]) == rz(0, k));
    CHECK(Q(qt[k]) == rq(0, k));
  }
}
#endif

#if defined(POLYBATCH_TEST_HAS_QUADMATH)
TEST_CASE("float128: named, and every value read back bit for bit", "[print][roundtrip][float128]") {
  using F = mp::float128;
  pb::PolyBatch<F> p(1, 3);
  p(0, 0) = F(0.5);
  p(0, 1) = F(3);
  p(0, 2) = F(-0.25);
  CHECK(pb::to_string(p, 0) == "0.5 + 3*x - 0.25*x^2");
  CHECK(printed(p) == "PolyBatch<float128> (B=1, L=3)\n  0: [0.5, 3, -0.25]\n");

  std::mt19937_64 rng(checks::test_seed());
  std::uniform_int_distribution<int> small(1, 1000), exponent(-16000, 16000);
  pb::PolyBatch<F> q(1, 60);
  for (std::size_t k = 0; k < 60; ++k) {
    F v = F(small(rng)) / F(small(rng) + 2);
    if (k % 2) v = -v;
    if (k % 3 == 0) v = ldexp(v, exponent(rng));
    q(0, k) = v;
  }
  q(0, 0) = F(1) / 3;
  q(0, 1) = std::numeric_limits<F>::max();
  q(0, 2) = std::numeric_limits<F>::denorm_min();
  q(0, 3) = -std::numeric_limits<F>::min();
  q(0, 4) = F(0.1); // the double nearest 0.1, held exactly
  const auto texts = printed_coefficients(printed(q));
  REQUIRE(texts.size() == 60);
  for (std::size_t k = 0; k < 60; ++k) {
    INFO("coefficient " << k << ": " << texts[k]);
    const F back(texts[k]);
    CHECK(same_bits(back.backend().value(), q(0, k).backend().value()));
  }
  // Written positionally, leading with the digits of the double's exact value
  // 0.1000000000000000055511151231257827021181583404541015625.
  CHECK(texts[4].rfind("0.1000000000000000055511151231257827", 0) == 0);
}
#endif
