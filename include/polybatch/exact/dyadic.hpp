// exact::dyadic<N>: an exact binary number (-1)^s * m * 2^e with an N-limb
// (64-bit) magnitude m, the scalar pb::verify's fast path evaluates float and
// double expressions in. + - * are exact; a result whose magnitude does not
// fit N limbs throws dyadic_overflow (never rounds), so the caller retries
// wider. Kept canonical (m odd, zero is m = 0, e = 0): == compares fields.
#pragma once

#include <bit>
#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <ostream>
#include <type_traits>

#include "polybatch/core/int128.hpp"
#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/kernels/exact/binary_float_dot.hpp"

namespace polybatch::exact {

/// Thrown when a dyadic result needs more than its N limbs. Internal: the
/// verifier catches it and redoes the rows wider, or in rationals.
struct dyadic_overflow {};

/// Thrown when a non-finite float or double is converted: it has no exact
/// value, and the rational path reports that as it always has.
struct dyadic_not_finite {};

/// Position of the top bit of a number m * 2^e (|x| in [2^(t-1), 2^t)),
/// with a 53-bit approximation of m's leading part: approx = frac * 2^top,
/// frac in [0.5, 1]. Used to rank values without exact arithmetic when they
/// are far apart.
struct dyadic_approx {
  double frac = 0; // 0 for zero
  std::int64_t top = 0;
};

template <int N>
class dyadic {
  static_assert(N >= 1 && N <= 16, "exact::dyadic: between 1 and 16 limbs");

public:
  using limb = std::uint64_t;
  static constexpr int limbs = N;
  static constexpr int bits = 64 * N;

  dyadic() = default;

  template <std::integral I>
  explicit dyadic(I v) {
    if (v == 0) return;
    using U = std::make_unsigned_t<I>;
    U mag = static_cast<U>(v);
    if constexpr (std::is_signed_v<I>) {
      if (v < 0) {
        neg_ = true;
        mag = static_cast<U>(U(0) - mag);
      }
    }
    m_[0] = static_cast<limb>(mag);
    size_ = 1;
    normalize_low();
  }

  /// Exact: the bits of the double (a subnormal's exponent is that of its
  /// last place). Throws dyadic_not_finite for NaN and infinities.
  explicit dyadic(double d) {
    const auto raw = std::bit_cast<std::uint64_t>(d);
    const auto biased = static_cast<std::int64_t>((raw >> 52) & 0x7ff);
    limb mant = raw & ((limb(1) << 52) - 1);
    if (biased == 0x7ff) throw dyadic_not_finite{};
    std::int64_t e = -1074;
    if (biased != 0) {
      mant |= limb(1) << 52;
      e = biased - 1075;
    }
    if (mant == 0) return;
    const int tz = std::countr_zero(mant);
    m_[0] = mant >> tz;
    size_ = 1;
    exp_ = e + tz;
    neg_ = (raw >> 63) != 0;
  }
  explicit dyadic(float f) : dyadic(static_cast<double>(f)) {}

  /// Exact: a binary Boost.Multiprecision float (quad, float128, mpfr at any
  /// precision). Mantissas of at most four limbs are read off the backend
  /// (the unpacking the exact product kernels use); wider ones are peeled 64
  /// bits at a time (scaling by 2^64 and taking the integer part off are exact
  /// in binary arithmetic). Throws dyadic_overflow past N limbs (a wide mpfr
  /// value), dyadic_not_finite for NaN and infinities.
  template <class Backend, boost::multiprecision::expression_template_option ET>
  requires(boost::multiprecision::number_category<Backend>::value ==
               boost::multiprecision::number_kind_floating_point &&
           std::numeric_limits<boost::multiprecision::number<Backend, ET>>::radix ==
               2) explicit dyadic(const boost::multiprecision::number<Backend, ET>& v) {
    using F = boost::multiprecision::number<Backend, ET>;
    if (!static_cast<bool>(boost::multiprecision::isfinite(v))) throw dyadic_not_finite{};
    using access = kernels::exact::binary_dot::access<Backend>;
    if constexpr (access::available) {
      kernels::exact::binary_dot::unpacked u;
      if (access::unpack(v.backend(), u)) {
        *this = from_magnitude(u.m, static_cast<int>(u.n), u.neg, u.exp);
        return;
      }
    }
    if (v == 0) return;
    int e = 0;
    F m = boost::multiprecision::frexp(F(boost::multiprecision::abs(v)), &e); // |v| = m 2^e, m in [1/2, 1)
    limb high_first[N] = {};
    int count = 0;
    while (m != 0) {
      if (count == N) throw dyadic_overflow{};
      m = boost::multiprecision::ldexp(m, 64);
      // m < 2^64: its integer part converts by truncation, and taking it off is exact.
      const limb whole = m.template convert_to<limb>();
      high_first[count++] = whole;
      m -= whole;
    }
    limb low_first[N] = {};
    for (int i = 0; i < count; ++i) low_first[i] = high_first[count - 1 - i];
    *this = from_magnitude(low_first, count, v < 0, static_cast<std::int64_t>(e) - 64 * count);
  }

