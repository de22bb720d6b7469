// Library-level tests of the command line's building blocks: .npy and .csv
// round trips for every scalar family, exact conversion on reading, and the
// run-time expression tree (expr/dynamic.hpp) agreeing with static nodes.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>

#include <polybatch/eval/dynamic.hpp>
#include <polybatch/interop/atomic_file.hpp>
#include <polybatch/interop/csv.hpp>
#include <polybatch/interop/npy.hpp>
#include <polybatch/polybatch.hpp>

#include "support/reference.hpp"

namespace pb = polybatch;
using rational = boost::multiprecision::cpp_rational;
using quad = boost::multiprecision::cpp_bin_float_quad;

namespace {
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("polybatch-test-interop-" + name)).string();
}
void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}
/// A version-2 .npy file of float64 [[1, 2, 3]] whose header is padded to
/// `header_len` bytes.
std::string npy_v2(std::size_t header_len) {
  std::string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3), }";
  dict.append(header_len - dict.size() - 1, ' ');
  dict += '\n';
  std::string out("\x93NUMPY\x02\x00", 8);
  for (int i = 0; i < 4; ++i) out += static_cast<char>((header_len >> (8 * i)) & 0xff);
  out += dict;
  for (double v : {1.0, 2.0, 3.0}) out.append(reinterpret_cast<const char*>(&v), sizeof v);
  return out;
}
template <class T>
pb::PolyBatch<T> csv_round_trip(const pb::PolyBatch<T>& b) {
  std::ostringstream out;
  pb::interop::write_csv(out, b);
  return pb::interop::csv_to_batch<T>(out.str(), "round-trip.csv");
}
} // namespace

TEST_CASE("npy: write with xt::dump_npy, read back exactly", "[interop][npy]") {
  std::mt19937_64 rng(1);
  const auto a = ref::random_batch<double>(rng, 17, 5);
  const std::string path = temp_path("a.npy");
  pb::interop::write_npy(path, a);
  CHECK(pb::interop::read_npy<double>(path) == a);
  const pb::interop::NpyHeader h = pb::interop::read_npy_header(path);
  CHECK(h.batch == 17);
  CHECK(h.length == 5);
  CHECK(h.dtype == pb::interop::npy_dtype::float64);
  // float64 values read into exact rationals unchanged
  const auto r = pb::interop::read_npy<rational>(path);
  CHECK(r(3, 2) == rational(a(3, 2)));
  std::filesystem::remove(path);
}

TEST_CASE("npy: errors name the file and the problem", "[interop][npy]") {
  std::mt19937_64 rng(2);
  const auto a = ref::random_batch<double>(rng, 2, 3);
  const std::string path = temp_path("e.npy");
  pb::interop::write_npy(path, a);
  std::string bytes = pb::interop::read_file_bytes(path);
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(pb::interop::npy_to_batch<double>(bytes.substr(0, bytes.size() - 1), "x.npy"),
                    Catch::Contains("x.npy: truncated .npy file"));
  CHECK_THROWS_WITH(pb::interop::npy_to_batch<double>("hello", "x.npy"), Catch::Contains("not an .npy file"));
  CHECK_THROWS_WITH(pb::interop::npy_to_batch<std::int64_t>(bytes, "x.npy", "int"),
                    Catch::Contains("cannot be held exactly by --type int"));
  std::string bad = bytes;
  bad.replace(bad.find("<f8"), 3, "<c8");
  CHECK_THROWS_WITH(pb::interop::npy_to_batch<double>(bad, "x.npy"), Catch::Contains("unsupported dtype '<c8'"));
  // A key given twice: numpy keeps the last, so reading either would read another array than numpy.
  std::string twice = bytes;
  const std::size_t shape_at = twice.find("'shape'");
  REQUIRE(shape_at != std::string::npos);
  const std::size_t close = twice.find(')', shape_at);
  const std::string entry = twice.substr(shape_at, close + 1 - shape_at) + ", ";
  const std::size_t pad = twice.find("   ", close); // the header's padding takes the copy
  REQUIRE(pad != std::string::npos);
  twice.replace(pad, entry.size(), entry);
  CHECK_THROWS_WITH(pb::interop::npy_to_batch<double>(twice, "x.npy"),
                    Catch::Contains("x.npy: corrupt .npy header: the header has more than one 'shape' entry"));
}

