// pb::series::exp, inv, log, sin, tan and atan per row against FLINT and
// Arb, one thread: cpp_rational and mpq_rational against fmpq_poly_exp_series
// (inv, log, sin, tan, atan likewise) on the same small rationals; double against Arb's
// arb_poly_*_series at 53 bits and pb::dd against Arb at 106 bits, on the same
// values. Times are medians of --repeats runs in this process; results are
// cross-checked (exact types must agree with FLINT exactly, floating types with
// Arb's midpoints to a few units of their precision). The crossover sweep
// (--part sweep) times double (or --sweep-type float) inv, div, exp, log,
// pow, sqrt, atan, sin/cos, sinh/cosh, tan and tanh rows for n = 16 .. 4096
// by the O(n^2) recurrence, by Newton iteration, by the row driver and by Arb
// at 53 bits.
// The exact part (--part exact) times the rational pow and sqrt rows, which
// FLINT 2.9 has no series function for, against the O(n^2) recurrence on
// rationals that they ran before (pow_recurrence_row, sqrt_recurrence_row).
// Usage: bench_series [--rows B] [--repeats R] [--part all|peers|exact|sweep]
//                     [--sweep-type double|float] [--sweep-functions f,g,...]
//        (R: the fewest runs per case; the functions by their names in the
//        sweep's table, all of them by default)
#include <flint/fmpq.h>
#include <flint/fmpq_poly.h>

#include <arb.h>
#include <arb_poly.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>
#include <boost/multiprecision/gmp.hpp>

#include <polybatch/kernels/series/rows.hpp>
#include <polybatch/polybatch.hpp>

namespace pb = polybatch;
namespace mp = boost::multiprecision;

