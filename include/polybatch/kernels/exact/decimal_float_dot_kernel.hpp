// The decimal kernel's definitions, for one instruction set: included by
// decimal_float_dot.hpp once with the translation unit's own, and in plain
// x86-64 translation units a second time for AVX2 by target attributes. So
// no include guard. The includer defines:
//   POLYBATCH_DECIMAL_AVX512DQ, _AVX512F, _AVX2  (0 or 1) the lanes and
//       carry passes to compile, for the set this copy is built for
//   POLYBATCH_DECIMAL_FMA  (0 or 1) whether the AVX2 carry passes may use
//       fused multiply-adds (the set includes FMA)
//   POLYBATCH_DECIMAL_TARGET_BEGIN, _END  what puts the kernel's functions
//       under that set (empty for the translation unit's own), around
//       everything below the value layout; the layout (read through Boost's
//       own functions) stays in the translation unit's set, so those inline
//       into either copy
// inside the namespace the copy lives in.

inline constexpr std::int64_t base = 100000000; // one limb: 8 decimal digits
inline constexpr std::size_t max_limbs = 16;
/// Exponent spread between a coefficient's terms, in limbs (256 digits).
inline constexpr std::size_t max_spread = 32;
/// Longest sum taken; longer ones go to the naive loop.
inline constexpr std::size_t max_terms = 32;
/// Headroom above the largest product: a leading column reaches
/// max_terms * max_limbs * base^2 (below 512 base^2), so its carries fill
/// two limbs above it and a third stays zero. With the AVX-512 carry passes,
/// one lane block, so that a product's columns start on a block boundary
/// (the passes' loads then read what the product's stores wrote, address
/// for address).
#if POLYBATCH_DECIMAL_AVX512DQ
inline constexpr std::size_t head = 8;
#else
inline constexpr std::size_t head = 3;
#endif
/// Headroom, the spread, the product length.
inline constexpr std::size_t acc_limbs = head + max_spread + 2 * max_limbs;
static_assert(static_cast<double>(max_terms) * max_limbs * static_cast<double>(base - 1) * (base - 1) < 9.2e18,
              "a column of one coefficient's limb products must fit a signed 64-bit integer");

/// Where the members of one backend value live, in the order its
/// `serialize` visits them: limbs, exponent, sign, class, precision.
template <class Backend>
struct fields {
  using exponent_type = typename Backend::exponent_type;
  static constexpr std::size_t limbs = Backend::cpp_dec_float_total_digits10 / 8;
  std::uint32_t* digit[limbs];
  exponent_type* exp = nullptr;
  bool* neg = nullptr;
  int fpclass = -1; // 0 is finite in every Boost release with this layout
  std::int32_t precision = 0;
  std::size_t seen = 0;

  explicit fields(Backend& x) { x.serialize(*this, 0u); }

  template <class M>
  fields& operator&(const boost::serialization::nvp<M>& member) {
    M& v = member.value();
    if constexpr (std::is_same_v<M, std::uint32_t>) {
      if (seen < limbs) digit[seen] = std::addressof(v);
    } else if constexpr (std::is_same_v<M, bool>) {
      neg = std::addressof(v);
    } else if constexpr (std::is_enum_v<M>) {
      fpclass = static_cast<int>(v);
    } else if constexpr (std::is_same_v<M, exponent_type>) {
      if (exp == nullptr)
        exp = std::addressof(v);
      else if constexpr (std::is_same_v<M, std::int32_t>)
        precision = v;
    } else if constexpr (std::is_same_v<M, std::int32_t>) {
      precision = v;
    }
    ++seen;
    return *this;
  }
};

template <class Backend>
struct access {
  static constexpr bool available = false;
};

template <unsigned Digits10, class ExponentType, class Allocator>
struct access<boost::multiprecision::backends::cpp_dec_float<Digits10, ExponentType, Allocator>> {
  using backend = boost::multiprecision::backends::cpp_dec_float<Digits10, ExponentType, Allocator>;
  static constexpr std::size_t limbs = fields<backend>::limbs;
  static constexpr bool available = limbs <= max_limbs;
};

/// Lanes a product's columns take: 2 * max_limbs - 1, rounded up to blocks of eight.
inline constexpr std::size_t product_lanes = 2 * max_limbs;
/// Zeros stored before a value's limbs, so that loading at `lead - k`
/// gives the limbs shifted up by k lanes (k < max_limbs).
inline constexpr std::size_t lead = max_limbs;

/// One value: limbs with the value's sign at padded[lead + k] (zeros around
/// them where the kernel loads shifted windows), and the exponent in limbs.
/// n == 0 means zero.
struct unpacked {
  alignas(64) std::int64_t padded[lead + product_lanes + 8];
  std::int64_t e;
  std::size_t n;
  const std::int64_t* d() const { return padded + lead; }
};

