// pb::convolve / pb::correlate against numpy.convolve / numpy.correlate on
// fixtures written by scripts/gen_numpy_fixtures.py: every length pair 1..12
// (v longer than a included), every mode, batches of two rows.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

namespace {

struct Case {
  std::string op, mode;
  std::size_t m = 0, n = 0, rows = 0, out_len = 0;
  std::vector<std::vector<double>> a, v, expected;
};

std::vector<double> read_values(std::istream& in, std::size_t count) {
  std::vector<double> values(count);
  for (auto& x : values) in >> x;
  return values;
}

std::vector<Case> load_cases() {
  std::ifstream in(POLYBATCH_FIXTURE_DIR "/convolve_numpy.txt");
  REQUIRE(in.good());
  std::vector<Case> cases;
  std::string word;
  while (in >> word) {
    if (word[0] == '#') {
      std::string rest;
      std::getline(in, rest);
      continue;
    }
    REQUIRE(word == "case");
    Case c;
    in >> c.op >> c.mode >> c.m >> c.n >> c.rows >> c.out_len;
    for (std::size_t i = 0; i < c.rows; ++i) {
      c.a.push_back(read_values(in, c.m));
      c.v.push_back(read_values(in, c.n));
      c.expected.push_back(read_values(in, c.out_len));
    }
    REQUIRE(in.good());
    cases.push_back(std::move(c));
  }
  return cases;
}

pb::mode parse_mode(const std::string& s) {
  if (s == "full") return pb::mode::full;
  if (s == "same") return pb::mode::same;
  return pb::mode::valid;
}

template <class T>
pb::PolyBatch<T> batch_of(const std::vector<std::vector<double>>& rows) {
  pb::PolyBatch<T> p(rows.size(), rows[0].size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t k = 0; k < rows[i].size(); ++k) p(i, k) = static_cast<T>(rows[i][k]);
  return p;
}

template <class T>
void check_against_numpy(double tolerance) {
  const std::vector<Case> cases = load_cases();
  REQUIRE(cases.size() == 2 * 3 * 12 * 12);
  for (const Case& c : cases) {
    INFO(c.op << " " << c.mode << " m=" << c.m << " n=" << c.n);
    const auto a = batch_of<T>(c.a);
    const auto v = batch_of<T>(c.v);
    const pb::mode m = parse_mode(c.mode);
    const pb::PolyBatch<T> r = c.op == "convolve" ? pb::eval(pb::convolve(a, v, m)) : pb::eval(pb::correlate(a, v, m));
    REQUIRE(r.batch_size() == c.rows);
    REQUIRE(r.length() == c.out_len);
    for (std::size_t i = 0; i < c.rows; ++i)
      for (std::size_t k = 0; k < c.out_len; ++k) {
        INFO("row " << i << " coefficient " << k);
        REQUIRE(std::abs(static_cast<double>(r(i, k)) - c.expected[i][k]) <= tolerance);
      }
  }
}

} // namespace

TEST_CASE("convolve and correlate match numpy in every mode (double)", "[convolve][numpy]") {
  // Inputs are in [-1, 1] with 3 decimals and at most 12 terms per sum.
  check_against_numpy<double>(1e-14);
}

TEST_CASE("convolve and correlate match numpy in every mode (float)", "[convolve][numpy]") {
  check_against_numpy<float>(1e-5);
}

TEST_CASE("the default modes are numpy's", "[convolve][numpy]") {
  const pb::PolyBatch<double> a{{1, 2, 3, 4}};
  const pb::PolyBatch<double> v{{1, -1}};
  CHECK(pb::eval(pb::convolve(a, v)).length() == 5);  // numpy.convolve: full
  CHECK(pb::eval(pb::correlate(a, v)).length() == 3); // numpy.correlate: valid
  CHECK(pb::eval(pb::convolve(a, v)) == pb::eval(a * v));
}
