// Builder<boost::multiprecision::cpp_rational> (cli/build.hpp), compiled once for the command line, the
// Python module and the exact check.
#include <boost/multiprecision/cpp_int.hpp>

#include "cli/build.hpp"

namespace polybatch::cli {
template class Builder<boost::multiprecision::cpp_rational>;
} // namespace polybatch::cli
