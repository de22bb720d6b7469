// pow, derivative, integral, compose, evaluate and divmod against
// numpy.polynomial.polynomial on fixtures written by
// scripts/gen_algebra_fixtures.py (every length 1..8, powers 0..5, divisor
// and inner lengths 1..5). Each case also runs as a batch of three rows
// (the fixture row scaled by 1, -2 and 0.5, exact in binary) so that rows
// must come out different: a kernel that mixes up rows is caught.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

namespace {

struct Case {
  std::string op;
  long k = 0;
  std::map<std::string, std::vector<double>> v;
};

std::vector<Case> load_cases() {
  std::ifstream in(POLYBATCH_FIXTURE_DIR "/algebra_numpy.txt");
  REQUIRE(in.good());
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "case") {
      cases.emplace_back();
      words >> cases.back().op >> cases.back().k;
      continue;
    }
    REQUIRE(!cases.empty());
    std::vector<double> values;
    double x;
    while (words >> x) values.push_back(x);
    cases.back().v[key] = values;
  }
  return cases;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = load_cases();
  return all;
}

pb::PolyBatch<double> batch_of(const std::vector<double>& row) {
  return pb::PolyBatch<double>(xt::xtensor<double, 1>(xt::adapt(row, {row.size()})));
}

/// Row i of batch3 is the fixture row times scales[i] (powers of two: exact).
constexpr double scales[3] = {1.0, -2.0, 0.5};

pb::PolyBatch<double> batch3(const std::vector<double>& row) {
  pb::PolyBatch<double> p(3, row.size());
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t k = 0; k < row.size(); ++k) p(i, k) = scales[i] * row[k];
  return p;
}

/// Row i must be want times factor(i) (the operation's scaling: s for a
/// linear one, s^k for pow), to a relative tol (absolute near zero).
template <class F>
void check_rows(const pb::PolyBatch<double>& got, const std::vector<double>& want, double tol, F factor) {
  REQUIRE(got.length() == want.size());
  for (std::size_t i = 0; i < got.batch_size(); ++i)
    for (std::size_t k = 0; k < want.size(); ++k) {
      INFO("row " << i << " coefficient " << k);
      REQUIRE(got(i, k) == Approx(factor(i) * want[k]).epsilon(tol).margin(tol * std::abs(factor(i))));
    }
}
double linear(std::size_t i) { return scales[i]; }

std::size_t count(const std::string& op) {
  return static_cast<std::size_t>(
      std::count_if(cases().begin(), cases().end(), [&](const Case& c) { return c.op == op; }));
}

} // namespace

TEST_CASE("fixtures cover every operation", "[algebra][numpy]") {
  CHECK(count("polyder") == 8);
  CHECK(count("polyint") == 8);
  CHECK(count("polypow") == 48);
  CHECK(count("polyval") == 8);
  CHECK(count("compose") == 40);
  CHECK(count("polydiv") == 40);
}

TEST_CASE("derivative and integral match numpy polyder / polyint", "[algebra][numpy]") {
  for (const Case& c : cases()) {
    if (c.op == "polyder") {
      check_rows(pb::eval(pb::derivative(batch3(c.v.at("a")))), c.v.at("out"), 1e-12, linear);
    } else if (c.op == "polyint") {
      check_rows(pb::eval(pb::integral(batch3(c.v.at("a")))), c.v.at("out"), 1e-12, linear);
    }
  }
}

TEST_CASE("pow matches numpy polypow, full and truncated", "[algebra][numpy]") {
  for (const Case& c : cases()) {
    if (c.op != "polypow") continue;
    const auto a = batch3(c.v.at("a"));
    const auto& want = c.v.at("out");
    INFO("La = " << a.length() << ", k = " << c.k);
    const auto power = [&](std::size_t i) { return std::pow(scales[i], double(c.k)); };
    check_rows(pb::eval(pb::pow(a, c.k)), want, 1e-11, power);
    for (std::size_t n = 1; n <= want.size() + 1; ++n) {
      std::vector<double> prefix(n, 0.0);
      std::copy_n(want.begin(), std::min(n, want.size()), prefix.begin());
      check_rows(pb::eval(pb::truncate(pb::pow(a, c.k), n)), prefix, 1e-11, power);
    }
  }
}

TEST_CASE("compose matches numpy Polynomial(a)(Polynomial(b)), full and truncated", "[algebra][numpy]") {
  for (const Case& c : cases()) {
    if (c.op != "compose") continue;
    const auto a = batch3(c.v.at("a"));
    const auto b = batch_of(c.v.at("b")); // a batch of one, broadcast
    const auto& want = c.v.at("out");
    INFO("La = " << a.length() << ", Lb = " << b.length());
    check_rows(pb::eval(pb::compose(a, b)), want, 1e-12, linear);
    for (std::size_t n = 1; n <= want.size(); ++n)
      check_rows(pb::eval(pb::truncate(pb::compose(a, b), n)), std::vector<double>(want.begin(), want.begin() + n),
                 1e-12, linear);
  }
}

TEST_CASE("evaluate matches numpy polyval in all three forms", "[algebra][numpy]") {
  for (const Case& c : cases()) {
    if (c.op != "polyval") continue;
    const auto a = batch3(c.v.at("a"));
    const auto& x = c.v.at("x");
    const auto& want = c.v.at("out");
    for (std::size_t p = 0; p < x.size(); ++p) {
      const auto scalar_form = pb::evaluate(a, x[p]);
      REQUIRE(scalar_form.size() == 3);
      for (std::size_t i = 0; i < 3; ++i)
        REQUIRE(scalar_form(i) == Approx(scales[i] * want[p]).epsilon(1e-12).margin(1e-12));
    }
    xt::xtensor<double, 1> per_row = {x[0], x[1], x[2]};
    const auto row_form = pb::evaluate(a, per_row);
    for (std::size_t i = 0; i < 3; ++i)
      REQUIRE(row_form(i) == Approx(scales[i] * want[i]).epsilon(1e-12).margin(1e-12));
    xt::xtensor<double, 2> grid = xt::xtensor<double, 2>::from_shape({3, x.size()});
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t p = 0; p < x.size(); ++p) grid(i, p) = x[p];
    const auto grid_form = pb::evaluate(a, grid);
    REQUIRE(grid_form.shape()[0] == 3);
    REQUIRE(grid_form.shape()[1] == x.size());
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t p = 0; p < x.size(); ++p)
        REQUIRE(grid_form(i, p) == Approx(scales[i] * want[p]).epsilon(1e-12).margin(1e-12));
  }
}

TEST_CASE("divmod matches numpy polydiv", "[algebra][numpy]") {
  for (const Case& c : cases()) {
    if (c.op != "polydiv") continue;
    const auto a = batch3(c.v.at("a"));
    const auto b = batch_of(c.v.at("b"));
    INFO("La = " << a.length() << ", Lb = " << b.length());
    const auto [q, r] = pb::divmod(a, b);
    check_rows(q, c.v.at("q"), 1e-10, linear);
    check_rows(r, c.v.at("r"), 1e-10, linear);
  }
}
