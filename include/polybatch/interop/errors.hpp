// The error a file reader or writer throws: one line that names the file and,
// where it applies, the line or coefficient, then says what is wrong.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace polybatch::interop {

class format_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// s in single quotes. Built by append: GCC 12 warns falsely (-Wrestrict)
/// on the expression "'" + std::string(s) + "'".
inline std::string quoted(std::string_view s) {
  std::string q;
  q.reserve(s.size() + 2);
  q.push_back('\'');
  q.append(s);
  q.push_back('\'');
  return q;
}

} // namespace polybatch::interop
