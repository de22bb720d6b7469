// Product-like binary node: row-wise convolution or correlation, with the
// output window numpy defines for the modes full, same and valid. `a * b` is
// the full convolution. The node only knows shapes and windows; the kernels
// that compute it live in kernels/ and are chosen in eval/.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>

#include "polybatch/core/checked_size.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/closure.hpp"
#include "polybatch/expr/shape.hpp"

namespace polybatch {

/// Output window of a convolution or correlation, as numpy defines it.
enum class mode { full, same, valid };

namespace expr {

enum class product_kind { convolve, correlate };

/// Coefficients [offset, offset + length) of the full product of rows of
/// lengths la and lb (full product length la + lb - 1).
struct Window {
  std::size_t offset;
  std::size_t length;
};

/// numpy's window rules. convolve swaps its operands when v is longer (the
/// product commutes); correlate computes the swapped correlation and reverses
/// it, which moves the window to the mirrored position.
constexpr Window product_window(product_kind kind, mode m, std::size_t la, std::size_t lb) {
  const std::size_t n1 = std::max(la, lb);
  const std::size_t n2 = std::min(la, lb);
  const std::size_t full = la + lb - 1;
  Window w{0, full};
  switch (m) {
  case mode::full:
    return w;
  case mode::same:
    w = Window{n2 - 1 - n2 / 2, n1};
    break;
  case mode::valid:
    w = Window{n2 - 1, n1 - n2 + 1};
    break;
  }
  if (kind == product_kind::correlate && la < lb) w.offset = full - w.offset - w.length;
  return w;
}

/// Row-wise a (*) b: convolution (b as given) or correlation (b reversed).
template <class L, class R>
class Product {
public:
  using is_polybatch_expression = void;
  using value_type = value_type_of<L>;
  using lhs_type = std::remove_cvref_t<L>;
  using rhs_type = std::remove_cvref_t<R>;

  template <class A, class B>
  Product(A&& a, B&& b, product_kind kind = product_kind::convolve, mode m = mode::full)
      : lhs_(std::forward<A>(a)), rhs_(std::forward<B>(b)), kind_(kind), mode_(m) {
    (void)batch_size();
    check_full_length();
  }

  const char* name() const {
    if (kind_ == product_kind::correlate) return "correlate(a, v)";
    return mode_ == mode::full ? "a * b" : "convolve(a, v)";
  }
  std::size_t batch_size() const { return broadcast_batch(name(), lhs_, rhs_); }
  std::size_t length() const { return window().length; }

  /// Which coefficients of the full product this node yields. An operand
  /// resized to no coefficients after the node was built is caught here,
  /// when the node is evaluated (its length is asked first).
  Window window() const {
    const std::size_t la = lhs_.length(), lb = rhs_.length();
    if (la == 0 || lb == 0) throw_no_coefficients(la, lb);
    return product_window(kind_, mode_, la, lb);
  }
  /// Correlation is convolution with the right operand's row reversed.
  bool reverses_rhs() const { return kind_ == product_kind::correlate; }
  product_kind kind() const { return kind_; }
  polybatch::mode output_mode() const { return mode_; }

  const lhs_type& lhs() const { return lhs_; }
  const rhs_type& rhs() const { return rhs_; }

private:
  /// The full product's length La + Lb - 1 underlies every window: it must
  /// not wrap, and in mode full it is the result length.
  void check_full_length() const {
    const std::size_t la = lhs_.length(), lb = rhs_.length();
    // Only a batch whose coeffs() were resized to L = 0 has no coefficients.
    if (la == 0 || lb == 0) throw_no_coefficients(la, lb);
    const detail::CheckedSize full = detail::CheckedSize(la) + lb - 1;
    if (full.overflowed() || mode_ == mode::full)
      (void)detail::result_length<value_type>(name(), "La + Lb - 1", full, {{"La", la}, {"Lb", lb}});
  }

  [[noreturn]] void throw_no_coefficients(std::size_t la, std::size_t lb) const {
    throw shape_error(std::string(name()) + ": an operand has no coefficients (La = " + std::to_string(la) +
                      ", Lb = " + std::to_string(lb) + ")");
  }

  closure_t<L> lhs_;
  closure_t<R> rhs_;
  product_kind kind_;
  polybatch::mode mode_;
};

} // namespace expr
} // namespace polybatch
