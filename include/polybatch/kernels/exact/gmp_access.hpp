// Limb-level access for the GMP backends (mpz_int; mpq_rational through its
// numerator and denominator), the counterpart of integer_access.hpp for
// cpp_int. Using these types means linking libgmp (see docs/exact.md).
#pragma once

#include <boost/multiprecision/gmp.hpp>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "polybatch/kernels/algebra/calculus.hpp"
#include "polybatch/kernels/elementwise.hpp"
#include "polybatch/kernels/exact/convolve_rational.hpp"
#include "polybatch/kernels/exact/integer_access.hpp"
#include "polybatch/kernels/exact/small_int_word_ops.hpp"

namespace polybatch::kernels::exact {

namespace detail {
/// The mpz_t or mpq_t inside a Boost GMP backend, reached through the
/// backend's address (it holds nothing else): data() asserts that the value
/// has limbs, which a moved-from value has not.
template <class Struct, class Backend>
Struct* gmp_struct(Backend& b) {
  static_assert(std::is_standard_layout_v<Backend> && sizeof(Backend) == sizeof(Struct),
                "a Boost GMP backend is expected to hold just its GMP struct");
  return reinterpret_cast<Struct*>(&b);
}

/// The mpz_t of a value about to be overwritten. Boost's move constructor
/// leaves the moved-from value without limbs (a null pointer), and Boost's
/// own assignments initialise it again before writing; so do the writes here.
inline mpz_ptr writable(boost::multiprecision::gmp_int& b) {
  mpz_ptr z = gmp_struct<__mpz_struct>(b);
  if (z->_mp_d == nullptr) [[unlikely]]
    mpz_init(z);
  return z;
}
/// The same for an mpq_t (both of its integers are moved out together).
inline mpq_ptr writable(boost::multiprecision::gmp_rational& b) {
  mpq_ptr q = gmp_struct<__mpq_struct>(b);
  if (mpq_numref(q)->_mp_d == nullptr || mpq_denref(q)->_mp_d == nullptr) [[unlikely]]
    mpq_init(q);
  return q;
}

/// z = (negative ? -1 : 1) * src[0, n). Where z already has room for the
/// limbs (a result written before), they and the size are stored in place,
/// as GMP's own mpz_limbs_write / mpz_limbs_finish would store them: results
/// are written a value at a time, and a call into libgmp per value cost more
/// than the arithmetic of a short row. GMP's allocation otherwise.
inline void write_mpz_limbs(mpz_ptr z, const limb_t* src, std::size_t n, bool negative) {
  while (n > 0 && src[n - 1] == 0) --n;
  const auto size = static_cast<int>(n);
  mp_ptr dst = z->_mp_alloc >= size ? z->_mp_d : mpz_limbs_write(z, static_cast<mp_size_t>(n));
  for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<mp_limb_t>(src[i]);
  z->_mp_size = negative ? -size : size;
}

/// z = sign * magnitude for sign -1, 0 or 1 (GMP's size of a value below
/// 2^64, and its sign), stored in place where z has a limb; false, with z
/// unchanged, otherwise (GMP 6.2 and later leave a fresh mpz_t without one).
inline bool write_mpz_in_place(mpz_ptr z, mp_limb_t magnitude, int sign) {
  if (z->_mp_alloc < 1 || z->_mp_d == nullptr) return false; // no limb, or moved from
  z->_mp_d[0] = magnitude;
  z->_mp_size = sign;
  return true;
}

/// z = v, as mpz_set_si sets it: in place where z has a limb, by
/// mpz_set_si (which allocates one) otherwise.
inline void write_mpz_small(mpz_ptr z, std::int64_t v) {
  if (!write_mpz_in_place(z, magnitude_of(v), sign_of(v))) mpz_set_si(z, static_cast<long>(v));
}
} // namespace detail

template <boost::multiprecision::expression_template_option ET>
struct integer_access<boost::multiprecision::number<boost::multiprecision::gmp_int, ET>> {
  using T = boost::multiprecision::number<boost::multiprecision::gmp_int, ET>;
  static_assert(sizeof(mp_limb_t) == sizeof(limb_t), "GMP limbs must be 64-bit");
  static constexpr bool available = true;
  /// Every limb is on the heap: the object is a handle.
  static constexpr bool small_values_inline = false;

