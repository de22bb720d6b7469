// Convolution for Boost.Multiprecision floating types. Binary floats with
// limb access (float128, cpp_bin_float_quad and other base-2 cpp_bin_float,
// mpfr_float up to 256 bits) and decimal floats up to 16 limbs
// (cpp_dec_float_50, _100) compute each coefficient exactly and round it
// once (binary_float_dot.hpp, decimal_float_dot.hpp): correctly rounded,
// and faster than the naive loop. The rest (wider mpfr and cpp_dec_float,
// non-finite rows, sums spread over more than the accumulators) run the naive loop at
// the backend level: each term multiplied into one reused product value and
// added into one reused accumulator, so no temporary is created per term
// (et_off types would otherwise build one per `acc += a * b`).
// Variable-precision numbers work at the largest precision found among the
// tile's operands; mpfr's naive loop is one fused multiply-add per term
// (mpfr_fma), as Boost does for `acc += a * b`.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <algorithm>
#include <boost/multiprecision/number.hpp>
#include <cstddef>
#include <type_traits>

#include "polybatch/kernels/exact/binary_float_dot.hpp"
#include "polybatch/kernels/exact/decimal_float_dot.hpp"
#include "polybatch/scalar/multiprecision.hpp"

namespace polybatch::kernels::exact {

/// The operand value of the tile with the largest run-time precision (the
/// first value for fixed-precision types).
template <class T>
const T& most_precise(const T* a, std::size_t lda, std::size_t rows_a, std::size_t la, const T* b, std::size_t ldb,
                      std::size_t rows_b, std::size_t lb) {
  const T* best = a;
  if constexpr (has_runtime_precision<T>) {
    auto scan = [&](const T* x, std::size_t ld, std::size_t nrows, std::size_t len) {
      for (std::size_t r = 0; r < nrows; ++r)
        for (std::size_t k = 0; k < len; ++k)
          if (x[r * ld + k].precision() > best->precision()) best = &x[r * ld + k];
    };
    scan(a, lda, rows_a, la);
    scan(b, ldb, rows_b, lb);
  } else {
    (void)lda, (void)rows_a, (void)la, (void)b, (void)ldb, (void)rows_b, (void)lb;
  }
  return *best;
}

/// The unpacked values of b's row (binary_dot::unpacked or
/// decimal_dot::unpacked), read once per tile when b is broadcast.
template <class Unpacked, std::size_t M>
struct unpacked_row {
  Unpacked value[M];
  enum class state { unread, ready, failed } status = state::unread;
  std::size_t widest = 0; // binary: the widest mantissa, in limbs
};

/// Fills row.value from br (reversed if asked) unless it holds b's row
/// already (`keep`: b is the same row for every row of the tile); false if a
/// value cannot be unpacked.
template <class T, class Unpacked, std::size_t M, class Unpack>
bool unpack_b(const T* br, std::size_t lb, bool reverse_b, bool keep, unpacked_row<Unpacked, M>& row, Unpack&& unpack) {
  using state = typename unpacked_row<Unpacked, M>::state;
  if (keep && row.status != state::unread) return row.status == state::ready;
  row.widest = 0;
  row.status = state::failed;
  for (std::size_t j = 0; j < lb; ++j)
    if (!unpack(br[reverse_b ? lb - 1 - j : j], row.value[j], row.widest)) return false;
  row.status = state::ready;
  return true;
}

/// The frame both exact row kernels share: the row's values unpacked by
/// `unpack(value, unpacked, widest)` (b's kept across rows when it repeats);
/// false, nothing written, when one cannot be. Each coefficient's term pairs
/// go to `round_into(x, y, terms, widest, out[k])`, which writes the rounded
/// sum there or returns false; then `naive(k)` computes that coefficient.
template <class T, class Unpacked, std::size_t M, class Unpack, class RoundInto, class Naive>
bool convolve_row_exact(const T* ar, std::size_t la, const T* br, std::size_t lb, bool reverse_b, bool b_repeats,
                        unpacked_row<Unpacked, M>& b_row, Unpack&& unpack, RoundInto&& round_into, std::size_t offset,
                        std::size_t n, T* out, Naive&& naive) {
  if (la > M || lb > M) return false;
  if (!unpack_b(br, lb, reverse_b, b_repeats, b_row, unpack)) return false;
  Unpacked ua[M];
  std::size_t widest = b_row.widest;
  for (std::size_t i = 0; i < la; ++i)
    if (!unpack(ar[i], ua[i], widest)) return false;
  const Unpacked* ub = b_row.value;
  const Unpacked* x[M];
  const Unpacked* y[M];
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = offset + k;
    const std::size_t lo = j >= lb ? j - lb + 1 : 0;
    const std::size_t hi = std::min(j, la - 1);
    std::size_t terms = 0;
    for (std::size_t i = lo; i <= hi; ++i, ++terms) {
      x[terms] = &ua[i];
      y[terms] = &ub[j - i];
    }
    if (!round_into(x, y, terms, widest, out[k])) out[k] = naive(k);
  }
  return true;
}

