// What the `eval` subcommand was asked to do, after argument parsing.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "cli/expression.hpp"

namespace polybatch::cli {

/// The scalar types --type accepts.
enum class ScalarKind { float32, float64, int64, rational, quad, mpfr, dd };

struct TypeChoice {
  ScalarKind kind = ScalarKind::float64;
  unsigned mpfr_bits = 0; // for mpfr: the requested precision
  std::string name;       // as given: "double", "mpfr:200", ...
};

/// Parses a --type value; throws UserError naming the accepted values.
TypeChoice parse_type(const std::string& text);

struct EvalOptions {
  std::string expression;
  Ast ast;
  std::vector<std::pair<std::string, std::string>> inputs; // NAME, FILE
  std::string output;                                      // empty: CSV on stdout
  TypeChoice type;
  bool verify = false;
  // The command line checks in rationals (tens of microseconds a row, and the
  // exact batch held in memory), so by default a sample; 0: every row.
  std::size_t verify_rows = 20000;
  bool progress = false;
  bool timing = false;
  bool sync = true; // --no-sync: skip the fsyncs that make the output durable
};

/// Runs `polybatch eval` for the chosen type; returns the exit code.
int run_eval(const EvalOptions& options);

/// Runs `polybatch eval` for scalar T (one translation unit per type).
template <class T>
int eval_with(const EvalOptions& options);

} // namespace polybatch::cli
