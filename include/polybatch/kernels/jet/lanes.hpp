// Lanes<T, W>: W coefficients of W trajectories side by side, the unit a
// Taylor jet is made of (coefficient j of a jet is one Lanes value). Its
// arithmetic runs lane by lane over a compile-time W, so the loops vectorise
// for machine scalars, and the series recurrences (kernels/series/
// recurrences.hpp), written for one scalar, run on W trajectories at once
// when instantiated with T = Lanes. Aliasing: kernels write `out` only after
// reading every input lane they need; `out` may not overlap an input row.
#pragma once

#include <cstddef>
#include <type_traits>

#include "polybatch/core/scalar_traits.hpp"

namespace polybatch::kernels::jet {

template <class T, std::size_t W>
struct Lanes {
  using value_type = T;
  static constexpr std::size_t width = W;
  T v[W];

  Lanes& operator+=(const Lanes& b) {
    for (std::size_t w = 0; w < W; ++w) v[w] += b.v[w];
    return *this;
  }
  Lanes& operator-=(const Lanes& b) {
    for (std::size_t w = 0; w < W; ++w) v[w] -= b.v[w];
    return *this;
  }
  Lanes& operator*=(const Lanes& b) {
    for (std::size_t w = 0; w < W; ++w) v[w] *= b.v[w];
    return *this;
  }
  Lanes& operator/=(const Lanes& b) {
    for (std::size_t w = 0; w < W; ++w) v[w] /= b.v[w];
    return *this;
  }
  /// With an index or small integer (the recurrences' 1/k, 2, s + 1), exactly.
  template <class I>
  requires std::is_arithmetic_v<I> Lanes& operator+=(I s) {
    const T f = static_cast<T>(s);
    for (std::size_t w = 0; w < W; ++w) v[w] += f;
    return *this;
  }
  template <class I>
  requires std::is_arithmetic_v<I> Lanes& operator*=(I s) {
    const T f = static_cast<T>(s);
    for (std::size_t w = 0; w < W; ++w) v[w] *= f;
    return *this;
  }
  template <class I>
  requires std::is_arithmetic_v<I> Lanes& operator/=(I s) {
    const T f = static_cast<T>(s);
    for (std::size_t w = 0; w < W; ++w) v[w] /= f;
    return *this;
  }
  friend Lanes operator-(const Lanes& a) {
    Lanes r = a;
    for (std::size_t w = 0; w < W; ++w) r.v[w] = -a.v[w];
    return r;
  }
};

/// out = sum_{j=0..k} a[j] * b[k-j]: coefficient k of a product. When a and
/// b are the same jet (a square), each symmetric pair is multiplied once.
template <class T, std::size_t W>
void cauchy_coefficient(std::size_t k, const Lanes<T, W>* a, const Lanes<T, W>* b, Lanes<T, W>& out) {
  T acc[W];
  if (a == b && k > 0) {
    const std::size_t half = (k + 1) / 2; // pairs (j, k - j) with j < k - j
    for (std::size_t w = 0; w < W; ++w) acc[w] = a[0].v[w] * a[k].v[w];
    for (std::size_t j = 1; j < half; ++j)
      for (std::size_t w = 0; w < W; ++w) acc[w] += a[j].v[w] * a[k - j].v[w];
    for (std::size_t w = 0; w < W; ++w) acc[w] += acc[w];
    if (k % 2 == 0)
      for (std::size_t w = 0; w < W; ++w) acc[w] += a[k / 2].v[w] * a[k / 2].v[w];
  } else {
    for (std::size_t w = 0; w < W; ++w) acc[w] = a[0].v[w] * b[k].v[w];
    for (std::size_t j = 1; j <= k; ++j)
      for (std::size_t w = 0; w < W; ++w) acc[w] += a[j].v[w] * b[k - j].v[w];
  }
  for (std::size_t w = 0; w < W; ++w) out.v[w] = acc[w];
}

template <bool Subtract, class T, std::size_t W>
void add_lanes(const Lanes<T, W>& a, const Lanes<T, W>& b, Lanes<T, W>& out) {
  for (std::size_t w = 0; w < W; ++w) {
    if constexpr (Subtract)
      out.v[w] = a.v[w] - b.v[w];
    else
      out.v[w] = a.v[w] + b.v[w];
  }
}

template <class T, std::size_t W>
void scale_lanes(const T& s, const Lanes<T, W>& a, Lanes<T, W>& out) {
  for (std::size_t w = 0; w < W; ++w) out.v[w] = s * a.v[w];
}

} // namespace polybatch::kernels::jet

namespace polybatch {

/// A zero of Lanes at the precision of `like`'s first lane (MPFR numbers).
template <class T, std::size_t W>
struct scalar_traits<kernels::jet::Lanes<T, W>> {
  static constexpr bool is_exact = scalar_traits<T>::is_exact;
  static constexpr bool is_field = scalar_traits<T>::is_field;
  static constexpr bool is_machine = false;
  static kernels::jet::Lanes<T, W> zero_like(const kernels::jet::Lanes<T, W>& like) {
    kernels::jet::Lanes<T, W> z;
    for (std::size_t w = 0; w < W; ++w) z.v[w] = scalar_traits<T>::zero_like(like.v[0]);
    return z;
  }
};

} // namespace polybatch
