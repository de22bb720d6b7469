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
#include <stdexcept>
#include <vector>

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
  // Rows whose denominators are smooth: their lcm's factorisation.
  std::vector<limbs::smooth_denominator> smooth_a, smooth_b;
  std::vector<unsigned char> is_smooth_a, is_smooth_b;
  limbs::pair_denominator pair;
  limbs::reduced coefficients[limbs::lanes];
};
template <class Integer>
rational_tile_buffers<Integer>& rational_buffers() {
  thread_local rational_tile_buffers<Integer> buffers;
  return buffers;
}

/// A row whose values and denominators fit 63 bits, with every
/// denominator's odd part below smooth_bound: its lcm from the factor
/// tables and its values scaled to it, in limbs. False (nothing written)
/// for other rows.
template <class T, class Integer>
bool smooth_common_denominator(const T* row, std::size_t len, Integer* scaled, Integer& lcm,
                               limbs::smooth_denominator& d) {
  using R = rational_access<T>;
  using A = integer_access<Integer>;
  if (len > words::max_row) return false;
  std::int64_t num[words::max_row];
  std::uint64_t den[words::max_row];
  std::uint64_t odd_parts_or = 0;
  for (std::size_t k = 0; k < len; ++k) {
    if (!R::read_small(row[k], num[k], den[k])) return false;
    odd_parts_or |= den[k] >> std::countr_zero(den[k]);
  }
  if (odd_parts_or >= words::smooth_bound) return false;
  limbs::smooth_lcm(den, len, d);
  A::write(lcm, d.value, d.size, false);
  limb_t v[limbs::max_lcm_limbs + 2];
  for (std::size_t k = 0; k < len; ++k) {
    const std::size_t n = limbs::scale_to(d, num[k], den[k], v);
    A::write(scaled[k], v, n, num[k] < 0);
  }
  return true;
}

/// Rows of rationals as integer rows over each row's common denominator:
/// scaled[i] = num[i] * (lcm / den[i]). is_smooth[r] says whether row r's
/// lcm was built from its factorisation, then in smooth[r].
template <class T, class Integer>
void to_common_denominator(const T* x, std::size_t ld, std::size_t nrows, std::size_t len, Integer* scaled,
                           Integer* lcms, limbs::smooth_denominator* smooth, unsigned char* is_smooth,
                           rational_tile_buffers<Integer>& buf) {
  using R = rational_access<T>;
  for (std::size_t r = 0; r < nrows; ++r) {
    const T* row = x + r * ld;
    is_smooth[r] = smooth_common_denominator(row, len, scaled + r * len, lcms[r], smooth[r]);
    if (is_smooth[r]) continue;
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
  if (buf.smooth_a.size() < rows_a) buf.smooth_a.resize(rows_a), buf.is_smooth_a.resize(rows_a);
  if (buf.smooth_b.size() < rows_b) buf.smooth_b.resize(rows_b), buf.is_smooth_b.resize(rows_b);
  detail::to_common_denominator(a, lda, rows_a, la, buf.a.data(), buf.lcm_a.data(), buf.smooth_a.data(),
                                buf.is_smooth_a.data(), buf);
  detail::to_common_denominator(b, ldb, rows_b, lb, buf.b.data(), buf.lcm_b.data(), buf.smooth_b.data(),
                                buf.is_smooth_b.data(), buf);
  convolve_integer_rows(rows, buf.a.data(), lda ? la : 0, la, buf.b.data(), ldb ? lb : 0, lb, reverse_b, offset, n,
                        buf.c.data(), n);
  using A = integer_access<Integer>;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::size_t ra = lda ? r : 0, rb = ldb ? r : 0;
    if (buf.is_smooth_a[ra] && buf.is_smooth_b[rb]) {
      limbs::pair_groups(buf.smooth_a[ra], buf.smooth_b[rb], buf.pair);
      for (std::size_t k0 = 0; k0 < n; k0 += limbs::lanes) {
        const std::size_t count = std::min(limbs::lanes, n - k0);
        const limb_t* x[limbs::lanes];
        std::size_t size[limbs::lanes];
        for (std::size_t w = 0; w < count; ++w) {
          const Integer& c = buf.c[r * n + k0 + w];
          x[w] = reinterpret_cast<const limb_t*>(A::limbs(c));
          size[w] = A::size(c);
          if (size[w] > limbs::max_reduced_limbs)
            throw std::logic_error("convolve_rational_tile: a product of smooth rows is longer than its bound");
        }
        limbs::reduce_lanes(x, size, count, buf.pair, buf.coefficients);
        for (std::size_t w = 0; w < count; ++w) {
          const limbs::reduced& q = buf.coefficients[w];
          const bool zero = q.num_size == 1 && q.num[0] == 0;
          R::write_reduced_limbs(out[r * ldo + k0 + w], q.num, q.num_size, !zero && A::negative(buf.c[r * n + k0 + w]),
                                 q.den, q.den_size);
        }
      }
      continue;
    }
    const Integer& la_r = buf.lcm_a[ra];
    const Integer& lb_r = buf.lcm_b[rb];
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
