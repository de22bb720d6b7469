// Must not compile: std::string is not a polybatch Scalar, so
// PolyBatch<std::string> violates the class template's constraint.
// expect: template constraint failure|constraints not satisfied for class template
// expect: PolyBatch
#include <string>

#include <polybatch/polybatch.hpp>

int main() {
  polybatch::PolyBatch<std::string> p;
  (void)p;
}
