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
#include <utility>

#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/kernels/simd_bytes.hpp"

namespace polybatch::kernels::jet {

/// Lanes' alignment: the largest power of two up to a cache line that
/// divides its size (so the size never changes), at least T's own. A jet
/// coefficient of 64 doubles read as 64-byte registers must not straddle
/// cache lines: with malloc's 16-byte alignment (and mmap'd blocks at 16
/// bytes past a page) every such load and store was split in two, and the
/// integrator's speed depended on where the heap put its jets (1.7x apart).
template <class T, std::size_t W>
inline constexpr std::size_t lanes_alignment = [] {
  constexpr std::size_t line = 64, size = sizeof(T) * W;
  std::size_t a = 1;
  while (a < line && size % (2 * a) == 0) a *= 2;
  return a > alignof(T) ? a : alignof(T);
}();

template <class T, std::size_t W>
struct alignas(lanes_alignment<T, W>) Lanes {
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

namespace detail {

/// float and double lanes run the hot kernels on vectors of one register
/// (GNU vector extensions, g++ and clang; simd_bytes.hpp): with plain arrays
/// of accumulators g++ keeps two of them in memory and stops vectorising.
/// The W / chunk accumulators are independent, which hides the latency of
/// the multiply-adds.
using kernels::simd_bytes;
template <class T, std::size_t W>
inline constexpr bool use_simd = (std::is_same_v<T, double> || std::is_same_v<T, float>)&&(W * sizeof(T)) % simd_bytes
                                 == 0;
template <class T>
struct simd_of {
  typedef T type __attribute__((vector_size(simd_bytes)));
};
template <class T>
using simd = typename simd_of<T>::type;
template <class T>
inline constexpr std::size_t chunk = simd_bytes / sizeof(T);
/// The same vector at the alignment of one T, for loads and stores inside a
/// row. Whole-register moves: with memcpy, g++ merged the stores of a
/// kernel's accumulators into one 16-byte copy loop, and the next kernel's
/// 32-byte loads of that row then waited on a failed store forwarding.
template <class T>
struct unaligned_simd_of {
  typedef T type __attribute__((vector_size(simd_bytes), aligned(alignof(T))));
};
template <class T>
using unaligned_simd = typename unaligned_simd_of<T>::type;
/// f(0), ..., f(M - 1) written out, not as a loop: g++ turns a loop that
/// stores an array of accumulators into a row into a memcpy call, with the
/// accumulators spilled to the stack first.
template <std::size_t M, class F>
inline __attribute__((always_inline)) void unrolled(F&& f) {
  [&]<std::size_t... I>(std::index_sequence<I...>) { (f(I), ...); }
  (std::make_index_sequence<M>{});
}
template <class T, std::size_t W>
simd<T> load(const Lanes<T, W>& l, std::size_t c) {
  return *reinterpret_cast<const unaligned_simd<T>*>(l.v + c * chunk<T>);
}
template <class T, std::size_t W>
void store(Lanes<T, W>& l, std::size_t c, const simd<T>& x) {
  *reinterpret_cast<unaligned_simd<T>*>(l.v + c * chunk<T>) = x;
}

} // namespace detail

/// Lanes that split into register-sized chunks (float and double where the
/// vector extensions apply), for jets that form a coefficient chunk by chunk
/// where it is read (eval/jet/lazy.hpp).
template <class T, std::size_t W>
concept register_lanes = detail::use_simd<T, W>;
template <class T>
using chunk_t = detail::simd<T>;
template <class T, std::size_t W>
inline constexpr std::size_t chunks_per_lanes = W / detail::chunk<T>;
template <class T, std::size_t W>
chunk_t<T> load_chunk(const Lanes<T, W>& l, std::size_t c) {
  return detail::load(l, c);
}
template <class T, std::size_t W>
void store_chunk(Lanes<T, W>& l, std::size_t c, const chunk_t<T>& x) {
  detail::store(l, c, x);
}

/// out = sum_{j=0..k} a[j] * b[k-j]: coefficient k of a product (with
/// `Negated`, its negation: exactly the product of -a and b). When a and b
/// are the same jet (a square), each symmetric pair is multiplied once.
template <bool Negated = false, class T, std::size_t W>
void cauchy_coefficient(std::size_t k, const Lanes<T, W>* a, const Lanes<T, W>* b, Lanes<T, W>& out) {
  if constexpr (detail::use_simd<T, W>) {
    using detail::load;
    constexpr std::size_t M = W / detail::chunk<T>;
    detail::simd<T> acc[M];
    if (a == b && k > 0) {
      const std::size_t half = (k + 1) / 2;
      for (std::size_t c = 0; c < M; ++c) acc[c] = load(a[0], c) * load(a[k], c);
      for (std::size_t j = 1; j < half; ++j)
        for (std::size_t c = 0; c < M; ++c) acc[c] += load(a[j], c) * load(a[k - j], c);
      for (std::size_t c = 0; c < M; ++c) acc[c] += acc[c];
      if (k % 2 == 0)
        for (std::size_t c = 0; c < M; ++c) acc[c] += load(a[k / 2], c) * load(a[k / 2], c);
    } else {
      for (std::size_t c = 0; c < M; ++c) acc[c] = load(a[0], c) * load(b[k], c);
      for (std::size_t j = 1; j <= k; ++j)
        for (std::size_t c = 0; c < M; ++c) acc[c] += load(a[j], c) * load(b[k - j], c);
    }
    detail::unrolled<M>([&](std::size_t c) { detail::store(out, c, Negated ? -acc[c] : acc[c]); });
    return;
  }
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
  for (std::size_t w = 0; w < W; ++w) out.v[w] = Negated ? -acc[w] : acc[w];
}

/// Coefficient k >= 1 of s = sin(a), c = cos(a) (sinh, cosh with
/// `hyperbolic`) from s' = c a', c' = -+s a', both sums in one pass:
/// s[k] = sum_{j=1..k} ja[j] c[k-j] / k and c[k] = -+sum ja[j] s[k-j] / k,
/// where ja[j] = j a[j] is kept by the caller (one fused multiply-add per
/// term instead of three operations).
template <bool Hyperbolic, class T, std::size_t W>
void sincos_coefficient(std::size_t k, const Lanes<T, W>* ja, Lanes<T, W>* s, Lanes<T, W>* c) {
  if constexpr (detail::use_simd<T, W>) {
    using detail::load;
    constexpr std::size_t M = W / detail::chunk<T>;
    detail::simd<T> as[M], ac[M];
    // The term of the newest coefficients (j = 1: s[k-1], c[k-1], stored
    // just before this call) comes last, so the other terms' multiply-adds
    // run while those are still being formed (as the first term it made
    // every sum wait for them).
    for (std::size_t m = 0; m < M; ++m) as[m] = load(ja[k], m) * load(c[0], m), ac[m] = load(ja[k], m) * load(s[0], m);
    for (std::size_t j = k - 1; j >= 1; --j)
      for (std::size_t m = 0; m < M; ++m) {
        const detail::simd<T> x = load(ja[j], m);
        as[m] += x * load(c[k - j], m);
        ac[m] += x * load(s[k - j], m);
      }
    // A multiply by 1/k (one more rounding) instead of sixteen vector
    // divisions a coefficient: 10% of the recurrence's time at order 11.
    const T inverse_k = T(1) / static_cast<T>(k);
    detail::unrolled<M>([&](std::size_t m) {
      detail::store(s[k], m, as[m] * inverse_k);
      detail::store(c[k], m, Hyperbolic ? ac[m] * inverse_k : ac[m] * -inverse_k);
    });
    return;
  }
  T as[W], ac[W];
  for (std::size_t w = 0; w < W; ++w) as[w] = ja[1].v[w] * c[k - 1].v[w], ac[w] = ja[1].v[w] * s[k - 1].v[w];
  for (std::size_t j = 2; j <= k; ++j)
    for (std::size_t w = 0; w < W; ++w) {
      as[w] += ja[j].v[w] * c[k - j].v[w];
      ac[w] += ja[j].v[w] * s[k - j].v[w];
    }
  const T kk = static_cast<T>(k);
  for (std::size_t w = 0; w < W; ++w) {
    s[k].v[w] = as[w] / kk;
    c[k].v[w] = Hyperbolic ? ac[w] / kk : -(ac[w] / kk);
  }
}

/// Coefficient k >= 1 of out = a^s from a out' = s a' out:
/// out[k] = sum_{j=1..k} ((s + 1) j / k - 1) a[j] out[k-j] / a[0]. The weight
/// of term j is one scalar for all lanes, so a term is two loads, a multiply
/// and a multiply-add (two sums, one of them over j a[j], took three loads
/// and a pass to form j a[j]). `inv_a0` holds 1 / a[0]: a multiply in place
/// of a division per lane (one more rounding).
template <class T, std::size_t W>
void pow_coefficient(std::size_t k, const Lanes<T, W>* a, const T& s, const Lanes<T, W>& inv_a0, Lanes<T, W>* out) {
  const T factor = (s + T(1)) / static_cast<T>(k);
  if constexpr (detail::use_simd<T, W>) {
    using detail::load;
    constexpr std::size_t M = W / detail::chunk<T>;
    detail::simd<T> acc[M];
    const T first = factor - T(1);
    for (std::size_t m = 0; m < M; ++m) acc[m] = first * (load(a[1], m) * load(out[k - 1], m));
    for (std::size_t j = 2; j <= k; ++j) {
      const T weight = factor * static_cast<T>(j) - T(1);
      for (std::size_t m = 0; m < M; ++m) acc[m] += weight * (load(a[j], m) * load(out[k - j], m));
    }
    detail::unrolled<M>([&](std::size_t m) { detail::store(out[k], m, acc[m] * load(inv_a0, m)); });
    return;
  }
  T acc[W];
  const T first = factor - T(1);
  for (std::size_t w = 0; w < W; ++w) acc[w] = first * (a[1].v[w] * out[k - 1].v[w]);
  for (std::size_t j = 2; j <= k; ++j) {
    const T weight = factor * static_cast<T>(j) - T(1);
    for (std::size_t w = 0; w < W; ++w) acc[w] += weight * (a[j].v[w] * out[k - j].v[w]);
  }
  for (std::size_t w = 0; w < W; ++w) out[k].v[w] = acc[w] * inv_a0.v[w];
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
  const T f = s; // a copy: `out` might alias `s` as far as the compiler knows, which blocks vectorising
  for (std::size_t w = 0; w < W; ++w) out.v[w] = f * a.v[w];
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
