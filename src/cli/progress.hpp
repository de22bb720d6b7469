// A progress bar on stderr for long evaluations: shown when stderr is a
// terminal (or when forced with --progress), redrawn in place and ended
// with a newline when done; results never go to stderr, so they never mix.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

#include <unistd.h>

namespace polybatch::cli {

class ProgressBar {
public:
  ProgressBar(bool force, std::string label) : enabled_(force || ::isatty(STDERR_FILENO)), label_(std::move(label)) {}

  bool enabled() const { return enabled_; }

  void update(std::size_t done, std::size_t total) {
    if (!enabled_ || total == 0) return;
    const int width = 30;
    const int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "\r%s [%s] %3d%% %zu/%zu rows %.1fs", label_.c_str(), bar.c_str(),
                 static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)), done, total, secs);
    std::fflush(stderr);
    drawn_ = true;
  }

  void finish() {
    if (drawn_) {
      std::fprintf(stderr, "\n");
      std::fflush(stderr);
      drawn_ = false;
    }
  }

  ~ProgressBar() { finish(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

private:
  bool enabled_;
  std::string label_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace polybatch::cli
