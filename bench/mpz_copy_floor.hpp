// The copy floors of mpz_int products, sums and derivatives, shared by bench_exact and bench/ab:
// an mpz_int is a 16-byte handle whose limbs GMP keeps on its heap, so the
// bytes of a product (or sum) are the operands' handles and limbs read and the
// results' handles read and limbs written through them. This moves exactly
// those: per row, each operand value's limb copied into a result's, the
// row's objects paired as the product pairs them, with no arithmetic.
#pragma once

#include <boost/multiprecision/gmp.hpp>
#include <cstddef>
#include <polybatch/polybatch.hpp>

namespace bench {

/// Copies from's value into to's limb through the handles (with `fold`,
/// combines it with what to holds). Values that are not one limb, and
/// results without a limb or holding several, take GMP's general copy (rare).
inline void copy_mpz_value(const boost::multiprecision::mpz_int& from, boost::multiprecision::mpz_int& to, bool fold) {
  const __mpz_struct* s = from.backend().data();
  __mpz_struct* d = to.backend().data();
  if (d->_mp_alloc < 1 || s->_mp_size > 1 || s->_mp_size < -1 || d->_mp_size > 1 || d->_mp_size < -1) {
    mpz_set(d, s);
    return;
  }
  const mp_limb_t limb = s->_mp_size != 0 ? s->_mp_d[0] : 0;
  d->_mp_d[0] = fold ? d->_mp_d[0] | limb : limb; // or, not xor: a zero limb must have size 0
  d->_mp_size = fold ? d->_mp_size | s->_mp_size : s->_mp_size;
}

/// The floor of out = a * b: out's la + lb - 1 values of each row take a's
/// values, then all of b's but the last, which is folded into the first.
inline void copy_mpz_product_bytes(const polybatch::PolyBatch<boost::multiprecision::mpz_int>& a,
                                   const polybatch::PolyBatch<boost::multiprecision::mpz_int>& b,
                                   polybatch::PolyBatch<boost::multiprecision::mpz_int>& out) {
  const std::size_t rows = a.batch_size(), la = a.length(), lb = b.length();
  for (std::size_t r = 0; r < rows; ++r) {
    const auto* ar = &a(r, 0);
    const auto* br = &b(r, 0);
    auto* o = &out(r, 0);
    for (std::size_t k = 0; k < la; ++k) copy_mpz_value(ar[k], o[k], false);
    for (std::size_t k = 0; k + 1 < lb; ++k) copy_mpz_value(br[k], o[la + k], false);
    copy_mpz_value(br[lb - 1], o[0], true);
  }
}

/// The floor of out = a + b: each result value takes a's value (or b's,
/// past a's length) with b's folded in where both rows have one.
inline void copy_mpz_sum_bytes(const polybatch::PolyBatch<boost::multiprecision::mpz_int>& a,
                               const polybatch::PolyBatch<boost::multiprecision::mpz_int>& b,
                               polybatch::PolyBatch<boost::multiprecision::mpz_int>& out) {
  const std::size_t rows = a.batch_size(), la = a.length(), lb = b.length(), n = out.length();
  for (std::size_t r = 0; r < rows; ++r) {
    const auto* ar = &a(r, 0);
    const auto* br = &b(r, 0);
    auto* o = &out(r, 0);
    for (std::size_t k = 0; k < n; ++k) {
      if (k < la) copy_mpz_value(ar[k], o[k], false);
      if (k < lb) copy_mpz_value(br[k], o[k], k < la);
    }
  }
}

/// The floor of out = derivative(a): each result value takes the next of
/// a's values.
inline void copy_mpz_derivative_bytes(const polybatch::PolyBatch<boost::multiprecision::mpz_int>& a,
                                      polybatch::PolyBatch<boost::multiprecision::mpz_int>& out) {
  const std::size_t rows = a.batch_size(), n = out.length();
  for (std::size_t r = 0; r < rows; ++r) {
    const auto* ar = &a(r, 0);
    auto* o = &out(r, 0);
    for (std::size_t k = 0; k < n && k + 1 < a.length(); ++k) copy_mpz_value(ar[k + 1], o[k], false);
  }
}

} // namespace bench
