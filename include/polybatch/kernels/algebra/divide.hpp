// Row kernel for polynomial long division over a field.
// Aliasing: `q` and `r` must not overlap `a`, `b` or each other; `work` is a
// caller-owned buffer of la coefficients.
#pragma once

#include <algorithm>
#include <cstddef>

namespace polybatch::kernels {

/// a = q b + r for one row, b's last coefficient non-zero (checked by the
/// caller). q has max(la - lb + 1, 1) coefficients, r has max(lb - 1, 1).
/// `work` (la values) holds the running remainder; no other temporaries.
template <class T>
void divide_row(const T* a, std::size_t la, const T* b, std::size_t lb, T* q, T* r, T* work) {
  const std::size_t lq = la >= lb ? la - lb + 1 : 1;
  const std::size_t lr = std::max<std::size_t>(lb - 1, 1);
  std::copy_n(a, la, work);
  for (std::size_t k = 0; k < lq; ++k) q[k] = T(0);
  if (la >= lb) {
    const T& lead = b[lb - 1];
    for (std::size_t i = la - lb + 1; i-- > 0;) {
      q[i] = work[i + lb - 1];
      q[i] /= lead;
      work[i + lb - 1] = T(0); // exactly cancelled (rounding ignored for floats)
      for (std::size_t j = 0; j + 1 < lb; ++j) work[i + j] -= q[i] * b[j];
    }
  }
  for (std::size_t k = 0; k < lr; ++k) r[k] = k < la && k + 1 < lb ? work[k] : T(0);
}

} // namespace polybatch::kernels
