// The address of a per-thread object, computed once where it is taken.
#pragma once

namespace polybatch {

/// Returns p unchanged, as a value the compiler cannot recompute. In
/// position-independent code (shared libraries, the Python module) a
/// thread_local's address is a call to __tls_get_addr, and GCC 12 repeated
/// that call at uses inside loops instead of keeping the address in a
/// register (the rational kernels' factor merge: about 14 calls a 5 x 7 row,
/// 5% of its instructions; the roots kernel: about 90 call sites); passed
/// through here, it is computed once and kept.
template <class T>
[[gnu::always_inline]] inline T* thread_local_address(T* p) {
  asm("" : "+r"(p));
  return p;
}

} // namespace polybatch
