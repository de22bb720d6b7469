// pb::verify catching catastrophic cancellation in a double expression.
// Row i holds (x - a_i) and (x + a_i) with a_i near 1. Exactly,
// (x - a)^8 (x + a)^8 = (x^2 - a^2)^8, whose odd coefficients are 0; in
// double the expanded powers have large alternating coefficients whose
// products cancel and leave rounding noise. verify reports that noise
// (relative to the row's magnitude where the exact value is 0) and the row.
//
//   ./verify_cancellation [--rows N]
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <polybatch/polybatch.hpp>
#include <string>

namespace pb = polybatch;

int main(int argc, char** argv) {
  std::size_t rows = 1000;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--rows") rows = static_cast<std::size_t>(std::stoul(argv[i + 1]));

  pb::PolyBatch<double> linear(rows, 2);
  pb::PolyBatch<double> partner(rows, 2);
  for (std::size_t i = 0; i < rows; ++i) {
    const double a = 1.0 + static_cast<double>(i) / 3.0 * 1e-3;
    linear(i, 0) = -a;
    linear(i, 1) = 1.0;
    partner(i, 0) = a;
    partner(i, 1) = 1.0;
  }
  auto p = pb::pow(linear, 8) * pb::pow(partner, 8);
  const pb::verify_report in_double = pb::verify(p);
  std::cout << "double:        " << in_double << "\n";

  // The same expression in double-double: the error drops by ~2^-53.
  const pb::PolyBatch<pb::dd> linear_dd = pb::cast<pb::dd>(linear);
  const pb::PolyBatch<pb::dd> partner_dd = pb::cast<pb::dd>(partner);
  const pb::verify_report in_dd = pb::verify(pb::pow(linear_dd, 8) * pb::pow(partner_dd, 8));
  std::cout << "double_double: " << in_dd << "\n";

  // And exactly (cpp_rational): zero error by construction.
  const pb::PolyBatch<boost::multiprecision::cpp_rational> linear_q =
      pb::cast<boost::multiprecision::cpp_rational>(linear);
  std::cout << "cpp_rational:  " << pb::verify(linear_q * linear_q) << "\n";

  const bool caught = in_double.max_rel_error > 1e-12 && in_dd.max_rel_error < in_double.max_rel_error * 1e-10;
  std::cout << (caught ? "verify caught the cancellation in double; double_double fixes it\n"
                       : "unexpected: no cancellation detected\n");
  return caught ? EXIT_SUCCESS : EXIT_FAILURE;
}
