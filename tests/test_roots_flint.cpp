// An independent check of pb::count_real_roots, isolate_real_roots, gcd,
// resultant and discriminant against FLINT 2.9 (fmpz_poly) and Arb
// (arb_fmpz_poly_complex_roots) on random rows (a fixed and a varying seed,
// both printed) and adversarial ones: common factors, multiple roots, 2^200
// coefficients, degree drops, clustered and nearly coincident roots.
#include <catch2/catch.hpp>

#include <arb_fmpz_poly.h>
#include <flint/fmpq.h>
#include <flint/fmpz_poly.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>
#include <polybatch/polybatch.hpp>

namespace pb = polybatch;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;
using cvec = std::vector<cpp_int>;

namespace {

// --- FLINT values as RAII objects, converted through decimal strings ---

struct fpoly {
  fmpz_poly_t p;
  fpoly() { fmpz_poly_init(p); }
  explicit fpoly(const cvec& c) : fpoly() {
    fmpz_t t;
    fmpz_init(t);
    for (std::size_t j = 0; j < c.size(); ++j) {
      fmpz_set_str(t, c[j].str().c_str(), 10);
      fmpz_poly_set_coeff_fmpz(p, static_cast<slong>(j), t);
    }
    fmpz_clear(t);
  }
  fpoly(const fpoly&) = delete;
  fpoly& operator=(const fpoly&) = delete;
  ~fpoly() { fmpz_poly_clear(p); }
};

struct fint {
  fmpz_t v;
  fint() { fmpz_init(v); }
  fint(const fint&) = delete;
  fint& operator=(const fint&) = delete;
  ~fint() { fmpz_clear(v); }
};

cpp_int to_cpp(const fmpz_t x) {
  char* s = fmpz_get_str(nullptr, 10, x);
  cpp_int r(s);
  flint_free(s);
  return r;
}

std::string pretty(const fmpz_poly_t p) {
  char* s = fmpz_poly_get_str_pretty(p, "x");
  std::string r(s);
  flint_free(s);
  return r;
}

cvec to_cvec(const fmpz_poly_t p) {
  cvec c(static_cast<std::size_t>(fmpz_poly_length(p)));
  for (std::size_t j = 0; j < c.size(); ++j) c[j] = to_cpp(fmpz_poly_get_coeff_ptr(p, static_cast<slong>(j)));
  return c;
}

/// m 2^e of an Arb float as an exact rational.
cpp_rational to_rational(const arf_t x) {
  fint m, e;
  arf_get_fmpz_2exp(m.v, e.v, x);
  const cpp_int man = to_cpp(m.v);
  const long ex = fmpz_get_si(e.v);
  if (ex >= 0) return cpp_rational(cpp_int(man << static_cast<unsigned>(ex)));
  return cpp_rational(man, cpp_int(cpp_int(1) << static_cast<unsigned>(-ex)));
}

/// The square-free part p / gcd(p, p') by FLINT (p non-zero).
void flint_square_free(fmpz_poly_t out, const fmpz_poly_t p) {
  fpoly d, g;
  fmpz_poly_derivative(d.p, p);
  fmpz_poly_gcd(g.p, p, d.p);
  fmpz_poly_div(out, p, g.p);
}

// --- rows ---

cvec mul(const cvec& a, const cvec& b) {
  if (a.empty() || b.empty()) return {};
  cvec c(a.size() + b.size() - 1, cpp_int(0));
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j) c[i + j] += a[i] * b[j];
  return c;
}

cvec power(const cvec& a, int k) {
  cvec r{cpp_int(1)};
  for (int i = 0; i < k; ++i) r = mul(r, a);
  return r;
}

/// Degree d, coefficients of up to `bits` bits, some of them zero.
cvec random_poly(std::mt19937_64& rng, int d, int bits) {
  cvec c(static_cast<std::size_t>(d) + 1);
  for (cpp_int& x : c) {
    cpp_int v = 0;
    for (int b = 0; b < bits; b += 32) v = (v << 32) + cpp_int(rng() & 0xffffffffu);
    v >>= static_cast<unsigned>((bits + 31) / 32 * 32 - bits);
    if (rng() % 2) v = -v;
    if (rng() % 5 == 0) v = 0;
    x = v;
  }
  if (c.back().is_zero()) c.back() = 1;
  return c;
}

