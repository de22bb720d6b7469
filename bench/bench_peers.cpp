// The C++ side of bench/compare_peers.py: reads a batch of row pairs from raw
// files written by the script, times polybatch (1 and 2 threads, into reused
// storage and into fresh storage) and xt::convolve row by row, writes the
// outputs for the agreement check and prints "name seconds" lines (medians).
//   bench_peers float|double B M N REPS a.bin v.bin out_pb.bin out_xt.bin
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xtensor.hpp>

#include "polybatch_core.hpp"

namespace pb = polybatch;

namespace {

template <class T>
std::vector<T> read_raw(const std::string& path, std::size_t count) {
  std::vector<T> v(count);
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(T)));
  if (!in) throw std::runtime_error("cannot read " + path);
  return v;
}

template <class T>
void write_raw(const std::string& path, const T* data, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
}

template <class F>
double median_seconds(int reps, F f) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

template <class T>
int run(std::size_t B, std::size_t M, std::size_t N, int reps, char** paths) {
  const std::size_t F = M + N - 1;
  const std::vector<T> a = read_raw<T>(paths[0], B * M);
  const std::vector<T> v = read_raw<T>(paths[1], B * N);
  const auto pa = pb::adapt(a.data(), B, M);
  const auto pv = pb::adapt(v.data(), B, N);

  pb::PolyBatch<T> r = pb::PolyBatch<T>::uninitialized(B, F);
  for (std::size_t threads : {1u, 2u}) {
    pb::set_num_threads(threads);
    r = pa * pv; // first touch outside the timing
    std::printf("polybatch_%zut %.9g\n", threads, median_seconds(reps, [&] { r = pa * pv; }));
  }
  // A fresh output every time: pays the page faults of new memory.
  pb::set_num_threads(1);
  std::printf("polybatch_fresh_1t %.9g\n", median_seconds(reps, [&] {
                pb::PolyBatch<T> fresh = pa * pv;
                if (fresh(B - 1, F - 1) == T(12345)) std::puts("");
              }));
  write_raw(paths[2], r.data(), B * F);

  std::vector<T> xo(B * F);
  std::printf("xt_convolve %.9g\n", median_seconds(reps, [&] {
                for (std::size_t i = 0; i < B; ++i) {
                  const auto ar = xt::adapt(a.data() + i * M, M, xt::no_ownership(), std::array<std::size_t, 1>{M});
                  const auto vr = xt::adapt(v.data() + i * N, N, xt::no_ownership(), std::array<std::size_t, 1>{N});
                  const xt::xtensor<T, 1> c = xt::convolve(ar, vr, xt::convolve_mode::full());
                  std::copy(c.begin(), c.end(), xo.begin() + static_cast<std::ptrdiff_t>(i * F));
                }
              }));
  write_raw(paths[3], xo.data(), B * F);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 10) {
    std::cerr << "usage: bench_peers float|double B M N REPS a.bin v.bin out_pb.bin out_xt.bin\n";
    return 2;
  }
  const std::string type = argv[1];
  const std::size_t B = std::stoul(argv[2]), M = std::stoul(argv[3]), N = std::stoul(argv[4]);
  const int reps = std::stoi(argv[5]);
  if (type == "float") return run<float>(B, M, N, reps, argv + 6);
  return run<double>(B, M, N, reps, argv + 6);
}
