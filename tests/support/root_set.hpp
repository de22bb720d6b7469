// A row's computed roots checked as a set, not one by one: every root can
// have a tiny backward error while one root is found twice and another
// missed (what an iteration that lets two approximations converge to one
// root produces).
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "support/worst.hpp"

namespace checks {

/// a_n prod (x - z_j) for the n roots z of a (len = n + 1 coefficients),
/// expanded in long double, against a: the worst over k of |error_k| /
/// (n u majorant_k), the majorant being the same product over |a_n| and
/// |z_j| (the size of the error roots exact for a nearby polynomial leave).
/// A small multiple of 1 for a right set of roots; a root found twice and
/// another missed give the distance between them instead.
template <class T>
long double root_set_error(const T* a, std::size_t len, const std::complex<T>* z) {
  const std::size_t n = len - 1;
  const long double u = std::numeric_limits<T>::epsilon() / 2;
  std::vector<std::complex<long double>> c{static_cast<long double>(a[n])};
  std::vector<long double> majorant{std::fabs(static_cast<long double>(a[n]))};
  for (std::size_t j = 0; j < n; ++j) {
    const std::complex<long double> r(z[j].real(), z[j].imag());
    std::vector<std::complex<long double>> d(c.size() + 1, 0);
    std::vector<long double> dm(c.size() + 1, 0);
    for (std::size_t k = 0; k < c.size(); ++k) {
      d[k + 1] += c[k];
      d[k] -= r * c[k];
      dm[k + 1] += majorant[k];
      dm[k] += std::abs(r) * majorant[k];
    }
    c = std::move(d);
    majorant = std::move(dm);
  }
  long double worst = 0;
  for (std::size_t k = 0; k <= n; ++k) {
    const long double err = std::abs(c[k] - std::complex<long double>(static_cast<long double>(a[k]), 0));
    worst = checks::worst_of(worst, err / (static_cast<long double>(n) * u * majorant[k]));
  }
  return worst;
}

} // namespace checks
