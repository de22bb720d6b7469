// Exception types thrown by polybatch. Every message names the operation and
// the shapes or values involved, so a failure can be traced without a debugger.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

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
  /// what() is `problem (remedy)`; problem() and remedy() give the parts, so
  /// that a front end (the command line, Python) can name its own remedy
  /// without parsing the text. Only an offset is kept: copying stays
  /// noexcept, as an exception's copy must.
  overflow_error(const std::string& problem, const std::string& remedy)
      : std::overflow_error(problem + " (" + remedy + ")"), remedy_at_(problem.size()) {}

  /// The message without its remedy (all of what() where there is none).
  [[nodiscard]] std::string_view problem() const noexcept {
    const std::string_view all(what());
    return remedy_at_ == no_remedy ? all : all.substr(0, remedy_at_);
  }
  /// What would avoid the overflow, in C++ terms; empty where none is named.
  [[nodiscard]] std::string_view remedy() const noexcept {
    const std::string_view all(what());
    return remedy_at_ == no_remedy ? std::string_view() : all.substr(remedy_at_ + 2, all.size() - remedy_at_ - 3);
  }

private:
  static constexpr std::size_t no_remedy = std::string_view::npos;
  std::size_t remedy_at_ = no_remedy;
};

/// A pass stopped at the request of the hook its caller installed
/// (evaluation::InterruptionScope), as Python's Ctrl-C does: the output
/// may hold some tiles of the new result beside what it held before.
class interrupted : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

namespace detail {

inline std::string shape_str(std::size_t batch, std::size_t length) {
  return "(B=" + std::to_string(batch) + ", L=" + std::to_string(length) + ")";
}

/// f(), with a domain_error it throws rethrown as `context(): what()`, so
/// that a shared computation's error says where it ran. `context` is called
/// only on failure: building its text costs nothing otherwise.
template <class F, class Context>
decltype(auto) in_context(F&& f, Context&& context) {
  try {
    return std::forward<F>(f)();
  } catch (const domain_error& e) {
    throw domain_error(std::forward<Context>(context)() + ": " + e.what());
  }
}

} // namespace detail
} // namespace polybatch
