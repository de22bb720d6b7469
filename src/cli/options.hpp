// What the `eval` subcommand was asked to do, after argument parsing.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <polybatch/eval/threads.hpp>

#include "cli/expression.hpp"

namespace polybatch::cli {

/// Most threads --threads (and the Python module's threads=) accept: each
/// is a worker kept for the life of the process, so a mistyped count must
/// not start a million of them.
inline constexpr std::size_t max_threads = polybatch::max_num_threads;

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
  // --verify-rationals: skip the machine-speed check (the reference it is tested against).
  bool verify_rationals = false;
  // Rows --verify checks, evenly spaced; 0: every row. Not given: every row
  // where the check runs at machine speed (float and double without integral
  // or power series), else the sample below (rationals take tens of
  // microseconds a row, and the exact batch is held in memory).
  std::size_t verify_rows = verify_rows_default;
  static constexpr std::size_t verify_rows_default = static_cast<std::size_t>(-1);
  static constexpr std::size_t verify_rows_sample = 20000;
  bool progress = false;
  bool timing = false;
  // --allow-overflow: write floating results that overflowed (infinities and
  // NaNs from finite inputs) instead of refusing them.
  bool allow_overflow = false;
  bool sync = true; // --no-sync: skip the fsyncs that make the output durable
};

/// Runs `polybatch eval` for the chosen type; returns the exit code.
int run_eval(const EvalOptions& options);

/// Runs `polybatch eval` for scalar T (one translation unit per type).
template <class T>
int eval_with(const EvalOptions& options);

} // namespace polybatch::cli
