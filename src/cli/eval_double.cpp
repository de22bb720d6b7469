// `polybatch eval` instantiated for --type double (one translation unit per type
// keeps each compile small and lets them build in parallel).
#include <cstdint>

#include "cli/eval_command.hpp"

namespace polybatch::cli {
template int eval_with<double>(const EvalOptions&);
} // namespace polybatch::cli