std::vector<cvec> random_rows(std::mt19937_64& rng, std::size_t n) {
  std::vector<cvec> rows;
  for (std::size_t i = 0; i < n; ++i) {
    const int d = 1 + static_cast<int>(rng() % 12);
    const int bits = std::vector<int>{3, 10, 30, 62, 64, 100}[rng() % 6];
    rows.push_back(random_poly(rng, d, bits));
  }
  return rows;
}

std::vector<cvec> adversarial_rows(std::mt19937_64& rng) {
  std::vector<cvec> rows;
  const cpp_int big = cpp_int(1) << 200;
  // clustered: (1000x - 1)(1001x - 1)...(1005x - 1), and with 2^200 in front
  cvec cluster{cpp_int(1)};
  for (int k = 0; k < 6; ++k) cluster = mul(cluster, cvec{cpp_int(-1), cpp_int(1000 + k)});
  rows.push_back(cluster);
  rows.push_back(mul(cluster, cvec{cpp_int(-3), big}));
  // two roots 2^-60 apart: (2x - 1)(2^61 x - 2^60 - 1)
  rows.push_back(mul(cvec{-1, 2}, cvec{cpp_int(-((cpp_int(1) << 60) + 1)), cpp_int(1) << 61}));
  // Mignotte: x^d - 2 (a x - 1)^2, two real roots very close to 1/a
  for (int d : {5, 8, 13}) {
    cvec m = mul(cvec{-1, 100}, cvec{-1, 100});
    for (cpp_int& c : m) c *= -2;
    m.resize(static_cast<std::size_t>(d) + 1, cpp_int(0));
    m.back() += 1;
    rows.push_back(m);
  }
  // multiple roots, the zero root with multiplicity, squares of random rows
  rows.push_back(mul(power(cvec{-1, 1}, 3), power(cvec{2, 0, -1}, 2))); // (x - 1)^3 (2 - x^2)^2
  rows.push_back(mul(cvec{0, 0, 0, 1}, cvec{-2, 0, 1}));                // x^3 (x^2 - 2)
  rows.push_back(power(cvec{cpp_int(-1), big}, 4));                     // (2^200 x - 1)^4
  for (int i = 0; i < 6; ++i) {
    const cvec f = random_poly(rng, 1 + i % 3, 20);
    rows.push_back(mul(power(f, 2 + i % 2), random_poly(rng, 2, 8)));
  }
  // Wilkinson's polynomial of degree 15, and 2^200-size random coefficients
  cvec w{cpp_int(1)};
  for (int k = 1; k <= 15; ++k) w = mul(w, cvec{cpp_int(-k), cpp_int(1)});
  rows.push_back(w);
  for (int i = 0; i < 4; ++i) rows.push_back(random_poly(rng, 3 + 2 * i, 200));
  // rational roots with large denominators, constants and degree 1
  rows.push_back(mul(mul(cvec{3, -7}, cvec{cpp_int(-5), cpp_int(1) << 70}), cvec{11, 13}));
  rows.push_back(cvec{cpp_int(7)});
  rows.push_back(cvec{cpp_int(-5), cpp_int(3)});
  rows.push_back(cvec{cpp_int(0), cpp_int(-(cpp_int(1) << 200))});
  return rows;
}

/// One batch of the rows, zero-padded to the longest row plus two, so every
/// row also has zero leading coefficients (degree drops).
template <class T>
pb::PolyBatch<T> batch_of(const std::vector<cvec>& rows) {
  std::size_t len = 1;
  for (const cvec& r : rows) len = std::max(len, r.size() + 2);
  pb::PolyBatch<T> a(rows.size(), len);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < len; ++j)
      a.data()[i * len + j] = j < rows[i].size() ? static_cast<T>(rows[i][j]) : T(0);
  return a;
}

void trim(cvec& c) {
  while (!c.empty() && c.back().is_zero()) c.pop_back();
}

bool is_zero_row(const cvec& c) {
  for (const cpp_int& x : c)
    if (!x.is_zero()) return false;
  return true;
}

// --- the checks ---

