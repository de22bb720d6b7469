// Exact convolution of rationals (cpp_rational, mpq_rational) the way FLINT's
// fmpq_poly works: each row becomes an integer row over one common
// denominator (the lcm of its denominators), the rows are multiplied as
// integers, and each output coefficient is normalised once instead of once
// per term. Short rows whose values fit machine words do all of it in 64/128
// bits (rational_words.hpp), row by row; other rows use the integer kernel of
// convolve_integer.hpp and the number types' own gcd.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <utility>
#include <vector>

#include "polybatch/core/thread_local_address.hpp"
#include "polybatch/kernels/exact/convolve_integer.hpp"
#include "polybatch/kernels/exact/cpp_int_fields.hpp"
#include "polybatch/kernels/exact/rational_limbs.hpp"
#include "polybatch/kernels/exact/rational_words.hpp"

namespace polybatch::kernels::exact {

/// Numerator/denominator access; `available` is false for rational types
/// this header does not know (they use the schoolbook kernel).
template <class T, class Enable = void>
struct rational_access {
  static constexpr bool available = false;
};

/// cpp_rational: rational_adaptor over a cpp_int backend.
template <class IntBackend, boost::multiprecision::expression_template_option ET>
struct rational_access<boost::multiprecision::number<boost::multiprecision::backends::rational_adaptor<IntBackend>, ET>,
                       std::enable_if_t<integer_access<boost::multiprecision::number<IntBackend>>::available>> {
  using T = boost::multiprecision::number<boost::multiprecision::backends::rational_adaptor<IntBackend>, ET>;
  using integer = boost::multiprecision::number<IntBackend>;
  static constexpr bool available = true;

  static const integer& numerator(const T& x, integer&) { return x.backend().data().numerator(); }
  static const integer& denominator(const T& x, integer&) { return x.backend().data().denominator(); }
  /// out = num / den in lowest terms (den > 0).
  static void assign(T& out, const integer& num, const integer& den) { out.backend().data().assign(num, den); }
  static void assign_integer(T& out, const integer& num) { out.backend().data().assign(num, integer(1)); }
  /// out = num / den for coprime num and den > 0, stored without a gcd
  /// (through the accessors, as write_reduced does).
  static void assign_coprime(T& out, integer&& num, integer&& den) {
    auto& q = out.backend().data();
    const_cast<integer&>(q.numerator()) = std::move(num);
    const_cast<integer&>(q.denominator()) = std::move(den);
  }

  /// num / den of x when both fit 63 bits.
  static bool read_small(const T& x, std::int64_t& num, std::uint64_t& den) {
    using A = integer_access<integer>;
    const integer& n = x.backend().data().numerator();
    const integer& d = x.backend().data().denominator();
    if constexpr (cpp_int_fields::applies<integer>) {
      // Both as one-limb inline values, read as two words each (no load
      // waits on the inline flag; cpp_int_fields.hpp).
      std::int64_t signed_den;
      std::uint64_t magnitude;
      if (cpp_int_fields::layout_matches() && cpp_int_fields::read_small(n, num, magnitude) &&
          cpp_int_fields::read_small(d, signed_den, den))
        return true;
    }
    if (A::size(n) != 1 || A::size(d) != 1) return false;
    const limb_t mn = static_cast<limb_t>(A::limbs(n)[0]);
    const limb_t md = static_cast<limb_t>(A::limbs(d)[0]);
    if ((mn >> 63) != 0 || (md >> 63) != 0) return false;
    num = A::negative(n) ? -static_cast<std::int64_t>(mn) : static_cast<std::int64_t>(mn);
    den = md;
    return true;
  }
  /// out = num / den, already in lowest terms with den > 0: stored as is.
  /// boost::rational offers no unnormalised setter; the object is not
  /// const, so writing through its const accessors is well defined.
  static void write_reduced(T& out, int128 num, uint128 den) {
    auto& q = out.backend().data();
    if constexpr (cpp_int_fields::applies<integer>) {
      // In place when both are one-limb inline values below 2^63, as
      // results being overwritten usually are.
      if (num > -(int128(1) << 63) && num < (int128(1) << 63) && den < (uint128(1) << 63) &&
          cpp_int_fields::layout_matches() &&
          cpp_int_fields::write_small(const_cast<integer&>(q.numerator()), static_cast<std::int64_t>(num))) {
        if (cpp_int_fields::write_small(const_cast<integer&>(q.denominator()), static_cast<std::int64_t>(den))) return;
        detail::write_int128(const_cast<integer&>(q.denominator()), static_cast<int128>(den));
        return;
      }
    }
    detail::write_int128(const_cast<integer&>(q.numerator()), num);
    detail::write_int128(const_cast<integer&>(q.denominator()), static_cast<int128>(den));
  }
  /// The same from limbs: magnitudes num[0, nn) and den[0, nd).
  static void write_reduced_limbs(T& out, const limb_t* num, std::size_t nn, bool negative, const limb_t* den,
                                  std::size_t nd) {
    using A = integer_access<integer>;
    auto& q = out.backend().data();
    A::write(const_cast<integer&>(q.numerator()), num, nn, negative);
    A::write(const_cast<integer&>(q.denominator()), den, nd, false);
  }
};

namespace detail {

template <class Integer>
struct rational_tile_buffers {
  std::vector<Integer> a, b, c, lcm_a, lcm_b;
  Integer scratch_num, scratch_den, factor, denominator;
};
template <class Integer>
rational_tile_buffers<Integer>& rational_buffers() {
  thread_local rational_tile_buffers<Integer> buffers;
  return *thread_local_address(&buffers);
}

/// Rows of rationals as integer rows over each row's common denominator:
/// scaled[i] = num[i] * (lcm / den[i]).
template <class T, class Integer>
void to_common_denominator(const T* x, std::size_t ld, std::size_t nrows, std::size_t len, Integer* scaled,
                           Integer* lcms, rational_tile_buffers<Integer>& buf) {
  using R = rational_access<T>;
  for (std::size_t r = 0; r < nrows; ++r) {
    const T* row = x + r * ld;
    Integer& l = lcms[r];
    l = 1;
    for (std::size_t k = 0; k < len; ++k) {
      const Integer& den = R::denominator(row[k], buf.scratch_den);
      if (den != 1 && l % den != 0) l = boost::multiprecision::lcm(l, den);
    }
    for (std::size_t k = 0; k < len; ++k) {
      const Integer& num = R::numerator(row[k], buf.scratch_num);
      const Integer& den = R::denominator(row[k], buf.scratch_den);
      if (den == l) {
        scaled[r * len + k] = num;
      } else {
        buf.factor = l / den;
        scaled[r * len + k] = num * buf.factor;
      }
    }
  }
}

} // namespace detail

/// Exact tile convolution of rationals through one integer convolution.
template <class T>
void convolve_rational_tile(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                            std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out,
                            std::size_t ldo) {
  using R = rational_access<T>;
  using Integer = typename R::integer;
  auto& buf = detail::rational_buffers<Integer>();
  const std::size_t rows_a = lda ? rows : 1;
  const std::size_t rows_b = ldb ? rows : 1;
  if (buf.a.size() < rows_a * la) buf.a.resize(rows_a * la);
  if (buf.b.size() < rows_b * lb) buf.b.resize(rows_b * lb);
  if (buf.c.size() < rows * n) buf.c.resize(rows * n);
  if (buf.lcm_a.size() < rows_a) buf.lcm_a.resize(rows_a);
  if (buf.lcm_b.size() < rows_b) buf.lcm_b.resize(rows_b);
  detail::to_common_denominator(a, lda, rows_a, la, buf.a.data(), buf.lcm_a.data(), buf);
  detail::to_common_denominator(b, ldb, rows_b, lb, buf.b.data(), buf.lcm_b.data(), buf);
  convolve_integer_rows(rows, buf.a.data(), lda ? la : 0, la, buf.b.data(), ldb ? lb : 0, lb, reverse_b, offset, n,
                        buf.c.data(), n);
  for (std::size_t r = 0; r < rows; ++r) {
    const Integer& la_r = buf.lcm_a[lda ? r : 0];
    const Integer& lb_r = buf.lcm_b[ldb ? r : 0];
    const bool integral = la_r == 1 && lb_r == 1;
    if (!integral) buf.denominator = la_r * lb_r;
    for (std::size_t k = 0; k < n; ++k) {
      const Integer& c = buf.c[r * n + k];
      if (integral || c == 0)
        R::assign_integer(out[r * ldo + k], c);
      else
        R::assign(out[r * ldo + k], c, buf.denominator);
    }
  }
}

namespace detail {

/// Scratch of smooth_row_product, per thread (about 14 KB).
struct smooth_row_scratch {
  limbs::scaled_row a, b;
  limbs::pair_denominator pair;
  limb_t c[limbs::lanes][limbs::max_reduced_limbs];
  std::size_t size[limbs::lanes];
  bool negative[limbs::lanes];
  limbs::reduced reduced[limbs::lanes];
};
inline smooth_row_scratch& smooth_scratch() {
  thread_local smooth_row_scratch scratch;
  return *thread_local_address(&scratch);
}

/// One row of a * b from two rows the word reader read, with smooth
/// denominators, whose lcms or products outgrow words: scaled to their lcms
/// in limbs, multiplied in limbs, each coefficient reduced by
/// rational_limbs.hpp's tests and written in lowest terms.
template <class T>
void smooth_row_product(const words::rational_row& ra, std::size_t la, const words::rational_row& rb, std::size_t lb,
                        std::size_t offset, std::size_t n, T* out) {
  using R = rational_access<T>;
  smooth_row_scratch& s = smooth_scratch();
  limbs::scale_row(ra, la, s.a);
  limbs::scale_row(rb, lb, s.b);
  limbs::pair_groups(ra, rb, s.pair);
  const limbs::coefficient_fn coefficient = limbs::coefficient_for(s.a, s.b);
  for (std::size_t k0 = 0; k0 < n; k0 += limbs::lanes) {
    const std::size_t count = std::min(limbs::lanes, n - k0);
    const limb_t* x[limbs::lanes];
    for (std::size_t w = 0; w < count; ++w) {
      s.size[w] = coefficient(s.a, la, s.b, lb, offset + k0 + w, s.c[w], s.negative[w]);
      x[w] = s.c[w];
    }
    limbs::reduce_lanes(x, s.size, count, s.pair, s.reduced);
    for (std::size_t w = 0; w < count; ++w) {
      const limbs::reduced& q = s.reduced[w];
      R::write_reduced_limbs(out[k0 + w], q.num, q.num_size, s.negative[w], q.den, q.den_size);
    }
  }
}

/// Short rows one at a time: a row whose values, common denominators and
/// scaled numerators fit 63 bits and whose products fit __int128 is done in
/// words; consecutive rows that do not go to convolve_rational_tile together.
template <class T>
void convolve_small_rational_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b,
                                  std::size_t ldb, std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n,
                                  T* out, std::size_t ldo) {
  using R = rational_access<T>;
  words::rational_row ra, rb;
  bool ok_a = lda != 0 || words::read_rational_row<R>(a, la, false, ra);
  bool ok_b = ldb != 0 || words::read_rational_row<R>(b, lb, reverse_b, rb);
  std::size_t wide_from = rows; // first row of a pending run for the general kernel
  auto flush = [&](std::size_t end) {
    if (wide_from == rows) return;
    convolve_rational_tile(end - wide_from, a + wide_from * lda, lda, la, b + wide_from * ldb, ldb, lb, reverse_b,
                           offset, n, out + wide_from * ldo, ldo);
    wide_from = rows;
  };
  for (std::size_t r = 0; r < rows; ++r) {
    if (lda) ok_a = words::read_rational_row<R>(a + r * lda, la, false, ra);
    if (ldb) ok_b = words::read_rational_row<R>(b + r * ldb, lb, reverse_b, rb);
    const integer_width width =
        ok_a && ok_b ? choose_integer_width(bit_length(ra.magnitude_or), bit_length(rb.magnitude_or), std::min(la, lb))
                     : integer_width::limbs;
    if (width == integer_width::limbs) {
      if (ra.read && rb.read && ra.smooth && rb.smooth) {
        flush(r);
        smooth_row_product(ra, la, rb, lb, offset, n, out + r * ldo);
        continue;
      }
      if (wide_from == rows) wide_from = r;
      continue;
    }
    flush(r);
    const bool by_primes = ra.smooth && rb.smooth;
    constexpr std::size_t chunk = 2 * words::max_row;
    for (std::size_t k0 = 0; k0 < n; k0 += chunk) {
      const std::size_t m = std::min(chunk, n - k0);
      T* o = out + r * ldo + k0;
      int128 c[chunk], num[chunk];
      uint128 den[chunk];
      for (std::size_t k = 0; k < m; ++k)
        c[k] = width == integer_width::int64
                   ? int128(words::coefficient<std::int64_t>(ra.value, la, rb.value, lb, offset + k0 + k))
                   : words::coefficient<int128>(ra.value, la, rb.value, lb, offset + k0 + k);
      if (by_primes)
        words::reduce_row(c, m, ra, rb, num, den);
      else
        for (std::size_t k = 0; k < m; ++k) words::reduce(c[k], ra.denominator, rb.denominator, num[k], den[k]);
      for (std::size_t k = 0; k < m; ++k) R::write_reduced(o[k], num[k], den[k]);
    }
  }
  flush(rows);
}

} // namespace detail

/// Exact tile convolution of rationals.
template <class T>
void convolve_rational_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
                            std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out,
                            std::size_t ldo) {
  if (la <= words::max_row && lb <= words::max_row)
    detail::convolve_small_rational_rows(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
  else
    convolve_rational_tile(rows, a, lda, la, b, ldb, lb, reverse_b, offset, n, out, ldo);
}

} // namespace polybatch::kernels::exact