TEST_CASE("npy: the header reader takes any header length and names what it reads", "[interop][npy]") {
  // A version-2 header over 64 KiB is valid (numpy writes them for many fields).
  const std::string path = temp_path("v2big.npy");
  write_bytes(path, npy_v2(70000));
  const pb::interop::NpyHeader h = pb::interop::read_npy_header(path);
  CHECK(h.batch == 1);
  CHECK(h.length == 3);
  CHECK(h.data_offset == 12 + 70000);
  CHECK(pb::interop::read_npy<double>(path) == pb::PolyBatch<double>{{1, 2, 3}});
  // The header's length still bounds what it may promise.
  const std::string whole = npy_v2(70000);
  write_bytes(path, whole.substr(0, 30000));
  CHECK_THROWS_WITH(pb::interop::read_npy_header(path),
                    Catch::Contains("truncated .npy file: the header promises 70000 bytes, the file has 29988"));
  std::filesystem::remove(path);
  // A directory gets the main reader's words.
  const std::string dir = temp_path("dir.npy");
  std::filesystem::create_directory(dir);
  CHECK_THROWS_WITH(pb::interop::read_npy_header(dir), Catch::Contains("cannot read the file: it is a directory"));
  CHECK_THROWS_WITH(pb::interop::read_npy<double>(dir), Catch::Contains("cannot read the file: it is a directory"));
  std::filesystem::remove(dir);
  CHECK_THROWS_WITH(pb::interop::read_npy_header(temp_path("missing.npy")),
                    Catch::Contains("cannot open the file for reading: No such file"));
}

TEST_CASE("npy: a file cut short after the magic is truncated, a structured dtype unsupported", "[interop][npy]") {
  for (const std::string& cut : {std::string("\x93NUMPY\x01", 7), std::string("\x93NUMPY\x01\x00", 8),
                                 std::string("\x93NUM", 4), std::string()}) {
    CAPTURE(cut.size());
    CHECK_THROWS_WITH(pb::interop::npy_to_batch<double>(cut, "x.npy"),
                      Catch::Contains("x.npy: truncated .npy file (" + std::to_string(cut.size()) + " bytes"));
  }
  CHECK_THROWS_WITH(pb::interop::npy_to_batch<double>(std::string("\x93NUMPZ\x01", 7), "x.npy"),
                    Catch::Contains("not an .npy file"));
  std::string structured = pb::interop::npy_header<double>(1, 3);
  const std::string descr = "'<f8'";
  structured.replace(structured.find(descr), descr.size(), "[('a', '<f8'), ('b', '<f8')]");
  structured.append(48, '\0');
  CHECK_THROWS_WITH(pb::interop::npy_to_batch<double>(structured, "x.npy"),
                    Catch::Contains("x.npy: unsupported dtype: a structured dtype"));
}

TEST_CASE("convert_exactly refuses values the type cannot hold", "[interop]") {
  using pb::interop::convert_exactly;
  CHECK(convert_exactly<std::int64_t>(3.0).value() == 3);
  CHECK_FALSE(convert_exactly<std::int64_t>(0.5));
  CHECK_FALSE(convert_exactly<std::int64_t>(9.3e18));
  CHECK_FALSE(convert_exactly<std::int64_t>(std::numeric_limits<double>::quiet_NaN()));
  CHECK_FALSE(convert_exactly<std::int32_t>(std::int64_t{1} << 40));
  CHECK_FALSE(convert_exactly<double>((std::int64_t{1} << 53) + 1));
  CHECK(convert_exactly<double>(std::int64_t{1} << 53).value() == 9007199254740992.0);
  CHECK_FALSE(convert_exactly<float>(0.1));
  CHECK(convert_exactly<rational>(0.1).value() == rational(0.1));
}

