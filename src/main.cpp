// The `polybatch` command: subcommands demo, eval and bench (CLI11). Every
// failure ends here as one line on stderr ("polybatch: error: ...") and a
// non-zero exit code; a parse error adds the expression with a caret.
#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
#include <set>
#include <string>
#include <vector>

#include <signal.h>

#include <CLI/CLI.hpp>

#include <polybatch/interop/atomic_file.hpp>
#include <polybatch/interop/errors.hpp>
#include <polybatch/polybatch.hpp>

#include "cli/build.hpp"
#include "cli/commands.hpp"
#include "cli/expression.hpp"
#include "cli/kernels_info.hpp"
#include "cli/options.hpp"

namespace {

namespace cli = polybatch::cli;

constexpr int exit_error = 1;
constexpr int exit_usage = 2;

/// An interrupted run leaves no temporary output behind: the handler removes
/// them, then the signal, now at its default action, ends the process as it
/// would have (exit status 128 + the signal), once the handler returns.
void remove_temporaries_and_die(int sig) {
  polybatch::interop::remove_temporaries();
  ::raise(sig);
}

void remove_temporaries_on_signals() {
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old {};
    // A signal the shell ignores (nohup, a background job's SIGINT) stays ignored.
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_die;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    ::sigaction(sig, &action, nullptr);
  }
}

void error_line(const std::string& message) { std::cerr << "polybatch: error: " << message << "\n"; }

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

/// NAME=FILE arguments: names are identifiers, distinct, and not words of
/// the language.
std::vector<std::pair<std::string, std::string>> parse_inputs(const std::vector<std::string>& args) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen;
  for (const std::string& arg : args) {
    const std::size_t eq = arg.find('=');
    if (eq == std::string::npos)
      throw cli::UserError(polybatch::interop::quoted(arg) + " is not NAME=FILE (for example a=a.npy)");
    const std::string name = arg.substr(0, eq), file = arg.substr(eq + 1);
    if (!is_identifier(name))
      throw cli::UserError(polybatch::interop::quoted(name) + " in " + polybatch::interop::quoted(arg) +
                           " is not a valid name (letters, digits and _, not first a digit)");
    for (const auto& f : cli::functions())
      if (name == f.name)
        throw cli::UserError(polybatch::interop::quoted(name) + " is a function name; call the batch something else");
    if (name == "full" || name == "same" || name == "valid")
      throw cli::UserError(polybatch::interop::quoted(name) + " is a convolution mode; call the batch something else");
    if (file.empty()) throw cli::UserError(polybatch::interop::quoted(arg) + " names no file");
    if (!seen.insert(name).second) throw cli::UserError("the name '" + name + "' is given twice");
    out.emplace_back(name, file);
  }
  return out;
}

void add_threads_option(CLI::App* cmd, std::size_t& threads) {
  cmd->add_option("--threads", threads,
                  "Threads for evaluation (default: $POLYBATCH_NUM_THREADS, else every hardware thread)")
      ->check(CLI::Range(std::size_t{1}, cli::max_threads));
}

const char* eval_description = R"(
Each NAME=FILE reads a batch: a .npy file (float32, float64, int32 or int64; a
B x L array holds B polynomials of L coefficients in ascending powers, a 1-D
array one polynomial) or a .csv file (one polynomial per line, coefficients
separated by commas). A batch of one polynomial broadcasts against any batch.

Expression syntax:
  a + b, a - b, -a      coefficient-wise (the shorter is padded with zeros)
  a * b                 polynomial product (row-wise full convolution)
  2 * a, a * 0.5        scaling by a number; a + 1 adds a constant
  a ^ k, a ** k         power, k a non-negative integer literal
  ( ... )               grouping
  convolve(a, v[, mode])    numpy.convolve row by row; mode full (default), same, valid
  correlate(a, v[, mode])   numpy.correlate row by row; mode valid (default), same, full
  pow(a, k)  derivative(a)  integral(a)  compose(a, b)  truncate(e, n)
  eval_at(a, x)         the value of each row at the number x (a B x 1 result)

Output (-o): .npy (float, double, int) or .csv (every type; exact and
extended values are written with every digit). Without -o the result is
printed as CSV. The output is written to a temporary file in the same
directory, flushed to disk (fsync), and renamed into place: a failure never
leaves a partial file, and a reported success survives a crash (--no-sync
skips the flushes). .npy inputs in the evaluation's type are read in place
(memory-mapped), so do not truncate an input while it is being read.

Examples:
  polybatch eval 'a*b' a=a.npy b=b.npy -o r.npy
  polybatch eval '(a*b)*c + 2*a' a=a.npy b=b.npy c=c.npy -o r.npy --verify
  polybatch eval 'derivative(p)^2' p=p.csv --type rational -o r.csv
  polybatch eval 'correlate(x, w, same)' x=signal.npy w=kernel.npy -o y.npy)";