/// Coefficients by exact accumulation (binary_float_dot.hpp) where the
/// backend allows it; false (nothing written) when a value of the row is not
/// finite or too wide, so the caller takes the naive loop for the row.
/// Coefficients whose sum the accumulator cannot hold, or whose rounded
/// value leaves the type's normal range, are computed by `naive(k)`.
template <class T, class Naive>
bool convolve_float_row_exact(const T* ar, std::size_t la, const T* br, std::size_t lb, bool reverse_b, bool b_repeats,
                              unpacked_row<binary_dot::unpacked, binary_dot::max_terms>& b_row, std::size_t offset,
                              std::size_t n, T* out, T& acc, Naive&& naive) {
  using access = binary_dot::access<typename T::backend_type>;
  const auto unpack = [](const T& x, binary_dot::unpacked& u, std::size_t& widest) {
    if (!access::unpack(x.backend(), u)) return false;
    u.finish();
    widest = std::max(widest, u.n);
    return true;
  };
  binary_dot::limb mag[binary_dot::acc_limbs];
  // `limbs`, the widest mantissa of the row, picks the unrolled kernel.
  const auto round_into = [&](const binary_dot::unpacked* const* x, const binary_dot::unpacked* const* y,
                              std::size_t terms, std::size_t limbs, T& dest) {
    bool negative;
    std::int64_t exponent;
    std::size_t used;
    if (!binary_dot::exact_sum(limbs, x, y, terms, mag, used, negative, exponent) ||
        !access::pack(acc.backend(), negative, mag, used, exponent))
      return false;
    dest = acc;
    return true;
  };
  return convolve_row_exact(ar, la, br, lb, reverse_b, b_repeats, b_row, unpack, round_into, offset, n, out, naive);
}

/// The decimal twin of convolve_float_row_exact (decimal_float_dot.hpp),
/// with one copy of the decimal kernel (`Kernel`, a decimal_dot::kernel).
template <class Kernel, class T, class Naive>
bool convolve_decimal_row_exact(const T* ar, std::size_t la, const T* br, std::size_t lb, bool reverse_b,
                                bool b_repeats, unpacked_row<typename Kernel::value, Kernel::terms>& b_row,
                                std::size_t offset, std::size_t n, T* out, Naive&& naive) {
  using value = typename Kernel::value;
  const auto unpack = [](const T& x, value& u, std::size_t&) { return Kernel::read(x.backend(), u); };
  // The sum is written into its place in `out`, made a finite value at the
  // type's full precision first: rounded into a scratch value and copied, its
  // limbs' 4-byte stores would be read back at once by the copy's wider
  // loads, which the store buffer cannot forward (a stall per coefficient).
  const T zero(0);
  const auto round_into = [&](const value* const* x, const value* const* y, std::size_t terms, std::size_t, T& dest) {
    dest = zero;
    return Kernel::sum(x, y, terms, dest.backend());
  };
  return convolve_row_exact(ar, la, br, lb, reverse_b, b_repeats, b_row, unpack, round_into, offset, n, out, naive);
}

