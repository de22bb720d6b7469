// pb::verify against a hand computation, pb::cast semantics (exact from
// binary floating point, refusing fractional values for integers).
#include <boost/multiprecision/cpp_int.hpp>
#include <sstream>

#include "exact/exact_common.hpp"

namespace pb = polybatch;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

TEST_CASE("verify: figures agree with a hand computation", "[exact][verify]") {
  // Row 0: (1e8 + x)(1e8 - x) = 1e16 + 0x - x^2: all exact in double.
  // Row 1: (0.1 + 0.2x)(0.3): coefficient 0 = fl(0.1 * 0.3). Its exact value
  // is d(0.1) * d(0.3), where d() is the double nearest; the error is
  // |fl(p) - p| for p = d(0.1) d(0.3), computed here exactly by hand.
  pb::PolyBatch<double> a{{1e8, 1.0}, {0.1, 0.2}};
  pb::PolyBatch<double> b{{1e8, -1.0}, {0.3, 0.0}};
  const auto report = pb::verify(a * b);
  const cpp_rational p0 = cpp_rational(0.1) * cpp_rational(0.3);
  const cpp_rational e0 = abs(cpp_rational(0.1 * 0.3) - p0);
  const cpp_rational p1 = cpp_rational(0.2) * cpp_rational(0.3);
  const cpp_rational e1 = abs(cpp_rational(0.2 * 0.3) - p1);
  const cpp_rational max_abs = std::max(e0, e1);
  REQUIRE(report.max_abs_error_exact == max_abs);
  const cpp_rational rel = std::max(e0 / p0, e1 / p1);
  REQUIRE(report.max_rel_error_exact == rel);
  REQUIRE(report.worst_row == 1);
  REQUIRE(report.max_abs_error == static_cast<double>(max_abs));
  std::ostringstream os;
  os << report;
  REQUIRE(os.str().find("max_rel_error") != std::string::npos);
}

TEST_CASE("verify: an exact zero is measured against the row's magnitude", "[exact][verify]") {
  // Hand-made computed/exact pair: in row 0 coefficient 0 is exactly 0 but
  // computed as 2^-70; the row's largest exact magnitude is 2, so the
  // relative error is 2^-71. Coefficient 1 of row 1 is off by 2^-60 against
  // an exact 1 + 2^-60: relative 2^-60 / (1 + 2^-60) is the maximum.
  const cpp_rational tiny60(cpp_int(1), cpp_int(1) << 60);
  pb::PolyBatch<double> computed{{0x1p-70, 2.0}, {3.0, 1.0}};
  pb::PolyBatch<cpp_rational> exact{{cpp_rational(0), cpp_rational(2)}, {cpp_rational(3), 1 + tiny60}};
  auto report = pb::verify_against(computed, exact);
  REQUIRE(report.max_abs_error_exact == tiny60);
  REQUIRE(report.max_rel_error_exact == tiny60 / (1 + tiny60));
  REQUIRE(report.worst_row == 1);
  REQUIRE(report.worst_coefficient == 1);
  // Without row 1, the zero coefficient decides: 2^-70 / 2.
  pb::PolyBatch<double> computed0{{0x1p-70, 2.0}};
  pb::PolyBatch<cpp_rational> exact0{{cpp_rational(0), cpp_rational(2)}};
  report = pb::verify_against(computed0, exact0);
  REQUIRE(report.max_rel_error_exact == cpp_rational(cpp_int(1), cpp_int(1) << 71));
  REQUIRE(report.worst_coefficient == 0);
  // An all-zero exact row with a nonzero computed value: infinite.
  pb::PolyBatch<double> computed1{{1e-30}};
  pb::PolyBatch<cpp_rational> exact1{{cpp_rational(0)}};
  REQUIRE(std::isinf(pb::verify_against(computed1, exact1).max_rel_error));
}

TEST_CASE("cast: exact from binary floating point, integers refuse fractions", "[exact][cast]") {
  pb::PolyBatch<double> a{{0.1, 2.0, -3.5}};
  const pb::PolyBatch<cpp_rational> q = pb::cast<cpp_rational>(a);
  REQUIRE(q(0, 0) == cpp_rational(3602879701896397LL, cpp_int(1) << 55));
  REQUIRE(q(0, 2) == cpp_rational(-7, 2));
  pb::PolyBatch<double> whole{{1e20, -4.0}};
  const pb::PolyBatch<cpp_int> z = pb::cast<cpp_int>(whole * whole);
  REQUIRE(z(0, 0) == cpp_int(1e20 * 1e20)); // the double product, converted exactly
  REQUIRE_THROWS_AS(pb::PolyBatch<cpp_int>(pb::cast<cpp_int>(a)), pb::domain_error);
  // Casts compose inside expressions and with exact evaluation.
  const pb::PolyBatch<cpp_rational> mixed = pb::cast<cpp_rational>(a) * q;
  REQUIRE(mixed(0, 0) == q(0, 0) * q(0, 0));
  const pb::PolyBatch<double> back = pb::cast<double>(mixed);
  REQUIRE(back(0, 4) == 12.25);
}
