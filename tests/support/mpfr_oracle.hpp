// An independent oracle for the extended-precision algebra tests: naive loops
// (repeated products, Horner, long division) written here, in mpfr at about
// twice the operands' precision, with a second pass on absolute values that
// gives each coefficient's forward-error scale. Shares nothing with
// pb::verify or the library's evaluators.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ios>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/multiprecision/mpfr.hpp>
#include <catch2/catch.hpp>

#include <polybatch/polybatch.hpp>

#include "worst.hpp"

namespace oracle {

using big = boost::multiprecision::mpfr_float;
using Row = std::vector<big>;

/// Sets mpfr's default precision (decimal digits) for the oracle's values
/// and restores it on exit.
struct Precision {
  explicit Precision(unsigned digits) : saved(big::default_precision()) { big::default_precision(digits); }
  ~Precision() { big::default_precision(saved); }
  Precision(const Precision&) = delete;
  Precision& operator=(const Precision&) = delete;
  unsigned saved;
};

/// A value of the operand type, exactly (double, dd, mpfr) or to 45 digits
/// (anything else printable: far below the errors being measured).
template <class T>
big to_big(const T& x) {
  big r;
  if constexpr (std::is_same_v<T, polybatch::double_double>) {
    r = big(x.hi);
    r += big(x.lo);
  } else if constexpr (std::is_same_v<T, big>) {
    mpfr_set(r.backend().data(), x.backend().data(), MPFR_RNDN); // into r's (higher) precision, exactly
  } else if constexpr (std::is_arithmetic_v<T>) {
    r = x;
  } else {
    r = big(x.str(45, std::ios_base::scientific));
  }
  return r;
}

inline Row conv(const Row& a, const Row& b) {
  Row out(a.size() + b.size() - 1, big(0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) out[i + j] += a[i] * b[j];
  return out;
}
inline Row abs_row(Row a) {
  for (auto& x : a) x = abs(x);
  return a;
}
inline Row pow(const Row& a, int k) {
  Row p{big(1)};
  for (int i = 0; i < k; ++i) p = conv(p, a);
  return p;
}
inline Row compose(const Row& a, const Row& b) {
  Row p{a.back()};
  for (std::size_t i = a.size() - 1; i-- > 0;) {
    p = conv(p, b);
    p[0] += a[i];
  }
  return p;
}
inline Row derivative(const Row& a) {
  if (a.size() == 1) return {big(0)};
  Row d(a.size() - 1);
  for (std::size_t k = 0; k < d.size(); ++k) d[k] = a[k + 1] * big(k + 1);
  return d;
}
inline Row integral(const Row& a) {
  Row r(a.size() + 1, big(0));
  for (std::size_t k = 0; k < a.size(); ++k) r[k + 1] = a[k] / big(k + 1);
  return r;
}
inline Row add(Row a, const Row& b, int sign = 1) {
  if (a.size() < b.size()) a.resize(b.size(), big(0));
  for (std::size_t k = 0; k < b.size(); ++k) a[k] += sign > 0 ? b[k] : big(-b[k]);
  return a;
}
inline big horner(const Row& a, const big& x) {
  big s = 0;
  for (std::size_t k = a.size(); k-- > 0;) s = s * x + a[k];
  return s;
}
/// Long division: (quotient, remainder) with the lengths polybatch documents.
inline std::pair<Row, Row> divmod(const Row& a, const Row& b) {
  const std::size_t la = a.size(), lb = b.size();
  Row rem = a, quo(la >= lb ? la - lb + 1 : 1, big(0));
  for (std::size_t s = la >= lb ? la - lb + 1 : 0; s-- > 0;) {
    quo[s] = rem[s + lb - 1] / b[lb - 1];
    for (std::size_t j = 0; j < lb; ++j) rem[s + j] -= quo[s] * b[j];
  }
  Row r(lb > 1 ? lb - 1 : 1, big(0));
  for (std::size_t k = 0; k + 1 < lb && k < la; ++k) r[k] = rem[k];
  return {quo, r};
}

/// Row i of a batch (or of a batch of one) in the oracle's precision.
template <class P>
Row row(const P& p, std::size_t i) {
  Row r(p.length());
  for (std::size_t k = 0; k < r.size(); ++k) r[k] = to_big(p(p.batch_size() == 1 ? 0 : i, k));
  return r;
}

/// The largest |got - want| / scale over a row, where scale is the
/// coefficient's magnitude (the same computation on absolute values).
template <class P>
double worst_ratio(const P& got, std::size_t i, const Row& want, const Row& magnitude) {
  double worst = 0;
  for (std::size_t k = 0; k < want.size(); ++k) {
    const big err = abs(to_big(got(i, k)) - want[k]);
    const double r = magnitude[k] == 0 ? (err == 0 ? 0.0 : 1e300) : static_cast<double>(big(err / magnitude[k]));
    worst = checks::worst_of(worst, r);
  }
  return worst;
}

/// The algebra nodes on random coefficients that the type holds but double
/// does not (hi + lo, |lo| about 2^-58 |hi|), at the point 1/3 (not dyadic),
/// against the oracle: every coefficient within `ulps * unit` of its
/// magnitude, where `unit` is T's unit roundoff. A type computing in double
/// would miss by about 1e-16, far outside these bounds.
template <class T>
void check_algebra(const T& prototype, double unit, unsigned oracle_digits, std::uint64_t seed, double ulps = 256) {
  namespace pb = polybatch;
  Precision precision(oracle_digits);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(-1, 1);
  auto value = [&](double hi) {
    T v = prototype, lo = prototype;
    v = hi;
    lo = hi * d(rng) * 0x1p-58;
    v += lo;
    return v;
  };
  auto batch = [&](std::size_t b, std::size_t l) {
    pb::PolyBatch<T> p(b, l);
    for (std::size_t i = 0; i < b; ++i)
      for (std::size_t k = 0; k < l; ++k) p(i, k) = value(d(rng));
    return p;
  };
  const std::size_t B = 12;
  const auto a = batch(B, 6), b = batch(B, 3);
  auto divisor = batch(B, 3);
  for (std::size_t i = 0; i < B; ++i) divisor(i, 2) = value(1.0 + 0.5 * std::abs(d(rng))); // leading >= 1
  T third = prototype, three = prototype;
  third = 1.0;
  three = 3.0;
  third /= three;
  const double bound = ulps * unit;

  const pb::PolyBatch<T> p7 = pb::pow(a, 7);
  const pb::PolyBatch<T> comp = pb::compose(a, b);
  const pb::PolyBatch<T> tcomp = pb::truncate(pb::compose(pb::pow(b, 3), a), 9);
  const pb::PolyBatch<T> calc = pb::derivative(a * b) + pb::integral(b);
  const auto values = pb::evaluate(a, third);
  const auto [q, r] = pb::divmod(a, divisor);
  for (std::size_t i = 0; i < B; ++i) {
    INFO("row " << i);
    const Row ra = row(a, i), rb = row(b, i), rd = row(divisor, i);
    const Row ma = abs_row(ra), mb = abs_row(rb);
    CHECK(worst_ratio(p7, i, pow(ra, 7), pow(ma, 7)) <= bound);
    CHECK(worst_ratio(comp, i, compose(ra, rb), compose(ma, mb)) <= bound);
    Row tc = compose(pow(rb, 3), ra), tm = compose(pow(mb, 3), ma);
    tc.resize(9, big(0));
    tm.resize(9, big(0));
    CHECK(worst_ratio(tcomp, i, tc, tm) <= bound);
    CHECK(worst_ratio(calc, i, add(derivative(conv(ra, rb)), integral(rb)),
                      add(derivative(conv(ma, mb)), integral(mb))) <= bound);
    const big x = to_big(third);
    const big err = abs(to_big(values(i)) - horner(ra, x));
    CHECK(static_cast<double>(big(err / horner(ma, abs(x)))) <= bound);
    // division: the scale of row i is its largest |a| plus |q| times |d|
    const auto [oq, orem] = divmod(ra, rd);
    big scale = 0;
    for (const auto& c : ma) scale = scale > c ? scale : c;
    big qd = 0;
    for (const auto& c : oq) qd += abs(c);
    big dsum = 0;
    for (const auto& c : rd) dsum += abs(c);
    scale += qd * dsum;
    CHECK(worst_ratio(q, i, oq, Row(oq.size(), scale)) <= bound);
    CHECK(worst_ratio(r, i, orem, Row(orem.size(), scale)) <= bound);
  }
}

} // namespace oracle
