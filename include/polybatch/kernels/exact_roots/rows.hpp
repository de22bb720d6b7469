// What the public exact functions (real roots, gcd, resultant) share: the
// concept of a row scalar they accept, the check of a batch's rows before
// any work (non-finite values, zero rows) with messages naming the operation
// and the row, and the row-by-row driver on the evaluation thread pool.
#pragma once

#include <cstddef>
#include <sstream>
#include <string>

#include "polybatch/algebra/row_blocks.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/kernels/exact_roots/exact_rows.hpp"
#include "polybatch/scalar/finite.hpp"

namespace polybatch {

/// Coefficient types whose values are exactly rationals: integers,
/// rationals, binary floating point (then the rows are dyadic rationals).
template <class T>
concept ExactlyRationalScalar = Scalar<T> && kernels::exact_roots::ExactlyConvertible<T>;

namespace detail {

/// Throws domain_error when a coefficient of container p is not finite, or,
/// with `zero_rows_are_errors`, when a row is the zero polynomial.
template <class P>
void check_exact_rows(const char* op, const char* name, const P& p, bool zero_rows_are_errors) {
  using T = value_type_of<P>;
  const std::size_t len = p.length();
  const T* c = p.data();
  for (std::size_t i = 0; i < p.batch_size(); ++i) {
    bool zero = true;
    for (std::size_t j = 0; j < len; ++j) {
      const T& x = c[i * len + j];
      if (!polybatch::detail::is_finite_value(x)) {
        std::ostringstream msg;
        msg << op << ": row " << i << " of " << name << " " << shape_str(p.batch_size(), len)
            << " has a non-finite coefficient (coefficient " << j << ")";
        throw domain_error(msg.str());
      }
      if (!(x == T(0))) zero = false;
    }
    if (zero && zero_rows_are_errors) {
      std::ostringstream msg;
      msg << op << ": row " << i << " of " << name << " " << shape_str(p.batch_size(), len)
          << " is the zero polynomial (every real number is a root)";
      throw domain_error(msg.str());
    }
  }
}

/// f(i) for every row i < batch, spread over the thread pool; exact rows
/// cost far more than a scalar operation per coefficient pair.
template <class F>
void for_exact_rows(std::size_t batch, std::size_t length, F&& f) {
  for_row_blocks(batch, batch * length * length * 64, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) f(i);
  });
}

} // namespace detail
} // namespace polybatch
