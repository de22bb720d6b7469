// `polybatch demo`: the problem polybatch was built for, on built-in data.
// A million pairs of rows (lengths 5 and 7) multiplied as polynomials, and
// the fused (a * b) * c, each timed and checked: against a naive double loop,
// against two separate passes, and against exact rational arithmetic on a
// sample of rows. Exits non-zero if a check fails.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <polybatch/eval/dynamic.hpp>
#include <polybatch/polybatch.hpp>

#include "cli/build.hpp"
#include "cli/commands.hpp"
#include "cli/kernels_info.hpp"
#include "cli/scalars.hpp"
#include "cli/timing.hpp"

namespace polybatch::cli {

namespace {

/// Largest |x - y| over two equally shaped batches.
double max_abs_diff(const PolyBatch<double>& x, const PolyBatch<double>& y) {
  double m = 0;
  for (std::size_t i = 0; i < x.batch_size() * x.length(); ++i) m = std::max(m, std::abs(x.data()[i] - y.data()[i]));
  return m;
}

struct ExactCheck {
  double max_rel_to_row = 0; // |error| / max |exact coefficient| of the row
  double max_abs = 0;
};

/// Rows `rows` of `r` against the exact product of the same rows of the
/// operands, computed in rationals from the operands' exact values.
template <class ExactOf>
ExactCheck exact_check(const PolyBatch<double>& r, const std::vector<std::size_t>& rows, ExactOf exact_of) {
  ExactCheck c;
  const std::size_t len = r.length();
  for (std::size_t i : rows) {
    const std::vector<rational> exact = exact_of(i);
    rational mag = 0;
    for (const rational& x : exact) mag = std::max<rational>(mag, abs(x));
    for (std::size_t k = 0; k < len; ++k) {
      const rational err = abs(rational(r.data()[i * len + k]) - exact[k]);
      c.max_abs = std::max(c.max_abs, err.convert_to<double>());
      if (mag != 0) c.max_rel_to_row = std::max(c.max_rel_to_row, rational(err / mag).convert_to<double>());
    }
  }
  return c;
}

std::vector<rational> exact_product(const double* a, std::size_t la, const double* b, std::size_t lb) {
  std::vector<rational> out(la + lb - 1, rational(0));
  for (std::size_t i = 0; i < la; ++i)
    for (std::size_t j = 0; j < lb; ++j) out[i + j] += rational(a[i]) * rational(b[j]);
  return out;
}

std::vector<rational> exact_product(const std::vector<rational>& a, const double* b, std::size_t lb) {
  std::vector<rational> out(a.size() + lb - 1, rational(0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < lb; ++j) out[i + j] += a[i] * rational(b[j]);
  return out;
}

} // namespace

int run_demo(const DemoOptions& o) {
  const std::size_t rows = o.rows;
  constexpr std::size_t la = 5, lb = 7, lc = 5, lr = la + lb - 1, lf = lr + lc - 1;
  const int repeats = 5;

  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> coeff(-1.0, 1.0);
  auto make = [&](std::size_t length) {
    PolyBatch<double> p = PolyBatch<double>::uninitialized(rows, length);
    std::generate(p.data(), p.data() + rows * length, [&] { return coeff(rng); });
    return p;
  };
  const auto t_start = std::chrono::steady_clock::now();
  const PolyBatch<double> a = make(la), b = make(lb), c = make(lc);
  PolyBatch<double> r(rows, lr), naive(rows, lr), fused(rows, lf), two_pass(rows, lf), parsed(rows, lr), tmp(rows, lr);

  std::printf(
      "polybatch demo: %zu pairs of rows of lengths %zu and %zu (random in [-1, 1], seed %llu), %zu threads, %s\n\n",
      rows, la, lb, static_cast<unsigned long long>(o.seed), num_threads(), kernels_in_use().c_str());

  // Timings.
  const double t_lib = median_ms(repeats, [&] { r = a * b; });
  const double t_naive = median_ms(repeats, [&] {
    for (std::size_t i = 0; i < rows; ++i) {
      double* out = naive.data() + i * lr;
      std::fill(out, out + lr, 0.0);
      for (std::size_t j = 0; j < la; ++j)
        for (std::size_t k = 0; k < lb; ++k) out[j + k] += a.data()[i * la + j] * b.data()[i * lb + k];
    }
  });
  const double t_fused = median_ms(repeats, [&] { fused = (a * b) * c; });
  const double t_two = median_ms(repeats, [&] {
    tmp = a * b;
    two_pass = tmp * c;
  });
  // The command-line path: the string "a*b" parsed into a run-time tree.
  const std::string text = "a*b";
  const Ast ast = parse_expression(text);
  std::map<std::string, NamedBatch<double>> named;
  auto share = [](const PolyBatch<double>& p) {
    return std::shared_ptr<const PolyBatch<double>>(&p, [](const auto*) {});
  };
  named.emplace("a", NamedBatch<double>{dynamic_leaf(share(a)), "built-in a"});
  named.emplace("b", NamedBatch<double>{dynamic_leaf(share(b)), "built-in b"});
  const expr::Dynamic<double> dyn = Builder<double>(text, named, "double").build(ast);
  const double t_parsed = median_ms(repeats, [&] { parsed = dyn; });

  // Checks.
  const double err_naive = max_abs_diff(r, naive);
  const double err_parsed = max_abs_diff(r, parsed);
  const double err_two = max_abs_diff(fused, two_pass);
  std::vector<std::size_t> sample;
  const std::size_t n_exact = std::min(rows, o.exact_rows);
  for (std::size_t j = 0; j < n_exact; ++j) sample.push_back(j * rows / n_exact);
  const ExactCheck ex_ab = exact_check(
      r, sample, [&](std::size_t i) { return exact_product(a.data() + i * la, la, b.data() + i * lb, lb); });
  const ExactCheck ex_abc = exact_check(fused, sample, [&](std::size_t i) {
    return exact_product(exact_product(a.data() + i * la, la, b.data() + i * lb, lb), c.data() + i * lc, lc);
  });

  // A forward error bound for sums of at most 7 products in double (gamma_n
  // with n = 7 terms, then a second product of 5): ~ 2e-15 relative to the
  // row's magnitude for inputs in [-1, 1] is already pessimistic.
  const double tol_row = 1e-13;
  const bool ok_naive = err_naive <= 1e-14;
  const bool ok_parsed = err_parsed == 0.0;
  const bool ok_two = err_two <= 1e-14;
  const bool ok_ab = ex_ab.max_rel_to_row <= tol_row;
  const bool ok_abc = ex_abc.max_rel_to_row <= tol_row;

  const double ns = 1e6 / static_cast<double>(rows);
  std::printf("  %-34s %10s %10s\n", "computation", "time (ms)", "ns/row");
  std::printf("  %-34s %10.2f %10.2f\n", "r = a * b              (polybatch)", t_lib, t_lib * ns);
  std::printf("  %-34s %10.2f %10.2f   polybatch is %.1fx faster\n", "naive double loop", t_naive, t_naive * ns,
              t_naive / t_lib);
  std::printf("  %-34s %10.2f %10.2f\n", "eval 'a*b'             (parsed)", t_parsed, t_parsed * ns);
  std::printf("  %-34s %10.2f %10.2f   one pass, no temporary\n", "r = (a * b) * c        (fused)", t_fused,
              t_fused * ns);
  std::printf("  %-34s %10.2f %10.2f   fused is %.1fx faster\n", "t = a * b; r = t * c   (2 passes)", t_two, t_two * ns,
              t_two / t_fused);
  std::printf("\n  %-46s %12s %8s\n", "check", "max error", "result");
  auto line = [](const char* what, double err, bool ok) {
    std::printf("  %-46s %12.3g %8s\n", what, err, ok ? "ok" : "FAILED");
  };
  line("a * b vs naive loop (abs)", err_naive, ok_naive);
  line("a * b parsed vs library (abs)", err_parsed, ok_parsed);
  line("(a * b) * c fused vs two passes (abs)", err_two, ok_two);
  char what[128];
  std::snprintf(what, sizeof what, "a * b vs exact rationals, %zu rows (rel)", n_exact);
  line(what, ex_ab.max_rel_to_row, ok_ab);
  std::snprintf(what, sizeof what, "(a * b) * c vs exact rationals, %zu rows (rel)", n_exact);
  line(what, ex_abc.max_rel_to_row, ok_abc);
  std::printf("  (rel: |error| / largest |exact coefficient| of the row; abs: largest |difference|)\n");
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  const bool ok = ok_naive && ok_parsed && ok_two && ok_ab && ok_abc;
  std::printf("\n%s in %.1f s\n", ok ? "all checks passed" : "CHECK FAILED", total);
  return ok ? 0 : 1;
}

} // namespace polybatch::cli
