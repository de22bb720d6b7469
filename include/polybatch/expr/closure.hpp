// Capture rules for expression operands (the xtensor/xtl closure rule):
// an lvalue operand is held by const reference, an rvalue is moved into the
// node. So `auto e = (a * b) * make_batch();` owns the temporary batch and
// stays valid, while `a` and `b` must outlive `e`.
#pragma once

#include <type_traits>

namespace polybatch::expr {

template <class A>
using closure_t =
    std::conditional_t<std::is_lvalue_reference_v<A>, const std::remove_reference_t<A>&, std::remove_cvref_t<A>>;

} // namespace polybatch::expr