  static std::size_t size(const T& x) {
    const int s = x.backend().data()->_mp_size;
    return s == 0 ? 1 : static_cast<std::size_t>(s < 0 ? -s : s);
  }
  static const mp_limb_t* limbs(const T& x) {
    static const mp_limb_t zero = 0;
    const auto* z = x.backend().data();
    return z->_mp_size == 0 ? &zero : z->_mp_d;
  }
  static bool negative(const T& x) { return x.backend().data()->_mp_size < 0; }
  /// For block scans with one branch per value (on zero, which has no limb
  /// to read) instead of three: m = the low limb of |x|, v = x modulo 2^64,
  /// and a word whose OR over the block is at most 1 exactly when every
  /// value read had at most one limb (the square of the signed size).
  static std::uint64_t read_lane(const T& x, std::int64_t& v, limb_t& m) {
    const auto* z = x.backend().data();
    const std::int64_t s = z->_mp_size;
    m = s == 0 ? 0 : z->_mp_d[0];
    v = static_cast<std::int64_t>(m * static_cast<limb_t>(s));
    return static_cast<std::uint64_t>(s * s);
  }
  /// x as a signed 64-bit value if |x| < 2^63 (read in place).
  static bool read_small(const T& x, std::int64_t& value) {
    const auto* z = x.backend().data();
    if (z->_mp_size > 1 || z->_mp_size < -1) return false;
    const mp_limb_t m = z->_mp_size == 0 ? 0 : z->_mp_d[0];
    // Signed by multiplying by the size (-1, 0 or 1) in unsigned arithmetic:
    // m may be 2^63 or more (then false is returned, but value is still set,
    // without signed overflow). A selection on the sign became a branch in
    // the sums' loop (GCC 12), mispredicted on random signs, and out of
    // cache each misprediction waited for the size's load from memory:
    // mpz_int sums ran 2.2x slower (5 x 5 and 9 x 9, B = 100,000, bench/ab).
    value = static_cast<std::int64_t>(m * static_cast<mp_limb_t>(static_cast<std::int64_t>(z->_mp_size)));
    return (m >> 63) == 0;
  }

  static void write_small(T& out, std::int64_t v) { detail::write_mpz_small(detail::writable(out.backend()), v); }
  /// out = sign * magnitude in place (sign -1, 0 or 1) where out has a
  /// limb; false, with out unchanged, otherwise.
  static bool write_in_place(T& out, limb_t magnitude, int sign) {
    return detail::write_mpz_in_place(detail::gmp_struct<__mpz_struct>(out.backend()), magnitude, sign);
  }
  static void write(T& out, const limb_t* src, std::size_t n, bool neg) {
    detail::write_mpz_limbs(detail::writable(out.backend()), src, n, neg);
  }
};

/// mpq_rational: numerator and denominator are copied into reusable mpz
/// scratch (GMP keeps them inside the mpq_t).
template <boost::multiprecision::expression_template_option ET>
struct rational_access<boost::multiprecision::number<boost::multiprecision::gmp_rational, ET>> {
  using T = boost::multiprecision::number<boost::multiprecision::gmp_rational, ET>;
  using integer = boost::multiprecision::number<boost::multiprecision::gmp_int>;
  static constexpr bool available = true;

  static const integer& numerator(const T& x, integer& scratch) {
    mpz_set(scratch.backend().data(), mpq_numref(x.backend().data()));
    return scratch;
  }
  static const integer& denominator(const T& x, integer& scratch) {
    mpz_set(scratch.backend().data(), mpq_denref(x.backend().data()));
    return scratch;
  }
  static void assign(T& out, const integer& num, const integer& den) {
    mpq_ptr q = detail::writable(out.backend());
    mpq_set_num(q, num.backend().data());
    mpq_set_den(q, den.backend().data());
    mpq_canonicalize(q);
  }
  static void assign_integer(T& out, const integer& num) {
    mpq_set_z(detail::writable(out.backend()), num.backend().data());
  }
  /// out = num / den for coprime num and den > 0 (no canonicalise).
  static void assign_coprime(T& out, integer&& num, integer&& den) {
    mpq_ptr q = detail::writable(out.backend());
    mpz_swap(mpq_numref(q), num.backend().data());
    mpz_swap(mpq_denref(q), den.backend().data());
  }

