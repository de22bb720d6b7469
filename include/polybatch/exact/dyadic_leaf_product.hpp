// Products of two float/double leaves in a dyadic tree (verify(a * b), the
// inner a * b of (a * b) * c): each coefficient is summed straight from the
// bits of the doubles in one signed 128-bit accumulator, with no dyadic
// copies of the leaves. Coefficients whose terms spread too far for 128 bits
// convert that row's operands and take the dyadic convolution.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "polybatch/eval/evaluator.hpp"
#include "polybatch/eval/product.hpp"
#include "polybatch/eval/rebind.hpp"
#include "polybatch/exact/dyadic.hpp"
#include "polybatch/exact/dyadic_convolve.hpp"
#include "polybatch/exact/dyadic_plan.hpp"

namespace polybatch::exact::detail {

/// A finite double as mantissa * 2^exponent (mantissa < 2^53, not reduced).
struct double_parts {
  std::uint64_t mantissa;
  std::int64_t exponent;
  bool negative;
};

inline double_parts split_double(double d) {
  const auto raw = std::bit_cast<std::uint64_t>(d);
  const auto biased = static_cast<std::int64_t>((raw >> 52) & 0x7ff);
  const std::uint64_t frac = raw & ((std::uint64_t(1) << 52) - 1);
  if (biased == 0) return {frac, -1074, (raw >> 63) != 0};
  return {frac | (std::uint64_t(1) << 52), biased - 1075, (raw >> 63) != 0};
}

/// out = sum of x(i) * y(i), i in [lo, hi], for doubles read by x and y;
/// false when the terms do not fit one 128-bit sum on a common exponent.
template <int N, class X, class Y>
bool sum_of_double_products(X&& x, Y&& y, std::size_t lo, std::size_t hi, dyadic<N>& out) {
  std::int64_t low = std::numeric_limits<std::int64_t>::max();
  std::int64_t high = std::numeric_limits<std::int64_t>::min();
  std::size_t terms = 0;
  for (std::size_t i = lo; i <= hi; ++i) {
    const double u = x(i), v = y(i);
    if (u == 0 || v == 0) continue;
    const std::int64_t e = split_double(u).exponent + split_double(v).exponent;
    low = std::min(low, e);
    high = std::max(high, e);
    ++terms;
  }
  if (terms == 0) {
    out = dyadic<N>();
    return true;
  }
  // Products are below 2^106; one sign bit and one bit per doubling of terms.
  if (high - low + 106 + std::bit_width(terms) + 1 > 128) return false;
  int128 sum = 0;
  for (std::size_t i = lo; i <= hi; ++i) {
    const double u = x(i), v = y(i);
    if (u == 0 || v == 0) continue;
    const double_parts pu = split_double(u), pv = split_double(v);
    const auto p =
        static_cast<int128>((static_cast<uint128>(pu.mantissa) * pv.mantissa) << (pu.exponent + pv.exponent - low));
    sum += pu.negative != pv.negative ? -p : p;
  }
  const bool negative = sum < 0;
  const uint128 mag = negative ? static_cast<uint128>(0) - static_cast<uint128>(sum) : static_cast<uint128>(sum);
  out = dyadic<N>::from_uint128(mag, negative, low);
  return true;
}

/// One operand row split into signed mantissas and exponents (zeros have
/// mantissa 0), with the exponent range of its non-zero values.
struct split_row {
  std::int64_t low = std::numeric_limits<std::int64_t>::max();
  std::int64_t high = std::numeric_limits<std::int64_t>::min();

  template <class S>
  void split(const S* row, std::size_t n, std::int64_t* m, std::int64_t* e) {
    low = std::numeric_limits<std::int64_t>::max();
    high = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < n; ++i) {
      const double_parts p = split_double(static_cast<double>(row[i]));
      m[i] = p.negative ? -static_cast<std::int64_t>(p.mantissa) : static_cast<std::int64_t>(p.mantissa);
      e[i] = p.exponent;
      if (p.mantissa != 0) low = std::min(low, p.exponent), high = std::max(high, p.exponent);
    }
  }
  bool empty() const { return low > high; }
};

