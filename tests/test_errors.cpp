// Every foundation error path: the exception type, and a message that names
// the operation and the shapes or values involved.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;
using Catch::Contains;

TEST_CASE("error types derive from the standard ones", "[errors]") {
  STATIC_REQUIRE(std::is_base_of_v<std::invalid_argument, pb::shape_error>);
  STATIC_REQUIRE(std::is_base_of_v<std::domain_error, pb::domain_error>);
}

TEST_CASE("a batch mismatch throws when the expression is built", "[errors][shape]") {
  const pb::PolyBatch<double> a(3, 2);
  const pb::PolyBatch<double> b(4, 5);
// Catch2 v2 composed matchers hold references to their parts, so they are
// written out in each assertion rather than stored.
#define NAMES_BOTH Contains("B=3, L=2") && Contains("B=4, L=5")

  CHECK_THROWS_AS(a * b, pb::shape_error);
  CHECK_THROWS_WITH(a * b, Contains("a * b") && NAMES_BOTH);
  CHECK_THROWS_WITH(a + b, Contains("a + b") && NAMES_BOTH);
  CHECK_THROWS_WITH(a - b, Contains("a - b") && NAMES_BOTH);
  CHECK_THROWS_WITH(pb::convolve(a, b, pb::mode::same), Contains("convolve") && NAMES_BOTH);
  CHECK_THROWS_WITH(pb::convolve(a, b, pb::mode::valid), Contains("convolve") && NAMES_BOTH);
  CHECK_THROWS_WITH(pb::convolve(a, b), NAMES_BOTH);
  CHECK_THROWS_WITH(pb::correlate(a, b), Contains("correlate") && NAMES_BOTH);
  CHECK_THROWS_WITH(pb::correlate(a, b, pb::mode::full), Contains("correlate") && NAMES_BOTH);
  // Reversed operands name the shapes the other way round.
  CHECK_THROWS_WITH(b * a, Contains("lhs (B=4, L=5)") && Contains("rhs (B=3, L=2)"));
  // Inside a larger expression the node that fails names its own operands.
  const pb::PolyBatch<double> c(3, 1);
  CHECK_THROWS_WITH((a * c) + b, Contains("a + b") && Contains("B=3, L=2") && Contains("B=4, L=5"));
  // Compound assignment builds the same node.
  pb::PolyBatch<double> r(3, 2);
  CHECK_THROWS_WITH(r *= b, Contains("a * b") && NAMES_BOTH);
  CHECK_THROWS_WITH(r += b, Contains("a + b") && NAMES_BOTH);
  CHECK_THROWS_WITH(r -= b, Contains("a - b") && NAMES_BOTH);
  CHECK(r == pb::PolyBatch<double>(3, 2));
  // A batch of one broadcasts, so it is never a mismatch.
  CHECK_NOTHROW(a * pb::PolyBatch<double>(1, 4));
  CHECK_NOTHROW(pb::PolyBatch<double>(1, 4) - b);
}

TEST_CASE("a referenced operand resized after building is caught at evaluation", "[errors][shape]") {
  const pb::PolyBatch<std::int64_t> a(3, 2);
  pb::PolyBatch<std::int64_t> b(3, 2);
  const auto e = a * b;
  b.coeffs().resize({4, 2});
  CHECK_THROWS_AS(pb::eval(e), pb::shape_error);
}

