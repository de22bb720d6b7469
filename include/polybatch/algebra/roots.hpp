// pb::roots(a): every complex root of each row of a float, double or long
// double batch, with multiplicity. Rows are normalised (exact zero roots split
// off, the variable and coefficients scaled by powers of two), degrees 1 and 2
// use closed forms, higher degrees run Aberth-Ehrlich over tiles of rows of
// the same degree (kernels/roots/aberth.hpp). See docs/roots.md.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <concepts>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "polybatch/algebra/evaluate.hpp"
#include "polybatch/algebra/row_blocks.hpp"
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/core/thread_local_address.hpp"
#include "polybatch/kernels/compiled.hpp"
#include "polybatch/kernels/roots/aberth.hpp"
#include "polybatch/kernels/roots/closed_form.hpp"
#include "polybatch/kernels/roots/cubic.hpp"
#include "polybatch/kernels/roots/quartic.hpp"
#include "polybatch/kernels/roots/start.hpp"

namespace polybatch {

/// The scalars pb::roots and pb::verify_roots accept: IEEE machine floats.
template <class T>
concept RootScalar = std::same_as<T, float> || std::same_as<T, double> || std::same_as<T, long double>;

namespace detail {

/// Lanes of one Aberth tile: two 64-byte lines of each value, so that a
/// root step has two independent vector chains (one chain is latency bound:
/// 16 double lanes run 2.2x faster per row than 8).
template <class T>
inline constexpr std::size_t root_tile_lanes = sizeof(T) >= 16 ? 8 : 128 / sizeof(T);

/// Iteration cap: random rows need 6-20 iterations; clusters converge
/// linearly and may need more.
inline std::size_t aberth_iteration_cap(std::size_t n) { return 80 + 2 * n; }

/// Double rows of this degree and above first iterate in float, twice as
/// many lanes a register, and start their double iteration from the float
/// roots (see stream_aberth_rows below and docs/roots.md).
inline constexpr std::size_t float_phase_min_degree = 5;

/// Float sweeps a row gets before its double iteration takes over, converged
/// or not (clusters converge linearly; the double iteration finishes them).
inline std::size_t float_phase_cap(std::size_t n) { return 24 + n / 2; }

/// A float root that only seeds the double iteration is done once its
/// Aberth step was at most this fraction of its magnitude (see aberth_sweep):
/// 2^-8, 2^-12 and 2^-16 measured alike (6% fewer cycles at degree 8 than
/// the float backward-error test alone).
inline constexpr float float_seed_step = 0x1p-12f;

/// Streams `count` rows of degree n through the W lanes of an Aberth tile
/// (coefficients c, roots zr/zi, frozen flags done, all n(+1) x W, lane
/// fastest): `load(l, i)` puts row i into lane l (coefficients, starting
/// points, flags 0), `finish(l, i)` takes its roots out. A row leaves its lane
/// as soon as all its roots are frozen (or after `cap` sweeps) and the next
/// row takes the lane, so lanes do not idle until the slowest row of a fixed
/// tile converges (random cubics: 4 sweeps a row on average, 6 for the
/// slowest of 16). A row's sweeps read only its own lane, so its roots do not
/// depend on which rows share the tile, or when it entered. count >= 1.
template <class U, std::size_t W, class Load, class Finish>
void stream_aberth_rows(std::size_t n, std::size_t count, std::size_t cap, U* c, U* zr, U* zi, U* done, Load load,
                        Finish finish, U seed_step = U(0)) {
  std::size_t lane_row[W], sweeps[W];
  bool active[W];
  U suspect[W] = {}; // lanes that froze a root by a skewed step (aberth_sweep)
  const auto freeze_lane = [&](std::size_t l) {
    for (std::size_t j = 0; j < n; ++j) done[j * W + l] = U(1);
  };
  std::size_t next = 0, running = 0;
  for (std::size_t l = 0; l < W; ++l) {
    active[l] = next < count;
    sweeps[l] = 0;
    lane_row[l] = active[l] ? next++ : 0;
    // Spare lanes hold the first row, frozen: finite values that never move
    // (a lane retired later keeps its last row's values, frozen too).
    load(l, lane_row[l]);
    if (active[l])
      ++running;
    else
      freeze_lane(l);
  }
  U all_frozen[W];
  while (running > 0) {
    kernels::roots::aberth_sweep<U, W>(n, c, zr, zi, done, seed_step, suspect);
    // Flags are 0 or 1: their product over a lane's roots is 1 exactly when
    // all are frozen (a loop over the lanes, which vectorises).
    for (std::size_t l = 0; l < W; ++l) all_frozen[l] = done[l];
    for (std::size_t j = 1; j < n; ++j)
      for (std::size_t l = 0; l < W; ++l) all_frozen[l] *= done[j * W + l];
    for (std::size_t l = 0; l < W; ++l) {
      if (!active[l]) continue;
      bool finished = ++sweeps[l] >= cap || all_frozen[l] != U(0);
      // A root frozen by a skewed step is tested where it stands, and
      // iterates again if it fails (while the cap allows).
      if (finished && suspect[l] != U(0) && sweeps[l] < cap) {
        suspect[l] = U(0);
        if (kernels::roots::reopen_failing_roots<U, W>(n, c, zr, zi, done, l)) finished = false;
      }
      if (!finished) continue;
      suspect[l] = U(0);
      finish(l, lane_row[l]);
      if (next < count) {
        lane_row[l] = next++;
        sweeps[l] = 0;
        load(l, lane_row[l]);
      } else {
        active[l] = false;
        --running;
        freeze_lane(l);
      }
    }
  }
}

/// Whether float roots can seed a row's double iteration: all finite and
/// pairwise distinct (two equal starting points would move together forever,
/// as the Aberth correction skips a zero difference).
template <class F>
bool distinct_finite(const F* zr, const F* zi, std::size_t n, std::size_t stride) {
  for (std::size_t j = 0; j < n; ++j) {
    if (!std::isfinite(zr[j * stride]) || !std::isfinite(zi[j * stride])) return false;
    for (std::size_t k = 0; k < j; ++k)
      if (zr[j * stride] == zr[k * stride] && zi[j * stride] == zi[k * stride]) return false;
  }
  return true;
}

/// One row after normalisation: p(x) = sum a[low + k] x^(low + k), k = 0..n,
/// has `low` exact zero roots and, with x = 2^shift w, the other n roots are
/// those of sum c_k w^k, the c_k scaled by one power of two to at most 1.
template <class T>
struct NormalisedRow {
  std::size_t low = 0;
  std::size_t n = 0;
  int shift = 0;
  bool zero = true;
  bool sorted = false; // its roots are written in order already
  /// Its coefficients or roots span too much of the exponent range for the
  /// iteration in T (it squares quantities of their size): see
  /// roots_in_wider_type.
  bool too_wide = false;
};

/// The span of scaled coefficient exponents beyond which a row is too wide
/// for T: centred on 1, the squares of the largest and smallest stay inside
/// the range with room for the tolerances (2^896 for double, 2^112 for float).
template <class T>
inline constexpr int widest_span = std::numeric_limits<T>::max_exponent - std::numeric_limits<T>::max_exponent / 8;
/// The same for the largest root of the scaled row: 2^384 in double, 2^48 in
/// float (-1e-300 (x - 1)(x - 2)(x - 1e300) scales to a root near 2^664,
/// whose square leaves the range).
template <class T>
inline constexpr int largest_root_exponent = 3 * std::numeric_limits<T>::max_exponent / 8;

template <class T>
NormalisedRow<T> normalise_row(const T* a, std::size_t len, T* c) {
  NormalisedRow<T> r;
  std::size_t top = len;
  while (top > 0 && a[top - 1] == T(0)) --top;
  if (top == 0) return r;
  r.zero = false;
  std::size_t low = 0;
  while (a[low] == T(0)) ++low;
  r.low = low;
  r.n = top - 1 - low;
  if (r.n == 0) return r;
  // The common case, without libm calls.
  bool tame = true;
  for (std::size_t k = low; k < top; ++k) tame = tame && kernels::roots::needs_no_scaling(a[k]);
  if (tame) {
    for (std::size_t k = 0; k <= r.n; ++k) c[k] = a[low + k];
    return r;
  }
  const int n = static_cast<int>(r.n);
  // 2^shift is about the geometric mean of the root magnitudes.
  const int shift = (std::ilogb(a[low]) - std::ilogb(a[top - 1])) / n;
  int most = std::numeric_limits<int>::min(), least = std::numeric_limits<int>::max();
  for (int k = 0; k <= n; ++k)
    if (a[low + k] != T(0)) {
      most = std::max(most, std::ilogb(a[low + k]) + shift * k);
      least = std::min(least, std::ilogb(a[low + k]) + shift * k);
    }
  // The largest scaled coefficient about 1; where they span more than half
  // the exponent range, the middle one instead: the iteration squares
  // quantities of their size, and with the largest at 1 the smallest ones'
  // squares left the normal range (1 + 1e150 x + 1e-150 x^3: roots 80% off).
  // Centred, but never so low that the largest scaled coefficient leaves the range.
  const int top_exponent = most - least <= std::numeric_limits<T>::max_exponent / 2
                               ? most
                               : std::max((most + least) / 2, most - std::numeric_limits<T>::max_exponent + 2);
  for (int k = 0; k <= n; ++k) c[k] = std::ldexp(a[low + k], shift * k - top_exponent);
  r.shift = shift;
  // The largest root's magnitude in w, within a factor of 2 (Fujiwara's
  // bound, in exponents): the iteration squares it.
  const int top_coefficient = std::ilogb(a[top - 1]) + shift * n;
  int largest_root = std::numeric_limits<int>::min();
  for (int k = 0; k < n; ++k)
    if (a[low + k] != T(0))
      largest_root = std::max(largest_root, (std::ilogb(a[low + k]) + shift * k - top_coefficient) / (n - k) + 1);
  r.too_wide = most - least > widest_span<T> || largest_root > largest_root_exponent<T>;
  return r;
}

template <class T>
void roots_chunk(const T* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<T>* out);

/// The roots of one row (all len - 1 places, in order) computed in the next
/// wider type and rounded back: for rows whose roots span more of the
/// exponent range than T's iteration can hold (1 + 1e250 x + 1e-250 x^3 in
/// double), where T's own would return roots that are not roots. The wider
/// type's exponent range (long double: 2^16383) holds any double row's.
template <class T>
void roots_in_wider_type(const T* a, std::size_t len, std::complex<T>* o) {
  using Wide = std::conditional_t<std::is_same_v<T, float>, double, long double>;
  const std::vector<Wide> wide(a, a + len);
  std::vector<std::complex<Wide>> z(len - 1);
  roots_chunk<Wide>(wide.data(), len, 0, 1, z.data());
  for (std::size_t j = 0; j + 1 < len; ++j) o[j] = {static_cast<T>(z[j].real()), static_cast<T>(z[j].imag())};
}

/// Real part, then imaginary part: the order of NaN-free roots.
template <class T>
bool lexicographic_less(const std::complex<T>& x, const std::complex<T>& y) {
  return x.real() < y.real() || (x.real() == y.real() && x.imag() < y.imag());
}

/// lexicographic_less with NaN roots last.
template <class T>
bool root_less(const std::complex<T>& x, const std::complex<T>& y) {
  const bool xn = std::isnan(x.real()) || std::isnan(x.imag());
  const bool yn = std::isnan(y.real()) || std::isnan(y.imag());
  if (xn || yn) return !xn && yn;
  return lexicographic_less(x, y);
}

/// Stable insertion sort of z[0..m): rows are short and most arrive nearly
/// sorted.
template <class T, class Less>
void insertion_sort(std::complex<T>* z, std::size_t m, Less less) {
  for (std::size_t j = 1; j < m; ++j) {
    const std::complex<T> x = z[j];
    std::size_t q = j;
    for (; q > 0 && less(x, z[q - 1]); --q) z[q] = z[q - 1];
    z[q] = x;
  }
}

/// Longest row rank_sort takes (its scratch is on the stack).
inline constexpr std::size_t rank_sort_max = 32;

/// Stable sort of m <= rank_sort_max NaN-free roots in lexicographic order,
/// without branches on the data: each root's place is the number of roots
/// before it (smaller, or equal and earlier), counted over all of them, a
/// loop the compiler vectorises. Insertion sort on roots in the arbitrary
/// order the iteration leaves them mispredicted about once a comparison:
/// a sixth of the time of a degree-8 row.
template <class T>
void rank_sort(std::complex<T>* z, std::size_t m) {
  T re[rank_sort_max], im[rank_sort_max]; // not std::complex: that would be zeroed first
  for (std::size_t j = 0; j < m; ++j) re[j] = z[j].real(), im[j] = z[j].imag();
  for (std::size_t j = 0; j < m; ++j) {
    const T r = re[j], i = im[j];
    std::size_t place = 0;
    for (std::size_t k = 0; k < m; ++k)
      place += static_cast<std::size_t>((re[k] < r) | ((re[k] == r) & ((im[k] < i) | ((im[k] == i) & (k < j)))));
    z[place] = {r, i};
  }
}

/// A row of degree >= 3 waiting for the Aberth tiles: its normalised
/// coefficients are kept at offset `at`.
struct PendingRoots {
  std::size_t row, n, at;
};

/// The bookkeeping of roots_chunk, one per thread and scalar type, reused by
/// every chunk and call: it grows to the largest chunk and is never shrunk.
/// Allocated afresh per chunk (about 0.5 MB for 2048 rows of degree 8), it
/// cost a page fault per 4 KiB whenever glibc had returned it to the system
/// in between (its default trim and mmap thresholds are 128 KiB); in a VM,
/// where a fault costs 10-15 us, that was as much as the roots themselves.
template <class T>
struct RootsChunkScratch {
  std::vector<T> scaled, kept, c, zr, zi, sre, sim, done, logs;
  std::vector<NormalisedRow<T>> info;
  std::vector<PendingRoots> pending, sorted;
  std::vector<std::size_t> hull, eligible, first_of_degree, rest, seeded_rows;
  kernels::roots::StartTable<T> table;
  std::vector<float> fc, fzr, fzi, fdone;
  std::vector<std::complex<T>> seeds;
  std::vector<char> seeded, frozen;
};

template <class T>
RootsChunkScratch<T>& roots_chunk_scratch() {
  thread_local RootsChunkScratch<T> scratch;
  return *thread_local_address(&scratch);
}

/// Roots of rows [begin, end) of a (row stride len) into out (row stride
/// len - 1), a chunk small enough that its bookkeeping stays in cache.
template <class T>
void roots_chunk(const T* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<T>* out) {
  constexpr std::size_t W = root_tile_lanes<T>;
  const std::size_t places = len - 1;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  RootsChunkScratch<T>& ws = roots_chunk_scratch<T>();
  std::vector<T>& scaled = ws.scaled;
  scaled.assign(len, T(0));
  std::vector<NormalisedRow<T>>& info = ws.info;
  info.assign(end - begin, NormalisedRow<T>{});
  // Rows of degree >= 3, sorted by degree below, with their normalised
  // coefficients kept (at `at`) for the tiles.
  using Pending = PendingRoots;
  std::vector<Pending>& pending = ws.pending;
  pending.clear();
  std::vector<T>& kept = ws.kept;
  kept.clear();
  const auto prepare_row = [&](std::size_t i) {
    std::complex<T>* o = out + i * places;
    NormalisedRow<T>& r = info[i - begin];
    r = normalise_row(a + i * len, len, scaled.data());
    if (r.zero) {
      for (std::size_t j = 0; j < places; ++j) o[j] = {nan, nan};
      return;
    }
    if constexpr (!std::is_same_v<T, long double>) {
      if (r.too_wide) {
        roots_in_wider_type(a + i * len, len, o);
        r.sorted = true;
        return;
      }
    }
    for (std::size_t j = r.low + r.n; j < places; ++j) o[j] = {nan, nan};
    for (std::size_t j = 0; j < r.low; ++j) o[j] = {T(0), T(0)};
    std::complex<T>* z = o + r.low;
    if (r.n == 1) {
      z[0] = kernels::roots::linear_root(scaled[0], scaled[1]);
    } else if (r.n == 2) {
      kernels::roots::quadratic_roots(scaled[0], scaled[1], scaled[2], z);
    } else if (r.n >= 3) {
      pending.push_back({i, r.n, kept.size()});
      kept.insert(kept.end(), scaled.begin(), scaled.begin() + static_cast<std::ptrdiff_t>(r.n + 1));
      return;
    }
    if (r.shift != 0)
      for (std::size_t j = 0; j < r.n; ++j) z[j] = {std::ldexp(z[j].real(), r.shift), std::ldexp(z[j].imag(), r.shift)};
  };
  // Quadratics (closed form), cubics (Kahan's method) and quartics
  // (Ferrari's factorisation) a register or two of rows at a time,
  // branch-free. A row that is not plain (a zero end coefficient, a
  // coefficient beyond 2^(+-emax/4)), or that the cubic or quartic solver
  // hands back (it did not settle, or a root failed the backward-error
  // test), goes the general way. The last, partial group is padded, so that
  // every row takes the same path wherever it sits.
  std::size_t i = begin;
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    const auto packed = [&]<std::size_t n>(std::integral_constant<std::size_t, n>) {
      constexpr std::size_t V = n == 2 ? 1 : 2;
      constexpr std::size_t P = kernels::PackOps<T>::lanes * V;
      for (; i < end; i += P) {
        const std::size_t rows = std::min(P, end - i);
        T padded[(n + 1) * P] = {};
        std::complex<T> padded_out[n * P];
        const T* row = a + i * len;
        if (rows < P) {
          std::copy(row, row + (n + 1) * rows, padded);
          row = padded;
        }
        bool plain[P], ok[P];
        std::complex<T>* o = rows < P ? padded_out : out + i * places;
        for (std::size_t l = 0; l < P; ++l) plain[l] = l < rows && kernels::roots::plain_row<T, n>(row + (n + 1) * l);
        if constexpr (n == 2) {
          kernels::roots::quadratic_rows(row, o, plain);
          std::copy(plain, plain + P, ok);
        } else if constexpr (n == 3) {
          kernels::roots::cubic_rows<T, V>(row, o, plain, ok);
        } else {
          kernels::roots::quartic_rows<T, V>(row, o, plain, ok);
        }
        for (std::size_t l = 0; l < rows; ++l) {
          if (!ok[l]) {
            prepare_row(i + l);
            continue;
          }
          if (rows < P) std::copy(padded_out + n * l, padded_out + n * l + n, out + (i + l) * places);
          info[i + l - begin] = {.low = 0, .n = n, .shift = 0, .zero = false, .sorted = true};
        }
      }
    };
    if (len == 3) packed(std::integral_constant<std::size_t, 2>{});
    if (len == 4) packed(std::integral_constant<std::size_t, 3>{});
    if (len == 5) packed(std::integral_constant<std::size_t, 4>{});
  }
  for (; i < end; ++i) prepare_row(i);
  const auto by_degree = [](const Pending& x, const Pending& y) { return x.n < y.n; };
  if (!std::is_sorted(pending.begin(), pending.end(), by_degree)) {
    // A stable counting sort by degree (std::stable_sort would allocate).
    std::vector<std::size_t>& first = ws.first_of_degree;
    first.assign(len + 1, 0);
    for (const Pending& p : pending) ++first[p.n + 1];
    for (std::size_t n = 1; n <= len; ++n) first[n] += first[n - 1];
    ws.sorted.resize(pending.size());
    for (const Pending& p : pending) ws.sorted[first[p.n]++] = p;
    pending.swap(ws.sorted);
  }
  std::vector<T>&c = ws.c, &zr = ws.zr, &zi = ws.zi, &sre = ws.sre, &sim = ws.sim, &done = ws.done, &logs = ws.logs;
  c.assign(len * W, T(0));
  zr.assign(places * W, T(0));
  zi.assign(places * W, T(0));
  sre.assign(places, T(0));
  sim.assign(places, T(0));
  done.assign(places * W, T(0));
  logs.assign(len, T(0));
  std::vector<std::size_t>& hull = ws.hull;
  hull.assign(len, 0);
  kernels::roots::StartTable<T>& table = ws.table;
  // Double rows of degree >= float_phase_min_degree whose end coefficients
  // are normal floats iterate in float first (float tiles: twice the lanes a
  // register, so a sweep costs about half); their float roots, when finite
  // and distinct, seed the double iteration, which then usually needs two
  // sweeps (one to reach double accuracy, one to confirm it and polish).
  // Every root still passes the double stopping test.
  constexpr bool float_phase = std::is_same_v<T, double>;
  constexpr std::size_t WF = root_tile_lanes<float>;
  std::vector<float>&fc = ws.fc, &fzr = ws.fzr, &fzi = ws.fzi, &fdone = ws.fdone;
  std::vector<std::complex<T>>& seeds = ws.seeds; // n per row of the degree group
  std::vector<char>& seeded = ws.seeded;
  std::vector<std::size_t>& eligible = ws.eligible;
  if constexpr (float_phase) {
    fc.assign(len * WF, 0.0f);
    fzr.assign(places * WF, 0.0f);
    fzi.assign(places * WF, 0.0f);
    fdone.assign(places * WF, 0.0f);
  }
  const auto starts = [&](std::size_t n, const T* row) {
    kernels::roots::newton_polygon_starts(row, n, sre.data(), sim.data(), 1, hull.data(), logs.data(), table);
  };
  for (std::size_t g = 0; g < pending.size();) {
    const std::size_t n = pending[g].n;
    std::size_t last = g;
    while (last < pending.size() && pending[last].n == n) ++last;
    table.prepare(n);
    const std::size_t count = last - g;
    const auto row_of = [&](std::size_t i) { return kept.data() + pending[g + i].at; };
    seeded.assign(count, 0);
    if constexpr (float_phase) {
      ws.frozen.assign(n * count, 0);
      eligible.clear();
      if (n >= float_phase_min_degree) {
        for (std::size_t i = 0; i < count; ++i) {
          const T* row = row_of(i);
          const auto normal = [](T x) { return std::abs(x) >= T(std::numeric_limits<float>::min()); };
          if (normal(row[0]) && normal(row[n])) eligible.push_back(i);
        }
      }
      if (!eligible.empty()) {
        seeds.resize(n * count);
        stream_aberth_rows<float, WF>(
            n, eligible.size(), float_phase_cap(n), fc.data(), fzr.data(), fzi.data(), fdone.data(),
            [&](std::size_t l, std::size_t e) {
              const T* row = row_of(eligible[e]);
              for (std::size_t k = 0; k <= n; ++k) fc[k * WF + l] = static_cast<float>(row[k]);
              starts(n, row);
              for (std::size_t j = 0; j < n; ++j) {
                fzr[j * WF + l] = static_cast<float>(sre[j]);
                fzi[j * WF + l] = static_cast<float>(sim[j]);
                fdone[j * WF + l] = 0.0f;
              }
            },
            [&](std::size_t l, std::size_t e) {
              const std::size_t i = eligible[e];
              if (!distinct_finite(fzr.data() + l, fzi.data() + l, n, WF)) return;
              seeded[i] = 1;
              for (std::size_t j = 0; j < n; ++j) seeds[i * n + j] = {fzr[j * WF + l], fzi[j * WF + l]};
            },
            float_seed_step);
      }
    }
    const auto finish = [&](std::size_t l, std::size_t i) {
      const std::size_t row = pending[g + i].row;
      const NormalisedRow<T>& r = info[row - begin];
      std::complex<T>* z = out + row * places + r.low;
      for (std::size_t j = 0; j < n; ++j)
        z[j] = r.shift == 0 ? std::complex<T>(zr[j * W + l], zi[j * W + l])
                            : std::complex<T>(std::ldexp(zr[j * W + l], r.shift), std::ldexp(zi[j * W + l], r.shift));
    };
    // Row i into lane l of the double tile: from its float roots (or, after
    // the seeded pass below, its roots and flags so far), else from the
    // Newton-polygon circles.
    const auto load = [&](std::size_t l, std::size_t i) {
      const T* row = row_of(i);
      for (std::size_t k = 0; k <= n; ++k) c[k * W + l] = row[k];
      if (!seeded[i]) starts(n, row);
      for (std::size_t j = 0; j < n; ++j) {
        zr[j * W + l] = seeded[i] ? seeds[i * n + j].real() : sre[j];
        zi[j * W + l] = seeded[i] ? seeds[i * n + j].imag() : sim[j];
        done[j * W + l] = seeded[i] == 2 && ws.frozen[i * n + j] ? T(1) : T(0);
      }
    };
    // Seeded rows, a whole tile at a time: one sweep from the float roots,
    // then the backward-error test alone. A row whose roots all pass is
    // done; any other keeps its roots and flags (seeded = 2) and continues in
    // the stream below. Each row takes the same two steps wherever it sits.
    std::vector<std::size_t>& rest = ws.rest;
    rest.clear();
    if constexpr (float_phase) {
      std::vector<std::size_t>& batch = ws.seeded_rows;
      batch.clear();
      for (std::size_t i = 0; i < count; ++i) (seeded[i] ? batch : rest).push_back(i);
      for (std::size_t t = 0; t < batch.size(); t += W) {
        const std::size_t lanes = std::min(W, batch.size() - t);
        for (std::size_t l = 0; l < W; ++l) {
          load(l, batch[t + (l < lanes ? l : 0)]);
          // Spare lanes repeat the tile's first row, frozen.
          if (l >= lanes)
            for (std::size_t j = 0; j < n; ++j) done[j * W + l] = T(1);
        }
        T suspect[W] = {};
        kernels::roots::aberth_sweep<T, W>(n, c.data(), zr.data(), zi.data(), done.data(), T(0), suspect);
        kernels::roots::aberth_check<T, W>(n, c.data(), zr.data(), zi.data(), done.data());
        for (std::size_t l = 0; l < lanes; ++l) {
          const std::size_t i = batch[t + l];
          // The check above tests open roots; a root the sweep froze by a
          // skewed step is tested here, and reopened if it fails.
          if (suspect[l] != T(0))
            kernels::roots::reopen_failing_roots<T, W>(n, c.data(), zr.data(), zi.data(), done.data(), l);
          bool all = true;
          for (std::size_t j = 0; j < n; ++j) all = all && done[j * W + l] != T(0);
          if (all) {
            finish(l, i);
            continue;
          }
          seeded[i] = 2;
          rest.push_back(i);
          for (std::size_t j = 0; j < n; ++j) {
            seeds[i * n + j] = {zr[j * W + l], zi[j * W + l]};
            ws.frozen[i * n + j] = done[j * W + l] != T(0);
          }
        }
      }
    } else {
      for (std::size_t i = 0; i < count; ++i) rest.push_back(i);
    }
    if (!rest.empty())
      stream_aberth_rows<T, W>(
          n, rest.size(), aberth_iteration_cap(n), c.data(), zr.data(), zi.data(), done.data(),
          [&](std::size_t l, std::size_t e) { load(l, rest[e]); },
          [&](std::size_t l, std::size_t e) { finish(l, rest[e]); });
    g = last;
  }
  for (std::size_t i = begin; i < end; ++i) {
    std::complex<T>* o = out + i * places;
    const NormalisedRow<T>& r = info[i - begin];
    if (r.zero || r.sorted) continue;
    // NaN roots (rare) need root_less; otherwise the lexicographic order is the same.
    const std::size_t m = r.low + r.n;
    bool any_nan = false;
    for (std::size_t j = 0; j < m; ++j) any_nan |= std::isnan(o[j].real()) || std::isnan(o[j].imag());
    if (any_nan)
      insertion_sort(o, m, root_less<T>);
    else if (m <= rank_sort_max)
      rank_sort(o, m);
    else
      insertion_sort(o, m, lexicographic_less<T>);
  }
}

/// Rows of one thread in chunks of 2048: the per-row bookkeeping of a
/// whole thread's share would leave the cache (and cost page faults) for
/// cheap rows such as quadratics. Tiles never span chunks, and a row's
/// result does not depend on its tile mates, so chunking changes no result.
template <class T>
void roots_block(const T* a, std::size_t len, std::size_t begin, std::size_t end, std::complex<T>* out) {
  constexpr std::size_t chunk = 2048;
  for (std::size_t b = begin; b < end; b += chunk) roots_chunk(a, len, b, std::min(end, b + chunk), out);
}

} // namespace detail

