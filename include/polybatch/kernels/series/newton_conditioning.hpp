// When Newton iteration is as accurate as the recurrences. Newton's products
// carry intermediates the result does not show: div and log multiply by
// 1/den (1/a), exp refines exp(a) together with exp(-a), pow runs log and
// exp, sinh/cosh invert exp(b), sin/cos use conj(g) for 1/g. A product's
// rounding errors scale with the l1 norms of its operands, so an
// intermediate far larger than the result (1/den of a divisor with a root
// near 0, exp(-20x) beside exp(20x)) leaves errors far above the result's
// size, where the recurrences, which build each coefficient from the
// result's own, stay accurate. The row drivers take Newton only where these
// norms are bounded by small constants (computed from the row in O(n)), and
// the recurrences otherwise.
#pragma once

#include <cmath>
#include <cstddef>

namespace polybatch::kernels::series {

/// sum |a_k| for 1 <= k < n, in double (NaN or infinite where a is).
template <class T>
double tail_norm(const T* a, std::size_t n) {
  double sum = 0;
  for (std::size_t k = 1; k < n; ++k) sum += std::abs(static_cast<double>(a[k]));
  return sum;
}

/// 1/a mod x^n stays below 4 / |a0| in l1 norm: a = a0 (1 + d) with
/// ||d||_1 <= 3/4 gives ||1/a||_1 <= 1 / (|a0| (1 - ||d||_1)).
template <class T>
bool newton_inverse_bounded(const T* a, std::size_t n) {
  return tail_norm(a, n) <= 0.75 * std::abs(static_cast<double>(a[0]));
}

/// exp(a - a0) and exp(a0 - a) (and the complex exp(+-i (a - a0))) stay
/// below e in l1 norm: ||exp(b)||_1 <= exp(||b||_1).
template <class T>
bool newton_exponential_bounded(const T* a, std::size_t n) {
  return tail_norm(a, n) <= 1.0;
}

/// a^s = a0^s exp(s log(a / a0)): 1/(a / a0) bounded as above and
/// ||s log(a / a0)||_1 <= |s| (-log(1 - ||d||_1)) <= 1.5.
template <class T>
bool newton_power_bounded(const T* a, std::size_t n, const T& s) {
  const double d = tail_norm(a, n) / std::abs(static_cast<double>(a[0]));
  return d <= 0.75 && std::abs(static_cast<double>(s)) * -std::log1p(-d) <= 1.5;
}

} // namespace polybatch::kernels::series
