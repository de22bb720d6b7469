// Shared checks for the per-family exact tests: random values whose
// magnitudes cross every width threshold of the exact kernels, comparison
// with the naive loops of support/reference.hpp, and exact identities.
#pragma once

#include <algorithm>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>
#include <catch2/catch.hpp>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "support/reference.hpp"

namespace exact_test {

namespace pb = polybatch;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

/// Bit sizes around each threshold: machine word (2^20, 2^31/2^32 where
/// products pass 2^63), int64 limit (2^62, 2^63, 2^64) and wide (2^200).
inline const std::vector<unsigned> threshold_bits{1,  19, 20,  31,  32,  33,  61,  62, 63,
                                                  64, 65, 127, 128, 150, 200, 256, 257};

/// A uniformly random integer with |v| < 2^bits (random sign).
inline cpp_int random_integer(std::mt19937_64& rng, unsigned bits) {
  cpp_int v = 0;
  for (unsigned b = 0; b < bits; b += 64) v = (v << 64) | cpp_int(rng());
  v &= (cpp_int(1) << bits) - 1;
  if (rng() & 1) v = -v;
  return v;
}

/// Values right at the edges: +-(2^bits - 1) and -2^(bits-1) style extremes.
inline cpp_int extreme_integer(std::mt19937_64& rng, unsigned bits) {
  // Built bit by bit: g++ 12 reports a false -Wstringop-overflow inside
  // Boost for (cpp_int(1) << bits) - 1 here.
  cpp_int v = 0;
  for (unsigned b = 0; b < bits; ++b) v = (v << 1) | cpp_int(1);
  return (rng() & 1) ? cpp_int(-v) : v;
}

template <class T>
T from_cpp_int(const cpp_int& v) {
  if constexpr (std::is_same_v<T, pb::double_double>)
    return pb::convert_scalar<T>(v);
  else
    return T(v.str());
}

template <class T>
pb::PolyBatch<T> integer_batch(std::mt19937_64& rng, std::size_t batch, std::size_t length, unsigned bits,
                               bool extremes = false) {
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k)
      p(i, k) = from_cpp_int<T>(extremes && (rng() % 3 == 0) ? extreme_integer(rng, bits) : random_integer(rng, bits));
  return p;
}

/// Rationals with numerator and denominator below 2^bits.
template <class T>
pb::PolyBatch<T> rational_batch(std::mt19937_64& rng, std::size_t batch, std::size_t length, unsigned bits) {
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i)
    for (std::size_t k = 0; k < length; ++k) {
      // Positive denominators: Boost 1.74's boost::rational<cpp_int>
      // normalisation throws on a negative one.
      cpp_int den = abs(random_integer(rng, bits));
      if (den == 0) den = 1;
      p(i, k) = T(cpp_rational(random_integer(rng, bits), den).str());
    }
  return p;
}

template <class T>
void require_equal_rows(const ref::Rows<T>& got, const ref::Rows<T>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    REQUIRE(got[i].size() == want[i].size());
    for (std::size_t k = 0; k < got[i].size(); ++k) {
      INFO("row " << i << " coefficient " << k);
      REQUIRE(got[i][k] == want[i][k]);
    }
  }
}

/// b's first row as a batch of 1 (broadcast against any batch).
template <class T>
pb::PolyBatch<T> first_row(const pb::PolyBatch<T>& b) {
  pb::PolyBatch<T> one_row(1, b.length());
  for (std::size_t k = 0; k < b.length(); ++k) one_row(0, k) = b(0, k);
  return one_row;
}

/// a * b (also with b broadcast) equals the naive reference.
template <class T>
void check_product_against_reference(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b) {
  const pb::PolyBatch<T> r = a * b;
  require_equal_rows(ref::rows_of(r), ref::product(ref::rows_of(a), ref::rows_of(b)));
  const pb::PolyBatch<T> one_row = first_row(b);
  const pb::PolyBatch<T> rb = a * one_row;
  require_equal_rows(ref::rows_of(rb), ref::product(ref::rows_of(a), ref::rows_of(one_row)));
}