TEST_CASE("csv: every scalar family reads back what it wrote", "[interop][csv]") {
  std::mt19937_64 rng(3);
  const auto d = ref::random_batch<double>(rng, 9, 4);
  CHECK(csv_round_trip(d) == d);
  pb::PolyBatch<float> f(2, 2);
  f(0, 0) = 0.1f;
  f(1, 1) = -3.25e-20f;
  CHECK(csv_round_trip(f) == f);
  pb::PolyBatch<rational> r(1, 2);
  r(0, 0) = rational(1, 3);
  r(0, 1) = rational(-22, 7);
  CHECK(csv_round_trip(r) == r);
  pb::PolyBatch<quad> q(1, 1);
  q(0, 0) = quad(1) / 3;
  CHECK(csv_round_trip(q) == q);
  pb::PolyBatch<pb::double_double> x(1, 2);
  x(0, 0) = pb::double_double(1) / pb::double_double(3);
  x(0, 1) = pb::double_double::from_parts(1.0, 0x1p-80);
  CHECK(csv_round_trip(x) == x);
}

TEST_CASE("csv: exact parsing and line-numbered errors", "[interop][csv]") {
  const auto r = pb::interop::csv_to_batch<rational>("# comment\n1/3, 0.25, -2e-2\n\n7, 1e2, -5/10\n", "r.csv");
  CHECK(r.batch_size() == 2);
  CHECK(r(0, 1) == rational(1, 4));
  CHECK(r(0, 2) == rational(-1, 50));
  CHECK(r(1, 2) == rational(-1, 2));
  // A leading 0 is decimal, not Boost's octal prefix.
  const auto z = pb::interop::csv_to_batch<rational>("010/03, 007, -00.5\n", "z.csv");
  CHECK(z(0, 0) == rational(10, 3));
  CHECK(z(0, 1) == rational(7));
  CHECK(z(0, 2) == rational(-1, 2));
  CHECK(pb::interop::csv_to_batch<boost::multiprecision::cpp_int>("-010\n", "z.csv")(0, 0) == -10);
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<double>("1,2\n3\n", "x.csv"),
                    Catch::Contains("x.csv:2: ragged rows: line 2 has 1 values, line 1 has 2"));
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<double>("1,x\n", "x.csv"), Catch::Contains("'x' is not a number"));
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<std::int64_t>("9223372036854775808\n", "x.csv"),
                    Catch::Contains("overflows a 64-bit integer"));
  CHECK(pb::interop::csv_to_batch<std::int64_t>("-9223372036854775808\n", "x.csv")(0, 0) ==
        std::numeric_limits<std::int64_t>::min());
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<rational>("1/0\n", "x.csv"), Catch::Contains("zero denominator"));
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<double>("1,,2\n", "x.csv"), Catch::Contains("empty value"));
  // Control bytes in a quoted value are written as \xHH: a NUL would end the message there.
  try {
    (void)pb::interop::csv_to_batch<double>(std::string("1,2\n3\0,4\n", 9), "nul.csv");
    FAIL("a NUL byte was read as a number");
  } catch (const std::exception& e) {
    CHECK_THAT(e.what(), Catch::Contains("nul.csv:2: value 1: '3\\x00' is not a number"));
  }
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<double>("1,2\r3,4\r", "cr.csv"), Catch::Contains("'2\\x0d3'"));
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<double>("1,3\\x00\n", "bs.csv"), Catch::Contains("'3\\\\x00'"));
  // Integers and decimals with many zeros, as long as they are written, are no exponent out of range.
  const std::string zeros(20000, '0');
  const rational ten_to_20000 = pb::interop::csv_to_batch<rational>("1" + zeros + "\n", "z.csv")(0, 0);
  CHECK(ten_to_20000 == rational(boost::multiprecision::pow(boost::multiprecision::cpp_int(10), 20000)));
  const rational tenth = pb::interop::csv_to_batch<rational>("0." + zeros + "1\n", "z.csv")(0, 0);
  CHECK(tenth == rational(boost::multiprecision::cpp_int(1),
                          boost::multiprecision::pow(boost::multiprecision::cpp_int(10), 20001)));
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<rational>("1e-20000\n", "z.csv"),
                    Catch::Contains("has an exponent too large to hold exactly"));
  // A byte-order mark opens the file only: one before a later line is an
  // unreadable value, named by its line.
  const auto bom = pb::interop::csv_to_batch<rational>("\xEF\xBB\xBF"
                                                       "1/3,2\n4,5\n",
                                                       "bom.csv");
  REQUIRE(bom.batch_size() == 2);
  CHECK(bom(0, 0) == rational(1, 3));
  CHECK(bom(1, 1) == 5);
  CHECK_THROWS_WITH(pb::interop::csv_to_batch<double>("1,2\n\xEF\xBB\xBF"
                                                      "3,4\n",
                                                      "x.csv"),
                    Catch::Contains("x.csv:2: value 1"));
}

