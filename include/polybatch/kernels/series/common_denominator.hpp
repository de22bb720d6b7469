// exp, inv and div of exact rational rows (cpp_rational, mpq_rational) on one
// common denominator, as FLINT's fmpq_poly keeps its rows. The recurrences
// of recurrences.hpp, run on rationals, normalise after every multiply and
// add (a gcd each time); here the row is read once as integer numerators A
// over the lcm d of its denominators, every result coefficient is carried as
// an integer over one denominator D fixed in advance, and the integers make
// each term one multiplication and each coefficient one exact division by a
// small integer; each result is normalised once, when it is written.
//   exp: c = exp(A / d) with A_0 = 0. c_k has denominator k! d^k, so with
//        D = (n-1)! d^(n-1), E_k = c_k D is an integer and the recurrence
//        k c_k = sum_{j=1..k} j a_j c_{k-j} reads
//        E_k = (sum_{j=1..k} j A_j E_{k-j}) / (k d), exactly; E_0 = D.
//   inv: b = 1 / (A / d) with A_0 != 0. b_k = B_k / A_0^(k+1), so with
//        D = A_0^n, F_k = b_k D is an integer and b_k = -(sum_{j=1..k} a_j
//        b_{k-j}) / a_0 reads F_k = -(sum_{j=1..k} A_j F_{k-j}) / A_0,
//        exactly; F_0 = d A_0^(n-1).
// div: num / den over both rows' lcms (see div_common_denominator_row).
// Aliasing: `out` must not overlap the inputs.
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

#include "polybatch/core/thread_local_address.hpp"
#include "polybatch/kernels/exact/convolve_rational.hpp"
#include "polybatch/kernels/series/rows.hpp"

