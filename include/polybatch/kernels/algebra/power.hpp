// Rows of a^k computed by a scalar type's own kernel instead of the
// evaluator's binary powering (exact/integer_power.hpp: small cpp_int and
// mpz_int values in machine words). The evaluator asks row by row and powers
// the runs of rows a backend declines itself, together.
#pragma once

#include <cstddef>

namespace polybatch::kernels {

template <class T, class Enable = void>
struct power_backend {
  static constexpr bool available = false;
  /// Whether row() may take rows of la values to the power k: if not, the
  /// evaluator powers the tile without asking row by row.
  static bool takes(std::size_t, std::size_t) { return false; }
  /// out[0 .. n) = the first n coefficients of a^k for one row a[0 .. la)
  /// (zeros past the power's length) and true, or false having written
  /// nothing.
  static bool row(const T*, std::size_t, std::size_t, std::size_t, T*) { return false; }
};

} // namespace polybatch::kernels
