// PolyView<T>: a non-owning row-major B x L view over memory the caller owns
// (numpy, torch, a file). Copying a view copies the handle; assigning to a
// view writes the coefficients, like Eigen::Map. PolyView<const T> is
// read-only.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>

#include <xtensor/xadapt.hpp>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/eval/assign.hpp"

namespace polybatch {

template <class T>
requires Scalar<std::remove_const_t<T>>
class PolyView {
public:
  using is_polybatch_expression = void;
  using value_type = std::remove_const_t<T>;
  static constexpr bool is_read_only = std::is_const_v<T>;

  PolyView(T* data, std::size_t batch, std::size_t length) : data_(data), batch_(batch), length_(length) {
    detail::check_storage<value_type>("adapt(ptr, B, L)", batch, length);
    if (data == nullptr)
      throw shape_error("adapt(ptr, B, L): null pointer for a batch of shape " + detail::shape_str(batch, length));
  }

  /// A writable view converts to a read-only one.
  operator PolyView<const value_type>() const requires(!is_read_only) { return {data_, batch_, length_}; }

  PolyView(const PolyView&) = default;
  PolyView(PolyView&&) noexcept = default;
  ~PolyView() = default;

  /// Writes the other view's coefficients here (shapes must match).
  PolyView& operator=(const PolyView& other) requires(!is_read_only) {
    evaluation::assign_to_memory(data_, batch_, length_, other, "view = view");
    return *this;
  }
  PolyView& operator=(PolyView&& other) requires(!is_read_only) { return *this = static_cast<const PolyView&>(other); }

  /// Fused evaluation straight into the viewed memory. A shape mismatch
  /// throws shape_error before anything is written.
  template <PolyExpression E>
  requires(!is_read_only && std::same_as<value_type_of<E>, value_type> &&
           !std::same_as<std::remove_cvref_t<E>, PolyView>) PolyView&
  operator=(const E& e) {
    evaluation::assign_to_memory(data_, batch_, length_, e, "view = e");
    return *this;
  }

  template <PolyExpression E>
  requires(!is_read_only && std::same_as<value_type_of<E>, value_type>) PolyView& operator+=(const E& e) {
    evaluation::assign_to_memory(data_, batch_, length_, expr::Sum<const PolyView&, const E&, false>(*this, e),
                                 "view += e");
    return *this;
  }
  template <PolyExpression E>
  requires(!is_read_only && std::same_as<value_type_of<E>, value_type>) PolyView& operator-=(const E& e) {
    evaluation::assign_to_memory(data_, batch_, length_, expr::Sum<const PolyView&, const E&, true>(*this, e),
                                 "view -= e");
    return *this;
  }
  template <PolyExpression E>
  requires(!is_read_only && std::same_as<value_type_of<E>, value_type>) PolyView& operator*=(const E& e) {
    evaluation::assign_to_memory(data_, batch_, length_, expr::Product<const PolyView&, const E&>(*this, e),
                                 "view *= e");
    return *this;
  }

  std::size_t batch_size() const { return batch_; }
  std::size_t length() const { return length_; }
  std::size_t degree() const { return length_ - 1; }

  T& operator()(std::size_t i, std::size_t k) const {
    detail::check_index("view(i, k)", i, k, batch_, length_);
    return data_[i * length_ + k];
  }

  /// The viewed memory as a B x L xtensor adaptor (no copy).
  auto coeffs() const {
    return xt::adapt(data_, batch_ * length_, xt::no_ownership(), std::array<std::size_t, 2>{batch_, length_});
  }

  T* data() const { return data_; }

private:
  T* data_;
  std::size_t batch_;
  std::size_t length_;
};

/// A view over `batch` rows of `length` coefficients at `ptr`, row-major,
/// owned by the caller. No copy is made.
template <class T>
requires Scalar<std::remove_const_t<T>> PolyView<T> adapt(T* ptr, std::size_t batch, std::size_t length) {
  return PolyView<T>(ptr, batch, length);
}

} // namespace polybatch
