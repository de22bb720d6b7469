// The power-series functions of exact rational rows (cpp_rational, mpq_rational)
// on one common denominator, as FLINT's fmpq_poly keeps its rows. The recurrences
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
// log: A' / A as div does it, then integrated (see log_common_denominator_row).
// sin/cos, sinh/cosh: exp's recurrence and denominator, a pair of rows.
// pow (and sqrt, as the power 1/2): see pow_common_denominator_row.
// tan, tanh: exp's denominator for t and u = 1 +- t^2; atan: as log, of
// d A' / (d^2 + A^2).
// Aliasing: `out` must not overlap the inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>
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
  Integer d, dividend_d, denominator, sum, term, scratch_num, scratch_den, divisor, p, q;
  std::vector<std::int64_t> word_num;
  std::vector<std::uint64_t> word_den;
};
template <class Integer>
common_denominator_scratch<Integer>& common_scratch() {
  thread_local common_denominator_scratch<Integer> s;
  return *thread_local_address(&s);
}

/// read_common in machine words, for rows whose values, lcm and scaled
/// numerators all fit 63 bits (the common case: the lcm and the scaling are
/// then a few instructions a value instead of big-integer calls); false,
/// with nothing usable written, otherwise.
template <common_denominator_rational T, class Integer>
bool read_common_words(const T* a, std::size_t n, common_denominator_scratch<Integer>& s,
                       std::vector<Integer>& numerators, Integer& d) {
  using R = exact::rational_access<T>;
  s.word_num.resize(n);
  s.word_den.resize(n);
  for (std::size_t k = 0; k < n; ++k)
    if (!R::read_small(a[k], s.word_num[k], s.word_den[k])) return false;
  std::uint64_t lcm = 1;
  if (!exact::words::detail::gcd_lcm(s.word_den.data(), n, lcm)) return false;
  numerators.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::uint64_t den = s.word_den[k];
    std::int64_t scaled = 0;
    if (__builtin_mul_overflow(s.word_num[k], static_cast<std::int64_t>(lcm / den), &scaled)) return false;
    numerators[k] = static_cast<long long>(scaled);
  }
  d = static_cast<unsigned long long>(lcm);
  return true;
}