POLYBATCH_DECIMAL_TARGET_BEGIN

namespace detail {

// Blocks of 64-bit lanes for the limb products, each product a signed
// 32 x 32 -> 64-bit multiply (limbs are below 10^8 in magnitude): eight
// lanes with AVX-512, four with AVX2, one otherwise. `opaque_zero` is a zero
// the optimiser cannot see through: g++ 12 turns a loop storing a known zero
// into memset, which it calls, or under generic tuning expands to
// `rep stos`, slow for the few hundred bytes cleared per sum; stores of an
// opaque zero stay vector stores.
#if POLYBATCH_DECIMAL_AVX512F || POLYBATCH_DECIMAL_AVX2
/// The low 32 bits of the limb at p, as a signed value: limbs are below 2^31
/// in magnitude, and x86 keeps the low half first.
inline std::int32_t low_half(const std::int64_t* p) {
  std::int32_t low;
  std::memcpy(&low, p, sizeof low);
  return low;
}
#endif

#if POLYBATCH_DECIMAL_AVX512F
struct lane_block {
  static constexpr std::size_t width = 8;
  __m512i v;
  static lane_block zero() { return {_mm512_setzero_si512()}; }
  static lane_block opaque_zero() {
    lane_block z = zero();
    asm("" : "+v"(z.v));
    return z;
  }
  /// As the AVX2 block's; the outer product's rows take it too.
  static lane_block broadcast_limb(const std::int64_t* p) { return {_mm512_set1_epi32(low_half(p))}; }
  static lane_block load(const std::int64_t* p) { return {_mm512_loadu_si512(p)}; }
  void store(std::int64_t* p) const { _mm512_storeu_si512(p, v); }
  // The zero-masked form: g++ 12 warns that the plain one's undefined
  // pass-through operand "may be used uninitialized".
  void add_product(const lane_block& x, const lane_block& y) {
    v = _mm512_add_epi64(v, _mm512_maskz_mul_epi32(0xff, x.v, y.v));
  }
  void add(const lane_block& x) { v = _mm512_add_epi64(v, x.v); }
};
#elif POLYBATCH_DECIMAL_AVX2
struct lane_block {
  static constexpr std::size_t width = 4;
  __m256i v;
  static lane_block zero() { return {_mm256_setzero_si256()}; }
  static lane_block opaque_zero() {
    lane_block z = zero();
    asm("" : "+x"(z.v));
    return z;
  }
  /// The limb at p in the low half of every lane, which is all add_product
  /// reads of it: a 32-bit broadcast from memory. Broadcast as a 64-bit
  /// value, clang 14 sign-extends its low half in four more instructions
  /// first, for every row of every product.
  static lane_block broadcast_limb(const std::int64_t* p) { return {_mm256_set1_epi32(low_half(p))}; }
  static lane_block load(const std::int64_t* p) { return {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))}; }
  void store(std::int64_t* p) const { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
  void add_product(const lane_block& x, const lane_block& y) { v = _mm256_add_epi64(v, _mm256_mul_epi32(x.v, y.v)); }
  void add(const lane_block& x) { v = _mm256_add_epi64(v, x.v); }
};
#else
struct lane_block {
  static constexpr std::size_t width = 1;
  std::int64_t v;
  static lane_block zero() { return {0}; }
  static lane_block opaque_zero() {
    lane_block z = zero();
#if defined(__GNUC__)
    asm("" : "+r"(z.v));
#endif
    return z;
  }
  static lane_block broadcast_limb(const std::int64_t* p) { return {*p}; }
  static lane_block load(const std::int64_t* p) { return {*p}; }
  void store(std::int64_t* p) const { *p = v; }
  void add_product(const lane_block& x, const lane_block& y) { v += x.v * y.v; }
  void add(const lane_block& x) { v += x.v; }
};
#endif

/// Zeros lanes [lead - N, lead + 2N + 8) of a value's padding, the limbs'
/// lanes among them (written after), in whole blocks from the block boundary
/// below lead - N, so that they end inside the array for every N up to
/// max_limbs. An opaque zero: g++ 12 made a memset of this size a
/// `rep stos` under plain -mavx2, half of unpack's time.
template <std::size_t N>
void zero_padding(std::int64_t (&padded)[lead + product_lanes + 8]) {
  constexpr std::size_t W = lane_block::width;
  static_assert(N <= lead);
  constexpr std::size_t first = (lead - N) / W * W;
  constexpr std::size_t stores = (lead + 2 * N + 8 - first + W - 1) / W;
  static_assert(first + W * stores <= lead + product_lanes + 8, "the padding's stores must stay inside the value");
  const lane_block zero = lane_block::opaque_zero();
  for (std::size_t i = 0; i < stores; ++i) zero.store(padded + first + W * i);
}

