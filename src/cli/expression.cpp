// Recursive-descent parser for the `polybatch eval` expression language.
#include "cli/expression.hpp"

#include <algorithm>
#include <cctype>

namespace polybatch::cli {

const std::vector<FunctionInfo>& functions() {
  static const std::vector<FunctionInfo> table = {
      {"convolve", 2, 3, "convolve(a, v[, full|same|valid])"},
      {"correlate", 2, 3, "correlate(a, v[, valid|same|full])"},
      {"pow", 2, 2, "pow(a, k)"},
      {"derivative", 1, 1, "derivative(a)"},
      {"integral", 1, 1, "integral(a)"},
      {"compose", 2, 2, "compose(a, b)"},
      {"truncate", 2, 2, "truncate(e, n)"},
      {"eval_at", 2, 2, "eval_at(a, x)"},
      // Power series mod x^n (n defaults to the first argument's length).
      {"inv", 1, 2, "inv(a[, n])"},
      {"div", 2, 3, "div(a, b[, n])"},
      {"exp", 1, 2, "exp(a[, n])"},
      {"log", 1, 2, "log(a[, n])"},
      {"sqrt", 1, 2, "sqrt(a[, n])"},
      {"series_pow", 2, 3, "series_pow(a, s[, n])"},
      {"sin", 1, 2, "sin(a[, n])"},
      {"cos", 1, 2, "cos(a[, n])"},
      {"tan", 1, 2, "tan(a[, n])"},
      {"atan", 1, 2, "atan(a[, n])"},
      {"sinh", 1, 2, "sinh(a[, n])"},
      {"cosh", 1, 2, "cosh(a[, n])"},
      {"tanh", 1, 2, "tanh(a[, n])"},
  };
  return table;
}

namespace {

constexpr std::size_t max_depth = 200;
// Operations on the longest path from the root: a chain such as a + a + ...
// is parsed by a loop, but the tree it makes is as deep as it is long, and
// building and evaluating it recurse once per level (20,000 terms overflowed
// an 8 MB stack).
constexpr std::size_t max_height = 1000;

enum class Tok { number, name, plus, minus, star, caret, lparen, rparen, comma, end };

struct Token {
  Tok kind;
  std::string_view text;
  std::size_t pos;
};

std::string describe(const Token& t) {
  switch (t.kind) {
  case Tok::end:
    return "the end of the expression";
  case Tok::number:
    return "the number '" + std::string(t.text) + "'";
  case Tok::name:
    return "the name '" + std::string(t.text) + "'";
  default: {
    // Built by append: GCC 12 warns falsely (-Wrestrict) on "'" + s + "'".
    std::string quoted(1, '\'');
    quoted.append(t.text);
    quoted.push_back('\'');
    return quoted;
  }
  }
}

class Parser {
public:
  explicit Parser(std::string_view src) : src_(src) { advance(); }

  Ast parse() {
    Ast e = expression(0);
    if (tok_.kind != Tok::end) {
      if (tok_.kind == Tok::rparen) fail(tok_.pos, "unbalanced ')'");
      fail(tok_.pos, "expected an operator (+ - * ^) or the end, found " + describe(tok_));
    }
    return e;
  }

private:
  [[noreturn]] void fail(std::size_t pos, const std::string& why) {
    throw ParseError(pos + 1, "parse error at column " + std::to_string(pos + 1) + ": " + why);
  }

