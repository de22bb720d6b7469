// PolyBatch and PolyView (pb::adapt): every construction form of the
// contract's Containers table, shape queries, element access, coeffs(),
// equality, and views over caller-owned memory, for every machine scalar.
#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

#define POLYBATCH_MACHINE_TYPES float, double, long double, std::int32_t, std::int64_t

TEMPLATE_TEST_CASE("PolyBatch(B, L) holds B zero polynomials of length L", "[container]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const pb::PolyBatch<T> p(3, 4);
  CHECK(p.batch_size() == 3);
  CHECK(p.length() == 4);
  CHECK(p.degree() == 3);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t k = 0; k < 4; ++k) CHECK(p(i, k) == T(0));

  CHECK_THROWS_AS(pb::PolyBatch<T>(0, 4), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<T>(3, 0), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<T>(0, 0), pb::shape_error);
  // shape_error is an invalid_argument, as the contract's Errors section says.
  CHECK_THROWS_AS(pb::PolyBatch<T>(0, 4), std::invalid_argument);
}

TEMPLATE_TEST_CASE("PolyBatch from xtensor<T,2> and xtensor<T,1>", "[container]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const xt::xtensor<T, 2> c{{T(1), T(2), T(3)}, {T(4), T(5), T(6)}};
  const pb::PolyBatch<T> p(c);
  REQUIRE(p.batch_size() == 2);
  REQUIRE(p.length() == 3);
  CHECK(p(0, 0) == T(1));
  CHECK(p(0, 2) == T(3));
  CHECK(p(1, 0) == T(4));
  CHECK(p(1, 2) == T(6));
  CHECK(p.coeffs() == c);

  const xt::xtensor<T, 1> v{T(7), T(8)};
  const pb::PolyBatch<T> q(v);
  REQUIRE(q.batch_size() == 1);
  REQUIRE(q.length() == 2);
  CHECK(q.degree() == 1);
  CHECK(q(0, 0) == T(7));
  CHECK(q(0, 1) == T(8));

  CHECK_THROWS_AS(pb::PolyBatch<T>(xt::xtensor<T, 2>::from_shape({0, 3})), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<T>(xt::xtensor<T, 2>::from_shape({2, 0})), pb::shape_error);
  CHECK_THROWS_AS(pb::PolyBatch<T>(xt::xtensor<T, 1>::from_shape({0})), pb::shape_error);
}

TEMPLATE_TEST_CASE("PolyBatch from nested braces", "[container]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const pb::PolyBatch<T> p{{1, 2, 3}, {4, 5, 6}};
  REQUIRE(p.batch_size() == 2);
  REQUIRE(p.length() == 3);
  CHECK(p(0, 1) == T(2));
  CHECK(p(1, 2) == T(6));

  const pb::PolyBatch<T> one{{5}};
  CHECK(one.batch_size() == 1);
  CHECK(one.length() == 1);
  CHECK(one.degree() == 0);
  CHECK(one(0, 0) == T(5));

  CHECK_THROWS_AS((pb::PolyBatch<T>{{1, 2, 3}, {4, 5}}), pb::shape_error);
  CHECK_THROWS_AS((pb::PolyBatch<T>{{1}, {2, 3}}), pb::shape_error);
  CHECK_THROWS_AS((pb::PolyBatch<T>{{}}), pb::shape_error);
  CHECK_THROWS_AS((pb::PolyBatch<T>{{}, {}}), pb::shape_error);
}

TEMPLATE_TEST_CASE("default-constructed PolyBatch is one zero polynomial of length 1", "[container]",
                   POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  pb::PolyBatch<T> p;
  CHECK(p.batch_size() == 1);
  CHECK(p.length() == 1);
  CHECK(p.degree() == 0);
  CHECK(p(0, 0) == T(0));
  // A default-constructed batch is a usable assignment target.
  const pb::PolyBatch<T> a{{1, 2}, {3, 4}};
  p = a * a;
  CHECK(p == pb::PolyBatch<T>{{1, 4, 4}, {9, 24, 16}});
}