/// Sums of limb products, column m of a product in lane m of the blocks,
/// kept in registers while the terms share a position in the accumulator.
/// Always inlined: called out of line (clang 14 did), the lanes go through
/// memory for every term.
template <std::size_t N>
struct product_sum {
  static constexpr std::size_t W = lane_block::width;
  static constexpr std::size_t blocks = (2 * N - 1 + W - 1) / W;
  lane_block lane[blocks];

  product_sum() { clear(); }
  void clear() {
    const lane_block zero = lane_block::opaque_zero();
    for (auto& l : lane) l = zero;
  }
  /// lane[k + l] += u[k] * v[l]: the loads of v at lead - k give it shifted
  /// by k lanes, so nothing is stored until flush.
  [[gnu::always_inline]] void add(const unpacked& u, const unpacked& v) {
    const std::int64_t* vp = v.padded + lead;
    if constexpr (W == 1) {
      // Column by column: each column's sum stays in a register (a lane in
      // memory updated per product would chain every update through a store).
      const std::int64_t* up = u.d();
      if (u.n == N && v.n == N) { // the usual case: straight-line code
        full_columns(up, vp, std::make_index_sequence<2 * N - 1>{});
        return;
      }
      for (std::size_t m = 0; m + 1 < u.n + v.n; ++m) {
        const std::size_t k_end = std::min(m + 1, u.n);
        std::int64_t column = 0;
        for (std::size_t k = m + 1 > v.n ? m + 1 - v.n : 0; k < k_end; ++k) column += up[k] * vp[m - k];
        lane[m].v += column;
      }
    } else {
      if (u.n == N && v.n == N) { // the usual case: only the blocks each row meets
        full_rows(u.d(), vp, std::make_index_sequence<N>{});
        return;
      }
      for (std::size_t k = 0; k < u.n; ++k) {
        const lane_block uk = lane_block::broadcast_limb(u.d() + k);
        for (std::size_t b = 0; b < blocks; ++b) lane[b].add_product(uk, lane_block::load(vp + W * b - k));
      }
    }
  }
  template <std::size_t... K>
  [[gnu::always_inline]] void full_rows(const std::int64_t* up, const std::int64_t* vp, std::index_sequence<K...>) {
    (full_row<K>(up + K, vp, std::make_index_sequence<row_blocks_end(K) - K / W>{}), ...);
  }
  /// The blocks past the one holding column K + N - 1 would add zeros.
  static constexpr std::size_t row_blocks_end(std::size_t k) { return std::min(blocks, (k + N - 1) / W + 1); }
  /// Row K of the product, u[K] * v shifted up by K lanes, into the blocks
  /// from the one holding column K (those below would add zeros).
  template <std::size_t K, std::size_t... B>
  [[gnu::always_inline]] void full_row(const std::int64_t* uk, const std::int64_t* vp, std::index_sequence<B...>) {
    const lane_block x = lane_block::broadcast_limb(uk);
    constexpr std::size_t first = K / W;
    (lane[first + B].add_product(x, lane_block::load(vp + W * (first + B) - K)), ...);
  }
  template <std::size_t... M>
  [[gnu::always_inline]] void full_columns(const std::int64_t* up, const std::int64_t* vp, std::index_sequence<M...>) {
    ((lane[M].v += full_column<M>(up, vp, std::make_index_sequence<(M < N ? M + 1 : 2 * N - 1 - M)>{})), ...);
  }
  /// Column M of a product of two N-limb values: sum of up[k] * vp[M - k].
  template <std::size_t M, std::size_t... I>
  [[gnu::always_inline]] static std::int64_t full_column(const std::int64_t* up, const std::int64_t* vp,
                                                         std::index_sequence<I...>) {
    constexpr std::size_t first = M < N ? 0 : M - N + 1;
    return ((up[first + I] * vp[M - first - I]) + ...);
  }

  [[gnu::always_inline]] void flush(std::int64_t* column) {
    for (std::size_t b = 0; b < blocks; ++b) {
      lane_block sum = lane_block::load(column + W * b);
      sum.add(lane[b]);
      sum.store(column + W * b);
    }
    clear();
  }
};

#if POLYBATCH_DECIMAL_AVX512F
/// With 32 vector registers: the terms' limb products summed as one
/// outer-product matrix, m[k][l] += u[k] * v[l] (two eight-lane blocks per
/// row, no shifting per term), and folded into columns k + l once per flush.
/// Half the vector operations of product_sum per term. Always inlined, as
/// product_sum: g++ 12 called the fold out of line, the matrix going
/// through memory at every flush.
template <std::size_t N>
struct outer_product_sum {
  static constexpr std::size_t row_blocks = (N + 7) / 8;
  static constexpr std::size_t column_blocks = (2 * N - 1 + 7) / 8;
  __m512i m[N][row_blocks];

