// The expression language of `polybatch eval`: a syntax tree and its parser.
// The tree does not depend on the scalar type; build.hpp turns it into a
// run-time polybatch expression for the type chosen on the command line.
//
//   expr    := term (('+' | '-') term)*
//   term    := unary ('*' unary)*
//   unary   := '-' unary | power
//   power   := primary (('^' | '**') INTEGER)?
//   primary := NUMBER | NAME | NAME '(' expr (',' expr)* ')' | '(' expr ')'
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace polybatch::cli {

/// A syntax error at a column (1-based) of the expression.
class ParseError : public std::runtime_error {
public:
  ParseError(std::size_t column, const std::string& what) : std::runtime_error(what), column_(column) {}
  std::size_t column() const { return column_; }

private:
  std::size_t column_;
};

enum class NodeKind { number, name, add, subtract, multiply, negate, power, call };

/// One node of the syntax tree. `begin`/`end` is its span in the source
/// (0-based, end exclusive), used to quote it in error messages.
struct Ast {
  NodeKind kind = NodeKind::number;
  std::string text; // number literal, batch name, function name or the exponent
  std::vector<Ast> args;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t height = 0; // operations on the longest path down to a leaf
};

/// A function of the language: its name and how many arguments it takes.
struct FunctionInfo {
  const char* name;
  std::size_t min_args;
  std::size_t max_args;
  const char* usage;
};

/// Every function the parser accepts (whether the scalar type supports it is
/// decided when the tree is built).
const std::vector<FunctionInfo>& functions();

/// Parses `source`; throws ParseError on any syntax error.
Ast parse_expression(std::string_view source);

/// The names of batches the expression refers to, in order of appearance.
std::vector<std::string> referenced_names(const Ast& ast);

/// "  a * )\n      ^" : the expression and a caret under `column` (1-based).
std::string caret_line(std::string_view source, std::size_t column);

} // namespace polybatch::cli