  bool is_zero() const { return size_ == 0; }
  bool negative() const { return neg_; }
  std::int64_t exponent() const { return exp_; }
  int size() const { return size_; }
  limb limb_at(int i) const { return m_[i]; }

  int bit_length() const { return size_ == 0 ? 0 : 64 * (size_ - 1) + (64 - std::countl_zero(m_[size_ - 1])); }

  dyadic_approx approx() const {
    if (size_ == 0) return {};
    const int bl = bit_length();
    // The top 64 bits of m (the bits below only move the value by < 2^-63).
    const int lead = std::countl_zero(m_[size_ - 1]);
    limb top = m_[size_ - 1] << lead;
    if (lead != 0 && size_ > 1) top |= m_[size_ - 2] >> (64 - lead);
    return {static_cast<double>(top) * 0x1p-64, exp_ + bl};
  }

  friend dyadic operator-(dyadic a) {
    if (a.size_ != 0) a.neg_ = !a.neg_;
    return a;
  }
  friend dyadic abs(dyadic a) {
    a.neg_ = false;
    return a;
  }

  friend dyadic operator*(const dyadic& a, const dyadic& b) {
    dyadic r;
    if (a.size_ == 0 || b.size_ == 0) return r;
    r.neg_ = a.neg_ != b.neg_;
    r.exp_ = a.exp_ + b.exp_;
    if (a.size_ == 1 && b.size_ == 1) {
      const uint128 p = static_cast<uint128>(a.m_[0]) * b.m_[0];
      r.m_[0] = static_cast<limb>(p);
      const limb hi = static_cast<limb>(p >> 64);
      if (hi != 0) {
        if constexpr (N < 2)
          throw dyadic_overflow{};
        else
          r.m_[1] = hi;
        r.size_ = 2;
      } else {
        r.size_ = 1;
      }
      return r;
    }
    const int total = a.size_ + b.size_;
    if (total - 1 > N) throw dyadic_overflow{};
    limb t[2 * N + 1] = {};
    for (int i = 0; i < a.size_; ++i) {
      limb carry = 0;
      for (int j = 0; j < b.size_; ++j) {
        const uint128 p = static_cast<uint128>(a.m_[i]) * b.m_[j] + t[i + j] + static_cast<uint128>(carry);
        t[i + j] = static_cast<limb>(p);
        carry = static_cast<limb>(p >> 64);
      }
      t[i + b.size_] = carry;
    }
    int size = total;
    while (size > 0 && t[size - 1] == 0) --size;
    if (size > N) throw dyadic_overflow{};
    for (int i = 0; i < size; ++i) r.m_[i] = t[i];
    r.size_ = size;
    return r; // odd times odd is odd: already canonical
  }

  friend dyadic operator+(const dyadic& a, const dyadic& b) { return add(a, b, false); }
  friend dyadic operator-(const dyadic& a, const dyadic& b) { return add(a, b, true); }
  dyadic& operator+=(const dyadic& b) { return *this = add(*this, b, false); }
  dyadic& operator-=(const dyadic& b) { return *this = add(*this, b, true); }
  dyadic& operator*=(const dyadic& b) { return *this = *this * b; }

  friend bool operator==(const dyadic& a, const dyadic& b) {
    if (a.size_ != b.size_ || a.neg_ != b.neg_ || a.exp_ != b.exp_) return false;
    for (int i = 0; i < a.size_; ++i)
      if (a.m_[i] != b.m_[i]) return false;
    return true;
  }