/// a[0, n) as numerators[k] / d, d the lcm of the denominators.
template <common_denominator_rational T, class Integer>
void read_common(const T* a, std::size_t n, common_denominator_scratch<Integer>& s, std::vector<Integer>& numerators,
                 Integer& d) {
  using R = exact::rational_access<T>;
  if (read_common_words(a, n, s, numerators, d)) return;
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
void write_common(common_denominator_scratch<Integer>& s, std::vector<Integer>& values, std::size_t n, T* out) {
  using R = exact::rational_access<T>;
  const bool negative = s.denominator < 0;
  if (negative) s.scratch_den = -s.denominator;
  const Integer& denominator = negative ? s.scratch_den : s.denominator;
  for (std::size_t k = 0; k < n; ++k) {
    if (negative) values[k] = -values[k];
    R::assign(out[k], values[k], denominator);
  }
}

/// Bits of a rational's numerator and denominator beyond which
/// multiply_by_long pays.
inline constexpr std::size_t long_rational_bits = 4096;

/// Whether x's numerator and denominator together pass long_rational_bits.
template <common_denominator_rational T>
bool long_rational(const T& x) {
  using R = exact::rational_access<T>;
  typename R::integer scratch;
  const auto& num = R::numerator(x, scratch);
  const std::size_t bits = num == 0 ? 0 : static_cast<std::size_t>(msb(abs(num)));
  return bits + static_cast<std::size_t>(msb(R::denominator(x, scratch))) > long_rational_bits;
}

/// |x| mod m for m > 0 and x far longer than m: |x| split in halves,
/// recursively, down to pieces a few times m's length, each reduced by one
/// division (Boost's division of a long integer by a multi-limb one
/// subtracts from the whole remainder at every quotient limb: quadratic in
/// x's length, 8 s for the 5-million-bit powers of a0^(2^20)).
template <class Integer>
Integer long_remainder(const Integer& x, const Integer& m) {
  if (x == 0) return x;
  const Integer magnitude = abs(x);
  const auto bits = static_cast<std::size_t>(msb(magnitude)) + 1;
  if (bits <= 4 * (static_cast<std::size_t>(msb(m)) + 1) + 256) return Integer(magnitude % m);
  const auto half = static_cast<unsigned>(bits / 2);
  const Integer high = magnitude >> half;
  const Integer low = magnitude - (high << half);
  const Integer two_to_half = powm(Integer(2), half, m);
  return Integer((long_remainder(high, m) * two_to_half + long_remainder(low, m)) % m);
}

/// u *= c for u and c in lowest terms, c perhaps far longer than u: the
/// cross gcds gcd(num u, den c) and gcd(num c, den u) reduce c's parts
/// modulo u's first, so that the work is linear in c's length (Boost's
/// binary gcd of a long and a short integer, which rational products run,
/// is quadratic in the long one).
template <common_denominator_rational T>
void multiply_by_long(T& u, const T& c) {
  using R = exact::rational_access<T>;
  using Integer = typename R::integer;
  Integer scratch;
  const Integer p = R::numerator(u, scratch);
  if (p == 0) return;
  const Integer q = R::denominator(u, scratch);
  const Integer big_p = R::numerator(c, scratch);
  const Integer big_q = R::denominator(c, scratch);
  const Integer g1 = gcd(long_remainder(big_q, Integer(abs(p))), p); // gcd(p, Q) > 0
  const Integer g2 = gcd(long_remainder(big_p, q), q);               // gcd(P, q) > 0
  // Dividing a long integer is what costs: only by a divisor other than 1.
  Integer num = g2 == 1 ? big_p : Integer(big_p / g2);
  Integer den = g1 == 1 ? big_q : Integer(big_q / g1);
  num *= g1 == 1 ? p : Integer(p / g1);
  den *= g2 == 1 ? q : Integer(q / g2);
  R::assign_coprime(u, std::move(num), std::move(den));
}

/// The row of an exp-like recurrence (exp, sin/cos, sinh/cosh of a row with
/// a[0] == 0): numerators over d, D = (n-1)! d^(n-1) (coefficient k has
/// denominator k! d^k), and weighted[j] = j A_j.
template <common_denominator_rational T, class Integer>
void read_exponential(const T* a, std::size_t n, common_denominator_scratch<Integer>& s) {
  read_common(a, n, s, s.numerators, s.d);
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
}

/// result = (sum_{j=1..k} j A_j x[k-j]) / (k d), an exact division in the
/// exp-like recurrences (see the top of this file).
template <class Integer>
void exponential_term(common_denominator_scratch<Integer>& s, std::size_t k, const std::vector<Integer>& x,
                      Integer& result) {
  s.sum = 0;
  for (std::size_t j = 1; j <= k; ++j) {
    if (s.weighted[j] != 0) s.sum += x[k - j] * s.weighted[j]; // one multiply-add (mpz_addmul)
  }
  s.divisor = s.d;
  s.divisor *= static_cast<unsigned long long>(k);
  result = s.sum / s.divisor;
}

/// values[k] = (rhs_k - sum_{j=1..k} A_j values[k-j]) / A_0 for k < n, A
/// the numerators, exactly (the caller's D makes every quotient an integer);
/// rhs(k, sum) sets sum = rhs_k.
template <class Integer, class Rhs>
void divide_by_numerators(common_denominator_scratch<Integer>& s, std::size_t n, Rhs rhs) {
  const Integer& a0 = s.numerators[0];
  s.values.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    rhs(k, s.sum);
    for (std::size_t j = 1; j <= k; ++j) {
      if (s.numerators[j] != 0) s.sum -= s.values[k - j] * s.numerators[j];
    }
    if (a0 == 1)
      s.values[k] = s.sum;
    else
      s.values[k] = s.sum / a0; // exact (see the callers)
  }
}

/// out[0] = 0, out[k] = values[k-1] / (k denominator) for 0 < k < n: the
/// integral of the series values / denominator.
template <common_denominator_rational T, class Integer>
void write_integral(common_denominator_scratch<Integer>& s, std::size_t n, T* out) {
  using R = exact::rational_access<T>;
  out[0] = 0;
  for (std::size_t k = 1; k < n; ++k) {
    s.term = s.denominator * static_cast<unsigned long long>(k);
    R::assign(out[k], s.values[k - 1], s.term);
  }
}

