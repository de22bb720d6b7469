// Limb-level access to unbounded Boost integers, so exact kernels can read a
// coefficient as (sign, 64-bit limbs) and write a result back without going
// through Boost's generic arithmetic. cpp_int is handled here; the GMP
// backend (mpz_int) in gmp_access.hpp. Other integer types fall back to the
// schoolbook kernel (integer_access<T>::available is false).
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "polybatch/core/int128.hpp"

namespace polybatch::kernels::exact {

using limb_t = std::uint64_t;

/// |v| as a limb (negated in unsigned arithmetic, so -2^63 is fine) and the
/// sign of v (-1, 0 or 1, GMP's size of a one-limb value), both without a
/// branch: random signs mispredict half the time, and blocks of values form
/// them a register at a time.
inline limb_t magnitude_of(std::int64_t v) {
  const auto negative = static_cast<limb_t>(v >> 63); // all ones if v < 0
  return (static_cast<limb_t>(v) ^ negative) - negative;
}
inline int sign_of(std::int64_t v) { return static_cast<int>(v > 0) - static_cast<int>(v < 0); }

/// Primary template: no limb access.
template <class T, class Enable = void>
struct integer_access {
  static constexpr bool available = false;
};

/// cpp_int and other unbounded signed-magnitude cpp_int_backend numbers.
template <unsigned MinBits, unsigned MaxBits, boost::multiprecision::cpp_int_check_type Checked, class Alloc,
          boost::multiprecision::expression_template_option ET>
struct integer_access<
    boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
                                      MinBits, MaxBits, boost::multiprecision::signed_magnitude, Checked, Alloc>,
                                  ET>,
    std::enable_if_t<!std::is_void_v<Alloc> && MaxBits == 0>> {
  using T = boost::multiprecision::number<
      boost::multiprecision::cpp_int_backend<MinBits, MaxBits, boost::multiprecision::signed_magnitude, Checked, Alloc>,
      ET>;
  static_assert(sizeof(boost::multiprecision::limb_type) == sizeof(limb_t), "cpp_int limbs must be 64-bit");
  // limbs(x) points at size(x) limbs of the magnitude, least significant first.
  static constexpr bool available = true;
  /// Values below 2^128 keep their limbs inside the object.
  static constexpr bool small_values_inline = true;

  static std::size_t size(const T& x) { return x.backend().size(); }
  static const boost::multiprecision::limb_type* limbs(const T& x) { return x.backend().limbs(); }
  static bool negative(const T& x) { return x.backend().sign(); }

  /// out = v in place: a value that already has one limb (the common case
  /// when results overwrite small results) only has its limb and sign set.
  static void write_small(T& out, std::int64_t v) {
    auto& b = out.backend();
    if (b.size() != 1) b.resize(1, 1);
    *b.limbs() = v < 0 ? limb_t(0) - static_cast<limb_t>(v) : static_cast<limb_t>(v);
    b.sign(v < 0);
  }
  /// out = (negative ? -1 : 1) * limbs[0, n); n >= 1.
  static void write(T& out, const limb_t* src, std::size_t n, bool neg) {
    while (n > 1 && src[n - 1] == 0) --n;
    auto& b = out.backend();
    b.resize(static_cast<unsigned>(n), static_cast<unsigned>(n));
    boost::multiprecision::limb_type* dst = b.limbs();
    for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<boost::multiprecision::limb_type>(src[i]);
    b.normalize();
    b.sign(neg && !(n == 1 && src[0] == 0));
  }
};

/// Number of significant bits of |x| (0 for zero), read from the limbs.
template <class T>
std::size_t magnitude_bits(const T& x) {
  using A = integer_access<T>;
  const std::size_t n = A::size(x);
  const limb_t top = static_cast<limb_t>(A::limbs(x)[n - 1]);
  if (top == 0) return 0;
  return (n - 1) * 64 + (64 - static_cast<std::size_t>(__builtin_clzll(top)));
}

} // namespace polybatch::kernels::exact
