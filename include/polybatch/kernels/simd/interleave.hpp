// Register transposition of a group of W rows (W = lanes of an xsimd batch)
// stored row-major with a short stride S: the S vectors that hold the group
// contiguously <-> S "coefficient" vectors, the j-th holding coefficient j of
// rows 0..W-1 in lanes 0..W-1. Every step is a one-source permute or a blend
// with compile-time lane maps, computed by the constexpr functions below, so
// a transposition compiles to a fixed sequence of vpermps/vblendmps
// (AVX-512) or vpermps/vblendps (AVX2) with no trip through memory.
//
// Why by hand: xsimd 8.1 has no transposition and no two-source permute. Its
// compile-time permute and blend (swizzle, select on batch_bool_constant)
// build their masks through an initializer_list constructor that GCC 12
// stops inlining once a translation unit holds a few dozen of these kernels
// (measured 10-100x slower). The two primitives below are therefore
// __builtin_shufflevector (GCC >= 12, Clang) on xsimd's register type: the
// same instructions, chosen by the compiler for the target architecture.
//
// The layout: coefficient j of row r sits at flat position r*S + j, that is
// vector (r*S + j) / W, lane (r*S + j) % W. When gcd(S, W) = 1 the lanes of
// one coefficient over the W rows are all distinct, so a coefficient vector
// is a blend of source vectors followed by one permute. Otherwise rows r and
// r + W/g (g = gcd(S, W)) share a lane: the rows are split into g classes of
// W/g consecutive rows, each class is gathered that way, and the g results
// are blended by rows. The inverse runs the same maps backwards.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>