namespace polybatch::kernels::series {

/// Rational types whose numerator and denominator the kernels can reach.
template <class T>
concept common_denominator_rational = exact::rational_access<T>::available;

namespace detail {

/// Per-thread integers of a row (kept between rows, so their limbs are
/// reused).
template <class Integer>
struct common_denominator_scratch {
  std::vector<Integer> numerators, weighted, values, dividend;
  Integer d, dividend_d, denominator, sum, term, scratch_num, scratch_den, divisor;
};
template <class Integer>
common_denominator_scratch<Integer>& common_scratch() {
  thread_local common_denominator_scratch<Integer> s;
  return *thread_local_address(&s);
}

/// a[0, n) as numerators[k] / d, d the lcm of the denominators.
template <common_denominator_rational T, class Integer>
void read_common(const T* a, std::size_t n, common_denominator_scratch<Integer>& s, std::vector<Integer>& numerators,
                 Integer& d) {
  using R = exact::rational_access<T>;
  numerators.resize(n);
  d = 1;
  for (std::size_t k = 0; k < n; ++k) {
    const Integer& den = R::denominator(a[k], s.scratch_den);
    if (den != 1) d = boost::multiprecision::lcm(d, den);
  }
  for (std::size_t k = 0; k < n; ++k) {
    const Integer& den = R::denominator(a[k], s.scratch_den);
    numerators[k] = R::numerator(a[k], s.scratch_num);
    if (den != d) {
      s.term = d / den; // exact: den divides the lcm
      numerators[k] *= s.term;
    }
  }
}

/// out[k] = values[k] / denominator in lowest terms, for k < n. (Each over
/// its own, smaller denominator first, dividing values[k] exactly by the
/// rest, ran no faster: the divisions cost what the shorter gcds saved.)
template <common_denominator_rational T, class Integer>
void write_common(common_denominator_scratch<Integer>& s, std::size_t n, T* out) {
  using R = exact::rational_access<T>;
  if (s.denominator < 0) {
    s.denominator = -s.denominator;
    for (std::size_t k = 0; k < n; ++k) s.values[k] = -s.values[k];
  }
  for (std::size_t k = 0; k < n; ++k) R::assign(out[k], s.values[k], s.denominator);
}

} // namespace detail

/// out[0, n) = exp(a) for a row with a[0] == 0 (the caller checks it).
template <common_denominator_rational T>
void exp_common_denominator_row(const T* a, std::size_t n, T* out) {
  using Integer = typename exact::rational_access<T>::integer;
  auto& s = detail::common_scratch<Integer>();
  detail::read_common(a, n, s, s.numerators, s.d);
  // D = (n-1)! d^(n-1), and j A_j once per row.
  s.denominator = 1;
  for (std::size_t k = 1; k < n; ++k) {
    s.denominator *= s.d;
    s.denominator *= static_cast<unsigned long long>(k);
  }
  s.weighted.resize(n);
  for (std::size_t j = 1; j < n; ++j) {
    s.weighted[j] = s.numerators[j];
    s.weighted[j] *= static_cast<unsigned long long>(j);
  }
  s.values.resize(n);
  s.values[0] = s.denominator;
  for (std::size_t k = 1; k < n; ++k) {
    s.sum = 0;
    for (std::size_t j = 1; j <= k; ++j) {
      if (s.weighted[j] != 0) s.sum += s.values[k - j] * s.weighted[j]; // one multiply-add (mpz_addmul)
    }
    s.divisor = s.d;
    s.divisor *= static_cast<unsigned long long>(k);
    s.values[k] = s.sum / s.divisor; // exact (see the top of this file)
  }
  detail::write_common(s, n, out);
}

/// out[0, n) = 1 / a for a row with a[0] != 0 (the caller checks it).
template <common_denominator_rational T>
void inv_common_denominator_row(const T* a, std::size_t n, T* out) {
  using Integer = typename exact::rational_access<T>::integer;
  auto& s = detail::common_scratch<Integer>();
  detail::read_common(a, n, s, s.numerators, s.d);
  const Integer& a0 = s.numerators[0];
  // D = A_0^n; F_0 = d A_0^(n-1).
  s.term = 1;
  for (std::size_t k = 1; k < n; ++k) s.term *= a0;
  s.values.resize(n);
  s.values[0] = s.term;
  s.values[0] *= s.d;
  s.denominator = s.term;
  s.denominator *= a0;
  for (std::size_t k = 1; k < n; ++k) {
    s.sum = 0;
    for (std::size_t j = 1; j <= k; ++j) {
      if (s.numerators[j] != 0) s.sum += s.values[k - j] * s.numerators[j];
    }
    s.values[k] = s.sum / a0; // exact (see the top of this file)
    s.values[k] = -s.values[k];
  }
  detail::write_common(s, n, out);
}

/// out[0, n) = num / den for a row den with den[0] != 0 (the caller checks
/// it). With num = N / e and den = A / d (each over its own lcm), coefficient
/// k has denominator e A_0^(k+1); with D = e A_0^n, G_k = c_k D is an integer
/// and a_0 c_k = b_k - sum_{j=1..k} a_j c_{k-j} reads
/// G_k = (N_k d A_0^n - sum_{j=1..k} A_j G_{k-j}) / A_0, exactly.
template <common_denominator_rational T>
void div_common_denominator_row(const T* num, const T* den, std::size_t n, T* out) {
  using Integer = typename exact::rational_access<T>::integer;
  auto& s = detail::common_scratch<Integer>();
  detail::read_common(den, n, s, s.numerators, s.d);
  detail::read_common(num, n, s, s.dividend, s.dividend_d);
  const Integer& a0 = s.numerators[0];
  // divisor = d A_0^n (the factor of N_k); D = e A_0^n.
  s.divisor = s.d;
  for (std::size_t k = 0; k < n; ++k) s.divisor *= a0;
  s.denominator = s.divisor / s.d;
  s.denominator *= s.dividend_d;
  s.values.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    s.sum = s.dividend[k] * s.divisor;
    for (std::size_t j = 1; j <= k; ++j) {
      if (s.numerators[j] != 0) s.sum -= s.values[k - j] * s.numerators[j];
    }
    s.values[k] = s.sum / a0; // exact (see above)
  }
  detail::write_common(s, n, out);
}

/// The row drivers' hook (rows.hpp) for every rational type the kernels
/// can read.
template <class T>
struct common_denominator_series<T, std::enable_if_t<exact::rational_access<T>::available>> : std::true_type {
  static void exp(const T* a, std::size_t n, T* out) { exp_common_denominator_row(a, n, out); }
  static void inv(const T* a, std::size_t n, T* out) { inv_common_denominator_row(a, n, out); }
  static void div(const T* num, const T* den, std::size_t n, T* out) { div_common_denominator_row(num, den, n, out); }
};

} // namespace polybatch::kernels::series