/// Products written again and again into one result, whose values keep the
/// storage of what they held before: wide values (limbs on the heap), small
/// ones, zero rows and negative ones in turn, each checked against the
/// reference. The kernels write small results in place where a value has
/// room (GMP's mpz_t, cpp_int's inline limbs) and through the library where
/// it has none.
template <class T>
void check_results_written_in_place(
    const std::function<pb::PolyBatch<T>(std::mt19937_64&, std::size_t length, unsigned bits)>& make) {
  std::mt19937_64 rng(11);
  pb::PolyBatch<T> out;
  // Some results are moved out before each write: a moved-from value is
  // assigned to again, as Boost's own assignments allow (GMP's leave it
  // without limbs).
  std::vector<T> taken;
  const auto take_some = [&] {
    const std::size_t count = out.batch_size() * out.length();
    if (count == 0) return;
    for (std::size_t i : {std::size_t(0), count / 2, count - 1}) taken.push_back(std::move(out.data()[i]));
  };
  for (unsigned bits : {200u, 20u, 0u, 62u, 100u, 1u, 63u, 20u}) {
    INFO("bits = " << bits);
    // bits 0: rows of zeros, so every result coefficient is 0.
    pb::PolyBatch<T> a = make(rng, 5, std::max(bits, 1u)), b = make(rng, 7, std::max(bits, 1u));
    if (bits == 0) a = pb::PolyBatch<T>(a.batch_size(), a.length());
    take_some();
    out = a * b;
    require_equal_rows(ref::rows_of(out), ref::product(ref::rows_of(a), ref::rows_of(b)));
    take_some();
    out = -(a * b);
    require_equal_rows(ref::rows_of(out), ref::scale(T(-1), ref::product(ref::rows_of(a), ref::rows_of(b))));
  }
}

/// Tiles of 2,100 rows of small values (|x| < 2^20) in each (la, lb) shape:
/// large enough that the kernels take them for rows from memory and use
/// their smaller blocks, with a short second tile after 2,048 rows. Results
/// that held wide values before the write; an operand value past a word at
/// row `large_row`, which sends its block row by row; and a correlation,
/// which reads b reversed; each against the reference.
template <class T>
void check_tiles_from_memory(std::mt19937_64& rng, std::initializer_list<std::pair<std::size_t, std::size_t>> shapes,
                             std::size_t large_row) {
  const std::size_t rows = 2100;
  for (auto [la, lb] : shapes) {
    INFO("la = " << la << ", lb = " << lb);
    const auto a = integer_batch<T>(rng, rows, la, 20, true);
    const auto b = integer_batch<T>(rng, rows, lb, 20, true);
    auto wide = a;
    for (std::size_t i : {3u, 700u, 1500u, 2047u, 2048u}) wide(i, 0) = T(1) << 200;
    pb::PolyBatch<T> out = wide * b; // some results hold several limbs before the write
    out = a * b;
    require_equal_rows(ref::rows_of(out), ref::product(ref::rows_of(a), ref::rows_of(b)));
    auto c = a;
    c(large_row, la - 1) = T(1) << 100;
    out = c * b;
    require_equal_rows(ref::rows_of(out), ref::product(ref::rows_of(c), ref::rows_of(b)));
    out = pb::correlate(a, b, pb::mode::full);
    auto reversed = ref::rows_of(b);
    for (auto& r : reversed) std::reverse(r.begin(), r.end());
    require_equal_rows(ref::rows_of(out), ref::product(ref::rows_of(a), reversed));
  }
}

/// (a*b)*c == a*(b*c) and a*(b+c) == a*b + a*c, exactly.
template <class T>
void check_ring_identities(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b, const pb::PolyBatch<T>& c) {
  const pb::PolyBatch<T> left = (a * b) * c;
  const pb::PolyBatch<T> right = a * (b * c);
  REQUIRE(left == right);
  const pb::PolyBatch<T> distributed = a * (b + c);
  const pb::PolyBatch<T> expanded = a * b + a * c;
  REQUIRE(distributed == expanded);
}

