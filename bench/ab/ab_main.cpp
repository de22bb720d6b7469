// Loads several builds of ab_product.cpp into one process and alternates
// them in runs of 50 calls (the first 5 of each run dropped: caches warm up
// after the other builds' runs), so that the slow phases of a shared machine
// hit every build alike. Prints each build's minimum, lower quartile and
// median in ns per row, and a hash of its results.
//   ab_main LA LB ROWS CALLS LIB.so...
#include <dlfcn.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: %s LA LB ROWS CALLS LIB.so...\n", argv[0]);
    return 2;
  }
  const int la = std::atoi(argv[1]), lb = std::atoi(argv[2]), rows = std::atoi(argv[3]), calls = std::atoi(argv[4]);
  const int builds = argc - 5;
  constexpr int run_length = 50, warm_up = 5;
  struct build {
    void* state;
    double (*run)(void*);
    unsigned long (*hash)(void*);
    std::vector<double> times;
  };
  std::vector<build> b(static_cast<std::size_t>(builds));
  for (int i = 0; i < builds; ++i) {
    void* lib = dlopen(argv[5 + i], RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      std::fprintf(stderr, "%s\n", dlerror());
      return 1;
    }
    auto setup = reinterpret_cast<void* (*)(int, int, int)>(dlsym(lib, "ab_setup"));
    b[i].run = reinterpret_cast<double (*)(void*)>(dlsym(lib, "ab_run"));
    b[i].hash = reinterpret_cast<unsigned long (*)(void*)>(dlsym(lib, "ab_hash"));
    if (setup == nullptr || b[i].run == nullptr || b[i].hash == nullptr) {
      std::fprintf(stderr, "%s: not an ab_product build\n", argv[5 + i]);
      return 1;
    }
    b[i].state = setup(la, lb, rows);
  }
  for (int done = 0; done < calls; done += run_length)
    for (auto& x : b)
      for (int c = 0; c < run_length; ++c) {
        const double t = x.run(x.state);
        if (c >= warm_up) x.times.push_back(t);
      }
  for (int i = 0; i < builds; ++i) {
    auto t = b[i].times;
    std::sort(t.begin(), t.end());
    const double per_row = 1e9 / rows;
    std::printf("%-40s %d x %d: min %.2f  q1 %.2f  median %.2f ns/row  hash %lx\n", argv[5 + i], la, lb,
                t.front() * per_row, t[t.size() / 4] * per_row, t[t.size() / 2] * per_row, b[i].hash(b[i].state));
  }
}