namespace detail {

/// Throws pb::domain_error naming the first non-finite coefficient of a.
template <class T>
void require_finite_roots_input(const T* pa, std::size_t batch, std::size_t len) {
  for (std::size_t i = 0; i < batch * len; ++i)
    if (!std::isfinite(pa[i]))
      throw domain_error("roots(a): row " + std::to_string(i / len) + " of a " + detail::shape_str(batch, len) +
                         " has a non-finite coefficient (coefficient " + std::to_string(i % len) + ")");
}

/// The roots of the B x len rows at pa (finite) into B x (len - 1) complex
/// values at po, row-major: the one place both overloads and the Python
/// module (which writes into its numpy result) compute them.
template <class T>
void roots_to(const T* pa, std::size_t batch, std::size_t len, std::complex<T>* po) {
  if (batch == 0 || len < 2) return;
  detail::for_row_blocks(batch, batch * len * len * 24, [&](std::size_t begin, std::size_t end) {
    // Linked to polybatch::kernels: the Aberth tiles of the machine's widest
    // instruction set (they are compute bound, about 3x faster with AVX-512).
    if constexpr (kernels::uses_compiled_roots<T>)
      compiled::roots_rows(pa, len, begin, end, po);
    else
      detail::roots_block(pa, len, begin, end, po);
  });
}

} // namespace detail

