// Must not compile: a std::string is not a scale factor for double
// coefficients (ScaleFactorFor is not satisfied, no operator* matches).
// expect: no match for .*operator\*|invalid operands to binary expression
// expect: ScaleFactorFor<.*basic_string<char
#include <string>

#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<double> a(2, 3);
  auto e = std::string("2") * a;
  (void)e;
}
