// Linear nodes (a + b, a - b, -a, s * a, a + s) of float and double jets
// need not store their rows: where another linear node or the integrator's
// state update reads them, each register-sized chunk of coefficient k is
// formed at the point of reading, so `10 * (y1 - y0)` costs one pass over
// the lanes instead of three stores and reloads. Products and series
// functions read rows 0..k of their operands, so for them a linear node
// still stores its rows (compute(k)), in one fused pass.
//
// A lazy jet provides, beside the protocol of frame.hpp,
//   prepare(k)     what coefficient k reads is computed (its stored operands)
//   chunk(k, c)    chunk c of coefficient k, from the operands' chunks
#pragma once

#include <cstddef>

#include "polybatch/kernels/jet/lanes.hpp"

namespace polybatch::evaluation::jet {

template <class J>
concept lazy_jet = requires(J& j, const J& cj, std::size_t k) {
  j.prepare(k);
  cj.chunk(k, k);
};

/// Makes coefficient k of `j` readable through chunk_of.
template <class J>
void prepare_coefficient(J& j, std::size_t k) {
  if constexpr (lazy_jet<J>)
    j.prepare(k);
  else
    j.compute(k);
}

/// Coefficient k of the lazy jet `j` formed and stored in `row`, for readers
/// of whole rows.
template <lazy_jet J, class T, std::size_t W>
void store_coefficient(const J& j, std::size_t k, kernels::jet::Lanes<T, W>& row) {
  for (std::size_t c = 0; c < kernels::jet::chunks_per_lanes<T, W>; ++c)
    kernels::jet::store_chunk(row, c, j.chunk(k, c));
}

/// Chunk c of coefficient k of `j`, formed or loaded.
template <class J>
auto chunk_of(const J& j, std::size_t k, std::size_t c) {
  if constexpr (lazy_jet<J>)
    return j.chunk(k, c);
  else
    return kernels::jet::load_chunk(j.coeffs()[k], c);
}

} // namespace polybatch::evaluation::jet