/// (1 + x)^n by repeated multiplication has the binomial coefficients
/// (computed independently by Pascal's rule in cpp_int).
template <class T>
void check_binomials(unsigned max_n) {
  pb::PolyBatch<T> one_plus_x{{T(1), T(1)}};
  pb::PolyBatch<T> p = one_plus_x;
  std::vector<cpp_int> pascal{1, 1};
  for (unsigned n = 2; n <= max_n; ++n) {
    p = p * one_plus_x;
    std::vector<cpp_int> next(n + 1, 0);
    for (unsigned k = 0; k <= n; ++k) next[k] = (k < n ? pascal[k] : cpp_int(0)) + (k > 0 ? pascal[k - 1] : cpp_int(0));
    pascal = next;
    REQUIRE(p.length() == n + 1);
    for (unsigned k = 0; k <= n; ++k) {
      INFO("n = " << n << ", k = " << k);
      REQUIRE(p(0, k) == from_cpp_int<T>(pascal[k]));
    }
  }
}

/// Every pair of row lengths up to 10 on small values (the word kernels
/// unroll operand rows of up to 9 values and result rows of up to 17, and
/// loop over longer ones), in a full block of rows and a partial one: whole
/// products, truncated ones (fewer result values than the row product has)
/// and full correlations (b read backwards), against the reference.
template <class T>
void check_short_lengths(std::mt19937_64& rng) {
  for (std::size_t la = 1; la <= 10; ++la)
    for (std::size_t lb = 1; lb <= 10; ++lb) {
      INFO("la = " << la << ", lb = " << lb);
      const auto a = integer_batch<T>(rng, 40, la, 20, true);
      const auto b = integer_batch<T>(rng, 40, lb, 20, true);
      const ref::Rows<T> want = ref::product(ref::rows_of(a), ref::rows_of(b));
      const pb::PolyBatch<T> whole = a * b;
      require_equal_rows(ref::rows_of(whole), want);
      const std::size_t keep = (la + lb) / 2;
      ref::Rows<T> first = want;
      for (auto& r : first) r.resize(keep);
      const pb::PolyBatch<T> truncated = pb::truncate(a * b, keep);
      require_equal_rows(ref::rows_of(truncated), first);
      ref::Rows<T> reversed = ref::rows_of(b);
      for (auto& r : reversed) std::reverse(r.begin(), r.end());
      const pb::PolyBatch<T> correlated = pb::correlate(a, b, pb::mode::full);
      require_equal_rows(ref::rows_of(correlated), ref::product(ref::rows_of(a), reversed));
    }
}

/// Every threshold, several length pairs, random and extreme values.
template <class T>
void check_integer_family() {
  std::mt19937_64 rng(42);
  const std::vector<std::pair<std::size_t, std::size_t>> lengths{{1, 1}, {5, 7}, {3, 9}, {12, 4}, {17, 13}};
  for (unsigned bits : threshold_bits) {
    for (auto [la, lb] : lengths) {
      INFO("bits = " << bits << ", la = " << la << ", lb = " << lb);
      const auto a = integer_batch<T>(rng, 9, la, bits, true);
      const auto b = integer_batch<T>(rng, 9, lb, bits, true);
      check_product_against_reference(a, b);
    }
  }
  // Mixed widths in one tile: one wide value forces the limb path for the
  // whole tile; the small rows must still be exact.
  auto a = integer_batch<T>(rng, 40, 5, 20);
  auto b = integer_batch<T>(rng, 40, 7, 20);
  a(17, 2) = from_cpp_int<T>(cpp_int(1) << 190);
  check_product_against_reference(a, b);
  // Two-limb values whose low limb is small (2^64 + 3): only their limb
  // count, not the bits of the limb read, tells the word kernels they are
  // wide.
  auto c = integer_batch<T>(rng, 40, 5, 20);
  c(9, 1) = from_cpp_int<T>((cpp_int(1) << 64) + 3);
  c(33, 4) = from_cpp_int<T>(-((cpp_int(1) << 64) + 5));
  check_product_against_reference(c, b);
  // Operands of different limb counts (1 and 4, 2 and 3): the unrolled
  // fixed-width limb path pads both to the wider one.
  for (auto [bits_a, bits_b] : {std::pair{64u, 250u}, std::pair{100u, 190u}, std::pair{256u, 20u}}) {
    INFO("bits " << bits_a << " x " << bits_b);
    check_product_against_reference(integer_batch<T>(rng, 9, 5, bits_a, true),
                                    integer_batch<T>(rng, 9, 7, bits_b, true));
  }
  for (unsigned bits : {20u, 63u, 200u}) {
    const auto x = integer_batch<T>(rng, 6, 5, bits);
    const auto y = integer_batch<T>(rng, 6, 4, bits);
    const auto z = integer_batch<T>(rng, 6, 6, bits);
    check_ring_identities(x, y, z);
  }
  check_binomials<T>(80);
  check_short_lengths<T>(rng);
}

