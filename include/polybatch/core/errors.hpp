// Exception types thrown by polybatch. Every message names the operation and
// the shapes or values involved, so a failure can be traced without a debugger.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace polybatch {

/// Operands whose batch sizes or lengths cannot be combined, or a container
/// built with an invalid shape (B < 1, L < 1, ragged rows).
class shape_error : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// A value outside an operation's domain: a negative power, a zero leading
/// coefficient in divmod, a scalar that cannot be represented exactly.
class domain_error : public std::domain_error {
public:
  using std::domain_error::domain_error;
};

/// An integer coefficient whose exact value does not fit the coefficient
/// type (built-in integers are checked, never wrapped).
class overflow_error : public std::overflow_error {
public:
  using std::overflow_error::overflow_error;
};

namespace detail {

inline std::string shape_str(std::size_t batch, std::size_t length) {
  return "(B=" + std::to_string(batch) + ", L=" + std::to_string(length) + ")";
}

} // namespace detail
} // namespace polybatch
