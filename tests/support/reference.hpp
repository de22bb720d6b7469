// Independent references for tests: plain nested loops over std::vector
// rows, sharing no code with the library, plus seeded random batches.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace ref {

template <class T>
using Rows = std::vector<std::vector<T>>;

/// Rows of a batch or view, read through the public p(i, k) accessor.
template <class P>
auto rows_of(const P& p) {
  using T = typename P::value_type;
  Rows<T> out(p.batch_size(), std::vector<T>(p.length()));
  for (std::size_t i = 0; i < p.batch_size(); ++i)
    for (std::size_t k = 0; k < p.length(); ++k) out[i][k] = p(i, k);
  return out;
}

/// Row i of a batch of one broadcasts to every i.
template <class T>
const std::vector<T>& row(const Rows<T>& r, std::size_t i) {
  return r.size() == 1 ? r[0] : r[i];
}

template <class T>
std::vector<T> convolve(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out(a.size() + b.size() - 1, T(0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) out[i + j] += a[i] * b[j];
  return out;
}

template <class T>
std::vector<T> add(const std::vector<T>& a, const std::vector<T>& b, int sign = 1) {
  std::vector<T> out(std::max(a.size(), b.size()), T(0));
  for (std::size_t k = 0; k < a.size(); ++k) out[k] += a[k];
  for (std::size_t k = 0; k < b.size(); ++k) out[k] += sign > 0 ? b[k] : T(-b[k]);
  return out;
}

template <class T, class F>
Rows<T> rowwise(const Rows<T>& a, const Rows<T>& b, F f) {
  const std::size_t n = std::max(a.size(), b.size());
  Rows<T> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = f(row(a, i), row(b, i));
  return out;
}

template <class T>
Rows<T> product(const Rows<T>& a, const Rows<T>& b) {
  return rowwise(a, b, [](const auto& x, const auto& y) { return convolve(x, y); });
}
template <class T>
Rows<T> sum(const Rows<T>& a, const Rows<T>& b) {
  return rowwise(a, b, [](const auto& x, const auto& y) { return add(x, y, 1); });
}
template <class T>
Rows<T> difference(const Rows<T>& a, const Rows<T>& b) {
  return rowwise(a, b, [](const auto& x, const auto& y) { return add(x, y, -1); });
}
template <class T>
Rows<T> scale(const T& s, Rows<T> a) {
  for (auto& r : a)
    for (auto& c : r) c = s * c;
  return a;
}

/// A batch of `batch` rows of `length` random coefficients. Integers are
/// drawn from [-bound, bound]; floating point uniformly from [-1, 1].
template <class T>
polybatch::PolyBatch<T> random_batch(std::mt19937_64& rng, std::size_t batch, std::size_t length,
                                     std::int64_t bound = 100) {
  polybatch::PolyBatch<T> p(batch, length);
  if constexpr (std::is_floating_point_v<T>) {
    std::uniform_real_distribution<T> d(T(-1), T(1));
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < length; ++k) p(i, k) = d(rng);
  } else {
    std::uniform_int_distribution<std::int64_t> d(-bound, bound);
    for (std::size_t i = 0; i < batch; ++i)
      for (std::size_t k = 0; k < length; ++k) p(i, k) = T(d(rng));
  }
  return p;
}

} // namespace ref
