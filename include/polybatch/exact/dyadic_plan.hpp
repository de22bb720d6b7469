// What pb::verify needs to know before evaluating an expression in dyadic
// numbers: whether every node keeps dyadic values dyadic (no division), a
// bound on the mantissa bits of any coefficient it computes (picks the limb
// count), and a walk over the leaves (non-finite values go the rational way).
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "polybatch/core/bits.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/expr/add_scalar.hpp"
#include "polybatch/expr/algebra/calculus.hpp"
#include "polybatch/expr/algebra/compose.hpp"
#include "polybatch/expr/algebra/pow.hpp"
#include "polybatch/expr/algebra/truncate.hpp"
#include "polybatch/expr/cast.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/expr/rebind.hpp"
#include "polybatch/scalar/convert.hpp"

namespace polybatch::exact {

template <class T>
inline constexpr bool is_binary_float = std::is_same_v<T, float> || std::is_same_v<T, double>;

/// The widest fixed mantissa verified in dyadic numbers: a product of two
/// such values, with room for the exponents of a sum, fits 512 bits.
inline constexpr int widest_dyadic_leaf_bits = 240;

/// Scalars whose finite values are dyadic with a mantissa of fixed width:
/// float, double, double-double and Boost's fixed-precision binary floats
/// (quad, float128, mpfr_float_50 and the like, up to 240 bits). mpfr_float
/// with its precision chosen at run time is not (its limits say INT_MAX).
template <class T>
inline constexpr bool is_dyadic_scalar = is_binary_float<T> || std::is_same_v<T, double_double> ||
                                         (!std::is_arithmetic_v<T> && polybatch::detail::is_floating_scalar<T> &&
                                          std::numeric_limits<T>::radix == 2 &&
                                          std::numeric_limits<T>::digits <= widest_dyadic_leaf_bits);

/// dyadic_tree<Node>: every leaf holds a dyadic scalar and every node is
/// built from + - * and integer or binary-float constants, so its exact value
/// is dyadic. A node kind not listed here (integral divides by k) is not.
template <class Node>
struct dyadic_tree : std::false_type {};

template <class Node>
inline constexpr bool is_dyadic_tree = dyadic_tree<std::remove_cvref_t<Node>>::value;

template <class Node>
requires PolyContainer<Node>
struct dyadic_tree<Node> : std::bool_constant<is_dyadic_scalar<value_type_of<Node>>> {
};

template <class L, class R, bool S>
struct dyadic_tree<expr::Sum<L, R, S>> : std::bool_constant<is_dyadic_tree<L> && is_dyadic_tree<R>> {};
template <class L, class R>
struct dyadic_tree<expr::Product<L, R>> : std::bool_constant<is_dyadic_tree<L> && is_dyadic_tree<R>> {};
template <class L, class R>
struct dyadic_tree<expr::Compose<L, R>> : std::bool_constant<is_dyadic_tree<L> && is_dyadic_tree<R>> {};
template <class E>
struct dyadic_tree<expr::Negate<E>> : std::bool_constant<is_dyadic_tree<E>> {};
template <class E>
struct dyadic_tree<expr::Scaled<E>> : std::bool_constant<is_dyadic_tree<E>> {};
template <class E>
struct dyadic_tree<expr::Derivative<E>> : std::bool_constant<is_dyadic_tree<E>> {};
template <class E>
struct dyadic_tree<expr::Pow<E>> : std::bool_constant<is_dyadic_tree<E>> {};
template <class E>
struct dyadic_tree<expr::Truncate<E>> : std::bool_constant<is_dyadic_tree<E>> {};
template <class V, class E>
struct dyadic_tree<expr::Cast<V, E>> : std::bool_constant<is_dyadic_tree<E>> {};
template <class V, class E>
struct dyadic_tree<expr::Rebind<V, E>> : std::bool_constant<is_dyadic_tree<E>> {};
template <class V, class Leaf>
struct dyadic_tree<expr::ConvertLeaf<V, Leaf>> : std::bool_constant<is_dyadic_tree<Leaf>> {};
template <class E, bool N, bool S>
struct dyadic_tree<expr::AddScalar<E, N, S>> : std::bool_constant<is_dyadic_tree<E>> {};

/// Calls f(leaf) for every container under e, left to right.
template <class Node, class F>
void for_each_leaf(const Node& e, F&& f) {
  if constexpr (PolyContainer<Node>) {
    f(e);
  } else if constexpr (requires { e.lhs(), e.rhs(); }) {
    for_each_leaf(e.lhs(), f);
    for_each_leaf(e.rhs(), f);
  } else if constexpr (requires { e.outer(), e.inner(); }) {
    for_each_leaf(e.outer(), f);
    for_each_leaf(e.inner(), f);
  } else {
    for_each_leaf(e.operand(), f);
  }
}

namespace detail {

/// Saturating, so that pow(a, 10^9) reads as "too wide" instead of wrapping.
inline std::size_t add_bits(std::size_t a, std::size_t b) {
  constexpr std::size_t cap = std::size_t(1) << 40;
  return std::min(cap, a + b);
}
inline std::size_t mul_bits(std::size_t a, std::size_t k) {
  constexpr std::size_t cap = std::size_t(1) << 40;
  return k != 0 && a > cap / k ? cap : std::min(cap, a * k);
}

/// Double-double's parts may lie further apart than 106 bits: such rows
/// overflow the width picked from this bound and are redone wider.
template <class T>
std::size_t leaf_bits() {
  if constexpr (std::is_same_v<T, double_double>)
    return 2 * std::numeric_limits<double>::digits + 1;
  else
    return static_cast<std::size_t>(std::numeric_limits<T>::digits);
}

} // namespace detail

/// An upper bound on the bits of the mantissa of any coefficient e computes
/// in dyadic arithmetic when every value shares one exponent. Values with
/// different exponents need as many more bits as their exponents differ,
/// which only the data tells; the caller leaves room and retries wider.
template <class Node>
std::size_t mantissa_bits(const Node& e) {
  using detail::add_bits;
  using detail::mul_bits;
  if constexpr (PolyContainer<Node>) {
    return detail::leaf_bits<value_type_of<Node>>();
  } else if constexpr (requires { e.kind(); }) { // convolve, correlate
    const std::size_t terms = std::min(e.lhs().length(), e.rhs().length());
    return add_bits(add_bits(mantissa_bits(e.lhs()), mantissa_bits(e.rhs())), ceil_log2(terms));
  } else if constexpr (requires { e.lhs(), e.rhs(); }) { // a + b, a - b
    return add_bits(std::max(mantissa_bits(e.lhs()), mantissa_bits(e.rhs())), 1);
  } else if constexpr (requires { e.outer(), e.inner(); }) {
    // sum of a_i b^i, i < La: a_i times La - 1 factors of b.
    const std::size_t la = e.outer().length(), lb = e.inner().length();
    const std::size_t power = mul_bits(add_bits(mantissa_bits(e.inner()), ceil_log2(lb)), la - 1);
    return add_bits(add_bits(mantissa_bits(e.outer()), power), ceil_log2(la) + 1);
  } else if constexpr (requires { e.power(); }) {
    const std::size_t p = e.power();
    if (p == 0) return 1;
    return add_bits(mul_bits(mantissa_bits(e.operand()), p), mul_bits(ceil_log2(e.operand().length()), p - 1));
  } else if constexpr (requires { e.factor(); }) {
    return add_bits(mantissa_bits(e.operand()), detail::leaf_bits<value_type_of<Node>>());
  } else if constexpr (requires { e.scalar(); }) {
    return add_bits(std::max(mantissa_bits(e.operand()), detail::leaf_bits<value_type_of<Node>>()), 1);
  } else {
    // -a, truncate, casts, rebinds keep the operand's values; derivative
    // multiplies them by k < length (counted for all of them: a few bits).
    return add_bits(mantissa_bits(e.operand()), ceil_log2(e.operand().length()));
  }
}

} // namespace polybatch::exact