  /// num / den of x when both fit 63 bits (read in place, no copy).
  static bool read_small(const T& x, std::int64_t& num, std::uint64_t& den) {
    const __mpz_struct* n = mpq_numref(x.backend().data());
    const __mpz_struct* d = mpq_denref(x.backend().data());
    if (n->_mp_size > 1 || n->_mp_size < -1 || d->_mp_size != 1) return false;
    const mp_limb_t mn = n->_mp_size == 0 ? 0 : n->_mp_d[0];
    const mp_limb_t md = d->_mp_d[0];
    if ((mn >> 63) != 0 || (md >> 63) != 0) return false;
    num = n->_mp_size < 0 ? -static_cast<std::int64_t>(mn) : static_cast<std::int64_t>(mn);
    den = md;
    return true;
  }
  /// out = num / den, already in lowest terms with den > 0 (no canonicalise).
  static void write_reduced(T& out, int128 num, uint128 den) {
    mpq_ptr q = detail::writable(out.backend());
    const uint128 m = words::magnitude(num);
    // One limb each, into limbs already there: the common case of a short
    // row, without the general write's trimming and copy loops.
    if (((m | den) >> 64) == 0 &&
        detail::write_mpz_in_place(mpq_numref(q), static_cast<mp_limb_t>(m), num < 0 ? -1 : (num > 0 ? 1 : 0)) &&
        detail::write_mpz_in_place(mpq_denref(q), static_cast<mp_limb_t>(den), 1))
      return;
    set(mpq_numref(q), num < 0, m);
    set(mpq_denref(q), false, den);
  }

  /// The same from limbs: magnitudes num[0, nn) and den[0, nd).
  static void write_reduced_limbs(T& out, const limb_t* num, std::size_t nn, bool negative, const limb_t* den,
                                  std::size_t nd) {
    mpq_ptr q = detail::writable(out.backend());
    detail::write_mpz_limbs(mpq_numref(q), num, nn, negative);
    detail::write_mpz_limbs(mpq_denref(q), den, nd, false);
  }

private:
  static void set(mpz_ptr z, bool negative, uint128 m) {
    const limb_t limbs[2] = {static_cast<limb_t>(m), static_cast<limb_t>(m >> 64)};
    detail::write_mpz_limbs(z, limbs, 2, negative);
  }
};

} // namespace polybatch::kernels::exact

namespace polybatch::kernels {

namespace exact {

/// mpz_int values below 2^63 read in place from the mpz_t, results written
/// with mpz_set_si (small_int_word_ops.hpp).
template <class T>
struct gmp_word_access {
  static bool read(const T& x, std::int64_t& v) { return integer_access<T>::read_small(x, v); }
  static bool write(T& out, std::int64_t v) {
    integer_access<T>::write_small(out, v);
    return true;
  }
};

} // namespace exact

/// mpz_int sums and differences in int64 (one mpz_set_si per result instead
/// of mpz_add); GMP's arithmetic for wider values and for results that
/// overflow. `out` may be exactly x or y.
template <boost::multiprecision::expression_template_option ET>
struct add_backend<boost::multiprecision::number<boost::multiprecision::gmp_int, ET>> {
  using T = boost::multiprecision::number<boost::multiprecision::gmp_int, ET>;
  template <bool Subtract>
  static bool add_prefix(std::size_t rows, std::size_t n, const T* x, std::size_t ldx, const T* y, std::size_t ldy,
                         T* out, std::size_t ldo) {
    exact::small_int_words::add_prefix<Subtract, exact::gmp_word_access<T>>(rows, n, x, ldx, y, ldy, out, ldo);
    return true;
  }
};

/// mpz_int derivatives in int64 (Boost's `*= T(k + 1)` builds a GMP integer
/// per coefficient); GMP's arithmetic otherwise.
template <boost::multiprecision::expression_template_option ET>
struct derivative_backend<boost::multiprecision::number<boost::multiprecision::gmp_int, ET>> {
  using T = boost::multiprecision::number<boost::multiprecision::gmp_int, ET>;
  static bool rows(std::size_t rows, std::size_t n, const T* a, std::size_t lda, std::size_t na, T* out,
                   std::size_t ldo) {
    exact::small_int_words::derivative_rows<exact::gmp_word_access<T>>(rows, n, a, lda, na, out, ldo);
    return true;
  }
};

} // namespace polybatch::kernels