TEST_CASE("parse_scalar: zero at any exponent, huge exponents out of range, signed zeros and specials",
          "[interop][csv]") {
  using pb::interop::parse_scalar;
  CHECK(parse_scalar<double>("0e999999999999").value == 0.0);
  CHECK(parse_scalar<pb::double_double>("0e999999999999").value == pb::double_double(0.0));
  CHECK(parse_scalar<quad>("0e999999999999").value == quad(0));
  CHECK(parse_scalar<rational>("-0e999999999999").value == rational(0));
  CHECK_THAT(parse_scalar<double>("1e999999999999").error, Catch::Contains("out of range for double"));
  CHECK_THAT(parse_scalar<pb::double_double>("1e999999999999").error, Catch::Contains("out of range for dd"));
  CHECK_THAT(parse_scalar<pb::double_double>("1e200000").error, Catch::Contains("out of range for dd"));
  CHECK_THAT(parse_scalar<quad>("-1e-999999999999").error, Catch::Contains("out of range for the type"));
  CHECK_THAT(parse_scalar<rational>("1e999999999999").error, Catch::Contains("exponent too large"));
  CHECK(parse_scalar<std::int64_t>("0e999999999999").value == 0);
  // quad reads the special values as double and dd do, and -0 (also as it writes it).
  CHECK(parse_scalar<double>("+inf").value == std::numeric_limits<double>::infinity());
  CHECK(parse_scalar<quad>("+inf").value == std::numeric_limits<quad>::infinity());
  CHECK(parse_scalar<quad>("-inf").value == -std::numeric_limits<quad>::infinity());
  CHECK(std::signbit(parse_scalar<pb::double_double>("-0").value.value_or(1.0).hi));
  for (const char* nan : {"nan", "-nan", "+nan"}) {
    CAPTURE(nan);
    CHECK(boost::multiprecision::isnan(parse_scalar<quad>(nan).value.value_or(quad(0))));
  }
  for (const char* zero : {"-0", "-0.0e-7"}) {
    CAPTURE(zero);
    CHECK(boost::multiprecision::signbit(parse_scalar<quad>(zero).value.value_or(quad(1))));
  }
  const std::string written = pb::interop::format_scalar(-quad(0));
  CHECK(written[0] == '-');
  CHECK(boost::multiprecision::signbit(parse_scalar<quad>(written).value.value_or(quad(1))));
}

namespace {

using boost::multiprecision::cpp_int;

/// The exact decimal text of n 2^k, moved by one unit `extra` places past
/// its last digit (direction -1, 0 or +1): a value just below, at or just
/// above n 2^k, written with all its digits.
std::string dyadic_text(const cpp_int& n, long k, int direction, unsigned extra) {
  cpp_int digits = k >= 0 ? cpp_int(n << static_cast<unsigned>(k))
                          : cpp_int(n * boost::multiprecision::pow(cpp_int(5), static_cast<unsigned>(-k)));
  long exponent = k >= 0 ? 0 : k;
  if (direction != 0) {
    digits = digits * boost::multiprecision::pow(cpp_int(10), extra) + direction;
    exponent -= static_cast<long>(extra);
  }
  return digits.str() + "e" + std::to_string(exponent);
}

/// Midpoints between neighbours m 2^k and (m + 1) 2^k of F, for each k:
/// read exactly (ties to the even one), and a unit 3,000 places past their
/// last digit below (rounds down) and above (rounds up).
template <class F>
void check_midpoints(std::initializer_list<long> ks, std::mt19937_64& rng) {
  constexpr int digits = std::numeric_limits<F>::digits;
  for (const long k : ks) {
    for (int trial = 0; trial < 3; ++trial) {
      cpp_int m = 0; // digits bits, the top one set
      for (int bit = 0; bit < digits; bit += 64) m |= cpp_int(rng()) << bit;
      m &= (cpp_int(1) << (digits - 1)) - 1;
      m |= cpp_int(1) << (digits - 1);
      const cpp_int midpoint = 2 * m + 1; // times 2^(k - 1)
      const F down = ldexp(F(m), static_cast<int>(k));
      const F up = ldexp(F(m + 1), static_cast<int>(k));
      const F even = (m % 2 == 0) ? down : up;
      for (const int direction : {-1, 0, 1}) {
        const std::string text = dyadic_text(midpoint, k - 1, direction, 3000);
        CAPTURE(digits, k, trial, direction, text.size());
        const auto parsed = pb::interop::parse_scalar<F>(text);
        REQUIRE(parsed.value.has_value());
        CHECK(*parsed.value == (direction < 0 ? down : direction > 0 ? up : even));
      }
    }
  }
}

} // namespace

