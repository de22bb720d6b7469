// The compiled kernel library's entries for Boost's decimal floats
// (cpp_dec_float_50 and cpp_dec_float_100, with and without expression
// templates): their products' exact limb sums (exact/decimal_float_dot.hpp)
// take the vector lanes the compiler targets, plus an AVX2 copy in plain
// x86-64 builds; a program that links polybatch::kernels gets the lanes its
// machine has, AVX-512 included, chosen at run time like the float kernels
// (kernels/compiled.hpp), and compiles no decimal kernel of its own. Apart from compiled.hpp because these
// declarations need Boost's cpp_dec_float: they come with the
// multiprecision kernels (exact/convolve_multiprecision.hpp), which include
// it anyway, and not with the float and double ones.
#pragma once

#include <boost/multiprecision/cpp_dec_float.hpp>
#include <cstddef>
#include <type_traits>

#include "polybatch/kernels/compiled.hpp"

namespace polybatch::compiled {

/// The decimal types the compiled library serves.
template <unsigned Digits10, boost::multiprecision::expression_template_option ET>
using decimal = boost::multiprecision::number<boost::multiprecision::backends::cpp_dec_float<Digits10>, ET>;
using decimal50 = decimal<50, boost::multiprecision::et_on>;
using decimal50_et_off = decimal<50, boost::multiprecision::et_off>;
using decimal100 = decimal<100, boost::multiprecision::et_on>;
using decimal100_et_off = decimal<100, boost::multiprecision::et_off>;

/// kernels::convolve_rows for one decimal type; same arguments, same
/// aliasing rule (`out` must not overlap `a` or `b`).
#define POLYBATCH_DECLARE_DECIMAL_CONVOLVE(T)                                                                          \
  void convolve_rows(std::size_t rows, const T* a, std::size_t lda, std::size_t la, const T* b, std::size_t ldb,       \
                     std::size_t lb, bool reverse_b, std::size_t offset, std::size_t n, T* out, std::size_t ldo);
POLYBATCH_DECLARE_DECIMAL_CONVOLVE(decimal50)
POLYBATCH_DECLARE_DECIMAL_CONVOLVE(decimal50_et_off)
POLYBATCH_DECLARE_DECIMAL_CONVOLVE(decimal100)
POLYBATCH_DECLARE_DECIMAL_CONVOLVE(decimal100_et_off)
#undef POLYBATCH_DECLARE_DECIMAL_CONVOLVE

} // namespace polybatch::compiled

namespace polybatch::kernels {

/// True for the decimal types whose products the compiled library holds.
template <class T>
inline constexpr bool is_compiled_decimal =
    std::is_same_v<T, compiled::decimal50> || std::is_same_v<T, compiled::decimal50_et_off> ||
    std::is_same_v<T, compiled::decimal100> || std::is_same_v<T, compiled::decimal100_et_off>;

/// True where a translation unit hands decimal T's products to the compiled
/// library instead of instantiating the decimal kernel for its own flags.
template <class T>
inline constexpr bool uses_compiled_decimal =
#if defined(POLYBATCH_COMPILED_KERNELS) && !defined(POLYBATCH_KERNEL_TARGET)
    is_compiled_decimal<T>;
#else
    false;
#endif

} // namespace polybatch::kernels