/// Scratch of the exact kernels for one tile: b's row unpacked (read once
/// per tile when b is broadcast), in the value layout of the decimal
/// kernel's copy `Kernel` for decimals.
template <class T, class Kernel, class Backend = typename T::backend_type, class Enable = void>
struct exact_scratch {};
template <class T, class Kernel, class Backend>
struct exact_scratch<T, Kernel, Backend, std::enable_if_t<binary_dot::access<Backend>::available>> {
  unpacked_row<binary_dot::unpacked, binary_dot::max_terms> b_row;
};
template <class T, class Kernel, class Backend>
struct exact_scratch<T, Kernel, Backend, std::enable_if_t<decimal_dot::access<Backend>::available>> {
  unpacked_row<typename Kernel::value, Kernel::terms> b_row;
};

/// convolve_float_rows with the decimal kernel's copy `DecimalKernel`.
template <class DecimalKernel, class T>
void convolve_float_rows_with(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b,
                              std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n,
                              T* out, std::size_t ldo) {
  using boost::multiprecision::default_ops::eval_add;
  using boost::multiprecision::default_ops::eval_multiply;
  using boost::multiprecision::default_ops::eval_multiply_add;
  const T& like = most_precise(a, lda, lda ? rows : 1, la, b, ldb, ldb ? rows : 1, lb);
  T acc = scalar_traits<T>::zero_like(like);
  T product = scalar_traits<T>::zero_like(like);
  const T zero = scalar_traits<T>::zero_like(like);
  exact_scratch<T, DecimalKernel> scratch;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * lda;
    const T* br = b + r * ldb;
    // Coefficient k the naive way: one rounding per term.
    const auto naive = [&](std::size_t k) -> const T& {
      const std::size_t j = offset + k;
      const std::size_t lo = j >= lb ? j - lb + 1 : 0;
      const std::size_t hi = std::min(j, la - 1);
      acc.backend() = zero.backend();
      for (std::size_t i = lo; i <= hi; ++i) {
        const T& bj = reverse_b ? br[lb - 1 - j + i] : br[j - i];
        if constexpr (has_runtime_precision<T>) {
          // mpfr: one fused multiply-add (mpfr_fma), as Boost evaluates
          // `acc += a * b`; one rounding per term.
          eval_multiply_add(acc.backend(), ar[i].backend(), bj.backend());
        } else {
          eval_multiply(product.backend(), ar[i].backend(), bj.backend());
          eval_add(acc.backend(), product.backend());
        }
      }
      return acc;
    };
    if constexpr (binary_dot::access<typename T::backend_type>::available)
      if (convolve_float_row_exact(ar, la, br, lb, reverse_b, ldb == 0, scratch.b_row, offset, n, out + r * ldo, acc,
                                   naive))
        continue;
    if constexpr (decimal_dot::access<typename T::backend_type>::available)
      if (convolve_decimal_row_exact<DecimalKernel>(ar, la, br, lb, reverse_b, ldb == 0, scratch.b_row, offset, n,
                                                    out + r * ldo, naive))
        continue;
    for (std::size_t k = 0; k < n; ++k) out[r * ldo + k] = naive(k);
  }
}

template <class T>
void convolve_float_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                         std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo) {
#if defined(POLYBATCH_DECIMAL_AVX2_BY_ATTRIBUTE)
  if constexpr (decimal_dot::access<typename T::backend_type>::available)
    if (decimal_dot::avx2_by_attribute::runs_here())
      return convolve_float_rows_with<decimal_dot::avx2_by_attribute::kernel>(rows, a, lda, la, b, ldb, lb, reverse_b,
                                                                              offset, n, out, ldo);
#endif
  convolve_float_rows_with<decimal_dot::kernel>(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
}

} // namespace polybatch::kernels::exact
