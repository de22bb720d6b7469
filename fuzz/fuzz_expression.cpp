// libFuzzer target: the `polybatch eval` expression parser and builder. Any
// input must either parse or throw ParseError, and a parsed tree must either
// build over small batches or throw a one-line UserError; small results are
// evaluated so the run-time tree's evaluator runs too, where a value outside
// a function's domain (inv(0), log(-1)) is a pb::domain_error naming the row.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <polybatch/eval/dynamic.hpp>
#include <polybatch/polybatch.hpp>

#include "cli/build.hpp"
#include "cli/expression.hpp"

namespace pb = polybatch;

namespace {
std::shared_ptr<const pb::PolyBatch<double>> batch(std::size_t b, std::size_t l, double seed) {
  auto p = std::make_shared<pb::PolyBatch<double>>(b, l);
  for (std::size_t i = 0; i < b * l; ++i) p->data()[i] = seed + static_cast<double>(i % 7) - 3.0;
  return p;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 512) return 0; // long inputs only slow the search down
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  pb::cli::Ast ast;
  try {
    ast = pb::cli::parse_expression(source);
  } catch (const pb::cli::ParseError& e) {
    if (e.column() < 1 || e.column() > size + 1) __builtin_trap(); // the caret must point into the text
    return 0;
  }
  static const auto a = batch(3, 4, 0.5), b = batch(3, 5, -1.0), c = batch(1, 2, 2.0);
  std::map<std::string, pb::cli::NamedBatch<double>> named;
  named.emplace("a", pb::cli::NamedBatch<double>{pb::dynamic_leaf(a), "a.npy"});
  named.emplace("b", pb::cli::NamedBatch<double>{pb::dynamic_leaf(b), "b.npy"});
  named.emplace("c", pb::cli::NamedBatch<double>{pb::dynamic_leaf(c), "c.npy"});
  try {
    const pb::expr::Dynamic<double> e = pb::cli::Builder<double>(source, named, "double").build(ast);
    if (e.length() <= 256) {
      const pb::PolyBatch<double> r = e;
      (void)r;
    }
  } catch (const pb::cli::UserError&) {
  } catch (const pb::domain_error&) {
  }
  return 0;
}
