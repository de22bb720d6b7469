// The double-double convolution kernel this translation unit reaches (the
// header's, or the compiled library's when linked) against the scalar row
// kernel, bit for bit: every pair of lengths up to max_fixed_length (the
// unrolled bodies and the run-time-length loop), forward and reversed, whole
// products and windows, a broadcast b, rows that fill the SIMD lanes and a
// remainder; with `special`, infinities, NaN and overflowing products too.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <random>
#include <vector>

#include <polybatch/polybatch.hpp>

namespace checks {

/// Bit for bit, except that any two NaN are equal (a NaN's payload is the
/// hardware's choice).
inline bool same_dd(const polybatch::dd& x, const polybatch::dd& y) {
  const auto same = [](double u, double v) {
    return (std::isnan(u) && std::isnan(v)) || std::memcmp(&u, &v, sizeof u) == 0;
  };
  return same(x.hi, y.hi) && same(x.lo, y.lo);
}

/// With `special`, about one value in six is huge (1e300, whose products
/// overflow), infinite or NaN.
inline void dd_kernel_matches_scalar_rows(std::mt19937_64& rng, bool special = false) {
  namespace pb = polybatch;
  std::uniform_real_distribution<double> coeff(-1.0, 1.0);
  constexpr double specials[] = {1e300, -1e300, HUGE_VAL, -HUGE_VAL, NAN};
  std::uniform_int_distribution<std::size_t> pick(0, 6 * std::size(specials) - 1);
  const auto value = [&](double scale) {
    const std::size_t s = special ? pick(rng) : std::size(specials);
    return s < std::size(specials) ? pb::dd(specials[s]) : pb::dd(coeff(rng)) / pb::dd(scale);
  };
  constexpr std::size_t rows = 11;
  for (std::size_t la = 1; la <= pb::kernels::max_fixed_length; ++la)
    for (std::size_t lb = 1; lb <= pb::kernels::max_fixed_length; ++lb) {
      std::vector<pb::dd> a(rows * la), b(rows * lb);
      for (auto& x : a) x = value(3.0);
      for (auto& x : b) x = value(7.0);
      const std::size_t full = la + lb - 1;
      for (bool reverse : {false, true})
        for (std::size_t offset : {std::size_t(0), std::size_t(1), full / 2})
          for (bool broadcast_b : {false, true}) {
            if (offset >= full) continue;
            const std::size_t n = offset == 0 ? full : std::min<std::size_t>(full - offset, 3);
            const std::size_t ldb = broadcast_b ? 0 : lb;
            INFO("la = " << la << ", lb = " << lb << ", reverse " << reverse << ", offset " << offset << ", n " << n
                         << ", broadcast b " << broadcast_b);
            std::vector<pb::dd> out(rows * n), expected(rows * n);
            pb::dd acc{};
            pb::kernels::convolve_backend<pb::dd>::run(rows, a.data(), la, la, b.data(), ldb, lb, reverse, offset, n,
                                                       out.data(), n, acc);
            for (std::size_t r = 0; r < rows; ++r)
              pb::kernels::exact::convolve_double_double_row(a.data() + r * la, la, b.data() + r * ldb, lb, reverse,
                                                             offset, n, expected.data() + r * n);
            CHECK(std::equal(out.begin(), out.end(), expected.begin(), same_dd));
          }
    }
}

} // namespace checks
