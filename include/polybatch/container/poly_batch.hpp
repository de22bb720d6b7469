// PolyBatch<T>: B polynomials of common length L, stored as a row-major
// B x L xt::xtensor<T,2> with coefficients in ascending powers. Assigning an
// expression runs one fused pass, reusing the storage when the shape fits.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <utility>

#include <xtensor/xtensor.hpp>

#include "polybatch/core/checked_size.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/eval/alias.hpp"
#include "polybatch/eval/run.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/product.hpp"

namespace polybatch {

namespace detail {
inline void check_shape(const char* what, std::size_t batch, std::size_t length) {
  if (batch < 1 || length < 1)
    throw shape_error(std::string(what) + ": a batch needs B >= 1 polynomials of length L >= 1, got " +
                      shape_str(batch, length));
}
/// check_shape, and the B x L coefficients of T must fit in memory (their
/// byte size in std::ptrdiff_t): otherwise B x L would wrap and the storage
/// would be smaller than the shape says.
template <class T>
void check_storage(const char* what, std::size_t batch, std::size_t length) {
  check_shape(what, batch, length);
  (void)checked_elements<T>(what, batch, length);
}
inline void check_index(const char* what, std::size_t i, std::size_t k, std::size_t batch, std::size_t length) {
  if (i >= batch || k >= length)
    throw std::out_of_range(std::string(what) + ": coefficient (" + std::to_string(i) + ", " + std::to_string(k) +
                            ") is outside a batch of shape " + shape_str(batch, length));
}
} // namespace detail

template <Scalar T>
class PolyBatch {
public:
  using is_polybatch_expression = void;
  using value_type = T;
  using storage_type = xt::xtensor<T, 2>;

  /// One zero polynomial of length 1.
  PolyBatch() : PolyBatch(1, 1) {}

  /// B zero polynomials of length L.
  PolyBatch(std::size_t batch, std::size_t length) {
    detail::check_storage<T>("PolyBatch(B, L)", batch, length);
    coeffs_ = storage_type::from_shape({batch, length});
    coeffs_.fill(T(0));
  }

  /// Rows of `c` are the polynomials.
  explicit PolyBatch(storage_type c) : coeffs_(std::move(c)) {
    detail::check_shape("PolyBatch(xtensor<T,2>)", coeffs_.shape()[0], coeffs_.shape()[1]);
  }

  /// One polynomial: a batch of 1.
  explicit PolyBatch(const xt::xtensor<T, 1>& c) {
    detail::check_shape("PolyBatch(xtensor<T,1>)", 1, c.size());
    coeffs_ = storage_type::from_shape({1, c.size()});
    std::copy(c.begin(), c.end(), coeffs_.begin());
  }

  /// Nested braces: one inner list per polynomial, all of one length.
  PolyBatch(std::initializer_list<std::initializer_list<T>> rows) {
    const std::size_t length = rows.size() ? rows.begin()->size() : 0;
    detail::check_storage<T>("PolyBatch{{...}}", rows.size(), length);
    coeffs_ = storage_type::from_shape({rows.size(), length});
    std::size_t i = 0;
    for (const auto& row : rows) {
      if (row.size() != length)
        throw shape_error("PolyBatch{{...}}: ragged rows: row 0 has " + std::to_string(length) + " coefficients, row " +
                          std::to_string(i) + " has " + std::to_string(row.size()));
      std::copy(row.begin(), row.end(), coeffs_.begin() + static_cast<std::ptrdiff_t>(i * length));
      ++i;
    }
  }

  /// Evaluates an expression in one fused pass.
  template <PolyExpression E>
  requires(std::same_as<value_type_of<E>, T> && !std::same_as<std::remove_cvref_t<E>, PolyBatch>) PolyBatch(const E& e)
      : coeffs_(allocate("PolyBatch(e)", e.batch_size(), e.length())) {
    evaluation::run(e, data(), batch_size(), length());
  }