TEST_CASE("parse_scalar: long double subnormals round once and read back what format_scalar writes", "[interop][csv]") {
  // libstdc++ reads long double through strtold, which reports ERANGE for
  // every inexact subnormal. Midpoints (2m + 1) 2^-16446 between the
  // subnormals m 2^-16445 and (m + 1) 2^-16445, at them and a unit 40 places
  // past their last digit, against ldexp of the integers.
  using pb::interop::parse_scalar;
  using L = std::numeric_limits<long double>;
  if constexpr (L::digits == 64 && L::has_denorm == std::denorm_present) {
    constexpr int least = L::min_exponent - L::digits; // -16445
    std::mt19937_64 rng(4951);
    for (int trial = 0; trial < 40; ++trial) {
      const std::uint64_t m = trial < 3 ? std::uint64_t(trial) : rng() >> (1 + rng() % 63);
      const long double down = std::ldexp(static_cast<long double>(m), least);
      const long double up = std::ldexp(static_cast<long double>(m + 1), least);
      const long double even = m % 2 == 0 ? down : up;
      for (const int direction : {-1, 0, 1}) {
        const std::string text = dyadic_text(cpp_int(2 * m + 1), least - 1, direction, 40);
        CAPTURE(m, direction, text.size());
        const auto parsed = parse_scalar<long double>(text);
        const long double want = direction < 0 ? down : direction > 0 ? up : even;
        if (want == 0) {
          CHECK_THAT(parsed.error, Catch::Contains("out of range for long double"));
        } else {
          REQUIRE(parsed.value.has_value());
          CHECK(*parsed.value == want);
        }
      }
      if (m != 0) {
        const std::string written = pb::interop::format_scalar(down);
        CAPTURE(written);
        CHECK(parse_scalar<long double>(written).value == down);
      }
    }
    CHECK(parse_scalar<long double>("4e-4951").value == L::denorm_min());
    CHECK(parse_scalar<long double>(pb::interop::format_scalar(L::min() / 3)).value == L::min() / 3);
    CHECK_THAT(parse_scalar<long double>("1e-4952").error, Catch::Contains("out of range for long double"));
    CHECK_THAT(parse_scalar<long double>("1.2e4932").error, Catch::Contains("out of range for long double"));
  }
}

