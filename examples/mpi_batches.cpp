// A batch spread over MPI ranks: rank 0 makes B rows, scatters contiguous
// blocks of rows (MPI_Scatterv), every rank evaluates the fused
// r = (a*b)*c + 2*a on its block through pb::adapt views of the received
// buffers (no copy), rank 0 gathers the rows (MPI_Gatherv), checks them
// against a naive loop and prints the times (the slowest rank's, per phase).
// Usage: mpirun -np P mpi_batches [--rows B | --rows-per-rank R] [--threads T] [--repeats N]
// The C API only: no MPI C++ bindings (deprecated, and noisy under -Wextra).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <random>
#include <string>
#include <vector>

#include <polybatch/polybatch.hpp>

#include "example_options.hpp"

namespace pb = polybatch;

namespace {

constexpr std::size_t la = 5, lb = 7, lc = 5;
constexpr std::size_t lr = (la + lb - 1) + lc - 1; // length of (a*b)*c, which 2*a (shorter) does not change

/// Rows [first(r), first(r + 1)) belong to rank r: contiguous blocks that
/// differ by at most one row.
std::size_t first_row(std::size_t rows, int rank, int ranks) {
  return rows * static_cast<std::size_t>(rank) / static_cast<std::size_t>(ranks);
}

/// Element counts and displacements of every rank's block for rows of `length`.
void layout(std::size_t rows, int ranks, std::size_t length, std::vector<int>& counts, std::vector<int>& displs) {
  counts.resize(static_cast<std::size_t>(ranks));
  displs.resize(static_cast<std::size_t>(ranks));
  for (int r = 0; r < ranks; ++r) {
    const std::size_t begin = first_row(rows, r, ranks), end = first_row(rows, r + 1, ranks);
    counts[static_cast<std::size_t>(r)] = static_cast<int>((end - begin) * length);
    displs[static_cast<std::size_t>(r)] = static_cast<int>(begin * length);
  }
}

/// The slowest rank's time for a phase (what the whole job waits for).
double slowest(double seconds) {
  double out = 0;
  MPI_Reduce(&seconds, &out, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  return out;
}

} // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);

  // Every option is checked: a bad one stops all ranks with one message
  // rather than wrapping (--rows 2^60 times a row's length) or timing nothing.
  const std::size_t max_rows = static_cast<std::size_t>(INT32_MAX) / lr; // MPI_Scatterv's counts are int
  const example::Options options(argc, argv, {"--rows", "--rows-per-rank", "--threads", "--repeats"},
                                 [rank](const std::string& line) {
                                   if (rank == 0) std::fprintf(stderr, "%s\n", line.c_str());
                                   MPI_Abort(MPI_COMM_WORLD, 2);
                                 });
  options.exclusive("--rows", "--rows-per-rank");
  std::size_t rows = options.count("--rows", 1'000'000, 1, max_rows);
  const std::size_t per_rank = options.count("--rows-per-rank", 0, 1, max_rows / static_cast<std::size_t>(ranks));
  const std::size_t threads = options.count("--threads", 1, 1, 1024);
  const std::size_t repeats = options.count("--repeats", 5, 1, 1'000'000);
  if (per_rank > 0) rows = per_rank * static_cast<std::size_t>(ranks); // weak scaling: fixed rows per rank
  // Ranks are the parallelism; one thread each unless asked (results do not depend on it).
  pb::set_num_threads(threads);

  // Rank 0 owns the whole batch; the others only their blocks.
  std::vector<double> a, b, c, r;
  if (rank == 0) {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> coeff(-1.0, 1.0);
    a.resize(rows * la), b.resize(rows * lb), c.resize(rows * lc), r.resize(rows * lr);
    for (auto* v : {&a, &b, &c}) std::generate(v->begin(), v->end(), [&] { return coeff(rng); });
  }
  std::vector<int> ca, da, cb, db, cc, dc, cr, dr;
  layout(rows, ranks, la, ca, da);
  layout(rows, ranks, lb, cb, db);
  layout(rows, ranks, lc, cc, dc);
  layout(rows, ranks, lr, cr, dr);
  const std::size_t mine = first_row(rows, rank + 1, ranks) - first_row(rows, rank, ranks);
  std::vector<double> my_a(mine * la), my_b(mine * lb), my_c(mine * lc), my_r(mine * lr);