template <class T>
void check_rational_family() {
  std::mt19937_64 rng(7);
  const std::vector<std::pair<std::size_t, std::size_t>> lengths{{1, 1}, {5, 7}, {12, 4}};
  for (unsigned bits : {1u, 14u, 15u, 31u, 40u, 100u}) {
    for (auto [la, lb] : lengths) {
      INFO("bits = " << bits << ", la = " << la << ", lb = " << lb);
      const auto a = rational_batch<T>(rng, 7, la, bits);
      const auto b = rational_batch<T>(rng, 7, lb, bits);
      check_product_against_reference(a, b);
    }
  }
  for (unsigned bits : {14u, 60u}) {
    const auto x = rational_batch<T>(rng, 5, 5, bits);
    const auto y = rational_batch<T>(rng, 5, 4, bits);
    const auto z = rational_batch<T>(rng, 5, 6, bits);
    check_ring_identities(x, y, z);
  }
  check_binomials<T>(70);
}

/// Rationals with 63-bit numerators and smooth denominators (odd parts below
/// 2^15, times powers of two up to 2^62), as made by `kind`: 0 below 1000,
/// 1 odd parts up to 32767 times large powers of two, 2 the largest primes
/// below 2^15, high prime powers and 15015 (five distinct primes; lcms of
/// 2^200 and more), 3 zeros and repeated values (products that cancel), 4 as
/// 2 with one denominator per row not smooth (65537 * 3), which takes the
/// general path.
template <class T>
pb::PolyBatch<T> smooth_rational_batch(std::mt19937_64& rng, std::size_t batch, std::size_t length, int kind) {
  static const long large[] = {32749, 32719, 32717, 4093, 4091, 4079, 19683, 15015, 3125, 2401, 3, 9, 1331, 32767, 1};
  pb::PolyBatch<T> p(batch, length);
  for (std::size_t i = 0; i < batch; ++i) {
    const long repeated = static_cast<long>(rng() % 1000) + 1;
    for (std::size_t k = 0; k < length; ++k) {
      long long num = static_cast<long long>(rng() >> (rng() % 2 == 0 ? 1 : 50)) * (rng() % 2 == 0 ? 1 : -1);
      long long den = 1;
      switch (kind) {
      case 0:
        den = static_cast<long long>(rng() % 999) + 1;
        break;
      case 1:
        den = static_cast<long long>((rng() % 32767) | 1) << (rng() % 48);
        break;
      case 2:
      case 4:
        den = large[rng() % std::size(large)] << (rng() % 8 == 0 ? 62 - 15 : 0);
        break;
      default:
        num = rng() % 3 == 0 ? 0 : (k % 2 == 0 ? 7 : -7);
        den = repeated;
      }
      if (kind == 4 && k == i % length) den = 65537 * 3;
      p(i, k) = T(cpp_rational(cpp_int(num), cpp_int(den)).str());
    }
  }
  return p;
}

