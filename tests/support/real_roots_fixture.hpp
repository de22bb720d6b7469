// Reader of tests/fixtures/real_roots_sympy.txt (scripts/gen_real_roots_fixtures.py):
// sympy's exact real-root counts, isolating intervals, window counts,
// discriminants, gcds and resultants, as exact rationals.
#pragma once

#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

namespace real_roots_fixture {

using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

struct Coeffs {
  std::string kind;                // int, rat, float
  std::vector<cpp_rational> exact; // the exact values
  std::vector<double> doubles;     // kind float: the doubles themselves
};

struct Window {
  cpp_rational lo, hi;
  std::size_t count;
};

struct PolyCase {
  Coeffs c;
  bool zero = false;
  std::size_t count = 0;
  std::vector<std::pair<cpp_rational, cpp_rational>> roots;
  std::vector<Window> windows;
  cpp_rational disc;
};

struct PairCase {
  Coeffs a, b;
  std::vector<cpp_rational> gcd;
  cpp_rational res;
};

inline cpp_rational parse_rational(const std::string& s) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) return cpp_rational(cpp_int(s));
  return cpp_rational(cpp_int(s.substr(0, slash)), cpp_int(s.substr(slash + 1)));
}

inline Coeffs read_coeffs(std::istringstream& in, const std::string& kind) {
  Coeffs c;
  c.kind = kind;
  std::size_t n = 0;
  in >> n;
  for (std::size_t i = 0; i < n; ++i) {
    std::string t;
    in >> t;
    if (kind == "float") {
      const double d = std::strtod(t.c_str(), nullptr);
      c.doubles.push_back(d);
      c.exact.push_back(cpp_rational(d)); // exact binary value
    } else {
      c.exact.push_back(parse_rational(t));
    }
  }
  return c;
}

struct Fixture {
  std::vector<PolyCase> polys;
  std::vector<PairCase> pairs;
};

inline Fixture load(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot open " + path);
  Fixture f;
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    if (tag == "poly") {
      std::string kind;
      in >> kind;
      PolyCase p;
      p.c = read_coeffs(in, kind);
      f.polys.push_back(std::move(p));
    } else if (tag == "zero") {
      f.polys.back().zero = true;
    } else if (tag == "count") {
      in >> f.polys.back().count;
    } else if (tag == "roots") {
      std::size_t n = 0;
      in >> n;
      for (std::size_t i = 0; i < n; ++i) {
        std::string lo, hi;
        in >> lo >> hi;
        f.polys.back().roots.emplace_back(parse_rational(lo), parse_rational(hi));
      }
    } else if (tag == "window") {
      std::string lo, hi;
      std::size_t n = 0;
      in >> lo >> hi >> n;
      f.polys.back().windows.push_back(Window{parse_rational(lo), parse_rational(hi), n});
    } else if (tag == "disc") {
      std::string d;
      in >> d;
      f.polys.back().disc = parse_rational(d);
    } else if (tag == "pair") {
      std::string kind;
      in >> kind;
      PairCase p;
      p.a = read_coeffs(in, kind);
      p.b = read_coeffs(in, kind);
      f.pairs.push_back(std::move(p));
    } else if (tag == "gcd") {
      std::size_t n = 0;
      in >> n;
      for (std::size_t i = 0; i < n; ++i) {
        std::string t;
        in >> t;
        f.pairs.back().gcd.push_back(parse_rational(t));
      }
    } else if (tag == "res") {
      std::string r;
      in >> r;
      f.pairs.back().res = parse_rational(r);
    }
  }
  return f;
}

/// The committed fixture, read once (POLYBATCH_FIXTURE_DIR comes from CMake).
inline const Fixture& fixture() {
  static const Fixture f = load(POLYBATCH_FIXTURE_DIR "/real_roots_sympy.txt");
  return f;
}

/// v in T when T holds it exactly.
template <class T>
bool representable(const cpp_rational& v) {
  if constexpr (std::is_same_v<T, cpp_rational>) {
    return true;
  } else if constexpr (std::is_same_v<T, cpp_int>) {
    return denominator(v) == 1;
  } else if constexpr (std::is_integral_v<T>) {
    return denominator(v) == 1 && numerator(v) >= cpp_int(std::numeric_limits<T>::min()) &&
           numerator(v) <= cpp_int(std::numeric_limits<T>::max());
  } else {
    return cpp_rational(static_cast<T>(v)) == v;
  }
}

/// v as T (exact when representable<T>(v)).
template <class T>
T to_scalar(const cpp_rational& v) {
  if constexpr (std::is_same_v<T, cpp_rational>)
    return v;
  else if constexpr (std::is_same_v<T, cpp_int>)
    return numerator(v);
  else if constexpr (std::is_integral_v<T>)
    return static_cast<T>(numerator(v));
  else
    return static_cast<T>(v);
}

} // namespace real_roots_fixture
