// Builder<std::int64_t> (cli/build.hpp), compiled once for the command line, the
// Python module and the exact check.
#include <cstdint>

#include "cli/build.hpp"

namespace polybatch::cli {
template class Builder<std::int64_t>;
} // namespace polybatch::cli
