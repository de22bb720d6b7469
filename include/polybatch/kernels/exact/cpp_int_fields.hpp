// One-word reads and writes of small cpp_int values, for the blocks of small
// integers in integer_words.hpp. Through Boost's accessors a value costs a
// size load, a choice between inline and heap limbs followed by a dependent
// load, and a sign load; a write adds a size test, the same pointer choice and
// a zero-sign check. A product of 5 x 7 small cpp_int rows spends most of its
// time there (FLINT's fmpz is one word). Boost offers no bulk access, so this
// reads the object representation: the inline limbs at offset 0, then the
// limb count (32 bits) and the sign, inline and alias flags (a byte each).
// `layout_matches()` checks that layout once at run time against Boost's own
// accessors on known values; callers fall back to the accessors when it
// does not hold (another Boost version, another ABI) and for every value
// that is not a one-limb inline value.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "polybatch/core/int128.hpp"

namespace polybatch::kernels::exact::cpp_int_fields {

using cpp_int = boost::multiprecision::cpp_int;

/// T is cpp_int with or without expression templates: one backend, one layout.
template <class T>
struct is_cpp_int : std::false_type {};
template <boost::multiprecision::expression_template_option ET>
struct is_cpp_int<boost::multiprecision::number<cpp_int::backend_type, ET>> : std::true_type {};
template <class T>
inline constexpr bool applies = is_cpp_int<T>::value;

/// Byte offsets of the inline limbs and of the state word: limb count (32
/// bits), then the sign, inline and alias flags (a byte each). A value is
/// read as two words (its limb and its state) and written as its limb and
/// its sign byte: no store address waits on a load (Boost's accessors choose
/// the limb pointer by loading the inline flag), which keeps many stores in
/// flight when the batch is out of cache, and no stored value waits on one
/// (writing the whole state word back, with the sign merged in, cost 15% in
/// cache).
inline constexpr std::size_t limb_offset = 0;
inline constexpr std::size_t count_offset = 16;
inline constexpr std::size_t sign_offset = 20;
inline constexpr std::size_t inline_offset = 21;
inline constexpr std::size_t alias_offset = 22;
/// The state word's count, sign, inline and alias bytes, and its value for a
/// non-negative one-limb inline value.
inline constexpr std::uint64_t state_mask = 0x00ffffffffffffffULL;
inline constexpr std::uint64_t sign_bit = std::uint64_t(1) << 32;
inline constexpr std::uint64_t one_limb_state = 1 | std::uint64_t(1) << 40;

template <class W>
W load(const void* object, std::size_t offset) {
  W w;
  std::memcpy(&w, static_cast<const unsigned char*>(object) + offset, sizeof w);
  return w;
}
template <class W>
void store(void* object, std::size_t offset, W w) {
  std::memcpy(static_cast<unsigned char*>(object) + offset, &w, sizeof w);
}

/// True if cpp_int objects are laid out as this file reads and writes them.
inline bool layout_matches() {
  static const bool matches = [] {
    if (sizeof(cpp_int) != 32) return false;
    const cpp_int five(5), minus(-5), two = (cpp_int(1) << 64) + 3, heap = cpp_int(1) << 300;
    auto inline_limbs = [](const cpp_int& x) {
      return static_cast<const void*>(x.backend().limbs()) == static_cast<const void*>(&x);
    };
    auto fields_agree = [&](const cpp_int& x) {
      return load<std::uint32_t>(&x, count_offset) == x.backend().size() &&
             load<std::uint8_t>(&x, sign_offset) == (x.backend().sign() ? 1 : 0) &&
             load<std::uint8_t>(&x, inline_offset) == (inline_limbs(x) ? 1 : 0) &&
             load<std::uint8_t>(&x, alias_offset) == 0;
    };
    if (!inline_limbs(five) || !inline_limbs(minus) || !inline_limbs(two) || inline_limbs(heap)) return false;
    if (!fields_agree(five) || !fields_agree(minus) || !fields_agree(two) || !fields_agree(heap)) return false;
    if (load<std::uint64_t>(&five, limb_offset) != 5 || load<std::uint64_t>(&two, limb_offset) != 3) return false;
    // A value written as write_small writes it reads back through Boost.
    cpp_int w(7);
    if ((load<std::uint64_t>(&w, count_offset) & state_mask) != one_limb_state) return false;
    store<std::uint64_t>(&w, limb_offset, 9);
    store<std::uint8_t>(&w, sign_offset, 1);
    if (!(w == -9 && w.backend().size() == 1 && w.sign() && inline_limbs(w))) return false;
    // And one written as write_two_limbs writes it, over one and two limbs.
    cpp_int u(7), v = two;
    store<std::uint64_t>(&u, limb_offset, 5);
    store<std::uint64_t>(&u, limb_offset + 8, 3);
    store<std::uint32_t>(&u, count_offset, 2);
    store<std::uint8_t>(&u, sign_offset, 1);
    store<std::uint64_t>(&v, limb_offset, 4);
    store<std::uint64_t>(&v, limb_offset + 8, 0);
    store<std::uint32_t>(&v, count_offset, 1);
    return u == -((cpp_int(3) << 64) + 5) && u.backend().size() == 2 && inline_limbs(u) && v == 4 &&
           v.backend().size() == 1 && v.sign() == 1 && inline_limbs(v);
  }();
  return matches;
}

/// x as a signed 64-bit value if it is a one-limb inline value below 2^63
/// in magnitude (layout_matches() must hold).
template <class T>
bool read_small(const T& x, std::int64_t& value, std::uint64_t& magnitude) {
  const auto limb = load<std::uint64_t>(&x, limb_offset);
  const auto state = load<std::uint64_t>(&x, count_offset) & state_mask;
  magnitude = limb;
  value = static_cast<std::int64_t>((state & sign_bit) != 0 ? std::uint64_t(0) - limb : limb);
  return (state & ~sign_bit) == one_limb_state && (limb >> 63) == 0;
}

/// out = v in place if out is a one-limb inline value (the usual state of a
/// result being overwritten); false, with nothing written, otherwise.
/// |v| < 2^63.
template <class T>
bool write_small(T& out, std::int64_t v) {
  const auto state = load<std::uint64_t>(&out, count_offset);
  if ((state & state_mask & ~sign_bit) != one_limb_state) return false;
  store<std::uint64_t>(&out, limb_offset, static_cast<std::uint64_t>(v < 0 ? -v : v));
  store<std::uint8_t>(&out, sign_offset, v < 0 ? 1 : 0);
  return true;
}

/// out = -m if negative, else m, in place if out keeps its limbs inline
/// (room for two: any value below 2^128 that has never needed more), as
/// results being overwritten usually do; false, with nothing written,
/// otherwise. Boost's accessors would resize, choose the limb pointer and
/// normalise; here the limb count follows from the high word.
template <class T>
bool write_two_limbs(T& out, uint128 m, bool negative) {
  const auto state = load<std::uint64_t>(&out, count_offset) & state_mask;
  if ((state >> 40) != 1) return false; // the inline flag set, the alias flag clear
  const auto high = static_cast<std::uint64_t>(m >> 64);
  store<std::uint64_t>(&out, limb_offset, static_cast<std::uint64_t>(m));
  store<std::uint64_t>(&out, limb_offset + 8, high);
  store<std::uint32_t>(&out, count_offset, high != 0 ? 2 : 1);
  store<std::uint8_t>(&out, sign_offset, negative && m != 0 ? 1 : 0);
  return true;
}

} // namespace polybatch::kernels::exact::cpp_int_fields