TEST_CASE("parse_scalar: long decimals round as their full value does, and many zeros are no number out of range",
          "[interop][csv]") {
  using pb::interop::parse_scalar;
  std::mt19937_64 rng(20261206);
  // quad: midpoints between neighbours m 2^k and (m + 1) 2^k, read exactly
  // (ties to the even one), a unit past thousands of digits above them (up)
  // and below them (down). Only the digits that decide the rounding reach
  // the reader: the tiny case needs about 11,200 of them, all there.
  check_midpoints<quad>({-113L, -300L, -16000L, 16000L}, rng);
  // The same for a wider-range type whose values near 1 round through integers too.
  check_midpoints<boost::multiprecision::cpp_bin_float_50>({-168L, -1000L, 1000L, 20000L, -20000L}, rng);
  // dd: hi + lo with lo at a midpoint far below hi's last bit, moved by a
  // unit 2,000 places further: lo rounds down, to even, up.
  for (int trial = 0; trial < 4; ++trial) {
    const double hi = std::ldexp(static_cast<double>((std::uint64_t(1) << 52) | (rng() >> 12)), -52 + trial * 40);
    const int lo_step = -600 + trial * 40; // the lo grid: multiples of 2^lo_step
    const cpp_int lo_m = (cpp_int(1) << 52) | cpp_int(rng() >> 12);
    const cpp_int hi_m = cpp_int(static_cast<std::uint64_t>(std::ldexp(hi, 52 - trial * 40)));
    // x = hi + (2 lo_m + 1) 2^(lo_step - 1), as an integer times 2^(lo_step - 1).
    const long shift = (-52L + trial * 40) - (lo_step - 1);
    const cpp_int x = (hi_m << static_cast<unsigned>(shift)) + 2 * lo_m + 1;
    const double lo_down = std::ldexp(static_cast<double>(lo_m.convert_to<std::uint64_t>()), lo_step);
    const double lo_up = std::ldexp(static_cast<double>((lo_m + 1).convert_to<std::uint64_t>()), lo_step);
    const double lo_even = lo_m % 2 == 0 ? lo_down : lo_up;
    for (const int direction : {-1, 0, 1}) {
      const std::string text = dyadic_text(x, lo_step - 1, direction, 2000);
      CAPTURE(trial, direction, text.size());
      const auto parsed = parse_scalar<pb::double_double>(text);
      REQUIRE(parsed.value.has_value());
      CHECK(parsed.value->hi == hi);
      CHECK(parsed.value->lo == (direction < 0 ? lo_down : direction > 0 ? lo_up : lo_even));
    }
  }
  // A mantissa of many zeros with a compensating exponent is its value, in
  // every floating type and exactly; a long integer beyond the range is out
  // of range at once (the readers took minutes over 10^6 digits).
  const std::string one = "1" + std::string(150000, '0') + "e-150000";
  CHECK(parse_scalar<quad>(one).value == quad(1));
  CHECK(parse_scalar<pb::double_double>(one).value == pb::double_double(1.0));
  CHECK(parse_scalar<double>(one).value == 1.0);
  CHECK(parse_scalar<rational>("25" + std::string(50000, '0') + "e-50002").value == rational(1, 4));
  const std::string huge(1000000, '7');
  CHECK_THAT(parse_scalar<quad>(huge).error, Catch::Contains("out of range for the type"));
  CHECK_THAT(parse_scalar<pb::double_double>(huge).error, Catch::Contains("out of range for dd"));
  CHECK_THAT(parse_scalar<quad>("0." + std::string(5000, '0') + "1").error, Catch::Contains("out of range"));
  // quad's ends: its largest value reads back; below its least normal
  // (cpp_bin_float has no subnormals) is out of range.
  const quad largest = std::numeric_limits<quad>::max();
  CHECK(parse_scalar<quad>(pb::interop::format_scalar(largest)).value == largest);
  CHECK(parse_scalar<quad>(pb::interop::format_scalar(std::numeric_limits<quad>::min())).value ==
        std::numeric_limits<quad>::min());
  CHECK_THAT(parse_scalar<quad>("3.3e-4932").error, Catch::Contains("out of range"));
  // Just below the least normal, rounding up to it.
  CHECK(parse_scalar<quad>("3.3621031431120935062626778173217526e-4932").value == std::numeric_limits<quad>::min());
  // Just below the largest dd, where hi + lo ties up to infinity: hi stays the largest double.
  const std::string below_largest_dd = ((cpp_int(1) << 1024) - (cpp_int(1) << 970) - 1).str();
  const auto largest_dd = parse_scalar<pb::double_double>(below_largest_dd);
  REQUIRE(largest_dd.value.has_value());
  CHECK(largest_dd.value->hi == std::numeric_limits<double>::max());
  CHECK(largest_dd.value->lo == std::nextafter(std::ldexp(1.0, 970), 0.0));
  // An integer written with more than 10,000 trailing zeros is exact; an exponent beyond 10^10000 is refused.
  CHECK(parse_scalar<rational>("1" + std::string(10001, '0')).value ==
        rational(boost::multiprecision::pow(cpp_int(10), 10001)));
  CHECK(parse_scalar<rational>("10e10000").value == parse_scalar<rational>("1e10001").value);
  CHECK(parse_scalar<rational>("0." + std::string(10000, '0') + "1").value ==
        rational(1, boost::multiprecision::pow(cpp_int(10), 10001)));
  CHECK_THAT(parse_scalar<rational>("1e10002").error, Catch::Contains("exponent too large"));
  // A decimal type's range is checked first too.
  CHECK_THAT(parse_scalar<boost::multiprecision::cpp_dec_float_50>("1e3000000000").error,
             Catch::Contains("out of range"));
  CHECK_THAT(parse_scalar<boost::multiprecision::cpp_dec_float_50>("1e-9999999999").error,
             Catch::Contains("out of range"));
  CHECK_THAT(parse_scalar<quad>("1.2e4932").error, Catch::Contains("out of range"));
  CHECK(parse_scalar<quad>("-0." + std::string(4000, '0') + "1").value ==
        -parse_scalar<quad>("1e-4001").value.value_or(quad(0)));
}