const char* roots_description = R"(
The batch is read as for eval (.npy float32/float64/int32/int64, or .csv with
one polynomial per line, ascending powers). Row i of the result holds the L-1
roots of row i with multiplicity, sorted by (real, imaginary) part; a row of
lower degree ends in NaN, a zero or constant row is all NaN.

Output (-o): .npy is complex (complex64 for --type float, complex128 for
double, complex256 for longdouble), shape B x (L-1); .csv has one line per row,
re0,im0,re1,im1,... with every digit. Without -o the CSV goes to stdout.

--verify prints, on stderr, the largest certified inclusion radius and how
many rows have pairwise disjoint disks (each holding exactly one root).

Examples:
  polybatch roots p=p.npy -o z.npy
  polybatch roots p.csv --type longdouble --verify -o z.csv)";

} // namespace

int main(int argc, char** argv) {
  remove_temporaries_on_signals();
  CLI::App app{"polybatch: batched polynomial arithmetic with fused lazy expressions.\n"
               "Start with `polybatch demo`; see `polybatch eval --help` for files and expressions.",
               "polybatch"};
  app.require_subcommand(1);
  // An invalid POLYBATCH_ARCH is reported once, as one line, before anything runs.
  std::string kernels;
  try {
    kernels = cli::kernels_in_use();
  } catch (const std::exception& e) {
    error_line(e.what());
    return exit_error;
  }
  app.set_version_flag("--version", "polybatch 0.1.0, " + kernels);
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    std::string usage = a ? a->get_name() : std::string("polybatch");
    if (a && a->get_parent()) usage = a->get_parent()->get_name() + " " + usage;
    std::string hint;
    // Only eval takes an expression, which may start with '-' (a negation).
    const CLI::App* root = a;
    while (root != nullptr && root->get_parent() != nullptr) root = root->get_parent();
    bool in_eval = false;
    if (root != nullptr)
      for (const CLI::App* sub : root->get_subcommands()) in_eval = in_eval || sub->get_name() == "eval";
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr && in_eval)
      hint = "; an expression that starts with '-' goes after `--`: polybatch eval -- '-a + b' ...";
    return "polybatch: error: " + std::string(e.what()) + hint + " (see `" + usage + " --help`)\n";
  });

  std::size_t threads = 0;
  // `-o ''` (an unset shell variable) would otherwise mean standard output.
  const CLI::Validator named_file(
      [](const std::string& path) {
        return path.empty() ? std::string("an empty file name; leave -o out to write CSV on standard output")
                            : std::string();
      },
      "FILE");

  cli::DemoOptions demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "The main job on built-in data: a million pairs of rows (lengths 5 and 7) multiplied, plus the\n"
              "fused (a*b)*c; timed, and checked against a naive loop and exact rational arithmetic");
  demo_cmd->add_option("--rows", demo.rows, "Pairs of rows")->capture_default_str()->check(CLI::Range(1, 100'000'000));
  // NonNegativeNumber: CLI11 would otherwise wrap -1 into an unsigned count.
  demo_cmd->add_option("--exact-rows", demo.exact_rows, "Rows checked in exact rational arithmetic")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  demo_cmd->add_option("--seed", demo.seed, "Random seed")->capture_default_str()->check(CLI::NonNegativeNumber);
  add_threads_option(demo_cmd, threads);

  cli::EvalOptions eval;
  std::vector<std::string> inputs;
  std::string type = "auto";
  CLI::App* eval_cmd = app.add_subcommand("eval", "Evaluate an expression over batches read from .npy/.csv files");
  eval_cmd->footer(eval_description);
  eval_cmd->add_option("EXPR", eval.expression, "The expression, e.g. 'a*b + c'")->required();
  eval_cmd->add_option("NAME=FILE", inputs, "Named input batches, e.g. a=a.npy b=b.csv");
  eval_cmd->add_option("-o,--output", eval.output, "Output file (.npy or .csv); default: CSV on stdout")
      ->check(named_file);
  eval_cmd
      ->add_option("--type", type,
                   "Scalar type: float, double, int (64-bit), rational (exact), quad (113-bit binary),\n"
                   "mpfr:BITS (MPFR at BITS of precision), dd (double-double, ~106 bits).\n"
                   "Default: from the .npy inputs (float32 -> float, int -> int, otherwise double)")
      ->capture_default_str();
  add_threads_option(eval_cmd, threads);
  CLI::Option* verify_flag = eval_cmd->add_flag(
      "--verify", eval.verify, "Evaluate again exactly (from the exact input values) and print the largest errors");
  // Without --verify they would change nothing: a slip worth naming.
  eval_cmd
      ->add_option("--verify-rows", eval.verify_rows,
                   "Rows checked by --verify, evenly spaced (0: every row). Default: every row where the check\n"
                   "runs at machine speed (float, double, int, dd, quad, mpfr up to 248 bits), 20000 where it\n"
                   "runs in rationals (rational, wider mpfr, integral and power series)")
      ->check(CLI::NonNegativeNumber)
      ->needs(verify_flag);
  eval_cmd
      ->add_flag("--verify-rationals", eval.verify_rationals,
                 "With --verify: check in exact rationals only (slow, 20000 rows by default), the reference the\n"
                 "machine-speed check is tested against")
      ->needs(verify_flag);
  eval_cmd->add_flag("--progress", eval.progress, "Show a progress bar on stderr even when it is not a terminal");
  eval_cmd->add_flag("--allow-overflow", eval.allow_overflow,
                     "Write a floating result that overflowed (inf or nan from finite inputs) instead of\n"
                     "stopping with an error that names its row and coefficient");
  eval_cmd->add_flag("--time", eval.timing, "Print the read, compute, write and sync times on stderr");
  eval_cmd->add_flag("--no-sync{false}", eval.sync,
                     "Do not flush the output to disk (fsync) before reporting success: faster, but a crash or "
                     "power cut soon after may lose the file");

  cli::BenchOptions bench;
  CLI::App* bench_cmd = app.add_subcommand(
      "bench", "Compare the compute time of eval 'a*b' (rows of lengths 5 and 7 from .npy) with the library call");
  bench_cmd->add_option("--rows", bench.rows, "Rows")->capture_default_str()->check(CLI::Range(1, 100'000'000));
  bench_cmd->add_option("--repeats", bench.repeats, "Timed repeats (the median is reported)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  bench_cmd->add_option("--max-ratio", bench.max_ratio, "Fail if parsed/library time exceeds this")
      ->capture_default_str();
  add_threads_option(bench_cmd, threads);

  cli::RootsOptions roots;
  CLI::App* roots_cmd =
      app.add_subcommand("roots", "Every complex root of each row of a batch (closed forms to degree 4, Aberth-Ehrlich "
                                  "beyond; each root passes a backward-error test), optionally certified");
  roots_cmd->footer(roots_description);
  roots_cmd->add_option("[NAME=]FILE", roots.input, "The batch, e.g. p=p.npy or p.csv")->required();
  roots_cmd->add_option("-o,--output", roots.output, "Output file (.npy: complex; .csv: re,im pairs); default: stdout")
      ->check(named_file);
  roots_cmd
      ->add_option("--type", roots.type, "float, double or longdouble (default: float for float32 .npy, else double)")
      ->check(CLI::IsMember({"auto", "float", "double", "longdouble"}))
      ->capture_default_str();
  roots_cmd->add_flag("--verify", roots.verify,
                      "Certify the roots (pb::verify_roots, exact arithmetic) and print the largest inclusion radius "
                      "and the rows whose disks are not isolated");
  roots_cmd->add_flag("--no-sync{false}", roots.sync, "Do not flush the output to disk (fsync)");
  add_threads_option(roots_cmd, threads);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return e.get_exit_code() == 0 ? code : exit_usage;
  }

  // A bad POLYBATCH_NUM_THREADS is an error where it would be used (the
  // library alone ignores it): 0, "4x" or 99999 are not silently replaced.
  if (threads == 0) {
    if (const std::string problem = polybatch::num_threads_env_problem(); !problem.empty()) {
      error_line(problem + ": set it to one, unset it, or pass --threads N");
      return exit_usage;
    }
  }
  try {
    if (threads > 0) polybatch::set_num_threads(threads);
    if (demo_cmd->parsed()) return cli::run_demo(demo);
    if (bench_cmd->parsed()) return cli::run_bench(bench);
    if (roots_cmd->parsed()) {
      // NAME=FILE as in eval; the name itself is not used.
      const std::size_t eq = roots.input.find('=');
      if (eq != std::string::npos && is_identifier(roots.input.substr(0, eq))) roots.input.erase(0, eq + 1);
      return cli::run_roots(roots);
    }
    // --type and NAME=FILE are command-line usage: their errors exit 2.
    try {
      eval.type.name = type;
      if (type != "auto") eval.type = cli::parse_type(type);
      eval.inputs = parse_inputs(inputs);
    } catch (const cli::UserError& e) {
      error_line(e.what());
      return exit_usage;
    }
    try {
      eval.ast = cli::parse_expression(eval.expression);
    } catch (const cli::ParseError& e) {
      error_line(e.what());
      std::cerr << cli::caret_line(eval.expression, e.column()) << "\n";
      return exit_error;
    }
    return cli::run_eval(eval);
  } catch (const cli::UserError& e) {
    error_line(e.what());
  } catch (const polybatch::interop::format_error& e) {
    error_line(e.what());
  } catch (const polybatch::shape_error& e) {
    error_line(e.what());
  } catch (const polybatch::domain_error& e) {
    error_line(e.what());
  } catch (const polybatch::overflow_error& e) {
    // The library's remedy names a C++ call; here the remedy is a type.
    if (e.remedy().empty())
      error_line(e.what());
    else
      error_line(std::string(e.problem()) + " (--type rational evaluates it exactly)");
  } catch (const std::bad_alloc&) {
    error_line("out of memory (the inputs or the result are too large for this machine)");
  } catch (const std::exception& e) {
    error_line(e.what());
  }
  return exit_error;
}