TEMPLATE_TEST_CASE("p(i, k) reads and writes; out of range throws", "[container]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  pb::PolyBatch<T> p(2, 3);
  p(1, 2) = T(9);
  p(0, 0) = T(-4);
  CHECK(p(1, 2) == T(9));
  CHECK(p(0, 0) == T(-4));
  CHECK(p.data()[1 * 3 + 2] == T(9));
  CHECK(p.coeffs()(1, 2) == T(9));

  CHECK_THROWS_AS(p(2, 0), std::out_of_range);
  CHECK_THROWS_AS(p(0, 3), std::out_of_range);
  CHECK_THROWS_AS(p(7, 7), std::out_of_range);
  const pb::PolyBatch<T>& cp = p;
  CHECK_THROWS_AS(cp(2, 0), std::out_of_range);
  CHECK_THROWS_AS(cp(0, 3), std::out_of_range);
  CHECK_THROWS_WITH(p(2, 0), Catch::Contains("(2, 0)") && Catch::Contains("B=2, L=3"));
}

TEMPLATE_TEST_CASE("coeffs() const and non-const", "[container]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  pb::PolyBatch<T> p{{1, 2}, {3, 4}, {5, 6}};
  static_assert(std::is_same_v<decltype(p.coeffs()), xt::xtensor<T, 2>&>);
  static_assert(std::is_same_v<decltype(std::as_const(p).coeffs()), const xt::xtensor<T, 2>&>);
  const auto& c = std::as_const(p).coeffs();
  CHECK(c.shape()[0] == 3);
  CHECK(c.shape()[1] == 2);
  CHECK(c(2, 1) == T(6));
  p.coeffs()(2, 1) = T(60);
  CHECK(p(2, 1) == T(60));
  // Whole-array xtensor operations act on the storage.
  p.coeffs() *= T(2);
  CHECK(p == pb::PolyBatch<T>{{2, 4}, {6, 8}, {10, 120}});
}

TEMPLATE_TEST_CASE("== and != compare shape and every coefficient", "[container]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const pb::PolyBatch<T> a{{1, 2, 3}, {4, 5, 6}};
  pb::PolyBatch<T> b{{1, 2, 3}, {4, 5, 6}};
  CHECK(a == b);
  CHECK_FALSE(a != b);
  b(1, 2) = T(7);
  CHECK(a != b);
  CHECK_FALSE(a == b);
  // Same coefficients, different shape.
  const pb::PolyBatch<T> flat{{1, 2, 3, 4, 5, 6}};
  const pb::PolyBatch<T> tall{{1, 2}, {3, 4}, {5, 6}};
  CHECK(a != flat);
  CHECK(a != tall);
  // Expressions are evaluated before comparing.
  CHECK(a + a == T(2) * a);
  CHECK(a * pb::PolyBatch<T>{{1}} == a);
  CHECK(a * pb::PolyBatch<T>{{2}} != a);
}