  std::vector<double> t_scatter, t_compute, t_gather, t_total;
  for (std::size_t rep = 0; rep < repeats; ++rep) {
    MPI_Barrier(MPI_COMM_WORLD);
    const double t0 = MPI_Wtime();
    MPI_Scatterv(a.data(), ca.data(), da.data(), MPI_DOUBLE, my_a.data(), int(mine * la), MPI_DOUBLE, 0,
                 MPI_COMM_WORLD);
    MPI_Scatterv(b.data(), cb.data(), db.data(), MPI_DOUBLE, my_b.data(), int(mine * lb), MPI_DOUBLE, 0,
                 MPI_COMM_WORLD);
    MPI_Scatterv(c.data(), cc.data(), dc.data(), MPI_DOUBLE, my_c.data(), int(mine * lc), MPI_DOUBLE, 0,
                 MPI_COMM_WORLD);
    const double t1 = MPI_Wtime();
    if (mine > 0) { // a view needs at least one row
      // An exception on any rank (out of memory, say) stops every rank with
      // its message; uncaught, it would end this rank alone through
      // std::terminate and leave the others waiting in MPI_Gatherv.
      try {
        const auto va = pb::adapt(static_cast<const double*>(my_a.data()), mine, la);
        const auto vb = pb::adapt(static_cast<const double*>(my_b.data()), mine, lb);
        const auto vc = pb::adapt(static_cast<const double*>(my_c.data()), mine, lc);
        auto out = pb::adapt(my_r.data(), mine, lr);
        out = (va * vb) * vc + 2.0 * va; // one fused pass over this rank's rows
      } catch (const std::exception& e) {
        std::fprintf(stderr, "mpi_batches: rank %d: %s\n", rank, e.what());
        MPI_Abort(MPI_COMM_WORLD, 1);
      }
    }
    const double t2 = MPI_Wtime();
    MPI_Gatherv(my_r.data(), int(mine * lr), MPI_DOUBLE, r.data(), cr.data(), dr.data(), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    const double t3 = MPI_Wtime();
    t_scatter.push_back(slowest(t1 - t0));
    t_compute.push_back(slowest(t2 - t1));
    t_gather.push_back(slowest(t3 - t2));
    t_total.push_back(slowest(t3 - t0));
  }

  int status = 0;
  if (rank == 0) {
    // The naive reference: (a*b)*c + 2*a by nested loops, row by row.
    double max_err = 0.0;
    std::vector<double> ab(la + lb - 1), want(lr);
    for (std::size_t i = 0; i < rows; ++i) {
      std::fill(ab.begin(), ab.end(), 0.0);
      std::fill(want.begin(), want.end(), 0.0);
      for (std::size_t j = 0; j < la; ++j)
        for (std::size_t k = 0; k < lb; ++k) ab[j + k] += a[i * la + j] * b[i * lb + k];
      for (std::size_t j = 0; j < ab.size(); ++j)
        for (std::size_t k = 0; k < lc; ++k) want[j + k] += ab[j] * c[i * lc + k];
      for (std::size_t j = 0; j < la; ++j) want[j] += 2.0 * a[i * la + j];
      for (std::size_t k = 0; k < lr; ++k) {
        // A NaN, once seen, stays (every later comparison with it is false);
        // std::max would drop it.
        const double err = std::abs(r[i * lr + k] - want[k]);
        if (std::isnan(err) || err > max_err) max_err = err;
      }
    }
    auto median_ms = [](std::vector<double> t) {
      std::sort(t.begin(), t.end());
      return t[t.size() / 2] * 1e3;
    };
    // Blocks differ by at most a row; the compute phase waits for the largest.
    const std::size_t largest = (rows + std::size_t(ranks) - 1) / std::size_t(ranks);
    std::printf("mpi_batches: %d ranks, %zu rows (at most %zu per rank), %zu thread(s) per rank, median of %zu\n",
                ranks, rows, largest, pb::num_threads(), repeats);
    std::printf("  scatter %8.2f ms   compute %8.2f ms (%.2f ns per row of the largest block)   gather %8.2f ms   "
                "total %8.2f ms\n",
                median_ms(t_scatter), median_ms(t_compute), median_ms(t_compute) * 1e6 / double(largest),
                median_ms(t_gather), median_ms(t_total));
    std::printf("  max |polybatch - naive| = %.3g\n", max_err);
    if (!(max_err <= 1e-12)) {
      std::printf("FAILED: the gathered rows disagree with the naive loop\n");
      status = 1;
    } else {
      std::printf("OK\n");
    }
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return status;
}