/// Row r of a * b when every product of the row fits one 128-bit sum on the
/// row's lowest exponent: out[k] for k < n, full coefficient offset + k.
template <int N>
bool row_of_products(const std::int64_t* ma, const std::int64_t* ea, const split_row& ra, std::size_t la,
                     const std::int64_t* mb, const std::int64_t* eb, const split_row& rb, std::size_t lb,
                     bool reverse_b, std::size_t offset, std::size_t n, dyadic<N>* out) {
  if (ra.empty() || rb.empty()) {
    for (std::size_t k = 0; k < n; ++k) out[k] = dyadic<N>();
    return true;
  }
  const std::int64_t low = ra.low + rb.low;
  const std::size_t terms = std::min(la, lb);
  if (ra.high - ra.low + rb.high - rb.low + 106 + std::bit_width(terms) + 1 > 128) return false;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = offset + k;
    const std::size_t lo = j >= lb ? j - lb + 1 : 0;
    const std::size_t hi = std::min(j, la - 1);
    int128 sum = 0;
    for (std::size_t i = lo; i <= hi && lo <= hi; ++i) {
      const std::size_t jb = reverse_b ? lb - 1 - j + i : j - i;
      const int128 p = static_cast<int128>(ma[i]) * mb[jb];
      // A zero's exponent is split_double's -1074, below the row's lowest
      // nonzero one: its (zero) product would shift by a negative amount.
      const std::int64_t shift = std::max<std::int64_t>(ea[i] + eb[jb] - low, 0);
      sum += static_cast<int128>(static_cast<uint128>(p) << shift);
    }
    const bool negative = sum < 0;
    const uint128 mag = negative ? static_cast<uint128>(0) - static_cast<uint128>(sum) : static_cast<uint128>(sum);
    out[k] = dyadic<N>::from_uint128(mag, negative, low);
  }
  return true;
}

} // namespace polybatch::exact::detail

namespace polybatch::evaluation {

template <int N, class LA, class LB>
requires exact::is_binary_float<value_type_of<LA>> && exact::is_binary_float<value_type_of<LB>>
struct evaluator<expr::Product<expr::ConvertLeaf<exact::dyadic<N>, LA>, expr::ConvertLeaf<exact::dyadic<N>, LB>>> {
  using D = exact::dyadic<N>;
  using Node = expr::Product<expr::ConvertLeaf<D, LA>, expr::ConvertLeaf<D, LB>>;
  static constexpr bool is_leaf = false;

  static void eval_into(const Node& e, std::size_t r0, std::size_t rows, std::size_t n, D* out, std::size_t ldo,
                        Scratch<D>& scratch) {
    const expr::Window w = e.window();
    const std::size_t la = std::min(e.lhs().length(), w.offset + n);
    const std::size_t lb = e.reverses_rhs() ? e.rhs().length() : std::min(e.rhs().length(), w.offset + n);
    const auto a = evaluator_of<LA>::rows(e.lhs().operand(), r0);
    const auto b = evaluator_of<LB>::rows(e.rhs().operand(), r0);
    const std::size_t mark = scratch.mark();
    D* da = nullptr; // this row's operands as dyadics, made when a coefficient needs them
    thread_local std::vector<std::int64_t> parts;
    parts.resize(2 * (la + lb));
    std::int64_t* ma = parts.data();
    std::int64_t* ea = ma + la;
    std::int64_t* mb = ea + la;
    std::int64_t* eb = mb + lb;
    exact::detail::split_row sa, sb;
    for (std::size_t r = 0; r < rows; ++r) {
      const auto* ar = a.data + r * a.ld;
      const auto* br = b.data + r * b.ld;
      D* o = out + r * ldo;
      if (r == 0 || a.ld != 0) sa.split(ar, la, ma, ea);
      if (r == 0 || b.ld != 0) sb.split(br, lb, mb, eb);
      if (exact::detail::row_of_products<N>(ma, ea, sa, la, mb, eb, sb, lb, e.reverses_rhs(), w.offset, n, o)) continue;
      bool converted = false;
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t j = w.offset + k;
        const std::size_t lo = j >= lb ? j - lb + 1 : 0;
        const std::size_t hi = std::min(j, la - 1);
        if (lo > hi) {
          o[k] = D();
          continue;
        }
        auto x = [&](std::size_t i) -> double { return static_cast<double>(ar[i]); };
        const bool done =
            e.reverses_rhs()
                ? exact::detail::sum_of_double_products<N>(
                      x, [&](std::size_t i) -> double { return static_cast<double>(br[lb - 1 - j + i]); }, lo, hi, o[k])
                : exact::detail::sum_of_double_products<N>(
                      x, [&](std::size_t i) -> double { return static_cast<double>(br[j - i]); }, lo, hi, o[k]);
        if (done) continue;
        if (!da) da = scratch.take(la + lb);
        if (!converted) {
          for (std::size_t i = 0; i < la; ++i) da[i] = D(ar[i]);
          for (std::size_t i = 0; i < lb; ++i) da[la + i] = D(br[i]);
          converted = true;
        }
        kernels::convolve_rows(1, da, 0, la, da + la, 0, lb, e.reverses_rhs(), j, 1, o + k, 0, scratch.accumulator());
      }
    }
    scratch.release(mark);
  }

  static std::size_t scratch_per_row(const Node& e, std::size_t) {
    return detail::saturating_sum(e.lhs().length(), e.rhs().length());
  }

  static bool unsafe_alias(const Node& e, const Destination& dst, bool writes_dst) {
    return operand_unsafe(e.lhs(), dst, writes_dst) || operand_unsafe(e.rhs(), dst, writes_dst);
  }

  static const D& sample(const Node& e) { return evaluation::sample(e.lhs()); }
};

} // namespace polybatch::evaluation