  outer_product_sum() { clear(); }
  [[gnu::always_inline]] void clear() {
    for (auto& row : m)
      for (auto& block : row) block = _mm512_setzero_si512();
  }
  [[gnu::always_inline]] void add(const unpacked& u, const unpacked& v) {
    __m512i vb[row_blocks];
    for (std::size_t b = 0; b < row_blocks; ++b) vb[b] = _mm512_loadu_si512(v.d() + 8 * b);
    for (std::size_t k = 0; k < N; ++k) {
      const __m512i uk = lane_block::broadcast_limb(u.d() + k).v;
      for (std::size_t b = 0; b < row_blocks; ++b)
        m[k][b] = _mm512_add_epi64(m[k][b], _mm512_maskz_mul_epi32(0xff, uk, vb[b]));
    }
  }
  /// Adds column sums into column[0 .. 8 * column_blocks): row k shifted
  /// up by k lanes, in registers (valignq by a constant per row).
  [[gnu::always_inline]] void flush(std::int64_t* column) {
    __m512i sum[column_blocks];
    for (std::size_t c = 0; c < column_blocks; ++c) sum[c] = _mm512_loadu_si512(column + 8 * c);
    add_rows(sum, std::make_index_sequence<N>{});
    for (std::size_t c = 0; c < column_blocks; ++c) _mm512_storeu_si512(column + 8 * c, sum[c]);
    clear();
  }

private:
  template <std::size_t... K>
  [[gnu::always_inline]] void add_rows(__m512i (&sum)[column_blocks], std::index_sequence<K...>) const {
    (add_row<K>(sum), ...);
  }
  // Zero-masked valignq: g++ 12 warns that the plain form's undefined
  // pass-through operand "may be used uninitialized".
  template <int Shift>
  [[gnu::always_inline]] static __m512i align(__m512i high, __m512i low) {
    return _mm512_maskz_alignr_epi64(0xff, high, low, Shift);
  }
  template <std::size_t K>
  [[gnu::always_inline]] void add_row(__m512i (&sum)[column_blocks]) const {
    constexpr std::size_t whole = K / 8; // blocks the row moves up
    constexpr int lanes = K % 8;         // lanes it moves up within them
    const __m512i zero = _mm512_setzero_si512();
    const __m512i r0 = m[K][0];
    __m512i r1 = zero;
    if constexpr (row_blocks > 1) r1 = m[K][1];
    __m512i shifted[3];
    if constexpr (lanes == 0) {
      shifted[0] = r0, shifted[1] = r1, shifted[2] = zero;
    } else {
      shifted[0] = align<8 - lanes>(r0, zero);
      shifted[1] = align<8 - lanes>(r1, r0);
      shifted[2] = align<8 - lanes>(zero, r1);
    }
    for (std::size_t i = 0; i < 3; ++i)
      if (whole + i < column_blocks) sum[whole + i] = _mm512_add_epi64(sum[whole + i], shifted[i]);
  }
};
template <std::size_t N>
using product_accumulator = outer_product_sum<N>;
#else
template <std::size_t N>
using product_accumulator = product_sum<N>;
#endif

/// The carries left after the two splitting passes (-1, 0 or 1), rippled.
inline void ripple(std::int64_t* acc, std::size_t width) {
  std::int64_t c = 0;
  for (std::size_t i = width; i-- > 1;) {
    std::int64_t t = acc[i] + c;
    c = t < 0 ? -1 : (t >= base ? 1 : 0);
    acc[i] = t - c * base;
  }
  acc[0] += c;
}

#if POLYBATCH_DECIMAL_AVX512DQ
/// Blocks of the accumulator `normalise` reads and writes.
inline constexpr std::size_t normalise_lanes(std::size_t width) { return (width + 7) / 8 * 8; }