namespace {

struct Options {
  std::size_t rows = 10000, repeats = 5;
  bool peers = true, sweep = true, exact = true, sweep_float = false;
  std::string sweep_functions = "all";
};

/// The median of at least `repeats` runs; fast cases get more runs (up to
/// about half a second of them, at most 51), since a single preemption on a
/// shared machine would otherwise dominate a run of a few milliseconds.
template <class Run>
double median_seconds(std::size_t repeats, Run run) {
  std::vector<double> t;
  std::size_t wanted = repeats;
  for (std::size_t r = 0; r < wanted; ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (r == 0 && t[0] > 0) wanted = std::clamp<std::size_t>(static_cast<std::size_t>(0.5 / t[0]), repeats, 51);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

enum class Fn { exp, inv, log, sin, tan, atan };

const char* name(Fn fn) {
  constexpr const char* names[] = {"exp", "inv", "log", "sin", "tan", "atan"};
  return names[static_cast<int>(fn)];
}

/// Small rationals p/q (|p| <= 9, 1 <= q <= 9) as numerator/denominator
/// pairs, B x n; the constant term is non-zero for inv, 1 for log and 0 for
/// the others (the exact types need them).
struct Inputs {
  std::size_t rows, n;
  std::vector<long> num, den;
};

Inputs make_inputs(Fn fn, std::size_t rows, std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> p(-9, 9), q(1, 9);
  Inputs in{rows, n, std::vector<long>(rows * n), std::vector<long>(rows * n)};
  for (std::size_t i = 0; i < rows * n; ++i) {
    in.num[i] = p(rng);
    in.den[i] = q(rng);
    if (i % n == 0 && fn != Fn::inv && fn != Fn::log) in.num[i] = 0;
    if (i % n == 0 && fn == Fn::inv && in.num[i] == 0) in.num[i] = 1;
    if (i % n == 0 && fn == Fn::log) in.num[i] = in.den[i] = 1;
  }
  return in;
}

template <class T>
pb::PolyBatch<T> as_batch(const Inputs& in) {
  pb::PolyBatch<T> b(in.rows, in.n);
  for (std::size_t i = 0; i < in.rows * in.n; ++i) {
    if constexpr (std::is_same_v<T, double>)
      b.data()[i] = static_cast<double>(in.num[i]) / static_cast<double>(in.den[i]);
    else if constexpr (std::is_same_v<T, pb::dd>)
      b.data()[i] = pb::dd(static_cast<double>(in.num[i])) / pb::dd(static_cast<double>(in.den[i]));
    else
      b.data()[i] = T(in.num[i]) / T(in.den[i]);
  }
  return b;
}

template <class T>
double time_polybatch(Fn fn, const pb::PolyBatch<T>& a, pb::PolyBatch<T>& r, std::size_t repeats) {
  const std::size_t n = a.length();
  return median_seconds(repeats, [&] {
    if (fn == Fn::exp)
      r = pb::series::exp(a, n);
    else if (fn == Fn::inv)
      r = pb::series::inv(a, n);
    else if (fn == Fn::log)
      r = pb::series::log(a, n);
    else if (fn == Fn::sin)
      r = pb::series::sin(a, n);
    else if (fn == Fn::tan)
      r = pb::series::tan(a, n);
    else
      r = pb::series::atan(a, n);
  });
}

// ---------------------------------------------------------------- FLINT
struct FmpqRows {
  std::vector<fmpq_poly_struct> in, out;
  explicit FmpqRows(const Inputs& x) : in(x.rows), out(x.rows) {
    fmpq_t c;
    fmpq_init(c);
    for (std::size_t i = 0; i < x.rows; ++i) {
      fmpq_poly_init(&in[i]);
      fmpq_poly_init(&out[i]);
      for (std::size_t k = 0; k < x.n; ++k) {
        fmpq_set_si(c, x.num[i * x.n + k], static_cast<ulong>(x.den[i * x.n + k]));
        fmpq_poly_set_coeff_fmpq(&in[i], static_cast<slong>(k), c);
      }
    }
    fmpq_clear(c);
  }
  ~FmpqRows() {
    for (auto& p : in) fmpq_poly_clear(&p);
    for (auto& p : out) fmpq_poly_clear(&p);
  }
  FmpqRows(const FmpqRows&) = delete;
  FmpqRows& operator=(const FmpqRows&) = delete;
};

double time_flint(Fn fn, FmpqRows& x, std::size_t n, std::size_t repeats) {
  return median_seconds(repeats, [&] {
    for (std::size_t i = 0; i < x.in.size(); ++i) {
      if (fn == Fn::exp)
        fmpq_poly_exp_series(&x.out[i], &x.in[i], static_cast<slong>(n));
      else if (fn == Fn::inv)
        fmpq_poly_inv_series(&x.out[i], &x.in[i], static_cast<slong>(n));
      else if (fn == Fn::log)
        fmpq_poly_log_series(&x.out[i], &x.in[i], static_cast<slong>(n));
      else if (fn == Fn::sin)
        fmpq_poly_sin_series(&x.out[i], &x.in[i], static_cast<slong>(n));
      else if (fn == Fn::tan)
        fmpq_poly_tan_series(&x.out[i], &x.in[i], static_cast<slong>(n));
      else
        fmpq_poly_atan_series(&x.out[i], &x.in[i], static_cast<slong>(n));
    }
  });
}

/// Rows of `r` that differ from FLINT's (every row is compared).
template <class T>
std::size_t flint_mismatches(const pb::PolyBatch<T>& r, const FmpqRows& x) {
  std::size_t bad = 0;
  fmpq_t c;
  fmpq_init(c);
  char* s = nullptr;
  for (std::size_t i = 0; i < r.batch_size(); ++i) {
    for (std::size_t k = 0; k < r.length(); ++k) {
      fmpq_poly_get_coeff_fmpq(c, &x.out[i], static_cast<slong>(k));
      s = fmpq_get_str(nullptr, 10, c);
      const bool same = r(i, k).str() == std::string(s); // both canonical p/q (or p)
      flint_free(s);
      if (!same) {
        ++bad;
        break;
      }
    }
  }
  fmpq_clear(c);
  return bad;
}

// ---------------------------------------------------------------- Arb
struct ArbRows {
  std::vector<arb_poly_struct> in, out;
  template <class T>
  explicit ArbRows(const pb::PolyBatch<T>& a) : in(a.batch_size()), out(a.batch_size()) {
    arb_t c, lo;
    arb_init(c);
    arb_init(lo);
    for (std::size_t i = 0; i < a.batch_size(); ++i) {
      arb_poly_init(&in[i]);
      arb_poly_init(&out[i]);
      for (std::size_t k = 0; k < a.length(); ++k) {
        if constexpr (std::is_same_v<T, pb::dd>) { // hi + lo exactly
          arb_set_d(c, a(i, k).hi);
          arb_set_d(lo, a(i, k).lo);
          arb_add(c, c, lo, 256);
        } else {
          arb_set_d(c, a(i, k));
        }
        arb_poly_set_coeff_arb(&in[i], static_cast<slong>(k), c);
      }
    }
    arb_clear(lo);
    arb_clear(c);
  }
  ~ArbRows() {
    for (auto& p : in) arb_poly_clear(&p);
    for (auto& p : out) arb_poly_clear(&p);
  }
  ArbRows(const ArbRows&) = delete;
  ArbRows& operator=(const ArbRows&) = delete;
};

double time_arb(Fn fn, ArbRows& x, std::size_t n, slong prec, std::size_t repeats) {
  return median_seconds(repeats, [&] {
    for (std::size_t i = 0; i < x.in.size(); ++i) {
      if (fn == Fn::exp)
        arb_poly_exp_series(&x.out[i], &x.in[i], static_cast<slong>(n), prec);
      else if (fn == Fn::inv)
        arb_poly_inv_series(&x.out[i], &x.in[i], static_cast<slong>(n), prec);
      else if (fn == Fn::log)
        arb_poly_log_series(&x.out[i], &x.in[i], static_cast<slong>(n), prec);
      else if (fn == Fn::sin)
        arb_poly_sin_series(&x.out[i], &x.in[i], static_cast<slong>(n), prec);
      else if (fn == Fn::tan)
        arb_poly_tan_series(&x.out[i], &x.in[i], static_cast<slong>(n), prec);
      else
        arb_poly_atan_series(&x.out[i], &x.in[i], static_cast<slong>(n), prec);
    }
  });
}

/// Largest |r - mid| / max(1, |mid|) against Arb's midpoints.
template <class T>
double arb_difference(const pb::PolyBatch<T>& r, const ArbRows& x) {
  double worst = 0;
  arb_t c, v, lo;
  arb_init(c);
  arb_init(v);
  arb_init(lo);
  for (std::size_t i = 0; i < r.batch_size(); ++i) {
    for (std::size_t k = 0; k < r.length(); ++k) {
      arb_poly_get_coeff_arb(c, &x.out[i], static_cast<slong>(k));
      if constexpr (std::is_same_v<T, pb::dd>) { // hi + lo exactly, then the difference
        arb_set_d(v, r(i, k).hi);
        arb_set_d(lo, r(i, k).lo);
        arb_add(v, v, lo, 512);
      } else {
        arb_set_d(v, r(i, k));
      }
      arb_sub(v, v, c, 512);
      const double diff = std::fabs(arf_get_d(arb_midref(v), ARF_RND_NEAR));
      const double mag = std::max(1.0, std::fabs(arf_get_d(arb_midref(c), ARF_RND_NEAR)));
      worst = std::max(worst, diff / mag);
    }
  }
  arb_clear(lo);
  arb_clear(v);
  arb_clear(c);
  return worst;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (std::strcmp(argv[i], "--rows") == 0 && has_value)
      o.rows = std::strtoul(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--repeats") == 0 && has_value)
      o.repeats = std::strtoul(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--part") == 0 && has_value && std::strcmp(argv[i + 1], "peers") == 0)
      o.sweep = o.exact = false, ++i;
    else if (std::strcmp(argv[i], "--part") == 0 && has_value && std::strcmp(argv[i + 1], "sweep") == 0)
      o.peers = o.exact = false, ++i;
    else if (std::strcmp(argv[i], "--part") == 0 && has_value && std::strcmp(argv[i + 1], "exact") == 0)
      o.peers = o.sweep = false, ++i;
    else if (std::strcmp(argv[i], "--sweep-type") == 0 && has_value && std::strcmp(argv[i + 1], "float") == 0)
      o.sweep_float = true, ++i;
    else if (std::strcmp(argv[i], "--sweep-type") == 0 && has_value && std::strcmp(argv[i + 1], "double") == 0)
      ++i;
    else if (std::strcmp(argv[i], "--part") == 0 && has_value && std::strcmp(argv[i + 1], "all") == 0)
      ++i;
    else if (std::strcmp(argv[i], "--sweep-functions") == 0 && has_value)
      o.sweep_functions = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_series [--rows B] [--repeats R] [--part all|peers|exact|sweep]\n"
                           "                    [--sweep-type double|float]\n"
                           "                    [--sweep-functions inv,div,exp,log,pow,sqrt,atan,sin,sinh,tan,tanh]\n");
      std::exit(2);
    }
  }
  if (o.rows == 0 || o.repeats == 0) {
    std::fprintf(stderr, "bench_series: --rows and --repeats must be at least 1\n");
    std::exit(2);
  }
  return o;
}

// ---------------------------------------------------------------- exact pow, sqrt
/// pb::series::pow(a, -7/3, n) (constant term 1) and sqrt (constant term 4)
/// of small rationals against the rational recurrences row by row; returns
/// 1 if a result differs.
template <class T>
int exact_against_recurrence(const Options& o, const char* type) {
  std::printf("\n%s, B = %zu rows, 1 thread, ns per row: common denominator (the library) against the rational "
              "recurrence\n",
              type, o.rows);
  std::printf("%-10s %3s | %12s %12s %7s\n", "fn", "n", "library", "recurrence", "speedup");
  int status = 0;
  const T power = T(-7) / 3;
  for (const bool square : {false, true}) {
    for (const std::size_t n : {8, 16, 32}) {
      Inputs in = make_inputs(Fn::inv, o.rows, n, 20261205u + static_cast<unsigned>(n));
      for (std::size_t i = 0; i < o.rows; ++i) in.num[i * n] = square ? 4 : 1, in.den[i * n] = 1;
      const auto a = as_batch<T>(in);
      pb::PolyBatch<T> lib(o.rows, n), rec(o.rows, n);
      const double per_row = 1e9 / static_cast<double>(o.rows);
      const double t_lib = median_seconds(o.repeats,
                                          [&] {
                                            if (square)
                                              lib = pb::series::sqrt(a, n);
                                            else
                                              lib = pb::series::pow(a, power, n);
                                          }) *
                           per_row;
      const double t_rec =
          median_seconds(o.repeats,
                         [&] {
                           for (std::size_t i = 0; i < o.rows; ++i) {
                             if (square)
                               pb::kernels::series::sqrt_recurrence_row(&a(i, 0), n, &rec(i, 0), i);
                             else
                               pb::kernels::series::pow_recurrence_row(&a(i, 0), n, power, &rec(i, 0), i);
                           }
                         }) *
          per_row;
      const bool same = lib == rec;
      std::printf("%-10s %3zu | %12.0f %12.0f %7.2f%s\n", square ? "sqrt" : "pow(-7/3)", n, t_lib, t_rec, t_rec / t_lib,
                  same ? "" : "   RESULTS DIFFER");
      if (!same) status = 1;
    }
  }
  return status;
}

// ---------------------------------------------------------------- crossover sweep
enum class Long { inv, div, exp, log, pow, sqrt, atan, sin, sinh, tan, tanh };

const char* long_name(Long f) {
  constexpr const char* names[] = {"inv", "div", "exp", "log", "pow", "sqrt", "atan", "sin", "sinh", "tan", "tanh"};
  return names[static_cast<int>(f)];
}

/// Rows with a0 = 1 (0.5 for exp) and a_k = u_k / (k + 1)^2, u_k uniform in
/// [-1, 1]: sum |a_k| (k >= 1) < 0.65, so 1/a and log a stay bounded on the
/// unit disc, nothing underflows to subnormals at any n, and both methods
/// compute the same well-conditioned values.
template <class T>
std::vector<T> long_inputs(std::size_t rows, std::size_t n, bool exp_row, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<T> a(rows * n);
  for (std::size_t i = 0; i < rows * n; ++i) {
    const std::size_t k = i % n;
    a[i] = static_cast<T>(k == 0 ? (exp_row ? 0.5 : 1.0) : u(rng) / static_cast<double>((k + 1) * (k + 1)));
  }
  return a;
}

/// The O(n^2) recurrence; Newton (inv, exp: one step from the recurrence's
/// first ceil(n/2) coefficients; div, log: the Newton inverse from its own
/// threshold and one product), whose crossover with the recurrence is the
/// threshold (pow: Newton log and exp); the row driver pb::series uses
/// (Newton from the threshold on).
enum class Method { recurrence, newton, driver };

/// The sweep's pow is a square root by the general-s recurrence and pow's Newton.
constexpr double long_pow_exponent = 0.5;

/// The functions whose row drivers have a second output (sin/cos, sinh/cosh)
/// or an auxiliary (tan, tanh, atan), into `aux`: the sweep times and checks
/// the first output. sqrt, sin, sinh with Method::newton: one step from the
/// recurrence's first ceil(n/2) coefficients; atan, tan, tanh: the Newton
/// pieces at their own thresholds.
template <class T>
bool run_long_elementary(Long f, Method m, const T* x, std::size_t n, T* o, T* aux, std::size_t r) {
  namespace ks = pb::kernels::series;
  const bool hyperbolic = f == Long::sinh || f == Long::tanh;
  switch (f) {
  case Long::sqrt:
    if (m == Method::recurrence)
      ks::sqrt_recurrence_row(x, n, o, r);
    else if (m == Method::newton)
      ks::newton_sqrt_row(x, n, o, r, n);
    else
      ks::sqrt_row(x, n, n, o, r);
    return true;
  case Long::atan:
    if (m == Method::recurrence)
      ks::atan_recurrence_row(x, n, o, aux, r);
    else if (m == Method::newton)
      ks::newton_atan_row(x, n, o, r);
    else
      ks::atan_row(x, n, o, aux, r);
    return true;
  case Long::sin:
  case Long::sinh:
    if (m == Method::recurrence)
      ks::sincos_recurrence_row(x, n, o, aux, r, hyperbolic);
    else if (m == Method::newton)
      ks::newton_sincos_row(x, n, o, aux, r, hyperbolic, n);
    else
      ks::sincos_row(x, n, o, aux, r, hyperbolic);
    return true;
  case Long::tan:
  case Long::tanh:
    if (m == Method::recurrence)
      ks::tan_recurrence_row(x, n, o, aux, r, hyperbolic);
    else if (m == Method::newton)
      ks::newton_tan_row(x, n, o, r, hyperbolic);
    else
      ks::tan_row(x, n, o, aux, r, hyperbolic);
    return true;
  default:
    return false;
  }
}

template <class T>
void run_long(Long f, Method m, const T* a, const T* b, std::size_t rows, std::size_t n, T* out) {
  namespace ks = pb::kernels::series;
  const T s = static_cast<T>(long_pow_exponent);
  T* aux = pb::kernels::thread_buffer<T, 50>(n);
  for (std::size_t r = 0; r < rows; ++r) {
    const T* x = a + r * n;
    const T* y = b + r * n;
    T* o = out + r * n;
    if (run_long_elementary(f, m, x, n, o, aux, r)) continue;
    if (m == Method::recurrence) {
      switch (f) {
      case Long::inv:
        ks::inv_recurrence_row(x, n, o, r);
        break;
      case Long::div:
        ks::div_recurrence_row(y, x, n, o, r);
        break;
      case Long::exp:
        ks::exp_recurrence_row(x, n, o, r);
        break;
      case Long::log:
        ks::log_recurrence_row(x, n, o, r);
        break;
      case Long::pow:
        ks::pow_recurrence_row(x, n, s, o, r);
        break;
      default: // the elementary functions, above
        break;
      }
    } else if (m == Method::newton) {
      switch (f) {
      case Long::inv:
        ks::newton_inv_row(x, n, o, r, n);
        break;
      case Long::div:
        ks::newton_div_row(y, x, n, o, r);
        break;
      case Long::exp:
        ks::newton_exp_row(x, n, o, r, n);
        break;
      case Long::log:
        ks::newton_log_row(x, n, o, r);
        break;
      case Long::pow:
        ks::newton_pow_row(x, n, s, o, r);
        break;
      default: // the elementary functions, above
        break;
      }
    } else {
      switch (f) {
      case Long::inv:
        ks::inv_row(x, n, o, r);
        break;
      case Long::div:
        ks::div_row(y, x, n, o, r);
        break;
      case Long::exp:
        ks::exp_row(x, n, o, r);
        break;
      case Long::log:
        ks::log_row(x, n, o, r);
        break;
      case Long::pow:
        ks::pow_row(x, n, s, o, r);
        break;
      default: // the elementary functions, above
        break;
      }
    }
  }
}

/// Seconds per row: each timed run repeats the rows enough times to last
/// about 50 ms (judged from one untimed pass), median of `repeats` runs.
template <class Pass>
double per_row_seconds(std::size_t rows, std::size_t repeats, Pass pass) {
  auto start = std::chrono::steady_clock::now();
  pass();
  const double once = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::size_t loops = std::clamp<std::size_t>(static_cast<std::size_t>(0.05 / std::max(once, 1e-9)), 1, 100000);
  std::vector<double> t;
  for (std::size_t r = 0; r < repeats; ++r) {
    start = std::chrono::steady_clock::now();
    for (std::size_t l = 0; l < loops; ++l) pass();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                static_cast<double>(loops * rows));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

void arb_long(Long f, std::vector<arb_poly_struct>& in, std::vector<arb_poly_struct>& num,
              std::vector<arb_poly_struct>& out, std::size_t n) {
  const auto len = static_cast<slong>(n);
  arb_t s;
  arb_init(s);
  arb_set_d(s, long_pow_exponent);
  for (std::size_t i = 0; i < in.size(); ++i) {
    switch (f) {
    case Long::inv:
      arb_poly_inv_series(&out[i], &in[i], len, 53);
      break;
    case Long::div:
      arb_poly_div_series(&out[i], &num[i], &in[i], len, 53);
      break;
    case Long::exp:
      arb_poly_exp_series(&out[i], &in[i], len, 53);
      break;
    case Long::log:
      arb_poly_log_series(&out[i], &in[i], len, 53);
      break;
    case Long::pow:
      arb_poly_pow_arb_series(&out[i], &in[i], s, len, 53);
      break;
    case Long::sqrt:
      arb_poly_sqrt_series(&out[i], &in[i], len, 53);
      break;
    case Long::atan:
      arb_poly_atan_series(&out[i], &in[i], len, 53);
      break;
    case Long::sin:
      arb_poly_sin_cos_series(&out[i], &num[i], &in[i], len, 53);
      break;
    case Long::sinh:
      arb_poly_sinh_cosh_series(&out[i], &num[i], &in[i], len, 53);
      break;
    case Long::tan:
      arb_poly_tan_series(&out[i], &in[i], len, 53);
      break;
    case Long::tanh: // Arb has no tanh series: sinh / cosh
      arb_poly_sinh_cosh_series(&out[i], &num[i], &in[i], len, 53);
      arb_poly_div_series(&out[i], &out[i], &num[i], len, 53);
      break;
    }
  }
  arb_clear(s);
}

/// Largest |r - mid| / max(1, |mid|) over the rows against Arb's midpoints.
template <class T>
double arb_long_difference(const std::vector<T>& r, std::vector<arb_poly_struct>& out, std::size_t n) {
  double worst = 0;
  arb_t c, v;
  arb_init(c);
  arb_init(v);
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t k = 0; k < n; ++k) {
      arb_poly_get_coeff_arb(c, &out[i], static_cast<slong>(k));
      arb_set_d(v, static_cast<double>(r[i * n + k]));
      arb_sub(v, v, c, 128);
      const double diff = std::fabs(arf_get_d(arb_midref(v), ARF_RND_NEAR));
      const double mag = std::max(1.0, std::fabs(arf_get_d(arb_midref(c), ARF_RND_NEAR)));
      worst = std::max(worst, diff / mag);
    }
  }
  arb_clear(v);
  arb_clear(c);
  return worst;
}

template <class T>
void crossover_sweep(const Options& o) {
#ifdef POLYBATCH_COMPILED_KERNELS
  const char* products = pb::isa_name(pb::compiled::active_isa()).data();
#else
  const char* products = "header-only (this build's flags)";
#endif
  std::printf("\nCrossover sweep, %s, 1 thread, products: %s. ns per row, median of >= %zu runs of ~50 ms;\n"
              "Newton: inv, exp one step from ceil(n/2) recurrence coefficients, div, log the Newton inverse and one\n"
              "product; driver: pb::series' row driver (Newton from the thresholds on);\n"
              "err: max |c - Arb| / max(1, |Arb|) over the rows checked (at most 8)\n\n",
              std::is_same_v<T, float> ? "float" : "double", products, o.repeats);
  std::printf("%-4s %5s %6s | %11s %11s %11s %11s | %8s %8s %8s | %8s %8s\n", "fn", "n", "rows", "recurrence", "Newton",
              "driver", "Arb 53", "rec/New", "rec/drv", "Arb/drv", "err rec", "err drv");
  for (int fi = 0; fi <= static_cast<int>(Long::tanh); ++fi) {
    const Long f = static_cast<Long>(fi);
    if (o.sweep_functions != "all" &&
        ("," + o.sweep_functions + ",").find(std::string(",") + long_name(f) + ",") == std::string::npos)
      continue;
    for (const std::size_t n : {16, 24, 32, 40, 48, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096}) {
      // Enough rows to leave the caches' warm-up out, few at long n.
      const std::size_t rows = std::clamp<std::size_t>(std::min(o.rows, 262144 / n), 1, o.rows);
      const auto a = long_inputs<T>(rows, n, f == Long::exp, 20261201u + static_cast<unsigned>(n));
      const auto b = long_inputs<T>(rows, n, true, 20261202u + static_cast<unsigned>(n));
      std::vector<T> rec(rows * n), nwt(rows * n), drv(rows * n);
      const auto time = [&](Method m, std::vector<T>& out) {
        return per_row_seconds(rows, o.repeats, [&] { run_long(f, m, a.data(), b.data(), rows, n, out.data()); });
      };
      const double t_rec = time(Method::recurrence, rec);
      const double t_new = time(Method::newton, nwt);
      const double t_drv = time(Method::driver, drv);
      const std::size_t checked = std::min<std::size_t>(rows, 8);
      std::vector<arb_poly_struct> in(checked), num(checked), out(checked);
      arb_t c;
      arb_init(c);
      for (std::size_t i = 0; i < checked; ++i) {
        arb_poly_init(&in[i]);
        arb_poly_init(&num[i]);
        arb_poly_init(&out[i]);
        for (std::size_t k = 0; k < n; ++k) {
          arb_set_d(c, static_cast<double>(a[i * n + k]));
          arb_poly_set_coeff_arb(&in[i], static_cast<slong>(k), c);
          arb_set_d(c, static_cast<double>(b[i * n + k]));
          arb_poly_set_coeff_arb(&num[i], static_cast<slong>(k), c);
        }
      }
      arb_clear(c);
      const double t_arb = per_row_seconds(checked, o.repeats, [&] { arb_long(f, in, num, out, n); });
      const double e_rec = arb_long_difference(rec, out, n), e_drv = arb_long_difference(drv, out, n);
      for (std::size_t i = 0; i < checked; ++i) {
        arb_poly_clear(&in[i]);
        arb_poly_clear(&num[i]);
        arb_poly_clear(&out[i]);
      }
      std::printf("%-4s %5zu %6zu | %11.0f %11.0f %11.0f %11.0f | %8.2f %8.2f %8.2f | %8.1e %8.1e\n", long_name(f), n,
                  rows, t_rec * 1e9, t_new * 1e9, t_drv * 1e9, t_arb * 1e9, t_rec / t_new, t_rec / t_drv, t_arb / t_drv,
                  e_rec, e_drv);
      std::fflush(stdout);
    }
  }
}

} // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  pb::set_num_threads(1);
  if (o.peers) {
    std::printf("B = %zu rows, 1 thread, median of >= %zu runs, ns per row (ratio: polybatch / peer)\n\n", o.rows,
                o.repeats);
    std::printf("%-4s %3s | %12s %12s %12s %7s %7s | %9s %9s %7s | %9s %9s %7s\n", "fn", "n", "cpp_rational",
                "mpq_rational", "FLINT fmpq", "cpp/FL", "mpq/FL", "double", "Arb 53", "ratio", "dd", "Arb 106",
                "ratio");
  }
  int status = 0;
  for (const Fn fn : {Fn::exp, Fn::inv, Fn::log, Fn::sin, Fn::tan, Fn::atan}) {
    if (!o.peers) break;
    for (const std::size_t n : {8, 16, 32}) {
      const Inputs in = make_inputs(fn, o.rows, n, 20261201u + static_cast<unsigned>(n));
      const double per_row = 1e9 / static_cast<double>(o.rows);

      const auto qc = as_batch<mp::cpp_rational>(in);
      const auto qm = as_batch<mp::mpq_rational>(in);
      pb::PolyBatch<mp::cpp_rational> rc(o.rows, n);
      pb::PolyBatch<mp::mpq_rational> rm(o.rows, n);
      FmpqRows fq(in);
      const double t_cpp = time_polybatch(fn, qc, rc, o.repeats) * per_row;
      const double t_mpq = time_polybatch(fn, qm, rm, o.repeats) * per_row;
      const double t_flint = time_flint(fn, fq, n, o.repeats) * per_row;
      const std::size_t bad = flint_mismatches(rc, fq) + flint_mismatches(rm, fq);

      const auto d = as_batch<double>(in);
      const auto x = as_batch<pb::dd>(in);
      pb::PolyBatch<double> rd(o.rows, n);
      pb::PolyBatch<pb::dd> rx(o.rows, n);
      ArbRows a53(d), a106(x);
      const double t_d = time_polybatch(fn, d, rd, o.repeats) * per_row;
      const double t_a53 = time_arb(fn, a53, n, 53, o.repeats) * per_row;
      const double t_x = time_polybatch(fn, x, rx, o.repeats) * per_row;
      const double t_a106 = time_arb(fn, a106, n, 106, o.repeats) * per_row;
      const double e53 = arb_difference(rd, a53), e106 = arb_difference(rx, a106);

      std::printf("%-4s %3zu | %12.0f %12.0f %12.0f %7.2f %7.2f | %9.0f %9.0f %7.2f | %9.0f %9.0f %7.2f\n", name(fn), n,
                  t_cpp, t_mpq, t_flint, t_cpp / t_flint, t_mpq / t_flint, t_d, t_a53, t_d / t_a53, t_x, t_a106,
                  t_x / t_a106);
      std::printf("         check: %zu rows differ from FLINT; max scaled difference from Arb: double %.1e, dd %.1e\n",
                  bad, e53, e106);
      if (bad != 0) status = 1;
    }
  }
  if (o.exact) {
    status |= exact_against_recurrence<mp::mpq_rational>(o, "mpq_rational");
    status |= exact_against_recurrence<mp::cpp_rational>(o, "cpp_rational");
  }
  if (o.sweep && o.sweep_float)
    crossover_sweep<float>(o);
  else if (o.sweep)
    crossover_sweep<double>(o);
  flint_cleanup();
  return status;
}
