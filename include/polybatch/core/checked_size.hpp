// Size arithmetic on user-given shapes that reports overflow instead of
// wrapping: a length or a B x L element count that does not fit becomes a
// shape_error naming the shape, before anything is allocated or indexed.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "polybatch/core/errors.hpp"

namespace polybatch::detail {

/// A size_t value computed from shapes that remembers whether any step
/// overflowed, so a whole formula such as k (La - 1) + 1 is written once and
/// checked once.
class CheckedSize {
public:
  constexpr CheckedSize(std::size_t v) : value_(v) {} // NOLINT: implicit from a plain size by design
  constexpr std::size_t value() const { return value_; }
  constexpr bool overflowed() const { return overflow_; }

  friend constexpr CheckedSize operator+(CheckedSize a, CheckedSize b) {
    CheckedSize r(0);
    r.overflow_ = a.overflow_ || b.overflow_ || __builtin_add_overflow(a.value_, b.value_, &r.value_);
    return r;
  }
  friend constexpr CheckedSize operator-(CheckedSize a, CheckedSize b) {
    CheckedSize r(0);
    r.overflow_ = a.overflow_ || b.overflow_ || __builtin_sub_overflow(a.value_, b.value_, &r.value_);
    return r;
  }
  friend constexpr CheckedSize operator*(CheckedSize a, CheckedSize b) {
    CheckedSize r(0);
    r.overflow_ = a.overflow_ || b.overflow_ || __builtin_mul_overflow(a.value_, b.value_, &r.value_);
    return r;
  }

private:
  std::size_t value_;
  bool overflow_ = false;
};

/// Scratch counts added up so that a sum past size_t stays at SIZE_MAX
/// instead of wrapping to a small number: an expression's nodes add their
/// operands' needs, and SIZE_MAX is then refused where the total is sized
/// (evaluation::scratch_for_rows) rather than under-allocated.
template <std::convertible_to<std::size_t>... Counts>
constexpr std::size_t saturating_sum(Counts... counts) {
  std::size_t total = 0;
  for (const std::size_t c : {static_cast<std::size_t>(counts)...})
    if (__builtin_add_overflow(total, c, &total)) return SIZE_MAX;
  return total;
}

/// a * b, or SIZE_MAX where it does not fit (as saturating_sum).
constexpr std::size_t saturating_product(std::size_t a, std::size_t b) {
  std::size_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

/// Most elements of T one allocation may hold: its byte size must fit in
/// std::ptrdiff_t (pointer differences, xtensor's strides, and every
/// allocator assume it).
template <class T>
constexpr std::size_t max_elements() {
  return static_cast<std::size_t>(PTRDIFF_MAX) / sizeof(T);
}

/// Names operands in an error message: "La = 5, Lb = 7".
inline std::string operand_list(std::initializer_list<std::pair<const char*, std::size_t>> operands) {
  std::string s;
  for (const auto& [name, value] : operands) {
    if (!s.empty()) s += ", ";
    s += std::string(name) + " = " + std::to_string(value);
  }
  return s;
}

/// The result length `formula` (an expression node's length rule) of
/// operation `op`, computed as `length`. A row of T of that length must be
/// allocatable: more than max_elements<T>() (or an overflow on the way) is a
/// shape_error naming the operands.
template <class T>
std::size_t result_length(const char* op, const char* formula, CheckedSize length,
                          std::initializer_list<std::pair<const char*, std::size_t>> operands) {
  if (length.overflowed() || length.value() > max_elements<T>())
    throw shape_error(std::string(op) + ": the result length " + formula + " is too large for " +
                      operand_list(operands) + " (at most " + std::to_string(max_elements<T>()) + " coefficients of " +
                      std::to_string(sizeof(T)) + " bytes fit in memory)");
  return length.value();
}

/// B x L, for elements of `element_size` bytes: the byte size must fit in
/// std::ptrdiff_t, or it is a shape_error naming the shape (`what` is the
/// operation or file). A size that fits but cannot be allocated stays
/// bad_alloc where it is allocated.
inline std::size_t checked_elements(const std::string& what, std::size_t batch, std::size_t length,
                                    std::size_t element_size) {
  const CheckedSize n = CheckedSize(batch) * length;
  if (n.overflowed() || n.value() > static_cast<std::size_t>(PTRDIFF_MAX) / element_size)
    throw shape_error(what + ": a batch of shape " + shape_str(batch, length) + " needs more than " +
                      std::to_string(PTRDIFF_MAX) + " bytes (" + std::to_string(element_size) +
                      " bytes per coefficient); it cannot be stored");
  return n.value();
}

/// checked_elements for storage of T.
template <class T>
std::size_t checked_elements(const char* what, std::size_t batch, std::size_t length) {
  if (batch <= max_elements<T>() && length <= max_elements<T>() / (batch ? batch : 1)) return batch * length;
  return checked_elements(what, batch, length, sizeof(T));
}

} // namespace polybatch::detail
