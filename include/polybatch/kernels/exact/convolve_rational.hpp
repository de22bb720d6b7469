// Exact convolution of rationals (cpp_rational, mpq_rational) the way FLINT's
// fmpq_poly works: each row becomes an integer row over one common
// denominator (the lcm of its denominators), the integer kernel of
// convolve_integer.hpp multiplies them, and each output coefficient is
// normalised once (one gcd) instead of once per term.
// Aliasing: `out` must not overlap `a` or `b`.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <vector>

#include "polybatch/kernels/exact/convolve_integer.hpp"

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
  return buffers;
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
void convolve_rational_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,
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

} // namespace polybatch::kernels::exact