/// The vector form of the two splitting passes: every lane takes its
/// remainder v - q * base plus the next lane's quotient q. The first pass
/// only shrinks the columns (below 2^63 in magnitude): its q, floor of a
/// double estimate of v / base, may be off by one, so its limbs are within
/// (-base, 2 base) plus a quotient below 2^36. The second pass is exact and
/// needs no correction step: those limbs convert to double exactly, and
/// floor(v * (1/base) + 2^-30) is floor(v / base), since the fraction of
/// v / base is a multiple of 10^-8 at most 1 - 10^-8 and the errors of
/// the rounded reciprocal and the fused multiply-add are below 10^-12, both
/// on the right side of 2^-30. Lane 0
/// keeps its value (it takes the sign). Lanes from `width` up to the block
/// end must be zero.
inline void normalise(std::int64_t* acc, std::size_t width) {
  const std::size_t blocks = normalise_lanes(width) / 8;
  const __m512i b = _mm512_set1_epi64(base), zero = _mm512_setzero_si512();
  const __m512d inv = _mm512_set1_pd(1.0 / static_cast<double>(base));
  for (int pass = 0; pass < 2; ++pass) {
    const __m512d nudge = _mm512_set1_pd(pass == 0 ? 0.0 : 0x1p-30);
    __m512i next_q = zero;
    for (std::size_t k = blocks; k-- > 0;) {
      const __m512i v = _mm512_loadu_si512(acc + 8 * k);
      // Zero-masked forms throughout: g++ 12 warns that the plain ones'
      // undefined pass-through operands "may be used uninitialized".
      const __m512d est = _mm512_fmadd_pd(_mm512_maskz_cvtepi64_pd(0xff, v), inv, nudge);
      __m512i q = _mm512_maskz_cvt_roundpd_epi64(0xff, est, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
      // The second pass's quotients are below 2^10 in magnitude: one signed 32-bit product.
      __m512i r =
          _mm512_sub_epi64(v, pass == 0 ? _mm512_maskz_mullo_epi64(0xff, q, b) : _mm512_maskz_mul_epi32(0xff, q, b));
      if (k == 0) r = _mm512_mask_mov_epi64(r, 1, v), q = _mm512_mask_mov_epi64(q, 1, zero);
      // r + (the quotient one lane up): lanes 1..7 of this block's q, lane 0 of the next.
      _mm512_storeu_si512(acc + 8 * k, _mm512_add_epi64(r, _mm512_maskz_alignr_epi64(0xff, next_q, q, 1)));
      next_q = q;
    }
  }
  // Limbs left outside [0, base) need a carry of one; rare (a remainder
  // within 520 of either end).
  __mmask8 out = 0;
  for (std::size_t k = 0; k < blocks; ++k) {
    const __m512i v = _mm512_loadu_si512(acc + 8 * k);
    out |= static_cast<__mmask8>((_mm512_cmplt_epi64_mask(v, zero) | _mm512_cmpge_epi64_mask(v, b)) &
                                 (k == 0 ? 0xfe : 0xff));
  }
  if (out) ripple(acc, width);
}
#elif POLYBATCH_DECIMAL_AVX2
inline constexpr std::size_t normalise_lanes(std::size_t width) { return (width + 3) / 4 * 4; }

/// The AVX2 form of the two splitting passes. AVX2 has no 64-bit integer
/// conversions, shifts by sign or multiplies, so values are biased by a
/// multiple of base into an unsigned range, converted to double with
/// exponent-bit tricks, and quotients multiplied back by 32-bit multiplies.
/// The first pass only shrinks the columns (below 2^63 in magnitude): its
/// quotient comes from a column's high 32 bits, rounded, so it is off by up
/// to 2^32 / base + 1, and the limbs it leaves stay below 2^36 in magnitude.
/// Zero columns split exactly (the lanes past `width` must stay zero): the
/// bias is a multiple of 2^32, so their high bits are the whole value.
/// The second pass is exact and needs no correction step: those limbs,
/// biased, are below 2^38, so they convert to double exactly, and
/// floor(u * (1/base) + 2^-30) is floor(u / base), since the fraction of
/// u / base is a multiple of 10^-8 at most 1 - 10^-8 and the errors of
/// the rounded reciprocal and of the product and the sum (or the one fused
/// operation) are below 10^-12, both on the right side of 2^-30.
/// Lane 0 keeps its value (it takes the sign); lanes from `width` up to the
/// block end must be zero.
inline void normalise(std::int64_t* acc, std::size_t width) {
  constexpr std::int64_t wide_bias = 3100ll << 24; // wide_bias * base > every |column| (5.12e18)
  constexpr std::int64_t narrow_bias = 1024;       // narrow_bias * base > every |limb| after one pass (5.6e10)
  static_assert((wide_bias * base) % (1ll << 32) == 0, "the wide bias must leave a zero column's low 32 bits zero");
  static_assert(static_cast<double>(max_terms) * max_limbs * base * base < static_cast<double>(wide_bias) * base &&
                    static_cast<double>(max_terms) * max_limbs * base + 4294967296.0 + 2.0 * base <
                        static_cast<double>(narrow_bias) * base,
                "the biases must make every column and every first-pass limb non-negative");
  const std::size_t blocks = normalise_lanes(width) / 4;
  const __m256i b = _mm256_set1_epi64x(base), top_limb = _mm256_set1_epi64x(base - 1);
  const __m256i magic = _mm256_set1_epi64x(0x4330000000000000);
  const __m256d magic_d = _mm256_set1_pd(4503599627370496.0);
  const __m256i zero = _mm256_setzero_si256();
  // x in [0, 2^52) as a double: its bits under the exponent of 2^52, minus
  // 2^52; and back, for an integral double in that range.
  const auto to_double = [&](__m256i x) {
    return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(x, magic)), magic_d);
  };
  const auto to_integer = [&](__m256d x) {
    return _mm256_sub_epi64(_mm256_castpd_si256(_mm256_add_pd(x, magic_d)), magic);
  };
  // x * y + z, fused where the set has FMA: g++ fuses the two operations
  // itself, clang 14 does not.
  const auto multiply_add = [&](__m256d x, __m256d y, __m256d z) {
#if POLYBATCH_DECIMAL_FMA
    return _mm256_fmadd_pd(x, y, z);
#else
    return _mm256_add_pd(_mm256_mul_pd(x, y), z);
#endif
  };
  // Each lane's quotient one lane up: lanes 1..3 of q, lane 0 of the next
  // block's. A capture default, as in the lambdas above: a lambda without
  // one has a static invoker, which g++ builds outside the target attribute.
  const auto up_one = [&](__m256i q, __m256i next_q) {
    return _mm256_blend_epi32(_mm256_permute4x64_epi64(q, 0x39), _mm256_permute4x64_epi64(next_q, 0x39), 0xc0);
  };
  {
    const __m256i bias = _mm256_set1_epi64x(wide_bias * base), quotient_bias = _mm256_set1_epi64x(wide_bias);
    const __m256d scale = _mm256_set1_pd(4294967296.0 / static_cast<double>(base)), half = _mm256_set1_pd(0.5);
    __m256i next_q = zero;
    for (std::size_t k = blocks; k-- > 0;) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + 4 * k));
      const __m256i u = _mm256_add_epi64(v, bias); // in [0, 2^64)
      __m256i q = to_integer(_mm256_floor_pd(multiply_add(to_double(_mm256_srli_epi64(u, 32)), scale, half)));
      __m256i r = _mm256_sub_epi64(u, simd::multiply_lanes_by_word(q, b)); // in [-base, 2^32 + base)
      q = _mm256_sub_epi64(q, quotient_bias);
      if (k == 0) r = _mm256_blend_epi32(r, v, 0x03), q = _mm256_blend_epi32(q, zero, 0x03);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc + 4 * k), _mm256_add_epi64(r, up_one(q, next_q)));
      next_q = q;
    }
  }
  __m256i outside = zero; // lanes the second pass leaves outside [0, base): rare
  {
    const __m256i bias = _mm256_set1_epi64x(narrow_bias * base), quotient_bias = _mm256_set1_epi64x(narrow_bias);
    const __m256d inv = _mm256_set1_pd(1.0 / static_cast<double>(base)), nudge = _mm256_set1_pd(0x1p-30);
    __m256i next_q = zero;
    for (std::size_t k = blocks; k-- > 0;) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + 4 * k));
      const __m256i u = _mm256_add_epi64(v, bias); // in [0, 2^38)
      __m256i q = to_integer(_mm256_floor_pd(multiply_add(to_double(u), inv, nudge)));
      __m256i r = _mm256_sub_epi64(u, _mm256_mul_epu32(q, b)); // q below 2^11: one 32 x 32-bit multiply
      q = _mm256_sub_epi64(q, quotient_bias);
      if (k == 0) r = _mm256_blend_epi32(r, v, 0x03), q = _mm256_blend_epi32(q, zero, 0x03);
      const __m256i limbs = _mm256_add_epi64(r, up_one(q, next_q));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc + 4 * k), limbs);
      next_q = q;
      __m256i bad = _mm256_or_si256(_mm256_cmpgt_epi64(zero, limbs), _mm256_cmpgt_epi64(limbs, top_limb));
      if (k == 0) bad = _mm256_blend_epi32(bad, zero, 0x03); // lane 0 takes the sign
      outside = _mm256_or_si256(outside, bad);
    }
  }
  if (!_mm256_testz_si256(outside, outside)) ripple(acc, width);
}
#else
inline constexpr std::size_t normalise_lanes(std::size_t width) { return width; }