  /// Exact comparison of |a| and |b|: -1, 0 or 1. Never overflows.
  friend int compare_magnitude(const dyadic& a, const dyadic& b) {
    if (a.size_ == 0 || b.size_ == 0) return (a.size_ != 0) - (b.size_ != 0);
    const std::int64_t ta = a.exp_ + a.bit_length(), tb = b.exp_ + b.bit_length();
    if (ta != tb) return ta < tb ? -1 : 1;
    // Same top bit: the one with the larger exponent has the shorter
    // mantissa, so shifting it onto the other's exponent cannot overflow.
    if (a.exp_ == b.exp_) return compare_limbs(a.m_, b.m_);
    if (a.exp_ > b.exp_) {
      limb s[N];
      shift_left(a.m_, static_cast<int>(a.exp_ - b.exp_), s);
      return compare_limbs(s, b.m_);
    }
    limb s[N];
    shift_left(b.m_, static_cast<int>(b.exp_ - a.exp_), s);
    return compare_limbs(a.m_, s);
  }

  /// (-1)^neg * m * 2^exp for a 128-bit magnitude m.
  static dyadic from_uint128(uint128 m, bool neg, std::int64_t exp) {
    dyadic r;
    const auto lo = static_cast<limb>(m), hi = static_cast<limb>(m >> 64);
    if ((lo | hi) == 0) return r;
    const int tz = lo != 0 ? std::countr_zero(lo) : 64 + std::countr_zero(hi);
    m >>= tz;
    r.m_[0] = static_cast<limb>(m);
    r.size_ = 1;
    if (const auto top = static_cast<limb>(m >> 64); top != 0) {
      if constexpr (N < 2)
        throw dyadic_overflow{};
      else
        r.m_[1] = top;
      r.size_ = 2;
    }
    r.neg_ = neg;
    r.exp_ = exp + tz;
    return r;
  }

  /// (-1)^neg * m * 2^exp for a magnitude of `count` limbs (any count);
  /// throws dyadic_overflow if it needs more than N limbs once its trailing
  /// zero bits are moved into the exponent.
  static dyadic from_magnitude(const limb* m, int count, bool neg, std::int64_t exp) {
    dyadic r;
    int q = 0;
    while (q < count && m[q] == 0) ++q;
    if (q == count) return r;
    const int s = std::countr_zero(m[q]);
    int top = count;
    while (m[top - 1] == 0) --top;
    // Limbs q .. top-1 shifted right by s.
    int size = top - q;
    if (s != 0 && (m[top - 1] >> s) == 0) --size;
    if (size > N) throw dyadic_overflow{};
    for (int i = 0; i < size; ++i) {
      limb v = m[q + i] >> s;
      if (s != 0 && q + i + 1 < top) v |= m[q + i + 1] << (64 - s);
      r.m_[i] = v;
    }
    r.size_ = size;
    r.neg_ = neg;
    r.exp_ = exp + 64 * q + s;
    return r;
  }

  /// |x - c| for a finite double c, exactly (throws dyadic_overflow when it
  /// needs more than N limbs). The common case, x of at most two limbs close
  /// to c, is one signed 128-bit subtraction.
  friend dyadic abs_difference(const dyadic& x, double c) {
    if (x.size_ <= 2 && c != 0) {
      // c = mc * 2^ec with mc < 2^53 (not reduced: no need here).
      const auto raw = std::bit_cast<std::uint64_t>(c);
      const auto biased = static_cast<std::int64_t>((raw >> 52) & 0x7ff);
      const limb mc = (raw & ((limb(1) << 52) - 1)) | (biased != 0 ? limb(1) << 52 : 0);
      const std::int64_t ec = biased != 0 ? biased - 1075 : -1074;
      const std::int64_t low = x.size_ == 0 ? ec : std::min(x.exp_, ec);
      const std::int64_t dx = x.exp_ - low, dc = ec - low;
      if ((x.size_ == 0 || x.bit_length() + dx <= 126) && 53 + dc <= 126) {
        uint128 mx = x.m_[0];
        if constexpr (N >= 2) mx |= static_cast<uint128>(x.m_[1]) << 64;
        const auto sx = static_cast<int128>(x.size_ == 0 ? 0 : mx << dx);
        const auto sc = static_cast<int128>(static_cast<uint128>(mc) << dc);
        const int128 d = (x.neg_ ? -sx : sx) - ((raw >> 63) != 0 ? -sc : sc);
        const uint128 mag = d < 0 ? static_cast<uint128>(0) - static_cast<uint128>(d) : static_cast<uint128>(d);
        return from_uint128(mag, false, low);
      }
    }
    return abs(x - dyadic(c));
  }

  /// The exact value as a cpp_rational.
  boost::multiprecision::cpp_rational to_rational() const {
    using boost::multiprecision::cpp_int;
    cpp_int m = 0;
    for (int i = size_; i-- > 0;) {
      m <<= 64;
      m += m_[i];
    }
    if (neg_) m = -m;
    if (exp_ >= 0) return boost::multiprecision::cpp_rational(cpp_int(m << static_cast<unsigned>(exp_)));
    cpp_int den = 1;
    den <<= static_cast<unsigned>(-exp_);
    return boost::multiprecision::cpp_rational(m, den);
  }