/// Products of smooth rows whose common denominators outgrow a word (the
/// limb path of the rational kernel), against the naive reference.
/// Rows over one large denominator each (a 40-bit one for a, a 36-bit one
/// for b) with small numerators: the rows fit machine words, their products'
/// numerators fit one limb and their denominators do not (up to 76 bits),
/// unless a common factor cancels (every third b row shares a's
/// denominator's factor 3). Written twice into one result, so that the
/// second write lands in values that already have limbs.
template <class T>
void check_word_rows_with_denominators_past_a_word() {
  std::mt19937_64 rng(23);
  for (auto [la, lb] : std::vector<std::pair<std::size_t, std::size_t>>{{5, 7}, {9, 9}, {1, 1}, {3, 8}}) {
    INFO("la = " << la << ", lb = " << lb);
    pb::PolyBatch<T> out;
    for (int round = 0; round < 2; ++round) {
      constexpr std::size_t rows = 24;
      pb::PolyBatch<T> a(rows, la), b(rows, lb);
      for (std::size_t i = 0; i < rows; ++i) {
        const cpp_int da = 3 * ((cpp_int(1) << 38) + 2 * (rng() % 1000) + 1);
        const cpp_int db = (i % 3 == 0 ? 3 : 1) * ((cpp_int(1) << 35) + 2 * (rng() % 1000) + 1);
        for (std::size_t k = 0; k < la; ++k)
          a(i, k) = T(cpp_rational(cpp_int(static_cast<long>(rng() % 201) - 100), da).str());
        for (std::size_t k = 0; k < lb; ++k)
          b(i, k) = T(cpp_rational(cpp_int(static_cast<long>(rng() % 201) - 100), db).str());
      }
      out = a * b;
      require_equal_rows(ref::rows_of(out), ref::product(ref::rows_of(a), ref::rows_of(b)));
    }
  }
}

template <class T>
void check_smooth_rational_rows() {
  std::mt19937_64 rng(11);
  const std::vector<std::pair<std::size_t, std::size_t>> lengths{{9, 9}, {16, 16}, {16, 3}, {1, 16}, {5, 7}, {2, 2}};
  for (int kind = 0; kind < 5; ++kind)
    for (auto [la, lb] : lengths) {
      INFO("kind = " << kind << ", la = " << la << ", lb = " << lb);
      const auto a = smooth_rational_batch<T>(rng, 40, la, kind);
      const auto b = smooth_rational_batch<T>(rng, 40, lb, kind == 4 ? 2 : kind);
      check_product_against_reference(a, b);
      if (la < lb) continue;
      // The windows of convolve and correlate (b read reversed): numpy's,
      // cut from the naive full product.
      const auto ra = ref::rows_of(a), rb = ref::rows_of(b);
      for (bool correlate : {false, true})
        for (pb::mode mode : {pb::mode::full, pb::mode::same, pb::mode::valid}) {
          INFO((correlate ? "correlate" : "convolve") << " mode " << int(mode));
          const pb::PolyBatch<T> got =
              correlate ? pb::PolyBatch<T>(pb::correlate(a, b, mode)) : pb::PolyBatch<T>(pb::convolve(a, b, mode));
          const std::size_t first = mode == pb::mode::full ? 0 : mode == pb::mode::same ? (lb - 1) / 2 : lb - 1;
          const std::size_t length = mode == pb::mode::full ? la + lb - 1 : mode == pb::mode::same ? la : la - lb + 1;
          ref::Rows<T> want(ra.size());
          for (std::size_t i = 0; i < ra.size(); ++i) {
            std::vector<T> v = rb[i];
            if (correlate) std::reverse(v.begin(), v.end());
            const std::vector<T> full = ref::convolve(ra[i], v);
            want[i].assign(full.begin() + std::ptrdiff_t(first), full.begin() + std::ptrdiff_t(first + length));
          }
          require_equal_rows(ref::rows_of(got), want);
        }
    }
}