/// Whether a limb after the first is outside [0, base) after the splitting
/// passes (rare: a remainder within 512 of either end), without a branch
/// per limb.
inline bool outside_base(const std::int64_t* acc, std::size_t width) {
  bool out = false;
  for (std::size_t i = 1; i < width; ++i) out |= static_cast<std::uint64_t>(acc[i]) >= static_cast<std::uint64_t>(base);
  return out;
}

/// Brings every limb below `width` into [0, base) except the first, which
/// takes the sign. Two passes split each column independently (no carry
/// chain through a division); the carries left are -1, 0 or 1, and rare.
/// No branch on a column's sign: mixed-sign sums make it a coin toss.
inline void normalise(std::int64_t* acc, std::size_t width) {
  for (int pass = 0; pass < 2; ++pass) {
    std::int64_t carry_in = 0;
    for (std::size_t i = width; i-- > 1;) {
      const std::int64_t v = acc[i];
      std::int64_t q = v / base; // truncated: one too high where r < 0
      std::int64_t r = v - q * base;
      const std::int64_t below = r >> 63; // -1 where r < 0, else 0
      r += below & base;
      q += below;
      acc[i] = r + carry_in;
      carry_in = q;
    }
    acc[0] += carry_in;
  }
  if (outside_base(acc, width)) ripple(acc, width);
}
#endif