namespace polybatch::kernels::simd {

namespace interleave_detail {

constexpr std::size_t gcd(std::size_t a, std::size_t b) { return b == 0 ? a : gcd(b, a % b); }

/// Lane arithmetic for W rows of stride S.
template <std::size_t S, std::size_t W>
struct Layout {
  static constexpr std::size_t classes = gcd(S, W);
  static constexpr std::size_t rows_per_class = W / classes;
  static constexpr std::size_t vector_of(std::size_t r, std::size_t j) { return (r * S + j) / W; }
  static constexpr std::size_t lane_of(std::size_t r, std::size_t j) { return (r * S + j) % W; }
  static constexpr std::size_t class_of(std::size_t r) { return r / rows_per_class; }
  static constexpr std::size_t first_row(std::size_t c) { return c * rows_per_class; }
  static constexpr std::size_t last_row(std::size_t c) { return first_row(c) + rows_per_class - 1; }
  /// The row of class c whose coefficient j sits in lane q (of whichever
  /// vector), or W when there is none.
  static constexpr std::size_t row_at(std::size_t j, std::size_t c, std::size_t q) {
    for (std::size_t r = first_row(c); r <= last_row(c); ++r)
      if (lane_of(r, j) == q) return r;
    return W;
  }
  /// Does vector k hold coefficient j of some row of class c?
  static constexpr bool holds(std::size_t k, std::size_t j, std::size_t c) {
    for (std::size_t r = first_row(c); r <= last_row(c); ++r)
      if (vector_of(r, j) == k) return true;
    return false;
  }
};

// --- lane maps (generators: get(lane, W)) ---

/// Gather: lanes of source vector K that hold coefficient J of class C.
template <std::size_t S, std::size_t W, std::size_t J, std::size_t C, std::size_t K>
struct SourceLanes {
  using L = Layout<S, W>;
  static constexpr bool get(std::size_t q, std::size_t) {
    const std::size_t r = L::row_at(J, C, q);
    return r != W && L::vector_of(r, J) == K;
  }
};
/// Gather: lane r <- lane of row r's coefficient J (rows of class C).
template <std::size_t S, std::size_t W, std::size_t J, std::size_t C>
struct GatherPermute {
  using L = Layout<S, W>;
  static constexpr std::size_t get(std::size_t r, std::size_t) { return L::class_of(r) == C ? L::lane_of(r, J) : 0; }
};
/// Rows of class C.
template <std::size_t S, std::size_t W, std::size_t C>
struct ClassRows {
  static constexpr bool get(std::size_t r, std::size_t) { return Layout<S, W>::class_of(r) == C; }
};
/// Scatter: lane q <- row whose coefficient J belongs in lane q (class C).
template <std::size_t S, std::size_t W, std::size_t J, std::size_t C>
struct ScatterPermute {
  using L = Layout<S, W>;
  static constexpr std::size_t get(std::size_t q, std::size_t) {
    const std::size_t r = L::row_at(J, C, q);
    return r == W ? 0 : r;
  }
};

/// The one shuffle primitive: lane i <- lane G::get(i) of the pair (x, y),
/// indices W.. naming y's lanes. Permutes, blends and zips below are index
/// maps over it.
template <class G, class T, class A, std::size_t... I>
[[gnu::always_inline]] inline xsimd::batch<T, A> shuffle(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& y,
                                                         std::index_sequence<I...>) {
  using R = typename xsimd::batch<T, A>::register_type;
  const R rx = x, ry = y;
  return R(__builtin_shufflevector(rx, ry, static_cast<int>(G::get(I, sizeof...(I)))...));
}
template <class G, class T, class A>
[[gnu::always_inline]] inline xsimd::batch<T, A> shuffle(const xsimd::batch<T, A>& x, const xsimd::batch<T, A>& y) {
  return shuffle<G>(x, y, std::make_index_sequence<xsimd::batch<T, A>::size>{});
}
/// One-source permute: lane i <- lane G::get(i) of v.
template <class G, class T, class A>
[[gnu::always_inline]] inline xsimd::batch<T, A> permute(const xsimd::batch<T, A>& v) {
  return shuffle<G>(v, v);
}
/// Blend: lane i <- if_set[i] where G::get(i), otherwise[i] elsewhere.
template <class G>
struct BlendIndex {
  static constexpr std::size_t get(std::size_t i, std::size_t w) { return G::get(i, w) ? w + i : i; }
};
template <class G, class T, class A>
[[gnu::always_inline]] inline xsimd::batch<T, A> blend(const xsimd::batch<T, A>& if_set,
                                                       const xsimd::batch<T, A>& otherwise) {
  return shuffle<BlendIndex<G>>(otherwise, if_set);
}

// --- gather (row-major -> coefficient vectors) ---

template <std::size_t S, std::size_t W, std::size_t J, std::size_t C, std::size_t K, class T, class A>
[[gnu::always_inline]] inline void gather_source(xsimd::batch<T, A>& x, const std::array<xsimd::batch<T, A>, S>& src) {
  using L = Layout<S, W>;
  if constexpr (K > L::vector_of(L::first_row(C), J) && L::holds(K, J, C))
    x = blend<SourceLanes<S, W, J, C, K>>(src[K], x);
}

template <std::size_t S, std::size_t W, std::size_t J, std::size_t C, class T, class A, std::size_t... K>
[[gnu::always_inline]] inline xsimd::batch<T, A> gather_class(const std::array<xsimd::batch<T, A>, S>& src,
                                                              std::index_sequence<K...>) {
  using L = Layout<S, W>;
  xsimd::batch<T, A> x = src[L::vector_of(L::first_row(C), J)];
  (gather_source<S, W, J, C, K>(x, src), ...);
  return permute<GatherPermute<S, W, J, C>>(x);
}

template <std::size_t S, std::size_t W, std::size_t J, std::size_t C, class T, class A>
[[gnu::always_inline]] inline void gather_other_class(xsimd::batch<T, A>& y,
                                                      const std::array<xsimd::batch<T, A>, S>& src) {
  if constexpr (C > 0) y = blend<ClassRows<S, W, C>>(gather_class<S, W, J, C>(src, std::make_index_sequence<S>{}), y);
}

template <std::size_t S, std::size_t W, std::size_t J, class T, class A, std::size_t... C>
[[gnu::always_inline]] inline xsimd::batch<T, A> gather_coefficient(const std::array<xsimd::batch<T, A>, S>& src,
                                                                    std::index_sequence<C...>) {
  xsimd::batch<T, A> y = gather_class<S, W, J, 0>(src, std::make_index_sequence<S>{});
  (gather_other_class<S, W, J, C>(y, src), ...);
  return y;
}

template <std::size_t S, class T, class A, std::size_t... J>
[[gnu::always_inline]] inline std::array<xsimd::batch<T, A>, S> gather(const std::array<xsimd::batch<T, A>, S>& src,
                                                                       std::index_sequence<J...>) {
  constexpr std::size_t W = xsimd::batch<T, A>::size;
  return {gather_coefficient<S, W, J>(src, std::make_index_sequence<Layout<S, W>::classes>{})...};
}

// --- scatter (coefficient vectors -> row-major) ---

/// Pair index P = J * classes + C, for the pairs that feed output vector K.
template <std::size_t S, std::size_t W>
constexpr std::size_t first_pair_of(std::size_t k) {
  using L = Layout<S, W>;
  for (std::size_t p = 0; p < S * L::classes; ++p)
    if (L::holds(k, p / L::classes, p % L::classes)) return p;
  return S * L::classes;
}

template <std::size_t S, std::size_t W, std::size_t K, std::size_t P, class T, class A>
[[gnu::always_inline]] inline void scatter_source(xsimd::batch<T, A>& out,
                                                  const std::array<xsimd::batch<T, A>, S>& coef) {
  using L = Layout<S, W>;
  constexpr std::size_t g = L::classes;
  if constexpr (P > first_pair_of<S, W>(K) && L::holds(K, P / g, P % g))
    out = blend<SourceLanes<S, W, P / g, P % g, K>>(permute<ScatterPermute<S, W, P / g, P % g>>(coef[P / g]), out);
}

template <std::size_t S, std::size_t W, std::size_t K, class T, class A, std::size_t... P>
[[gnu::always_inline]] inline xsimd::batch<T, A> scatter_vector(const std::array<xsimd::batch<T, A>, S>& coef,
                                                                std::index_sequence<P...>) {
  constexpr std::size_t g = Layout<S, W>::classes;
  constexpr std::size_t first = first_pair_of<S, W>(K);
  xsimd::batch<T, A> out = permute<ScatterPermute<S, W, first / g, first % g>>(coef[first / g]);
  (scatter_source<S, W, K, P>(out, coef), ...);
  return out;
}

template <std::size_t S, class T, class A, std::size_t... K>
[[gnu::always_inline]] inline std::array<xsimd::batch<T, A>, S> scatter(const std::array<xsimd::batch<T, A>, S>& coef,
                                                                        std::index_sequence<K...>) {
  constexpr std::size_t W = xsimd::batch<T, A>::size;
  return {scatter_vector<S, W, K>(coef, std::make_index_sequence<S * Layout<S, W>::classes>{})...};
}

// --- scatter by a transposition network (large or even strides) ---
// Blocks of W coefficient vectors are transposed into row vectors by
// log2(W) rounds of full-width zips (a perfect shuffle, two-source
// permutes), then each output vector takes its lanes from the one to three
// row vectors it overlaps: W log2 W + about S shuffles per group instead of
// about S * min(S, W) blends when every output vector draws on every
// coefficient.

/// Full-width zip of (x, y): lanes x0 y0 x1 y1 ... of the low (or high) halves.
template <bool High>
struct ZipIndex {
  static constexpr std::size_t get(std::size_t i, std::size_t w) {
    return (i % 2 ? w : 0) + (High ? w / 2 : 0) + i / 2;
  }
};

template <class T, class A, std::size_t W, std::size_t... I>
[[gnu::always_inline]] inline void perfect_shuffle(std::array<xsimd::batch<T, A>, W>& v, std::index_sequence<I...>) {
  const std::array<xsimd::batch<T, A>, W> x = v;
  ((v[2 * I] = shuffle<ZipIndex<false>>(x[I], x[I + W / 2]),
    v[2 * I + 1] = shuffle<ZipIndex<true>>(x[I], x[I + W / 2])),
   ...);
}

/// W x W transpose in place: v[i][l] <- v[l][i].
template <class T, class A, std::size_t W>
[[gnu::always_inline]] inline void transpose(std::array<xsimd::batch<T, A>, W>& v) {
  for (std::size_t round = 1; round < W; round *= 2) perfect_shuffle(v, std::make_index_sequence<W / 2>{});
}

template <std::size_t S, std::size_t W>
struct RowPieces {
  static constexpr std::size_t blocks = (S + W - 1) / W;
  /// Piece (row, block) of lane q of output vector k, as row * blocks + block.
  static constexpr std::size_t piece(std::size_t k, std::size_t q) {
    const std::size_t p = k * W + q;
    return (p / S) * blocks + (p % S) / W;
  }
  static constexpr std::size_t lane(std::size_t k, std::size_t q) { return (k * W + q) % S % W; }
  /// Pieces of output vector k in lane order; t-th distinct one.
  static constexpr std::size_t order(std::size_t k, std::size_t q) {
    std::size_t t = 0;
    for (std::size_t i = 1; i <= q; ++i)
      if (piece(k, i) != piece(k, i - 1)) ++t;
    return t;
  }
  static constexpr std::size_t count(std::size_t k) { return order(k, W - 1) + 1; }
  static constexpr std::size_t nth(std::size_t k, std::size_t t) {
    for (std::size_t q = 0; q < W; ++q)
      if (order(k, q) == t) return piece(k, q);
    return 0;
  }
  /// Shuffles per group (W log2 W per block, then the assembly).
  static constexpr std::size_t cost() {
    std::size_t log = 0;
    for (std::size_t w = 1; w < W; w *= 2) ++log;
    std::size_t c = blocks * W * log;
    for (std::size_t k = 0; k < S; ++k) c += count(k) == 1 ? (lane(k, 0) == 0 ? 0 : 1) : count(k) - 1;
    return c;
  }
};

/// Assembly step T of output vector K: lanes of pieces < T kept (or, for
/// T = 1, taken from piece 0), lanes of piece T taken from the second operand.
template <std::size_t S, std::size_t W, std::size_t K, std::size_t Step>
struct AssemblyIndex {
  using P = RowPieces<S, W>;
  static constexpr std::size_t get(std::size_t q, std::size_t) {
    const std::size_t t = P::order(K, q);
    if (t == Step) return W + P::lane(K, q);
    if (Step == 1 && t == 0) return P::lane(K, q);
    return q;
  }
};
template <std::size_t S, std::size_t W, std::size_t K>
struct SinglePieceIndex {
  static constexpr std::size_t get(std::size_t q, std::size_t) { return RowPieces<S, W>::lane(K, q); }
};

template <std::size_t S, std::size_t W, std::size_t K, std::size_t Step, class T, class A, std::size_t Rows>
[[gnu::always_inline]] inline void assemble_step(xsimd::batch<T, A>& out,
                                                 const std::array<xsimd::batch<T, A>, Rows>& rows) {
  using P = RowPieces<S, W>;
  if constexpr (Step >= 2 && Step < P::count(K))
    out = shuffle<AssemblyIndex<S, W, K, Step>>(out, rows[P::nth(K, Step)]);
}

template <std::size_t S, std::size_t W, std::size_t K, class T, class A, std::size_t Rows, std::size_t... Step>
[[gnu::always_inline]] inline xsimd::batch<T, A> assemble(const std::array<xsimd::batch<T, A>, Rows>& rows,
                                                          std::index_sequence<Step...>) {
  using P = RowPieces<S, W>;
  xsimd::batch<T, A> out = rows[P::nth(K, 0)];
  if constexpr (P::count(K) == 1) {
    if constexpr (P::lane(K, 0) != 0) out = permute<SinglePieceIndex<S, W, K>>(out);
  } else {
    out = shuffle<AssemblyIndex<S, W, K, 1>>(out, rows[P::nth(K, 1)]);
    (assemble_step<S, W, K, Step>(out, rows), ...);
  }
  return out;
}

template <std::size_t S, std::size_t W, std::size_t B, class T, class A, std::size_t Rows, std::size_t... Q>
[[gnu::always_inline]] inline void transpose_block(const std::array<xsimd::batch<T, A>, S>& coef,
                                                   std::array<xsimd::batch<T, A>, Rows>& rows,
                                                   std::index_sequence<Q...>) {
  constexpr std::size_t blocks = RowPieces<S, W>::blocks;
  std::array<xsimd::batch<T, A>, W> block = {
      (B * W + Q < S ? coef[std::min(B * W + Q, S - 1)] : xsimd::batch<T, A>(T(0)))...};
  transpose(block);
  ((rows[Q * blocks + B] = block[Q]), ...);
}

template <std::size_t S, class T, class A, std::size_t... B, std::size_t... K>
[[gnu::always_inline]] inline std::array<xsimd::batch<T, A>, S>
scatter_by_network(const std::array<xsimd::batch<T, A>, S>& coef, std::index_sequence<B...>,
                   std::index_sequence<K...>) {
  constexpr std::size_t W = xsimd::batch<T, A>::size;
  constexpr std::size_t blocks = RowPieces<S, W>::blocks;
  std::array<xsimd::batch<T, A>, W * blocks> rows;
  (transpose_block<S, W, B>(coef, rows, std::make_index_sequence<W>{}), ...);
  return {assemble<S, W, K>(rows, std::make_index_sequence<W>{})...};
}

/// Shuffle count of the blend-based scatter (a blend weighs as much as a
/// permute: measured on AVX-512, weighing it half kept 9 x 9 float on
/// blends at 1.5x the network's time).
template <std::size_t S, std::size_t W>
constexpr std::size_t blend_scatter_cost() {
  using L = Layout<S, W>;
  std::size_t blends = 0;
  for (std::size_t k = 0; k < S; ++k) {
    std::size_t pairs = 0;
    for (std::size_t p = 0; p < S * L::classes; ++p) pairs += L::holds(k, p / L::classes, p % L::classes) ? 1 : 0;
    blends += pairs - 1;
  }
  return S * L::classes + blends;
}

} // namespace interleave_detail

/// src[k] = flat elements [k*W, (k+1)*W) of W rows of stride S; returns the S
/// coefficient vectors (element r of the j-th = coefficient j of row r).
template <std::size_t S, class T, class A>
[[gnu::always_inline]] inline std::array<xsimd::batch<T, A>, S>
rows_to_coefficients(const std::array<xsimd::batch<T, A>, S>& src) {
  return interleave_detail::gather<S>(src, std::make_index_sequence<S>{});
}

/// The inverse of rows_to_coefficients.
template <std::size_t S, class T, class A>
[[gnu::always_inline]] inline std::array<xsimd::batch<T, A>, S>
coefficients_to_rows(const std::array<xsimd::batch<T, A>, S>& coef) {
  constexpr std::size_t W = xsimd::batch<T, A>::size;
  using namespace interleave_detail;
  if constexpr (RowPieces<S, W>::cost() < blend_scatter_cost<S, W>())
    return scatter_by_network<S>(coef, std::make_index_sequence<RowPieces<S, W>::blocks>{},
                                 std::make_index_sequence<S>{});
  else
    return scatter<S>(coef, std::make_index_sequence<S>{});
}

} // namespace polybatch::kernels::simd
