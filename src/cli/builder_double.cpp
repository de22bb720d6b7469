// Builder<double> (cli/build.hpp), compiled once for the command line, the
// Python module and the exact check.
#include "cli/build.hpp"

namespace polybatch::cli {
template class Builder<double>;
} // namespace polybatch::cli