TEST_CASE("a batch resized through coeffs() to no coefficients is refused, not read", "[errors][shape]") {
  pb::PolyBatch<double> p{{1, 2}, {3, 4}};
  const pb::PolyBatch<double> q{{1, 1}, {2, 2}};
  p.coeffs().resize({2, 0});
  CHECK_THROWS_AS(pb::evaluate(p, 2.0), pb::shape_error);
  CHECK_THROWS_AS(pb::divmod(q, p), pb::shape_error);
  CHECK_THROWS_AS(pb::roots(p), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<double>(q * p), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<double>(p * q), pb::shape_error);
  pb::PolyBatch<std::int64_t> i{{1, 2}};
  i.coeffs().resize({1, 0});
  CHECK_THROWS_AS(pb::evaluate(i, 2), pb::shape_error);
  // Resized after the product was built (alone and inside a sum): refused
  // when evaluated, before a kernel reads La + Lb - 1 coefficients.
  pb::PolyBatch<double> r{{1, 2}, {3, 4}};
  const auto product = q * r;
  const auto sum = q * r + q;
  r.coeffs().resize({2, 0});
  CHECK_THROWS_AS(pb::PolyBatch<double>(product), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<double>(sum), pb::shape_error);
}

TEST_CASE("an integer overflow under a cast is an overflow_error naming the operand's type", "[errors][cast]") {
  const pb::PolyBatch<std::int8_t> a{{1, 1}, {100, 100}};
  CHECK_THROWS_AS(pb::PolyBatch<double>(pb::cast<double>(a * a)), pb::overflow_error);
  CHECK_THROWS_WITH(pb::PolyBatch<std::int64_t>(pb::cast<std::int64_t>(a * a)),
                    Catch::Contains("row 1, coefficient 0") && Catch::Contains("8-bit integer") &&
                        Catch::Contains("pb::rebind"));
  // What the message suggests works: the same expression in a wide type.
  const pb::PolyBatch<std::int64_t> wide = pb::rebind<std::int64_t>(a * a);
  CHECK(wide(1, 1) == 20000);
}

TEST_CASE("assigning the wrong shape into a view", "[errors][view]") {
  std::vector<float> memory(6, 1.0f);
  auto view = pb::adapt(memory.data(), 2, 3);
  const pb::PolyBatch<float> wrong_length(2, 4);
  const pb::PolyBatch<float> wrong_batch(3, 3);
  CHECK_THROWS_AS(view = wrong_length, pb::shape_error);
  CHECK_THROWS_WITH(view = wrong_length, Contains("view = e") && Contains("B=2, L=4") && Contains("B=2, L=3"));
  CHECK_THROWS_WITH(view = wrong_batch * wrong_batch, Contains("B=3, L=5") && Contains("B=2, L=3"));
  CHECK_THROWS_WITH(view += wrong_length, Contains("view += e"));
  CHECK_THROWS_WITH(view -= wrong_length, Contains("view -= e"));
  CHECK_THROWS_WITH(view *= wrong_length, Contains("view *= e"));
  std::vector<float> other(8);
  CHECK_THROWS_WITH(view = pb::adapt(other.data(), 2, 4), Contains("B=2, L=4"));
  CHECK(memory == std::vector<float>(6, 1.0f));
}

TEST_CASE("invalid shapes for containers and views", "[errors][shape]") {
  CHECK_THROWS_WITH(pb::PolyBatch<double>(0, 3), Contains("PolyBatch(B, L)") && Contains("B=0, L=3"));
  CHECK_THROWS_WITH(pb::PolyBatch<double>(2, 0), Contains("B=2, L=0"));
  CHECK_THROWS_AS((pb::PolyBatch<int>{{1, 2}, {3}}), pb::shape_error);
  CHECK_THROWS_WITH((pb::PolyBatch<int>{{1, 2}, {3}}), Contains("ragged") && Contains("row 1 has 1"));
  CHECK_THROWS_WITH(pb::PolyBatch<double>(xt::xtensor<double, 2>::from_shape({0, 4})), Contains("B=0, L=4"));
  std::vector<double> memory(4);
  CHECK_THROWS_AS(pb::adapt(memory.data(), 0, 4), pb::shape_error);
  CHECK_THROWS_AS(pb::adapt(memory.data(), 4, 0), pb::shape_error);
}

