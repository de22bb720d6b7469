// Test-side comparison helpers for the foundation tests: a reproducible
// random seed, a reference scalar that tracks the magnitude of the terms
// (so floating tolerances scale with them), and row-by-row comparison of a
// batch against reference rows (exact for integers).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include "support/reference.hpp"

namespace checks {

/// A fresh seed from std::random_device, or POLYBATCH_TEST_SEED to replay a
/// failure (every test prints the seed it used with INFO).
inline std::uint64_t test_seed() {
  if (const char* env = std::getenv("POLYBATCH_TEST_SEED")) return std::strtoull(env, nullptr, 10);
  std::random_device device;
  return (std::uint64_t(device()) << 32) ^ device();
}

/// A reference value computed in long double together with the sum of the
/// magnitudes of every term that went into it: |x - value| <= c * eps * mag
/// is the classic forward error bound for sums of products.
struct Tracked {
  long double value = 0;
  long double magnitude = 0;

  Tracked() = default;
  Tracked(long double x) : value(x), magnitude(std::fabs(x)) {} // NOLINT: implicit by design (T(0) in references)
  Tracked(long double v, long double m) : value(v), magnitude(m) {}

  friend Tracked operator+(const Tracked& a, const Tracked& b) {
    return {a.value + b.value, a.magnitude + b.magnitude};
  }
  friend Tracked operator-(const Tracked& a, const Tracked& b) {
    return {a.value - b.value, a.magnitude + b.magnitude};
  }
  friend Tracked operator*(const Tracked& a, const Tracked& b) {
    return {a.value * b.value, a.magnitude * b.magnitude};
  }
  Tracked operator-() const { return {-value, magnitude}; }
  Tracked& operator+=(const Tracked& b) { return *this = *this + b; }
};

/// The scalar reference computations run in: T itself for integers (exact),
/// Tracked for floating point.
template <class T>
using ref_scalar = std::conditional_t<std::is_floating_point_v<T>, Tracked, T>;

template <class T>
using RefRows = ref::Rows<ref_scalar<T>>;

/// The rows of a batch or view as reference rows.
template <class P>
RefRows<typename P::value_type> to_ref(const P& p) {
  using T = typename P::value_type;
  RefRows<T> out(p.batch_size(), std::vector<ref_scalar<T>>(p.length()));
  for (std::size_t i = 0; i < p.batch_size(); ++i)
    for (std::size_t k = 0; k < p.length(); ++k) out[i][k] = ref_scalar<T>(p(i, k));
  return out;
}

template <class T>
ref_scalar<T> to_ref_scalar(const T& s) {
  return ref_scalar<T>(s);
}

/// Relative tolerance for floating results: a few units in the last place
/// per operation on the path, times the magnitude of the terms.
template <class T>
long double tolerance_factor(int depth) {
  return 8.0L * depth * static_cast<long double>(std::numeric_limits<T>::epsilon());
}

/// Compares `result` with reference rows: shape, then every coefficient;
/// exact for integers, within depth-scaled ulps of the term magnitude for
/// floating point. Reports the first mismatch only, so a wrong kernel does
/// not print a thousand lines.
template <class P>
bool matches(const P& result, const RefRows<typename P::value_type>& expected, int depth, std::string& why) {
  using T = typename P::value_type;
  std::ostringstream out;
  if (result.batch_size() != expected.size() || (!expected.empty() && result.length() != expected[0].size())) {
    out << "shape (B=" << result.batch_size() << ", L=" << result.length() << ") expected (B=" << expected.size()
        << ", L=" << (expected.empty() ? 0 : expected[0].size()) << ")";
    why = out.str();
    return false;
  }
  for (std::size_t i = 0; i < expected.size(); ++i)
    for (std::size_t k = 0; k < expected[i].size(); ++k) {
      const T got = result(i, k);
      if constexpr (std::is_floating_point_v<T>) {
        const Tracked& want = expected[i][k];
        const long double err = std::fabs(static_cast<long double>(got) - want.value);
        const long double bound = tolerance_factor<T>(depth) * want.magnitude + std::numeric_limits<T>::min();
        if (!(err <= bound)) {
          out.precision(21);
          out << "row " << i << " coefficient " << k << ": got " << static_cast<long double>(got) << " expected "
              << want.value << " (error " << err << " > bound " << bound << ")";
          why = out.str();
          return false;
        }
      } else {
        if (got != expected[i][k]) {
          out << "row " << i << " coefficient " << k << ": got " << +got << " expected " << +expected[i][k];
          why = out.str();
          return false;
        }
      }
    }
  return true;
}

/// Checks that evaluating make() into a PolyBatch<double> throws
/// polybatch::domain_error and that its message contains `what`.
template <class Make>
void check_domain_error(Make&& make, const std::string& what) {
  try {
    const polybatch::PolyBatch<double> r = make();
    FAIL("no domain_error");
  } catch (const polybatch::domain_error& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find(what) != std::string::npos);
  }
}

} // namespace checks

/// CHECK that a batch equals reference rows (see checks::matches).
#define CHECK_ROWS(result, expected, depth)                                                                            \
  do {                                                                                                                 \
    std::string polybatch_why;                                                                                         \
    const bool polybatch_ok = checks::matches((result), (expected), (depth), polybatch_why);                           \
    INFO(polybatch_why);                                                                                               \
    CHECK(polybatch_ok);                                                                                               \
  } while (false)