/// The pairs of exp-like recurrences (sin/cos, tan/u) over exp's D from
/// read_exponential: values[0] = 0, dividend[0] = D, and for k = 1 .. n-1
/// values[k] = (sum_{j=1..k} j A_j dividend[k-j]) / (k d), then
/// companion(k) sets dividend[k].
template <class Integer, class Companion>
void exponential_pair(common_denominator_scratch<Integer>& s, std::size_t n, Companion companion) {
  s.values.resize(n);
  s.dividend.resize(n);
  s.values[0] = 0;
  s.dividend[0] = s.denominator;
  for (std::size_t k = 1; k < n; ++k) {
    exponential_term(s, k, s.dividend, s.values[k]);
    companion(k);
  }
}

} // namespace detail

/// out[0, n) = exp(a) for a row with a[0] == 0 (the caller checks it).
template <common_denominator_rational T>
void exp_common_denominator_row(const T* a, std::size_t n, T* out) {
  using Integer = typename exact::rational_access<T>::integer;
  auto& s = detail::common_scratch<Integer>();
  detail::read_exponential(a, n, s);
  s.values.resize(n);
  s.values[0] = s.denominator;
  for (std::size_t k = 1; k < n; ++k) detail::exponential_term(s, k, s.values, s.values[k]);
  detail::write_common(s, s.values, n, out);
}

/// s, c = sin(a), cos(a) (sinh, cosh with `hyperbolic`) for a row with
/// a[0] == 0 (the caller checks it): k s_k = sum_{j=1..k} j a_j c_{k-j} and
/// k c_k = -+ sum_{j=1..k} j a_j s_{k-j}, on exp's denominator D (their
/// coefficients k have denominators dividing k! d^k too). Only the rows
/// `wanted` are written.
template <common_denominator_rational T>
void sincos_common_denominator_row(const T* a, std::size_t n, T* sin_out, T* cos_out, bool hyperbolic,
                                   pair_output wanted) {
  using Integer = typename exact::rational_access<T>::integer;
  auto& s = detail::common_scratch<Integer>();
  detail::read_exponential(a, n, s);
  detail::exponential_pair(s, n, [&](std::size_t k) { // cosines
    detail::exponential_term(s, k, s.values, s.dividend[k]);
    if (!hyperbolic) s.dividend[k] = -s.dividend[k];
  });
  if (wanted != pair_output::second) detail::write_common(s, s.values, n, sin_out);
  if (wanted != pair_output::first) detail::write_common(s, s.dividend, n, cos_out);
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
  detail::write_common(s, s.values, n, out);
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
  detail::divide_by_numerators(s, n, [&](std::size_t k, Integer& sum) { sum = s.dividend[k] * s.divisor; });
  detail::write_common(s, s.values, n, out);
}

/// out[0, n) = log(a) for a row with a[0] == 1 (the caller checks it). With
/// a = A / d (so A_0 = d), log(a)' = A' / A = M, and M_k has denominator
/// A_0^(k+1); with P = A_0^(n-1), H_k = M_k P is an integer and
/// A_0 M_k = (k+1) A_{k+1} - sum_{j=1..k} A_j M_{k-j} reads
/// H_k = ((k+1) A_{k+1} P - sum_{j=1..k} A_j H_{k-j}) / A_0, exactly;
/// out[k] = H_{k-1} / (k P).
template <common_denominator_rational T>
void log_common_denominator_row(const T* a, std::size_t n, T* out) {
  using Integer = typename exact::rational_access<T>::integer;
  auto& s = detail::common_scratch<Integer>();
  detail::read_common(a, n, s, s.numerators, s.d);
  // P = A_0^(n-1), then H_0 .. H_{n-2}.
  s.denominator = 1;
  for (std::size_t k = 1; k < n; ++k) s.denominator *= s.numerators[0];
  detail::divide_by_numerators(s, n - 1, [&](std::size_t k, Integer& sum) {
    sum = s.numerators[k + 1] * s.denominator;
    sum *= static_cast<unsigned long long>(k + 1);
  });
  detail::write_integral(s, n, out);
}

