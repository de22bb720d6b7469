// Control for the compile-fail tests: a valid use of every operator must
// compile, so that a broken include path cannot make them pass vacuously.
#include <cstdint>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace pb = polybatch;

int main() {
  pb::PolyBatch<double> a{{1, 2, 3}, {4, 5, 6}};
  const pb::PolyBatch<double> b{{1, 1}};
  pb::PolyBatch<double> r = a * b;
  r = a + b;
  r = a - b;
  r = -a;
  r = 2.0 * a;
  r = a * 2;
  r += a;
  r -= b;
  r *= b;
  r = pb::convolve(a, b, pb::mode::same) + pb::correlate(a, b);
  std::vector<double> memory(2 * 4);
  auto view = pb::adapt(memory.data(), 2, 4);
  view = a * b;
  const std::vector<double>& read_only = memory;
  const pb::PolyBatch<double> copied = pb::eval(pb::adapt(read_only.data(), 2, 4) * b);
  pb::PolyBatch<std::int64_t> ints{{1, 2}};
  ints = std::int64_t{3} * ints * ints;
  return (copied == r && ints != ints) ? 1 : 0;
}