TEMPLATE_TEST_CASE("pb::adapt views caller memory without copying", "[container][view]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  std::vector<T> memory{1, 2, 3, 4, 5, 6};
  auto v = pb::adapt(memory.data(), 2, 3);
  static_assert(std::is_same_v<decltype(v), pb::PolyView<T>>);
  CHECK(v.batch_size() == 2);
  CHECK(v.length() == 3);
  CHECK(v.degree() == 2);
  CHECK(v.data() == memory.data());
  CHECK(v(1, 0) == T(4));

  SECTION("writes go through to the memory") {
    v(0, 1) = T(20);
    CHECK(memory[1] == T(20));
    memory[5] = T(60);
    CHECK(v(1, 2) == T(60));
    v.coeffs()(1, 1) = T(50);
    CHECK(memory[4] == T(50));
  }
  SECTION("assigning an expression writes into the memory in place") {
    const pb::PolyBatch<T> a{{1, 1, 1}, {2, 2, 2}};
    v = a + a;
    CHECK(v.data() == memory.data());
    CHECK(memory == std::vector<T>{2, 2, 2, 4, 4, 4});
    v += a;
    CHECK(memory == std::vector<T>{3, 3, 3, 6, 6, 6});
    v -= a;
    CHECK(memory == std::vector<T>{2, 2, 2, 4, 4, 4});
    v *= pb::PolyBatch<T>{{3}};
    CHECK(memory == std::vector<T>{6, 6, 6, 12, 12, 12});
  }
  SECTION("a view is an operand like a PolyBatch") {
    const pb::PolyBatch<T> copy{{1, 2, 3}, {4, 5, 6}};
    CHECK(v == copy);
    CHECK(copy == v);
    const pb::PolyBatch<T> squared = v * v;
    CHECK(squared == copy * copy);
    const auto evaluated = pb::eval(v);
    static_assert(std::is_same_v<std::remove_const_t<decltype(evaluated)>, pb::PolyBatch<T>>);
    CHECK(evaluated == copy);
    CHECK(evaluated.data() != memory.data());
  }
  SECTION("view = view copies coefficients, not the handle") {
    std::vector<T> other(6, T(0));
    auto w = pb::adapt(other.data(), 2, 3);
    w = v;
    CHECK(w.data() == other.data());
    CHECK(other == memory);
  }
  SECTION("out-of-range access throws") {
    CHECK_THROWS_AS(v(2, 0), std::out_of_range);
    CHECK_THROWS_AS(v(0, 3), std::out_of_range);
  }
}

TEMPLATE_TEST_CASE("pb::adapt over const memory is a read-only operand", "[container][view]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const std::vector<T> memory{1, 2, 3, 4};
  auto v = pb::adapt(memory.data(), 2, 2);
  static_assert(std::is_same_v<decltype(v), pb::PolyView<const T>>);
  static_assert(decltype(v)::is_read_only);
  static_assert(std::is_same_v<decltype(v(0, 0)), const T&>);
  static_assert(!std::is_assignable_v<decltype(v)&, pb::PolyBatch<T>>);
  static_assert(std::is_assignable_v<pb::PolyView<T>&, pb::PolyBatch<T>>);
  CHECK(v.data() == memory.data());
  CHECK(v(1, 1) == T(4));
  const pb::PolyBatch<T> sum = v + v;
  CHECK(sum == pb::PolyBatch<T>{{2, 4}, {6, 8}});
  // A writable view converts to a read-only one.
  std::vector<T> writable{1, 2};
  const pb::PolyView<const T> ro = pb::adapt(writable.data(), 1, 2);
  CHECK(ro(0, 1) == T(2));
}

TEMPLATE_TEST_CASE("pb::eval returns a fresh PolyBatch", "[container]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  const pb::PolyBatch<T> a{{1, 2}, {3, 4}};
  const pb::PolyBatch<T> b{{1, -1}};
  auto r = pb::eval(a * b);
  static_assert(std::is_same_v<decltype(r), pb::PolyBatch<T>>);
  CHECK(r == pb::PolyBatch<T>{{1, 1, -2}, {3, 1, -4}});
  auto copy = pb::eval(a);
  CHECK(copy == a);
  CHECK(copy.data() != a.data());
}

TEMPLATE_TEST_CASE("PolyBatch copy and move", "[container]", POLYBATCH_MACHINE_TYPES) {
  using T = TestType;
  pb::PolyBatch<T> a{{1, 2}, {3, 4}};
  pb::PolyBatch<T> b = a;
  CHECK(b == a);
  CHECK(b.data() != a.data());
  const T* storage = b.data();
  pb::PolyBatch<T> c = std::move(b);
  CHECK(c.data() == storage);
  CHECK(c == a);
  pb::PolyBatch<T> d(5, 5);
  d = c;
  CHECK(d == a);
}