/// Coefficients divisible by high powers of their denominators' primes: a
/// row (n_k / D) for D = p^e times the row (B / D, B / D) gives
/// B (n_k + n_(k-1)) / D^2, and n_k is chosen so that n_k + n_(k-1) is
/// m p^j, j up to 2e + 1: the reduction divides out each power of p up to
/// all of D^2 (and finds p^(2e) when p divides m too). B is 1 or 2^61 - 1
/// by turns (products in int64 and in __int128). On the word path the tests
/// of La and Lb run apart (p^j for j <= e); with five more values over large
/// primes in each row of a, La outgrows a word and the rows take the limb
/// path, which tests La Lb's powers (j <= 2e, and for a prime above 181 a
/// square the tables do not hold). Against the naive reference.
template <class T>
void check_prime_power_cancellation() {
  using boost::multiprecision::cpp_int;
  using boost::multiprecision::cpp_rational;
  std::mt19937_64 rng(29);
  const std::pair<long, unsigned> powers[] = {{3, 9},   {5, 6},   {7, 5},     {11, 4}, {13, 4},
                                              {181, 2}, {191, 1}, {32749, 1}, {3, 1},  {31, 3}};
  // Their product is about 2^66: La passes 2^63 whatever D is.
  const long large_primes[] = {32719, 32717, 4093, 4091, 4079};
  for (const bool limbs : {false, true})
    for (const auto& [prime, e] : powers)
      for (const std::size_t length : {1, 2, 5, 9, 11}) {
        INFO("p = " << prime << ", e = " << e << ", length = " << length << (limbs ? ", limb path" : ", word path"));
        const cpp_int D = boost::multiprecision::pow(cpp_int(prime), e);
        const std::size_t rows = 24, extra = limbs ? std::size(large_primes) : 0;
        pb::PolyBatch<T> a(rows, length + extra), b(rows, 2);
        for (std::size_t i = 0; i < rows; ++i) {
          // n_0 prime to p, so that no row's lcm loses a power of p.
          cpp_int n = cpp_int(rng() >> 44) * (rng() % 2 == 0 ? 1 : -1);
          if (n % prime == 0) n += 1;
          for (std::size_t k = 0; k < length; ++k) {
            if (k > 0) {
              const cpp_int m = cpp_int(static_cast<long>(rng() % 61) - 30);
              n = m * boost::multiprecision::pow(cpp_int(prime), static_cast<unsigned>(rng() % (2 * e + 2))) - n;
            }
            a(i, k) = T(cpp_rational(n, D).str());
          }
          for (std::size_t k = 0; k < extra; ++k) a(i, length + k) = T(cpp_rational(1, large_primes[k]).str());
          const cpp_int B = i % 2 == 0 ? cpp_int(1) : (cpp_int(1) << 61) - 1;
          b(i, 0) = b(i, 1) = T(cpp_rational(B, D).str());
        }
        check_product_against_reference(a, b);
      }
}

/// Float families: the in-place kernel sums in the same order as the naive
/// loop, so results agree to the last bit.
/// Binary types whose products pb rounds once per coefficient (limb access,
/// kernels/exact/binary_float_dot.hpp); the others accumulate like the
/// naive loop. Decimal floats also round once; test_dec_float.cpp checks
/// them against decimal sums.
template <class T>
inline constexpr bool rounds_once_per_coefficient =
    pb::kernels::exact::binary_dot::access<typename T::backend_type>::available;

/// Bits of T's significand (for mpfr: of this value's precision).
template <class T>
std::size_t significand_bits(const T& x) {
  if constexpr (pb::has_runtime_precision<T>)
    return boost::multiprecision::detail::digits10_2_2(x.precision());
  else
    return static_cast<std::size_t>(std::numeric_limits<T>::digits);
}

/// Every coefficient of a * b (and of a times b's first row, broadcast) is
/// within half of `last_place(coefficient)` of the exact sum of its
/// products, computed independently in `Wide` (exact for the magnitudes
/// the caller uses); `shown` digits of both go into the failure message.
template <class Wide, class T, class LastPlace>
void check_within_half_last_place(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b, LastPlace&& last_place,
                                  std::streamsize shown) {
  const pb::PolyBatch<T> one_row = first_row(b);
  for (const bool broadcast : {false, true}) {
    const pb::PolyBatch<T>& bb = broadcast ? one_row : b;
    const pb::PolyBatch<T> r = a * bb;
    for (std::size_t i = 0; i < a.batch_size(); ++i)
      for (std::size_t k = 0; k < r.length(); ++k) {
        Wide exact = 0;
        for (std::size_t j = 0; j < a.length(); ++j)
          if (k >= j && k - j < bb.length()) exact += Wide(a(i, j)) * Wide(bb(broadcast ? 0 : i, k - j));
        const Wide got(r(i, k));
        INFO("row " << i << " coefficient " << k << (broadcast ? " (b broadcast)" : "") << ": got " << got.str(shown)
                    << ", exact " << exact.str(shown));
        if (exact == 0) {
          REQUIRE(got == 0);
          continue;
        }
        REQUIRE(abs(got - exact) <= Wide(last_place(r(i, k))) / 2);
      }
  }
}