/// out[0, n) = a^s for a row with a[0] != 0 whose power c0 = a[0]^s the
/// caller has computed (rational: the caller checks it). With s = p / q and
/// a = A / d, k a_0 c_k = sum_{j=1..k} ((s+1) j - k) a_j c_{k-j} reads
/// c_k = sum_{j=1..k} ((p+q) j - k q) A_j c_{k-j} / (k q A_0), and
/// c_k / c_0 has denominator dividing k! q^k A_0^k; so with c0 = N0 / E0,
/// F = (n-1)! q^(n-1) A_0^(n-1) and D = E0 F, V_k = c_k D is an integer:
/// V_0 = N0 F, V_k = (sum (p+q) j A_j V_{k-j} - k sum q A_j V_{k-j}) / (k q A_0).
template <common_denominator_rational T>
void pow_common_denominator_row(const T* a, std::size_t n, const T& power, const T& c0, T* out) {
  using Integer = typename exact::rational_access<T>::integer;
  using R = exact::rational_access<T>;
  auto& s = detail::common_scratch<Integer>();
  detail::read_common(a, n, s, s.numerators, s.d);
  const Integer& a0 = s.numerators[0];
  s.p = R::numerator(power, s.scratch_num);
  s.q = R::denominator(power, s.scratch_den);
  s.term = 1; // F
  for (std::size_t k = 1; k < n; ++k) {
    s.term *= static_cast<unsigned long long>(k);
    s.term *= s.q;
    s.term *= a0;
  }
  // The recurrence is linear in its seed c0 = a0^s. A long c0 (a large |s|)
  // seeds it with 1 instead and multiplies each result by c0 afterwards:
  // normalising every coefficient over c0's denominator would run Boost's
  // binary gcd on long integers, quadratic in their length.
  const bool long_seed = detail::long_rational(c0);
  s.values.resize(n);
  s.values[0] = s.term;
  s.denominator = s.term;
  if (!long_seed) {
    s.values[0] *= R::numerator(c0, s.scratch_num);
    s.denominator *= R::denominator(c0, s.scratch_den);
  }
  // weighted[j] = (p+q) j A_j, dividend[j] = q A_j
  s.weighted.resize(n);
  s.dividend.resize(n);
  s.p += s.q;
  for (std::size_t j = 1; j < n; ++j) {
    s.weighted[j] = s.numerators[j] * s.p;
    s.weighted[j] *= static_cast<unsigned long long>(j);
    s.dividend[j] = s.numerators[j] * s.q;
  }
  for (std::size_t k = 1; k < n; ++k) {
    s.sum = 0;
    s.term = 0;
    for (std::size_t j = 1; j <= k; ++j) {
      if (s.numerators[j] == 0) continue;
      s.sum += s.values[k - j] * s.weighted[j];
      s.term += s.values[k - j] * s.dividend[j];
    }
    s.term *= static_cast<unsigned long long>(k);
    s.sum -= s.term;
    s.divisor = s.q * a0;
    s.divisor *= static_cast<unsigned long long>(k);
    s.values[k] = s.sum / s.divisor; // exact (see above)
  }
  detail::write_common(s, s.values, n, out);
  if (long_seed) {
    out[0] = c0;
    for (std::size_t k = 1; k < n; ++k) detail::multiply_by_long(out[k], c0);
  }
}

/// t = tan(a) (tanh with `hyperbolic`) for a row with a[0] == 0 (the caller
/// checks it), from t' = a' u with u = 1 + t^2 (1 - t^2): on exp's
/// denominator D (t_k and u_k have denominators dividing k! d^k), T_k =
/// (sum_{j=1..k} j A_j U_{k-j}) / (k d) and U_k = +-(sum_{i=1..k-1} T_i
/// T_{k-i}) / D, both exact; T_0 = 0, U_0 = D.
template <common_denominator_rational T>
void tan_common_denominator_row(const T* a, std::size_t n, T* out, bool hyperbolic) {
  using Integer = typename exact::rational_access<T>::integer;
  auto& s = detail::common_scratch<Integer>();
  detail::read_exponential(a, n, s);
  detail::exponential_pair(s, n, [&](std::size_t k) { // U
    if (k + 1 == n) return;                           // U_k is read from k + 1 on
    s.term = 0;                                       // sum_{i=1..k-1} T_i T_{k-i}, by symmetry
    for (std::size_t i = 1; 2 * i < k; ++i) s.term += s.values[i] * s.values[k - i];
    s.term *= 2u;
    if (k % 2 == 0) s.term += s.values[k / 2] * s.values[k / 2];
    s.dividend[k] = s.term / s.denominator; // exact (see above)
    if (hyperbolic) s.dividend[k] = -s.dividend[k];
  });
  detail::write_common(s, s.values, n, out);
}