TEST_CASE("adapt refuses a null pointer", "[errors][view]") {
  double* null = nullptr;
  const double* const_null = nullptr;
  CHECK_THROWS_AS(pb::adapt(null, 2, 3), pb::shape_error);
  CHECK_THROWS_WITH(pb::adapt(null, 2, 3), Contains("null pointer") && Contains("B=2, L=3"));
  CHECK_THROWS_AS(pb::adapt(const_null, 1, 1), pb::shape_error);
}

TEST_CASE("index out of range", "[errors]") {
  pb::PolyBatch<std::int32_t> p(2, 3);
  CHECK_THROWS_AS(p(2, 0), std::out_of_range);
  CHECK_THROWS_AS(p(0, 3), std::out_of_range);
  CHECK_THROWS_WITH(p(0, 3), Contains("(0, 3)") && Contains("B=2, L=3"));
  std::vector<std::int32_t> memory(6);
  const auto view = pb::adapt(memory.data(), 3, 2);
  CHECK_THROWS_AS(view(3, 0), std::out_of_range);
  CHECK_THROWS_WITH(view(0, 2), Contains("(0, 2)") && Contains("B=3, L=2"));
}

TEST_CASE("set_num_threads refuses fewer than one thread", "[errors][threads]") {
  const std::size_t before = pb::num_threads();
  CHECK_THROWS_AS(pb::set_num_threads(0), pb::domain_error);
  CHECK_THROWS_WITH(pb::set_num_threads(0), Contains("set_num_threads") && Contains("0"));
  CHECK_THROWS_AS(pb::set_num_threads(-3), pb::domain_error);
  CHECK_THROWS_WITH(pb::set_num_threads(-3), Contains("-3"));
  CHECK_THROWS_AS(pb::set_num_threads(std::size_t(0)), pb::domain_error);
  CHECK_THROWS_AS(pb::set_num_threads(0u), pb::domain_error);
  CHECK_THROWS_AS(pb::set_num_threads(std::int64_t{-1}), pb::domain_error);
  CHECK(pb::num_threads() == before);
  pb::set_num_threads(1);
  CHECK(pb::num_threads() == 1);
  // Every integer type is accepted without ambiguity.
  const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  pb::set_num_threads(hardware);
  CHECK(pb::num_threads() == hardware);
  pb::set_num_threads(2L);
  CHECK(pb::num_threads() == 2);
  pb::set_num_threads(std::uint8_t{3});
  CHECK(pb::num_threads() == 3);
  pb::set_num_threads(before);
  CHECK(pb::num_threads() == before);
}

TEST_CASE("a scale factor the coefficient type cannot hold", "[errors][scale]") {
  const pb::PolyBatch<std::int32_t> a(2, 2);
  CHECK_THROWS_AS(0.25 * a, pb::domain_error);
  CHECK_THROWS_WITH(0.25 * a, Contains("s * a") && Contains("0.25"));
  CHECK_THROWS_AS(a * 0.25, pb::domain_error);
}

TEST_CASE("verify: a non-finite computed value names its row and coefficient; zeros in rows", "[errors][verify]") {
  const pb::PolyBatch<double> a{{1.0, 2.0}, {1e300, 1e300}, {3.0, 4.0}};
  CHECK_THROWS_WITH(pb::verify(a * a), Catch::Contains("pb::verify: row 1, coefficient 0") && Catch::Contains("inf"));
  // Zeros among a row's values: their products take no part in the sums
  // (the sanitizer build checks no shift by a negative amount is made).
  const pb::PolyBatch<double> b{{1.0, 0.0, 3.0}, {0.0, 0.0, 0.0}}, c{{2.0, 0.0, 1.0}};
  const pb::verify_report r = pb::verify(b * c);
  CHECK(r.max_abs_error == 0.0);
  const pb::PolyBatch<double> p = b * c;
  CHECK(p(0, 0) == 2.0);
  CHECK(p(0, 2) == 7.0);
  CHECK(p(0, 4) == 3.0);
}