/// Binary floats: the exact sum of products rounded once, within half an
/// ulp of the exact value computed in a 4096-bit binary float.
template <class T>
void check_product_correctly_rounded(const pb::PolyBatch<T>& a, const pb::PolyBatch<T>& b) {
  using wide =
      boost::multiprecision::number<boost::multiprecision::cpp_bin_float<4096, boost::multiprecision::digit_base_2>,
                                    boost::multiprecision::et_off>;
  const auto ulp = [](const T& x) {
    return ldexp(wide(1), ilogb(wide(x)) - static_cast<int>(significand_bits(x)) + 1);
  };
  check_within_half_last_place<wide>(a, b, ulp, 60);
}

/// Where the exact accumulation does not apply, the naive loop runs, so the
/// result equals it bit for bit: sums whose products are 3000 bits apart
/// (more than the accumulator spans), and rows with an infinity.
template <class T>
void check_float_fallbacks() {
  const std::size_t la = 6, lb = 4;
  pb::PolyBatch<T> a(3, la), b(3, lb);
  for (std::size_t k = 0; k < la; ++k) {
    const T big = ldexp(T(1) / T(3), 1500), small = ldexp(T(1) / T(7), -1500);
    a(0, k) = k % 2 ? big : small;
    a(1, k) = T(int(k) + 1) / T(3);
    a(2, k) = k % 2 ? -small : big;
  }
  for (std::size_t k = 0; k < lb; ++k) {
    b(0, k) = T(int(k) + 2) / T(5);
    b(1, k) = T(int(k) + 1) / T(9);
    b(2, k) = T(int(k) + 1) / T(11);
  }
  a(1, 2) = std::numeric_limits<T>::infinity();
  check_product_against_reference(a, b);
}

template <class T>
void check_float_family() {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> d(-1, 1);
  for (auto [la, lb] : std::vector<std::pair<std::size_t, std::size_t>>{{1, 1}, {5, 7}, {12, 4}, {20, 20}}) {
    pb::PolyBatch<T> a(9, la), b(9, lb);
    for (std::size_t i = 0; i < 9; ++i) {
      for (std::size_t k = 0; k < la; ++k) a(i, k) = T(d(rng)) / T(3);
      for (std::size_t k = 0; k < lb; ++k) b(i, k) = T(d(rng)) / T(7);
    }
    if constexpr (rounds_once_per_coefficient<T>)
      check_product_correctly_rounded(a, b);
    else
      check_product_against_reference(a, b);
  }
  if constexpr (rounds_once_per_coefficient<T>) check_float_fallbacks<T>();
  // Integer-valued data is exact in any of these types: identities hold.
  const auto x = integer_batch<T>(rng, 4, 5, 20);
  const auto y = integer_batch<T>(rng, 4, 4, 20);
  const auto z = integer_batch<T>(rng, 4, 6, 20);
  check_ring_identities(x, y, z);
  check_binomials<T>(30);
}

/// et_on and et_off variants of one backend give the same coefficients.
template <class On, class Off>
void check_expression_template_variants_agree(bool rational) {
  std::mt19937_64 rng(3);
  const auto a = rational ? rational_batch<On>(rng, 5, 5, 40) : integer_batch<On>(rng, 5, 5, 100);
  const auto b = rational ? rational_batch<On>(rng, 5, 7, 40) : integer_batch<On>(rng, 5, 7, 100);
  pb::PolyBatch<Off> a2(5, 5), b2(5, 7);
  for (std::size_t i = 0; i < 5; ++i) {
    for (std::size_t k = 0; k < 5; ++k) a2(i, k) = Off(a(i, k).str());
    for (std::size_t k = 0; k < 7; ++k) b2(i, k) = Off(b(i, k).str());
  }
  const pb::PolyBatch<On> r = a * b + On(3) * a - b;
  const pb::PolyBatch<Off> r2 = a2 * b2 + Off(3) * a2 - b2;
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t k = 0; k < r.length(); ++k) REQUIRE(r(i, k).str() == r2(i, k).str());
}

} // namespace exact_test