/// Empty when every real root Arb encloses at `prec` bits (the real roots
/// come first, in increasing order, with an exactly zero imaginary part) lies
/// in exactly one of our intervals, the one of its rank, and their number is
/// ours; a point of ours must be an exact root of p (FLINT evaluates it).
/// Otherwise what is wrong.
std::string arb_disagreement(const fmpz_poly_t p, const fmpz_poly_t sqf, const std::vector<pb::real_interval>& ours,
                             slong prec) {
  std::ostringstream err;
  const slong sdeg = fmpz_poly_degree(sqf);
  acb_ptr z = _acb_vec_init(sdeg);
  arb_fmpz_poly_complex_roots(z, sqf, 0, prec);
  std::size_t real = 0;
  for (slong k = 0; k < sdeg; ++k) real += arb_is_zero(acb_imagref(z + k)) ? 1 : 0;
  if (real != ours.size()) err << "Arb has " << real << " real roots, we have " << ours.size() << "; ";
  arf_t lb, ub;
  arf_init(lb);
  arf_init(ub);
  for (std::size_t k = 0; k < real && k < ours.size(); ++k) {
    arb_get_lbound_arf(lb, acb_realref(z + k), 4 * prec);
    arb_get_ubound_arf(ub, acb_realref(z + k), 4 * prec);
    const cpp_rational lo = to_rational(lb);
    const cpp_rational hi = to_rational(ub);
    std::size_t holding = 0; // our intervals that hold Arb's enclosure [lo, hi]
    for (std::size_t j = 0; j < ours.size(); ++j) {
      const pb::real_interval& iv = ours[j];
      const bool holds = iv.exact() ? (lo <= iv.lo && iv.lo <= hi) : (iv.lo < lo && hi < iv.hi);
      if (holds && j != k) err << "Arb root " << k << " lies in our interval " << j << "; ";
      holding += holds ? 1 : 0;
    }
    if (holding != 1)
      err << "Arb root " << k << " in [" << lo << ", " << hi << "] lies in " << holding << " of ours (ours " << ours[k]
          << ", prec " << prec << "); ";
    if (ours[k].exact()) {
      fmpq_t t, v;
      fmpq_init(t);
      fmpq_init(v);
      fmpq_set_str(t, ours[k].lo.str().c_str(), 10);
      fmpz_poly_evaluate_fmpq(v, p, t);
      if (!fmpq_is_zero(v)) err << "our point " << ours[k] << " is not a root; ";
      fmpq_clear(t);
      fmpq_clear(v);
    }
  }
  arf_clear(lb);
  arf_clear(ub);
  _acb_vec_clear(z, sdeg);
  return err.str();
}

/// Counts against both FLINT counters (on FLINT's own square-free part),
/// and intervals against Arb's root enclosures.
void check_roots(const std::vector<cvec>& rows) {
  std::vector<cvec> nonzero;
  for (const cvec& r : rows)
    if (!is_zero_row(r)) nonzero.push_back(r);
  const auto a = batch_of<cpp_int>(nonzero);
  const auto counts = pb::count_real_roots(a);
  const auto isolated = pb::isolate_real_roots(a);
  for (std::size_t i = 0; i < nonzero.size(); ++i) {
    fpoly p(nonzero[i]);
    INFO("row " << i << ": " << pretty(p.p));
    const slong deg = fmpz_poly_degree(p.p);
    if (deg < 1) {
      CHECK(counts(i) == 0);
      CHECK(isolated[i].empty());
      continue;
    }
    fpoly s;
    flint_square_free(s.p, p.p);
    const slong n_descartes = fmpz_poly_num_real_roots(s.p);
    const slong n_sturm = fmpz_poly_num_real_roots_sturm(s.p);
    REQUIRE(n_descartes == n_sturm);
    CHECK(counts(i) == static_cast<std::size_t>(n_sturm));
    const std::vector<pb::real_interval>& ours = isolated[i];
    REQUIRE(ours.size() == static_cast<std::size_t>(n_sturm));
    for (std::size_t k = 0; k + 1 < ours.size(); ++k) CHECK(ours[k].hi <= ours[k + 1].lo);
    // Arb's enclosures tighten with the precision: a root can lie closer
    // to one of our (dyadic) ends than 256 bits resolve
    std::string failure;
    for (slong prec = 256; prec <= 16384; prec *= 4) {
      failure = arb_disagreement(p.p, s.p, ours, prec);
      if (failure.empty()) break;
    }
    INFO(failure);
    CHECK(failure.empty());
  }
  // the int64 path (words first) on the rows that fit
  std::vector<cvec> small;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < nonzero.size(); ++i) {
    bool fits = true;
    for (const cpp_int& c : nonzero[i]) fits = fits && abs(c) <= cpp_int(INT64_MAX);
    if (fits) {
      small.push_back(nonzero[i]);
      where.push_back(i);
    }
  }
  if (!small.empty()) {
    const auto c64 = pb::count_real_roots(batch_of<std::int64_t>(small));
    for (std::size_t i = 0; i < small.size(); ++i) {
      INFO("int64 row " << i);
      CHECK(c64(i) == counts(where[i]));
    }
  }
}