/// The roots of a written into `out`, reshaped to B x (La - 1) where its
/// shape differs (its storage is kept when the shape is the same). For
/// solvers that find roots batch after batch: a result written into memory
/// already touched costs no page faults, where a fresh B x (La - 1) result
/// does (in a VM, about as much as the roots of quadratics themselves).
/// Non-finite coefficients are a domain_error naming the row, thrown before
/// `out` changes.
template <PolyExpression E>
requires RootScalar<value_type_of<E>>
void roots(const E& a_expr, xt::xtensor<std::complex<value_type_of<E>>, 2>& out) {
  const auto& a = detail::as_container(a_expr);
  const std::size_t batch = a.batch_size();
  const std::size_t len = a.length();
  const std::size_t places = len == 0 ? 0 : len - 1;
  detail::require_finite_roots_input(a.data(), batch, len);
  if (out.shape(0) != batch || out.shape(1) != places) out.resize({batch, places});
  detail::roots_to(a.data(), batch, len, out.data());
}

/// B x (La - 1) complex roots; see the contract in docs/roots.md. Non-finite
/// coefficients are a domain_error naming the row.
template <PolyExpression E>
requires RootScalar<value_type_of<E>> xt::xtensor < std::complex<value_type_of<E>>,
2 > roots(const E& a_expr) {
  xt::xtensor<std::complex<value_type_of<E>>, 2> out;
  roots(detail::as_container(a_expr), out);
  return out;
}

} // namespace polybatch
