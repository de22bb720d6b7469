// Must not compile: a view over const memory is read-only; its assignment
// operators are constrained on !is_read_only.
// expect: no match for .*operator=|no viable overloaded '='
// expect: is_read_only
#include <polybatch/polybatch.hpp>

int main() {
  const double memory[6] = {};
  auto view = polybatch::adapt(memory, 2, 3);
  polybatch::PolyBatch<double> a(2, 3);
  view = a;
}
