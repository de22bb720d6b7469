// Which kernels this binary runs, for --version and the demo. The CLI links
// polybatch::kernels, so float, double and double-double products run the
// widest instruction set the machine has, whatever flags built the CLI.
#pragma once

#include <cstdlib>
#include <string>

#include <polybatch/kernels/compiled.hpp>

namespace polybatch::cli {

/// "avx512 kernels (run-time dispatch)", or with POLYBATCH_ARCH set, says so.
/// Throws std::runtime_error for an unknown or unsupported POLYBATCH_ARCH.
inline std::string kernels_in_use() {
#if defined(POLYBATCH_COMPILED_KERNELS)
  const std::string chosen(isa_name(compiled::active_isa()));
  const char* forced = std::getenv("POLYBATCH_ARCH");
  if (forced && *forced)
    return chosen + " kernels (forced by POLYBATCH_ARCH; this machine's best is " +
           std::string(isa_name(detect_isa())) + ")";
  return chosen + " kernels (run-time dispatch)";
#else
  return "header-only kernels for the build's compiler flags";
#endif
}

} // namespace polybatch::cli
