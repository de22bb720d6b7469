// Instruction sets the compiled kernels are built for, and how the widest one
// this process may use is found: CPUID says what the CPU has, XGETBV what the
// operating system saves on a context switch (a CPU whose OS leaves the ZMM
// state off must not run AVX-512 code, whatever CPUID says).
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <cpuid.h>
#define POLYBATCH_X86 1
#endif

namespace polybatch {

/// Kernel targets, narrowest first. `avx2` means AVX2 with FMA; `avx512`
/// means AVX-512 F, DQ, BW and VL (what Skylake-SP and later share).
enum class isa { sse2 = 0, avx2 = 1, avx512 = 2 };

inline constexpr std::string_view isa_name(isa t) noexcept {
  switch (t) {
  case isa::avx512:
    return "avx512";
  case isa::avx2:
    return "avx2";
  default:
    return "sse2";
  }
}

namespace detail {

#if defined(POLYBATCH_X86)
inline unsigned long long read_xcr0() noexcept {
  unsigned eax = 0, edx = 0;
  // xgetbv by opcode: no -mxsave needed in a baseline translation unit.
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}
#endif

} // namespace detail

/// The widest target this CPU and operating system run.
inline isa detect_isa() noexcept {
#if defined(POLYBATCH_X86)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return isa::sse2;
  const bool osxsave = (ecx >> 27) & 1u, avx = (ecx >> 28) & 1u, fma = (ecx >> 12) & 1u;
  if (!osxsave || !avx) return isa::sse2;
  const unsigned long long xcr0 = detail::read_xcr0();
  const bool os_ymm = (xcr0 & 0x6u) == 0x6u;   // SSE and AVX state
  const bool os_zmm = (xcr0 & 0xe6u) == 0xe6u; // plus opmask, ZMM_Hi256, Hi16_ZMM
  if (!os_ymm || __get_cpuid_max(0, nullptr) < 7) return isa::sse2;
  __cpuid_count(7, 0, eax, ebx, ecx, edx);
  const bool avx2 = (ebx >> 5) & 1u;
  const bool avx512 = ((ebx >> 16) & 1u) && ((ebx >> 17) & 1u) && ((ebx >> 30) & 1u) && ((ebx >> 31) & 1u);
  if (avx2 && fma && avx512 && os_zmm) return isa::avx512;
  if (avx2 && fma) return isa::avx2;
#endif
  return isa::sse2;
}

/// The target named by `request` (the value of POLYBATCH_ARCH), checked
/// against what the machine runs; an empty request selects the best.
inline isa choose_isa(std::string_view request, isa best) {
  if (request.empty()) return best;
  isa asked;
  if (request == "sse2")
    asked = isa::sse2;
  else if (request == "avx2")
    asked = isa::avx2;
  else if (request == "avx512")
    asked = isa::avx512;
  else
    throw std::runtime_error("POLYBATCH_ARCH=" + std::string(request) +
                             " is not a kernel target (choose sse2, avx2 or avx512; this machine's best is " +
                             std::string(isa_name(best)) + ")");
  if (static_cast<int>(asked) > static_cast<int>(best))
    throw std::runtime_error("POLYBATCH_ARCH=" + std::string(request) +
                             " is not supported by this machine (its best is " + std::string(isa_name(best)) + ")");
  return asked;
}

/// choose_isa for the environment variable POLYBATCH_ARCH.
inline isa isa_from_environment() {
  const char* env = std::getenv("POLYBATCH_ARCH");
  return choose_isa(env ? std::string_view(env) : std::string_view(), detect_isa());
}

} // namespace polybatch
