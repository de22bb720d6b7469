// pb::verify catching catastrophic cancellation in a double expression.
// Row i holds u(x) = u_i + x and v(x) = 1 + x with u_i = 1 + i * 1e-9 / 3.
// u*u - v*v has constant coefficient u_i^2 - 1 = (u_i - 1)(u_i + 1), about
// 1e-9: in double, u_i^2 is rounded at 1e-16 before the subtraction, so that
// coefficient keeps only about 7 correct digits. verify finds the row and
// the loss; in double-double the same expression is exact here (a product
// of two doubles always fits in a double-double).
//
//   ./verify_cancellation [--rows N]
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <polybatch/polybatch.hpp>

#include "example_options.hpp"
#include <string>

namespace pb = polybatch;

int main(int argc, char** argv) {
  const example::Options options(argc, argv, {"--rows"});
  const std::size_t rows = options.count("--rows", 1000, 1, 10'000'000);

  pb::PolyBatch<double> u(rows, 2);
  pb::PolyBatch<double> v(rows, 2);
  for (std::size_t i = 0; i < rows; ++i) {
    u(i, 0) = 1.0 + static_cast<double>(i + 1) * 1e-9 / 3.0;
    u(i, 1) = 1.0;
    v(i, 0) = 1.0;
    v(i, 1) = 1.0;
  }
  const pb::verify_report in_double = pb::verify(u * u - v * v);
  std::cout << "double:        " << in_double << "\n";

  const pb::PolyBatch<pb::dd> u_dd = pb::cast<pb::dd>(u);
  const pb::PolyBatch<pb::dd> v_dd = pb::cast<pb::dd>(v);
  const pb::verify_report in_dd = pb::verify(u_dd * u_dd - v_dd * v_dd);
  std::cout << "double_double: " << in_dd << "\n";

  using boost::multiprecision::cpp_rational;
  const pb::PolyBatch<cpp_rational> u_q = pb::cast<cpp_rational>(u);
  const pb::PolyBatch<cpp_rational> v_q = pb::cast<cpp_rational>(v);
  std::cout << "cpp_rational:  " << pb::verify(u_q * u_q - v_q * v_q) << "\n";

  const bool caught = in_double.max_rel_error > 1e-9 && in_dd.max_rel_error < in_double.max_rel_error * 1e-10;
  std::cout << (caught ? "verify caught the cancellation in double; double_double fixes it\n"
                       : "unexpected: no cancellation detected\n");
  return caught ? EXIT_SUCCESS : EXIT_FAILURE;
}