  PolyBatch(const PolyBatch&) = default;
  PolyBatch(PolyBatch&&) noexcept = default;
  PolyBatch& operator=(const PolyBatch&) = default;
  PolyBatch& operator=(PolyBatch&&) noexcept = default;
  ~PolyBatch() = default;

  /// Storage of shape B x L whose values are left unset (for arithmetic T)
  /// until the caller writes them: for outputs that are fully overwritten.
  static PolyBatch uninitialized(std::size_t batch, std::size_t length) {
    PolyBatch p(unset_tag{});
    p.coeffs_ = allocate("PolyBatch::uninitialized", batch, length);
    return p;
  }

  /// Fused evaluation into this batch. The storage is reused when the shape
  /// matches and the expression does not read it in an unsafe way
  /// (eval/alias.hpp); otherwise the result is built aside and moved in.
  template <PolyExpression E>
  requires(std::same_as<value_type_of<E>, T> && !std::same_as<std::remove_cvref_t<E>, PolyBatch>) PolyBatch&
  operator=(const E& e) {
    const std::size_t b = e.batch_size();
    const std::size_t l = e.length();
    if (b == batch_size() && l == length() && !evaluation::needs_temporary(e, destination())) {
      evaluation::run(e, data(), b, l);
    } else {
      PolyBatch result = uninitialized(b, l);
      evaluation::run(e, result.data(), b, l);
      *this = std::move(result);
    }
    return *this;
  }

  template <PolyExpression E>
  requires std::same_as<value_type_of<E>, T> PolyBatch& operator+=(const E& e) {
    return *this = expr::Sum<const PolyBatch&, const E&, false>(*this, e);
  }
  template <PolyExpression E>
  requires std::same_as<value_type_of<E>, T> PolyBatch& operator-=(const E& e) {
    return *this = expr::Sum<const PolyBatch&, const E&, true>(*this, e);
  }
  template <PolyExpression E>
  requires std::same_as<value_type_of<E>, T> PolyBatch& operator*=(const E& e) {
    return *this = expr::Product<const PolyBatch&, const E&>(*this, e);
  }

  std::size_t batch_size() const { return coeffs_.shape()[0]; }
  std::size_t length() const { return coeffs_.shape()[1]; }
  std::size_t degree() const { return length() - 1; }

  /// Coefficient k of row i (bounds-checked: std::out_of_range).
  T& operator()(std::size_t i, std::size_t k) {
    detail::check_index("PolyBatch(i, k)", i, k, batch_size(), length());
    return coeffs_.data()[i * length() + k];
  }
  const T& operator()(std::size_t i, std::size_t k) const {
    detail::check_index("PolyBatch(i, k)", i, k, batch_size(), length());
    return coeffs_.data()[i * length() + k];
  }

  /// The B x L coefficient array. Resizing it to B = 0 or L = 0 breaks the
  /// container's invariant and is caught when the batch is next evaluated.
  storage_type& coeffs() { return coeffs_; }
  const storage_type& coeffs() const { return coeffs_; }

  T* data() { return coeffs_.data(); }
  const T* data() const { return coeffs_.data(); }

private:
  struct unset_tag {};

  /// Unset storage of a checked shape (B x L x sizeof(T) fits).
  static storage_type allocate(const char* what, std::size_t batch, std::size_t length) {
    detail::check_storage<T>(what, batch, length);
    return storage_type::from_shape({batch, length});
  }
  explicit PolyBatch(unset_tag) {}

  evaluation::Destination destination() const {
    return {data(), batch_size(), length(), batch_size() * length() * sizeof(T)};
  }

  storage_type coeffs_;
};

/// Evaluates an expression into a new batch.
template <PolyExpression E>
PolyBatch<value_type_of<E>> eval(const E& e) {
  return PolyBatch<value_type_of<E>>(e);
}

} // namespace polybatch