TEST_CASE("write_atomically leaves the old file when writing fails", "[interop]") {
  const std::string path = temp_path("atomic.csv");
  pb::interop::write_atomically(path, [](const std::string& tmp) {
    pb::interop::write_csv(tmp, pb::PolyBatch<int>{{1, 2}});
  });
  CHECK(pb::interop::read_csv<int>(path) == pb::PolyBatch<int>{{1, 2}});
  CHECK_THROWS(pb::interop::write_atomically(path, [](const std::string&) { throw std::runtime_error("boom"); }));
  CHECK(pb::interop::read_csv<int>(path) == pb::PolyBatch<int>{{1, 2}});
  std::filesystem::remove(path);
}

TEST_CASE("AtomicFile: a dangling link is written through; a cycle of links is refused", "[interop]") {
  namespace fs = std::filesystem;
  const fs::path dir = temp_path("links");
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  // Relative targets are relative to the link's directory, link by link.
  fs::create_symlink("sub/mid.csv", dir / "out.csv");
  fs::create_symlink("target.csv", dir / "sub" / "mid.csv");
  pb::interop::write_atomically((dir / "out.csv").string(), [](const std::string& tmp) {
    pb::interop::write_csv(tmp, pb::PolyBatch<int>{{1, 2}});
  });
  CHECK(fs::is_symlink(fs::symlink_status(dir / "out.csv")));
  CHECK(fs::is_symlink(fs::symlink_status(dir / "sub" / "mid.csv")));
  CHECK(fs::is_regular_file(fs::symlink_status(dir / "sub" / "target.csv")));
  CHECK(pb::interop::read_csv<int>((dir / "out.csv").string()) == pb::PolyBatch<int>{{1, 2}});
  fs::create_symlink("loop_b.csv", dir / "loop_a.csv");
  fs::create_symlink("loop_a.csv", dir / "loop_b.csv");
  CHECK_THROWS_WITH(pb::interop::AtomicFile((dir / "loop_a.csv").string()),
                    Catch::Contains("loop_a.csv: cannot follow the symbolic link: more than 40 links"));
  fs::remove_all(dir);
}