  void advance() {
    std::size_t i = pos_;
    while (i < src_.size() && std::isspace(static_cast<unsigned char>(src_[i]))) ++i;
    if (i >= src_.size()) {
      tok_ = {Tok::end, {}, src_.size()};
      pos_ = i;
      return;
    }
    const char c = src_[i];
    auto single = [&](Tok k, std::size_t len = 1) {
      tok_ = {k, src_.substr(i, len), i};
      pos_ = i + len;
    };
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < src_.size() && std::isdigit(static_cast<unsigned char>(src_[i + 1])))) {
      std::size_t j = i;
      while (j < src_.size() && std::isdigit(static_cast<unsigned char>(src_[j]))) ++j;
      if (j < src_.size() && src_[j] == '.') {
        ++j;
        while (j < src_.size() && std::isdigit(static_cast<unsigned char>(src_[j]))) ++j;
      }
      if (j < src_.size() && (src_[j] == 'e' || src_[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < src_.size() && (src_[k] == '+' || src_[k] == '-')) ++k;
        if (k < src_.size() && std::isdigit(static_cast<unsigned char>(src_[k]))) {
          while (k < src_.size() && std::isdigit(static_cast<unsigned char>(src_[k]))) ++k;
          j = k;
        }
      }
      if (j < src_.size() && (std::isalpha(static_cast<unsigned char>(src_[j])) || src_[j] == '_'))
        fail(j, "a number cannot run into a name (write '2*a', not '2a')");
      single(Tok::number, j - i);
      return;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[j])) || src_[j] == '_')) ++j;
      single(Tok::name, j - i);
      return;
    }
    switch (c) {
    case '+':
      return single(Tok::plus);
    case '-':
      return single(Tok::minus);
    case '*':
      if (i + 1 < src_.size() && src_[i + 1] == '*') return single(Tok::caret, 2);
      return single(Tok::star);
    case '^':
      return single(Tok::caret);
    case '(':
      return single(Tok::lparen);
    case ')':
      return single(Tok::rparen);
    case ',':
      return single(Tok::comma);
    default:
      break;
    }
    if (c == '/') fail(i, "'/' is not an operator here (division is not supported)");
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      fail(i, "unexpected byte " + std::to_string(static_cast<unsigned char>(c)));
    fail(i, std::string("unexpected character '") + c + "'");
  }

  Ast node(NodeKind kind, std::size_t begin, std::vector<Ast> args, std::string text = {}) {
    Ast a;
    a.kind = kind;
    a.text = std::move(text);
    a.args = std::move(args);
    a.begin = begin;
    a.end = args_end(a);
    a.height = 0;
    for (const Ast& x : a.args) a.height = std::max(a.height, x.height + 1);
    if (a.height > max_height)
      fail(begin, "the expression is nested too deeply (its tree is more than 1000 operations deep; each + - * "
                  "of a chain such as a + a + ... counts one)");
    return a;
  }
  static std::size_t args_end(const Ast& a) {
    std::size_t e = a.begin;
    for (const Ast& x : a.args) e = std::max(e, x.end);
    return e;
  }

  void enter(std::size_t depth) {
    if (depth > max_depth)
      fail(tok_.pos, "the expression is nested too deeply (more than 200 levels of parentheses, function calls "
                     "and signs)");
  }

  Ast expression(std::size_t depth) {
    enter(depth);
    Ast lhs = term(depth);
    while (tok_.kind == Tok::plus || tok_.kind == Tok::minus) {
      const NodeKind k = tok_.kind == Tok::plus ? NodeKind::add : NodeKind::subtract;
      const std::size_t begin = lhs.begin;
      advance();
      Ast rhs = term(depth);
      std::vector<Ast> args;
      args.push_back(std::move(lhs));
      args.push_back(std::move(rhs));
      lhs = node(k, begin, std::move(args));
    }
    return lhs;
  }

  Ast term(std::size_t depth) {
    Ast lhs = unary(depth);
    while (tok_.kind == Tok::star) {
      const std::size_t begin = lhs.begin;
      advance();
      Ast rhs = unary(depth);
      std::vector<Ast> args;
      args.push_back(std::move(lhs));
      args.push_back(std::move(rhs));
      lhs = node(NodeKind::multiply, begin, std::move(args));
    }
    return lhs;
  }

  Ast unary(std::size_t depth) {
    if (tok_.kind == Tok::minus) {
      const std::size_t begin = tok_.pos;
      advance();
      // A minus and a number literal that is no power's base (-2^2 is
      // -(2^2)) read as one negative number: the most negative int64,
      // -9223372036854775808, is then a number (its magnitude alone is not).
      if (tok_.kind == Tok::number) {
        const Token number = tok_;
        const std::size_t after = pos_;
        advance();
        if (tok_.kind != Tok::caret) {
          Ast a = node(NodeKind::number, begin, {}, "-" + std::string(number.text));
          a.end = number.pos + number.text.size();
          return a;
        }
        tok_ = number; // the number is a power's base: read it again below
        pos_ = after;
      }
      enter(depth + 1);
      std::vector<Ast> args;
      args.push_back(unary(depth + 1));
      return node(NodeKind::negate, begin, std::move(args));
    }
    if (tok_.kind == Tok::plus) { // unary plus: a no-op
      advance();
      enter(depth + 1);
      return unary(depth + 1);
    }
    return power(depth);
  }

  Ast power(std::size_t depth) {
    Ast base = primary(depth);
    if (tok_.kind != Tok::caret) return base;
    const Token op = tok_;
    advance();
    if (tok_.kind == Tok::minus) fail(tok_.pos, "negative powers are not polynomials: the exponent must be >= 0");
    if (tok_.kind != Tok::number || tok_.text.find_first_not_of("0123456789") != std::string_view::npos)
      fail(tok_.pos,
           "expected a non-negative integer exponent after '" + std::string(op.text) + "', found " + describe(tok_));
    Ast exponent = node(NodeKind::number, tok_.pos, {}, std::string(tok_.text));
    exponent.end = tok_.pos + tok_.text.size();
    advance();
    if (tok_.kind == Tok::caret) fail(tok_.pos, "chained powers are ambiguous: write (a^2)^3 or a^6");
    const std::size_t begin = base.begin;
    std::vector<Ast> args;
    args.push_back(std::move(base));
    args.push_back(std::move(exponent));
    return node(NodeKind::power, begin, std::move(args));
  }

  Ast primary(std::size_t depth) {
    const Token t = tok_;
    switch (t.kind) {
    case Tok::number: {
      advance();
      Ast a = node(NodeKind::number, t.pos, {}, std::string(t.text));
      a.end = t.pos + t.text.size();
      return a;
    }
    case Tok::name: {
      advance();
      if (tok_.kind != Tok::lparen) {
        Ast a = node(NodeKind::name, t.pos, {}, std::string(t.text));
        a.end = t.pos + t.text.size();
        return a;
      }
      return call(t, depth);
    }
    case Tok::lparen: {
      advance();
      Ast inner = expression(depth + 1);
      if (tok_.kind != Tok::rparen)
        fail(tok_.pos,
             "expected ')' to close the '(' at column " + std::to_string(t.pos + 1) + ", found " + describe(tok_));
      inner.begin = t.pos;
      inner.end = tok_.pos + 1;
      advance();
      return inner;
    }
    default:
      fail(t.pos, "expected a number, a name or '(', found " + describe(t));
    }
  }

  Ast call(const Token& name, std::size_t depth) {
    const auto& table = functions();
    const auto it =
        std::find_if(table.begin(), table.end(), [&](const FunctionInfo& f) { return name.text == f.name; });
    if (it == table.end()) {
      std::string known;
      for (const auto& f : table) known += (known.empty() ? "" : ", ") + std::string(f.name);
      fail(name.pos, "unknown function '" + std::string(name.text) + "' (known: " + known + ")");
    }
    advance(); // '('
    std::vector<Ast> args;
    if (tok_.kind != Tok::rparen) {
      for (;;) {
        args.push_back(expression(depth + 1));
        if (tok_.kind == Tok::comma) {
          advance();
          continue;
        }
        if (tok_.kind != Tok::rparen)
          fail(tok_.pos,
               "expected ',' or ')' in the arguments of " + std::string(name.text) + ", found " + describe(tok_));
        break;
      }
    }
    if (args.size() < it->min_args || args.size() > it->max_args)
      fail(name.pos,
           std::string(it->name) + " takes " +
               (it->min_args == it->max_args ? std::to_string(it->min_args)
                                             : std::to_string(it->min_args) + " or " + std::to_string(it->max_args)) +
               " argument" + (it->max_args == 1 ? "" : "s") + ", got " + std::to_string(args.size()) + ": " +
               it->usage);
    Ast a = node(NodeKind::call, name.pos, std::move(args), std::string(name.text));
    a.end = tok_.pos + 1;
    advance(); // ')'
    return a;
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  Token tok_{Tok::end, {}, 0};
};