/// gcd, resultant and discriminant of row pairs against FLINT.
void check_algebra(const std::vector<cvec>& as, const std::vector<cvec>& bs) {
  const auto a = batch_of<cpp_int>(as);
  const auto b = batch_of<cpp_int>(bs);
  const auto g = pb::gcd(a, b);
  const auto r = pb::resultant(a, b);
  const auto d = pb::discriminant(a);
  for (std::size_t i = 0; i < as.size(); ++i) {
    fpoly p(as[i]), q(bs[i]), fg;
    INFO("row " << i << ": a = " << pretty(p.p) << ", b = " << pretty(q.p));
    // FLINT's gcd has content gcd(cont a, cont b); ours is primitive
    fmpz_poly_gcd(fg.p, p.p, q.p);
    fmpz_poly_primitive_part(fg.p, fg.p);
    cvec ours(g.data() + i * g.length(), g.data() + (i + 1) * g.length());
    trim(ours);
    CHECK(ours == to_cvec(fg.p));
    fint fr, fd;
    fmpz_poly_resultant(fr.v, p.p, q.p);
    CHECK(r(i) == to_cpp(fr.v));
    // FLINT's discriminant of a constant is 0, as ours; of degree 1 it is 1, as ours
    fmpz_poly_discriminant(fd.v, p.p);
    CHECK(d(i) == to_cpp(fd.v));
  }
}

void run_all(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<cvec> rows = random_rows(rng, 300);
  for (cvec& r : adversarial_rows(rng)) rows.push_back(std::move(r));
  check_roots(rows);
  // pairs: unrelated rows, rows with a common factor, a row with its own
  // square, zero rows and constants
  std::vector<cvec> as, bs;
  for (std::size_t i = 0; i + 1 < rows.size(); i += 2) {
    as.push_back(rows[i]);
    bs.push_back(rows[i + 1]);
  }
  for (int i = 0; i < 40; ++i) {
    const cvec f = random_poly(rng, 1 + i % 5, i % 3 == 0 ? 200 : 12);
    as.push_back(mul(f, random_poly(rng, i % 4, 12)));
    bs.push_back(mul(i % 2 ? f : power(f, 2), random_poly(rng, i % 3, 12)));
  }
  as.push_back(cvec{0});
  bs.push_back(cvec{0});
  as.push_back(cvec{0});
  bs.push_back(cvec{-3, 1, 2});
  as.push_back(cvec{6});
  bs.push_back(cvec{-3, 1, 2});
  as.push_back(cvec{-4});
  bs.push_back(cvec{6});
  check_algebra(as, bs);
}

} // namespace

TEST_CASE("exact real roots, gcd, resultant, discriminant against FLINT and Arb: fixed seed", "[real_roots][flint]") {
  const std::uint64_t seed = 20240611;
  std::printf("test_roots_flint: fixed seed %llu\n", static_cast<unsigned long long>(seed));
  INFO("seed " << seed);
  run_all(seed);
}

TEST_CASE("exact real roots, gcd, resultant, discriminant against FLINT and Arb: varying seed", "[real_roots][flint]") {
  const auto seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  std::printf("test_roots_flint: varying seed %llu\n", static_cast<unsigned long long>(seed));
  INFO("seed " << seed);
  run_all(seed);
}
