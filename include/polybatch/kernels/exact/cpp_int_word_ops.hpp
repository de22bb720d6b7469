// Sums, differences and derivatives of small cpp_int values in machine words
// (small_int_word_ops.hpp): each value is read as its limb and state word
// and the result written into the existing result object
// (cpp_int_fields.hpp). Boost's own arithmetic otherwise: for values that
// are not one-limb inline values below 2^63, for results that overflow or
// land in heap storage, and where the layout check fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "polybatch/kernels/algebra/calculus.hpp"
#include "polybatch/kernels/elementwise.hpp"
#include "polybatch/kernels/exact/cpp_int_fields.hpp"
#include "polybatch/kernels/exact/small_int_word_ops.hpp"

namespace polybatch::kernels {

namespace exact::cpp_int_fields {

struct word_access {
  static constexpr bool values_inline = true;
  template <class T>
  static bool read(const T& x, std::int64_t& v) {
    std::uint64_t magnitude;
    return read_small(x, v, magnitude);
  }
  // write_small stores |v| < 2^63 only.
  template <class T>
  static bool write(T& out, std::int64_t v) {
    return v != INT64_MIN && write_small(out, v);
  }
};

} // namespace exact::cpp_int_fields

template <class T>
struct add_backend<T, std::enable_if_t<exact::cpp_int_fields::applies<T>>> {
  template <bool Subtract>
  static bool add_prefix(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, const T* y, std::size_t ldy,
                         T* out, std::size_t ldo) {
    if (!exact::cpp_int_fields::layout_matches()) return false;
    exact::small_int_words::add_prefix<Subtract, exact::cpp_int_fields::word_access>(rows, n, x, ldx, y, ldy, out, ldo);
    return true;
  }
};

template <class T>
struct derivative_backend<T, std::enable_if_t<exact::cpp_int_fields::applies<T>>> {
  static bool rows(std::size_t rows, std::size_t n, const T* a, std::size_t lda, std::size_t na, T* out,
                   std::size_t ldo) {
    if (!exact::cpp_int_fields::layout_matches()) return false;
    exact::small_int_words::derivative_rows<exact::cpp_int_fields::word_access>(rows, n, a, lda, na, out, ldo);
    return true;
  }
};

} // namespace polybatch::kernels
