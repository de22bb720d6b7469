// The reference the floating types' products are set against, shared by
// bench_exact and bench/ab: values that use every digit of the type, and the
// naive Boost loop over them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <polybatch/polybatch.hpp>
#include <random>

namespace bench {

/// Values in (-1/3, 1/3): a double divided by 3 in T, so every digit of T is
/// used (and cpp_dec_float's limbs are all nonzero).
template <class T>
polybatch::PolyBatch<T> float_values(std::size_t rows, std::size_t length, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(-1, 1);
  polybatch::PolyBatch<T> p(rows, length);
  for (std::size_t i = 0; i < rows * length; ++i) p.data()[i] = T(d(rng)) / T(3);
  return p;
}

/// out = a * b by the naive Boost loop: acc += a * b per term, one
/// accumulator (taking a's precision), each operation rounded in the type.
template <class T>
void naive_product_rows(const polybatch::PolyBatch<T>& a, const polybatch::PolyBatch<T>& b,
                        polybatch::PolyBatch<T>& out) {
  const std::size_t rows = a.batch_size(), la = a.length(), lb = b.length();
  T acc = a.data()[0];
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = &a(r, 0);
    const T* br = &b(r, 0);
    T* o = &out(r, 0);
    for (std::size_t k = 0; k < la + lb - 1; ++k) {
      acc = 0;
      for (std::size_t i = (k >= lb ? k - lb + 1 : 0); i <= std::min(k, la - 1); ++i) acc += ar[i] * br[k - i];
      o[k] = acc;
    }
  }
}

} // namespace bench