TEST_CASE("AtomicFile: remove_temporaries() removes the uncommitted temporaries", "[interop]") {
  const std::string path = temp_path("signal.csv");
  pb::interop::AtomicFile a(path), b(path);
  const std::string ta = a.temporary_path(), tb = b.temporary_path();
  CHECK(std::filesystem::exists(ta));
  CHECK(std::filesystem::exists(tb));
  pb::interop::remove_temporaries(); // as a signal handler does
  CHECK_FALSE(std::filesystem::exists(ta));
  CHECK_FALSE(std::filesystem::exists(tb));
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("csv: a failed write names the file the user asked for, not the temporary", "[interop][csv]") {
  // /dev/full takes the open and fails every write with ENOSPC.
  if (!std::filesystem::exists("/dev/full")) return;
  const pb::PolyBatch<int> b{{1, 2}};
  CHECK_THROWS_WITH(pb::interop::write_csv("/dev/full", b, "result.csv"),
                    Catch::StartsWith("result.csv: write failed"));
  CHECK_THROWS_WITH(pb::interop::write_csv("/dev/full", b), Catch::StartsWith("/dev/full: write failed"));
}

TEST_CASE("a run-time tree computes what the static expression computes", "[dynamic]") {
  std::mt19937_64 rng(4);
  auto a = std::make_shared<const pb::PolyBatch<double>>(ref::random_batch<double>(rng, 300, 5));
  auto b = std::make_shared<const pb::PolyBatch<double>>(ref::random_batch<double>(rng, 300, 7));
  auto c = std::make_shared<const pb::PolyBatch<double>>(ref::random_batch<double>(rng, 1, 3)); // broadcasts
  const auto da = pb::dynamic_leaf(a), db = pb::dynamic_leaf(b), dc = pb::dynamic_leaf(c);
  auto mul = [](auto l, auto r) { return std::move(l) * std::move(r); };
  auto add = [](auto l, auto r) { return std::move(l) + std::move(r); };
  const auto ab = pb::dynamic_binary(da, db, mul);
  const auto e = pb::dynamic_binary(pb::dynamic_binary(ab, dc, mul), da, add);
  const pb::PolyBatch<double> expected = (*a * *b) * *c + *a;
  const pb::PolyBatch<double> got = e;
  CHECK(got == expected);
  // A block of rows of the tree is the same block of the result.
  pb::PolyBatch<double> block = e.rows(100, 50);
  for (std::size_t i = 0; i < 50; ++i)
    for (std::size_t k = 0; k < block.length(); ++k) CHECK(block(i, k) == expected(100 + i, k));
  // Run-time trees nest inside static expressions and fuse with them.
  const pb::PolyBatch<double> mixed = pb::derivative(e) - *b;
  CHECK(mixed == pb::PolyBatch<double>(pb::derivative((*a * *b) * *c + *a) - *b));
  CHECK_THROWS_AS(e.rows(299, 2), pb::shape_error);
}

TEST_CASE("parse_scalar: decimals whose value is an integer are integers, exactly", "[interop][csv]") {
  using boost::multiprecision::cpp_int;
  using Catch::Contains;
  using pb::interop::parse_scalar;
  CHECK(parse_scalar<std::int64_t>("1.0").value == 1);
  CHECK(parse_scalar<std::int64_t>("1e3").value == 1000);
  CHECK(parse_scalar<std::int64_t>("-2.50e1").value == -25);
  CHECK(parse_scalar<std::int64_t>("+1.000000000000000000e+00").value == 1); // numpy.savetxt's %.18e
  CHECK(parse_scalar<std::int64_t>("-0.0").value == 0);
  CHECK(parse_scalar<std::int64_t>("9.223372036854775807e18").value == std::numeric_limits<std::int64_t>::max());
  CHECK(parse_scalar<std::int64_t>("-9.223372036854775808e18").value == std::numeric_limits<std::int64_t>::min());
  CHECK_THAT(parse_scalar<std::int64_t>("9.223372036854775808e18").error, Contains("overflows a 64-bit integer"));
  CHECK_THAT(parse_scalar<std::int64_t>("1e99999999999999999999999").error, Contains("overflows a 64-bit integer"));
  CHECK_THAT(parse_scalar<std::int64_t>("2.5").error, Contains("is not an integer"));
  CHECK_THAT(parse_scalar<std::int64_t>("1e-3").error, Contains("is not an integer"));
  CHECK_THAT(parse_scalar<std::int64_t>("1e").error, Contains("is not a number"));
  CHECK(parse_scalar<cpp_int>("1.5e40").value == cpp_int("15" + std::string(39, '0')));
  CHECK(parse_scalar<cpp_int>("-7.000e2").value == cpp_int(-700));
  CHECK_THAT(parse_scalar<cpp_int>("1e99999999999999999999999").error, Contains("is too large"));
  CHECK_THAT(parse_scalar<cpp_int>("0.5").error, Contains("is not an integer"));
  CHECK_THAT(parse_scalar<cpp_int>("x1").error, Contains("is not a number"));
}