  friend std::ostream& operator<<(std::ostream& os, const dyadic& d) { return os << d.to_rational(); }

private:
  static int compare_limbs(const limb* a, const limb* b) {
    for (int i = N; i-- > 0;)
      if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  }

  /// out = m << d; the caller has checked that the result fits N limbs.
  static void shift_left(const limb* m, int d, limb* out) {
    const int q = d / 64, s = d % 64;
    for (int i = N; i-- > 0;) {
      limb v = 0;
      if (i - q >= 0) {
        v = m[i - q] << s;
        if (s != 0 && i - q - 1 >= 0) v |= m[i - q - 1] >> (64 - s);
      }
      out[i] = v;
    }
  }

  void recompute_size() {
    size_ = N;
    while (size_ > 0 && m_[size_ - 1] == 0) --size_;
  }

  /// Strips trailing zero bits into the exponent (m odd again).
  void normalize_low() {
    if (size_ == 0) {
      exp_ = 0;
      neg_ = false;
      return;
    }
    int q = 0;
    while (m_[q] == 0) ++q;
    const int s = std::countr_zero(m_[q]);
    if (q == 0 && s == 0) return;
    for (int i = 0; i < N; ++i) {
      limb v = i + q < N ? m_[i + q] >> s : 0;
      if (s != 0 && i + q + 1 < N) v |= m_[i + q + 1] << (64 - s);
      m_[i] = v;
    }
    exp_ += 64 * q + s;
    recompute_size();
  }

  static dyadic add(const dyadic& a, const dyadic& b, bool subtract) {
    if (b.size_ == 0) return a;
    if (a.size_ == 0) return subtract ? -b : b;
    const bool bneg = b.neg_ != subtract;
    // Align on the smaller exponent: the other mantissa moves left.
    const bool a_high = a.exp_ >= b.exp_;
    const dyadic& hi = a_high ? a : b;
    const dyadic& lo = a_high ? b : a;
    const bool hi_neg = a_high ? a.neg_ : bneg;
    const bool lo_neg = a_high ? bneg : a.neg_;
    const std::int64_t d = hi.exp_ - lo.exp_;
    if (d + hi.bit_length() > bits) throw dyadic_overflow{};
    dyadic r;
    r.exp_ = lo.exp_;
    limb sh[N];
    if (d == 0) {
      for (int i = 0; i < N; ++i) sh[i] = hi.m_[i];
    } else {
      shift_left(hi.m_, static_cast<int>(d), sh);
    }
    if (hi_neg == lo_neg) {
      unsigned char carry = 0;
      for (int i = 0; i < N; ++i) {
        const limb x = sh[i], y = lo.m_[i];
        const limb s1 = x + y;
        const limb s2 = s1 + carry;
        carry = static_cast<unsigned char>((s1 < x) | (s2 < s1));
        r.m_[i] = s2;
      }
      if (carry) throw dyadic_overflow{};
      r.neg_ = lo_neg;
    } else {
      const int c = compare_limbs(sh, lo.m_);
      if (c == 0) return dyadic{};
      const limb* big = c > 0 ? sh : lo.m_;
      const limb* small = c > 0 ? lo.m_ : sh;
      unsigned char borrow = 0;
      for (int i = 0; i < N; ++i) {
        const limb x = big[i], y = small[i];
        const limb d1 = x - y;
        const limb d2 = d1 - borrow;
        borrow = static_cast<unsigned char>((x < y) | (d1 < borrow));
        r.m_[i] = d2;
      }
      r.neg_ = c > 0 ? hi_neg : lo_neg;
    }
    r.recompute_size();
    // Odd plus even (d > 0) is odd; only equal exponents can leave zeros.
    if (d == 0) r.normalize_low();
    return r;
  }

  limb m_[N] = {};
  int size_ = 0;
  bool neg_ = false;
  std::int64_t exp_ = 0;
};

} // namespace polybatch::exact

namespace polybatch {

template <int N>
inline constexpr bool enable_scalar<exact::dyadic<N>> = true;

template <int N>
struct scalar_traits<exact::dyadic<N>> {
  static constexpr bool is_exact = true;
  static constexpr bool is_field = false;
  static constexpr bool is_machine = false;
  static exact::dyadic<N> zero_like(const exact::dyadic<N>&) { return exact::dyadic<N>(); }
};

} // namespace polybatch