/// The sign of sum_i acc[i] base^-i before the carries are resolved, from
/// its three leading nonzero columns in double: +1 or -1 where they decide
/// it, 0 where they do not (the columns below add less than
/// column_bound / base^3 relative to the leading one, and the double sum is
/// off by a few units in its last place).
inline int leading_sign(const std::int64_t* acc, std::size_t width) {
  constexpr double column_bound = static_cast<double>(max_terms) * max_limbs * static_cast<double>(base) * base;
  constexpr double b = static_cast<double>(base);
  std::size_t i = head; // the columns above head hold carries only, none yet
  while (i < width && acc[i] == 0) ++i;
  if (i == width) return 0;
  const double c0 = static_cast<double>(acc[i]);
  const double c1 = i + 1 < width ? static_cast<double>(acc[i + 1]) : 0.0;
  const double c2 = i + 2 < width ? static_cast<double>(acc[i + 2]) : 0.0;
  // Multiplied by the reciprocals (each within an ulp), not divided: the
  // doubt's relative 1e-14 covers the difference.
  constexpr double inv_b = 1 / b, inv_b2 = 1 / (b * b);
  const double estimate = c0 + c1 * inv_b + c2 * inv_b2;
  const double doubt =
      2 * column_bound / (b * b * b) + 1e-14 * (std::abs(c0) + std::abs(c1) * inv_b + std::abs(c2) * inv_b2);
  return estimate > doubt ? 1 : (estimate < -doubt ? -1 : 0);
}

/// The magnitude of a negative normalised number (acc[0] < 0), normalised.
inline void negate(std::int64_t* acc, std::size_t width) {
  std::int64_t borrow = 0;
  for (std::size_t i = width; i-- > 1;) {
    std::int64_t t = -acc[i] - borrow;
    borrow = t < 0;
    acc[i] = t + (borrow ? base : 0);
  }
  acc[0] = -acc[0] - borrow;
}

} // namespace detail

/// Reads x into u; false when x is not finite or its precision is reduced
/// (its arithmetic would then round at another limb).
template <class Backend>
bool unpack(const Backend& x, unpacked& u) {
  constexpr std::size_t N = fields<Backend>::limbs;
  // serialize is not const; nothing is written through these pointers.
  const fields<Backend> f(const_cast<Backend&>(x));
  if (f.seen != N + 4 || f.fpclass != 0 || f.precision != static_cast<std::int32_t>(N)) return false;
  const std::int64_t sign = *f.neg ? -1 : 1;
  std::size_t n = 0; // counted in a register, stored once
  // The vector kernels load windows shifted around the limbs, which must
  // read zeros: up to N - 1 lanes below them (a window at lead - k) and up
  // to N + 8 above (a product's 2N - 1 columns in blocks of at most 8).
  // The scalar kernel reads the limbs alone.
  if constexpr (detail::lane_block::width > 1) detail::zero_padding<N>(u.padded);
  for (std::size_t k = 0; k < N; ++k) {
    const std::uint32_t v = *f.digit[k];
    u.padded[lead + k] = sign * static_cast<std::int64_t>(v);
    n = v != 0 ? k + 1 : n;
  }
  u.n = n;
  u.e = static_cast<std::int64_t>(*f.exp) / 8;
  return true;
}