/// out[0, n) = atan(a) for a row with a[0] == 0 (the caller checks it).
/// With a = A / d and Q = d^2 + A^2 (so 1 + a^2 = Q / d^2, Q_0 = d^2),
/// atan(a)' = d A' / Q, whose coefficient k has denominator Q_0^(k+1): with
/// P = Q_0^(n-1), H_k = (d (k+1) A_{k+1} P - sum_{j=1..k} Q_j H_{k-j}) / Q_0,
/// exactly, and out[k] = H_{k-1} / (k P), as log's.
template <common_denominator_rational T>
void atan_common_denominator_row(const T* a, std::size_t n, T* out) {
  using Integer = typename exact::rational_access<T>::integer;
  auto& s = detail::common_scratch<Integer>();
  detail::read_common(a, n, s, s.dividend, s.d); // A
  s.numerators.resize(n);                        // Q
  for (std::size_t k = 0; k < n; ++k) {
    s.numerators[k] = 0;
    for (std::size_t i = 1; i < k; ++i) s.numerators[k] += s.dividend[i] * s.dividend[k - i];
  }
  s.numerators[0] = s.d * s.d;
  s.denominator = 1;
  for (std::size_t k = 1; k < n; ++k) s.denominator *= s.numerators[0];
  detail::divide_by_numerators(s, n - 1, [&](std::size_t k, Integer& sum) {
    sum = s.dividend[k + 1] * s.denominator;
    sum *= s.d;
    sum *= static_cast<unsigned long long>(k + 1);
  });
  detail::write_integral(s, n, out);
}

/// The row drivers' hook (rows.hpp) for every rational type the kernels
/// can read.
template <class T>
struct common_denominator_series<T, std::enable_if_t<exact::rational_access<T>::available>> : std::true_type {
  static void exp(const T* a, std::size_t n, T* out) { exp_common_denominator_row(a, n, out); }
  static void inv(const T* a, std::size_t n, T* out) { inv_common_denominator_row(a, n, out); }
  static void div(const T* num, const T* den, std::size_t n, T* out) { div_common_denominator_row(num, den, n, out); }
  static void log(const T* a, std::size_t n, T* out) { log_common_denominator_row(a, n, out); }
  static void pow(const T* a, std::size_t n, const T& s, const T& c0, T* out) {
    pow_common_denominator_row(a, n, s, c0, out);
  }
  static void tan(const T* a, std::size_t n, T* out, bool hyperbolic) {
    tan_common_denominator_row(a, n, out, hyperbolic);
  }
  static void atan(const T* a, std::size_t n, T* out) { atan_common_denominator_row(a, n, out); }
  static void sincos(const T* a, std::size_t n, T* s, T* c, bool hyperbolic, pair_output wanted) {
    sincos_common_denominator_row(a, n, s, c, hyperbolic, wanted);
  }
};

/// pow_constant's powers of rational constants: numerator and denominator
/// raised as integers, stored without a gcd.
template <class T>
struct coprime_rational_power<T, std::enable_if_t<exact::rational_access<T>::available>> : std::true_type {
  static T power(const T& a0, unsigned long long e, bool reciprocal) {
    using R = exact::rational_access<T>;
    using Integer = typename R::integer;
    Integer scratch;
    const auto exponent = static_cast<unsigned>(e); // callers bound e by 2^32 - 1
    Integer num = pow(R::numerator(a0, scratch), exponent);
    Integer den = pow(R::denominator(a0, scratch), exponent);
    if (reciprocal) {
      std::swap(num, den);
      if (den < 0) {
        num = -num;
        den = -den;
      }
    }
    T r;
    R::assign_coprime(r, std::move(num), std::move(den));
    return r;
  }
};

} // namespace polybatch::kernels::series
