// Complex roots of a batch read from .npy (float64, B x L): pb::roots against
// Eigen's PolynomialSolver (companion matrix + real Schur form) row by row.
// Prints CPU ns/row (std::clock, median of repeats) and writes both results
// as complex128 .npy, so that bench/roots_peers.py computes one backward-error
// statistic for every method. Driven by bench/roots_peers.py.
//
// Usage: bench_roots IN.npy OUT_PREFIX [repeats] [eigen_rows]
//   writes OUT_PREFIX.polybatch.npy and OUT_PREFIX.eigen.npy (the first
//   eigen_rows rows; default all), prints "method ns_per_row" lines.
#include <algorithm>
#include <complex>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <unsupported/Eigen/Polynomials>

#include <polybatch/algebra/roots.hpp>
#include <polybatch/eval/threads.hpp>
#include <polybatch/interop/atomic_file.hpp>
#include <polybatch/interop/npy.hpp>

namespace pb = polybatch;

namespace {

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void write_complex(const std::string& path, const std::complex<double>* z, std::size_t rows, std::size_t cols) {
  std::string dict = "{'descr': '<c16', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + "), }";
  dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
  dict += '\n';
  std::string header("\x93NUMPY\x01\x00", 8);
  header += static_cast<char>(dict.size() & 0xff);
  header += static_cast<char>((dict.size() >> 8) & 0xff);
  header += dict;
  pb::interop::AtomicFile out(path);
  out.write(header.data(), header.size());
  out.write(z, rows * cols * sizeof(std::complex<double>));
  out.commit(pb::interop::durability::no_sync);
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench_roots IN.npy OUT_PREFIX [repeats] [eigen_rows]\n";
    return 2;
  }
  const std::string in = argv[1], prefix = argv[2];
  const int repeats = argc > 3 ? std::max(1, std::stoi(argv[3])) : 3;
  pb::set_num_threads(1);
  const pb::PolyBatch<double> a = pb::interop::read_npy<double>(in);
  const std::size_t rows = a.batch_size(), len = a.length(), n = len - 1;
  const std::size_t eigen_rows = argc > 4 ? std::min<std::size_t>(rows, std::stoul(argv[4])) : rows;

  // Into a reused result first, as a solver's loop calls it: before any
  // large block is freed, glibc's trim and mmap thresholds are still at
  // their 128 KiB defaults, so memory the library allocated and freed per
  // call or per chunk would fault again on every call (a fresh result timed
  // first raises them and hides that).
  xt::xtensor<std::complex<double>, 2> reused;
  pb::roots(a, reused);
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    const double t0 = cpu_seconds();
    pb::roots(a, reused);
    times.push_back(cpu_seconds() - t0);
  }
  const double reused_ns = median(times) * 1e9 / static_cast<double>(rows);
  xt::xtensor<std::complex<double>, 2> z;
  times.clear();
  for (int r = 0; r < repeats; ++r) {
    const double t0 = cpu_seconds();
    z = pb::roots(a);
    times.push_back(cpu_seconds() - t0);
  }
  std::printf("polybatch %.1f\n", median(times) * 1e9 / static_cast<double>(rows));
  std::printf("polybatch_reused %.1f\n", reused_ns);
  // Byte for byte: rows of lower degree hold NaN places, which != would call different.
  if (reused.size() != z.size() || std::memcmp(reused.data(), z.data(), z.size() * sizeof(z.data()[0])) != 0) {
    std::fprintf(stderr, "bench_roots: roots(a, out) differs from roots(a)\n");
    return 1;
  }
  write_complex(prefix + ".polybatch.npy", z.data(), rows, n);

  std::vector<std::complex<double>> ze(eigen_rows * n);
  Eigen::PolynomialSolver<double, Eigen::Dynamic> solver;
  Eigen::VectorXd coeffs(static_cast<Eigen::Index>(len));
  times.clear();
  for (int r = 0; r < repeats; ++r) {
    const double t0 = cpu_seconds();
    for (std::size_t i = 0; i < eigen_rows; ++i) {
      for (std::size_t k = 0; k < len; ++k) coeffs(static_cast<Eigen::Index>(k)) = a.data()[i * len + k];
      solver.compute(coeffs);
      const auto& roots = solver.roots();
      for (std::size_t j = 0; j < n; ++j) ze[i * n + j] = roots(static_cast<Eigen::Index>(j));
    }
    times.push_back(cpu_seconds() - t0);
  }
  std::printf("eigen %.1f\n", median(times) * 1e9 / static_cast<double>(eigen_rows));
  write_complex(prefix + ".eigen.npy", ze.data(), eigen_rows, n);
  return 0;
}