/// The exact sum of x[t] * y[t], rounded to nearest even at the type's last
/// limb, written into `out` (a finite value at full precision). False, with
/// nothing written, when the terms spread too far or the result's exponent
/// nears the type's limits.
template <class Backend>
bool round_sum(const unpacked* const* x, const unpacked* const* y, std::size_t terms, Backend& out) {
  constexpr std::size_t N = fields<Backend>::limbs;
  std::int64_t top = 0, bottom = 0;
  bool any = false;
  for (std::size_t t = 0; t < terms; ++t) {
    if (x[t]->n == 0 || y[t]->n == 0) continue;
    const std::int64_t e = x[t]->e + y[t]->e;
    top = any ? std::max(top, e) : e;
    bottom = any ? std::min(bottom, e) : e;
    any = true;
  }
  const fields<Backend> f(out);
  if (!any) {
    for (std::size_t k = 0; k < N; ++k) *f.digit[k] = 0;
    *f.exp = 0;
    *f.neg = false;
    return true;
  }
  if (top - bottom > static_cast<std::int64_t>(max_spread)) return false;
  // Column i weighs base^(top + head - i).
  const std::size_t width = head + static_cast<std::size_t>(top - bottom) + 2 * N - 1;
  // Room for the lane blocks' tails past the last product limb. The
  // products' stores and the carry passes' loads stay below width + W - 1
  // (the blocks end at most W - 1 lanes past a column), so only those are
  // cleared, in whole blocks (the last one ends below width + 2W).
  constexpr std::size_t W = detail::lane_block::width;
  alignas(64) std::int64_t acc[acc_limbs + 2 * W];
  const detail::lane_block zero = detail::lane_block::opaque_zero();
  for (std::size_t i = 0; i < width + W; i += W) zero.store(acc + i);
  std::int64_t at = -1; // the accumulator column the registers belong at
  // A local, not scratch passed in: clang 14 kept a referenced
  // accumulator's lanes in memory, a store per block per row of a product.
  detail::product_accumulator<N> sum;
  for (std::size_t t = 0; t < terms; ++t) {
    const unpacked* u = x[t];
    const unpacked* v = y[t];
    if (u->n == 0 || v->n == 0) continue;
    if (u->n > v->n) std::swap(u, v);
    const std::int64_t column = head + top - u->e - v->e;
    if (column != at) {
      if (at >= 0) sum.flush(acc + at);
      at = column;
    }
    sum.add(*u, *v);
  }
  sum.flush(acc + at);
  // A negative sum is negated before its carries are resolved when its top
  // columns decide the sign (nearly always), so that no borrow chain runs
  // after them; otherwise the resolved number's first limb tells.
  const int sign = detail::leading_sign(acc, width);
  if (sign < 0)
    for (std::size_t i = 0; i < detail::normalise_lanes(width); ++i) acc[i] = -acc[i];
  detail::normalise(acc, width);
  const bool negative = sign < 0 || acc[0] < 0;
  if (sign == 0 && acc[0] < 0) detail::negate(acc, width);
  std::size_t first = 0;
  while (first < width && acc[first] == 0) ++first;
  if (first == width) {
    for (std::size_t k = 0; k < N; ++k) *f.digit[k] = 0;
    *f.exp = 0;
    *f.neg = false;
    return true;
  }
  if (first == 0) return false;       // cannot happen: the headroom limbs hold any carry
  const std::size_t last = first + N; // first limb dropped
  bool up = false;
  if (last < width) {
    const std::int64_t half = base / 2;
    if (acc[last] != half) {
      up = acc[last] > half;
    } else {
      bool rest = false;
      for (std::size_t i = last + 1; i < width; ++i) rest |= acc[i] != 0;
      up = rest || (acc[last - 1] & 1) != 0;
    }
  }
  if (up) {
    std::size_t i = last - 1;
    while (++acc[i] == base) acc[i--] = 0;
    if (i < first) first = i; // 99...9 rounded up to a new leading limb
  }
  using exponent_type = typename fields<Backend>::exponent_type;
  const std::int64_t exp10 = 8 * (top + static_cast<std::int64_t>(head) - static_cast<std::int64_t>(first));
  if (exp10 >= static_cast<std::int64_t>(Backend::cpp_dec_float_max_exp10) - 8 ||
      exp10 <= static_cast<std::int64_t>(Backend::cpp_dec_float_min_exp10) + 8 * static_cast<std::int64_t>(N))
    return false;
  for (std::size_t k = 0; k < N; ++k) *f.digit[k] = first + k < width ? static_cast<std::uint32_t>(acc[first + k]) : 0u;
  *f.exp = static_cast<exponent_type>(exp10);
  *f.neg = negative;
  return true;
}

/// This copy of the kernel as one type, for a caller that picks a copy at
/// run time: the row frame (convolve_float.hpp) takes it as a parameter.
struct kernel {
  using value = unpacked;
  static constexpr std::size_t terms = max_terms;
  template <class Backend>
  static bool read(const Backend& x, unpacked& u) {
    return unpack(x, u);
  }
  template <class Backend>
  static bool sum(const unpacked* const* x, const unpacked* const* y, std::size_t n, Backend& out) {
    return round_sum(x, y, n, out);
  }
};

POLYBATCH_DECIMAL_TARGET_END
