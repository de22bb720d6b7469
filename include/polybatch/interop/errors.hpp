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
  // Control bytes as \xHH: a NUL would end the message (what() is a C
  // string), a carriage return would overwrite it on a terminal. A
  // backslash is doubled, so that a written \x00 is not read as a NUL.
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\') {
      q += "\\\\";
    } else if (u < 0x20 || u == 0x7f) {
      constexpr char hex[] = "0123456789abcdef";
      q += "\\x";
      q.push_back(hex[u >> 4]);
      q.push_back(hex[u & 15]);
    } else {
      q.push_back(c);
    }
  }
  q.push_back('\'');
  return q;
}

} // namespace polybatch::interop
