// Constant terms of the elementary series functions over all W lanes of a
// jet at once, for float and double: coefficient 0 of sin/cos is the one
// place a Taylor step calls a transcendental function, once per trajectory
// and step, and one libm call per lane was about half of a pendulum
// ensemble's time. xsimd's sincos reduces the argument over the whole range
// (Cody-Waite up to 2^20 pi, then fdlibm's rem_pio2 per lane): within 4 ulp
// of libm, and within 1e-24 absolutely at the zeros of sin and cos, where a
// step's tolerance (relative to max(1, |y|)) never sees it.
#pragma once

#include <cstddef>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "polybatch/kernels/jet/lanes.hpp"

namespace polybatch::kernels::jet {

/// Lanes whose constant terms take xsimd's vector functions: float and
/// double in whole xsimd registers.
template <class T, std::size_t W>
concept vector_elementary_lanes = (std::is_same_v<T, double> || std::is_same_v<T, float>)&&W % xsimd::batch<T>::size ==
                                  0;

/// s.v[w] = sin(a.v[w]), c.v[w] = cos(a.v[w]) for every lane.
template <class T, std::size_t W>
requires vector_elementary_lanes<T, W>
void sincos_lanes(const Lanes<T, W>& a, Lanes<T, W>& s, Lanes<T, W>& c) {
  using batch = xsimd::batch<T>;
  for (std::size_t w = 0; w < W; w += batch::size) {
    const auto [sin_a, cos_a] = xsimd::sincos(batch::load_unaligned(a.v + w));
    sin_a.store_unaligned(s.v + w);
    cos_a.store_unaligned(c.v + w);
  }
}

} // namespace polybatch::kernels::jet