void collect_names(const Ast& a, std::vector<std::string>& out) {
  if (a.kind == NodeKind::name) {
    if (std::find(out.begin(), out.end(), a.text) == out.end()) out.push_back(a.text);
    return;
  }
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    // The mode of convolve/correlate is a word, not a batch.
    if (a.kind == NodeKind::call && (a.text == "convolve" || a.text == "correlate") && i == 2 &&
        a.args[i].kind == NodeKind::name)
      continue;
    collect_names(a.args[i], out);
  }
}

} // namespace

Ast parse_expression(std::string_view source) { return Parser(source).parse(); }

std::vector<std::string> referenced_names(const Ast& ast) {
  std::vector<std::string> out;
  collect_names(ast, out);
  return out;
}

std::string caret_line(std::string_view source, std::size_t column) {
  // A long expression (a generated one can be megabytes) is shown as a
  // window of 80 characters around the column.
  constexpr std::size_t half = 40;
  const std::size_t at = std::min(column > 0 ? column - 1 : 0, source.size());
  std::size_t begin = 0, end = source.size();
  if (source.size() > 2 * half + 6) {
    begin = at > half ? at - half : 0;
    end = std::min(source.size(), begin + 2 * half);
  }
  std::string line = begin > 0 ? "  ..." : "  ";
  for (char c : source.substr(begin, end - begin))
    line += (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) ? '?' : c;
  if (end < source.size()) line += "...";
  line += "\n  " + std::string((begin > 0 ? 3 : 0) + at - begin, ' ') + "^";
  return line;
}

} // namespace polybatch::cli
