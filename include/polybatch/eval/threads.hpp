// Thread count for evaluation and a small persistent worker pool. Rows are
// independent, so the batch is cut into contiguous blocks, one per thread,
// and the result does not depend on the thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "polybatch/core/errors.hpp"

namespace polybatch {

/// The most threads an evaluation uses: set_num_threads refuses more, and
/// POLYBATCH_NUM_THREADS above it is ignored (each is a thread started, and
/// tens of thousands exhaust the system's limits).
inline constexpr std::size_t max_num_threads = 1024;

namespace detail {

/// POLYBATCH_NUM_THREADS as a thread count; 0 where it is unset or not an
/// integer from 1 to max_num_threads.
inline std::size_t env_num_threads() {
  if (const char* env = std::getenv("POLYBATCH_NUM_THREADS")) {
    if (*env == '\0') return 0; // set but empty: as unset
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(env, &end, 10);
    const bool in_range = errno == 0 && static_cast<unsigned long>(v) <= max_num_threads;
    if (end != env && *end == '\0' && v >= 1) return in_range ? static_cast<std::size_t>(v) : 0;
  }
  return 0;
}

inline std::size_t default_num_threads() {
  if (const std::size_t n = env_num_threads()) return n;
  return std::max(1u, std::thread::hardware_concurrency());
}

inline std::atomic<std::size_t>& num_threads_setting() {
  static std::atomic<std::size_t> n{default_num_threads()};
  return n;
}

/// A thread count for the evaluations this thread starts (0: none), so that
/// one caller (a Python call's `threads=`) can have its own count without
/// changing the setting every other thread reads.
inline std::size_t& this_thread_count() {
  thread_local std::size_t n = 0;
  return n;
}

/// Sets this_thread_count() for its lifetime (n >= 1) and restores it.
class ThisThreadCount {
public:
  explicit ThisThreadCount(std::size_t n) : saved_(this_thread_count()) { this_thread_count() = n; }
  ~ThisThreadCount() { this_thread_count() = saved_; }
  ThisThreadCount(const ThisThreadCount&) = delete;
  ThisThreadCount& operator=(const ThisThreadCount&) = delete;

private:
  std::size_t saved_;
};

} // namespace detail

/// What is wrong with POLYBATCH_NUM_THREADS, for programs to report: empty
/// where it is unset, empty, or a thread count from 1 to max_num_threads (the
/// library itself ignores any other value and uses the hardware's count).
inline std::string num_threads_env_problem() {
  const char* env = std::getenv("POLYBATCH_NUM_THREADS");
  if (env == nullptr || *env == '\0' || detail::env_num_threads() != 0) return {};
  return std::string("POLYBATCH_NUM_THREADS='") + env + "' is not a thread count (an integer from 1 to " +
         std::to_string(max_num_threads) + ")";
}

/// Threads used by evaluation (1 <= n <= max_num_threads). The default is
/// the environment variable POLYBATCH_NUM_THREADS if it holds such a count,
/// else the hardware concurrency. One template for every integer type, so
/// that unsigned, long and std::size_t arguments (hardware_concurrency())
/// are not ambiguous.
template <std::integral I>
void set_num_threads(I n) {
  bool below_one = n == I(0);
  if constexpr (std::is_signed_v<I>) below_one = n < I(1);
  if (below_one) throw domain_error("set_num_threads: the thread count must be at least 1, got " + std::to_string(n));
  if (static_cast<unsigned long long>(n) > max_num_threads) // n >= 1 here
    throw domain_error("set_num_threads: the thread count must be at most " + std::to_string(max_num_threads) +
                       ", got " + std::to_string(n));
  detail::num_threads_setting().store(static_cast<std::size_t>(n));
}

inline std::size_t num_threads() {
  const std::size_t mine = detail::this_thread_count();
  return mine != 0 ? mine : detail::num_threads_setting().load();
}

namespace evaluation {

/// Workers started on first use and kept for the program's lifetime, so an
/// evaluation never pays thread start-up and dispatch allocates nothing.
class ThreadPool {
public:
  using task_fn = void (*)(const void* context, std::size_t part, std::size_t parts);

  static ThreadPool& instance() {
    static ThreadPool pool;
    return pool;
  }

  /// Runs task(context, p, parts) for p in [0, parts): part 0 on the calling
  /// thread, the rest on workers. Rethrows the first exception. If another
  /// thread is already using the pool, runs every part on the caller.
  void run(std::size_t parts, task_fn task, const void* context) {
    // A run from inside part 0 (a task that evaluates again) would try the
    // lock its own thread holds, which is undefined for a std::mutex: it
    // runs serially without trying.
    std::unique_lock<std::mutex> busy(busy_, std::defer_lock);
    if (parts <= 1 || running_part_zero() || !busy.try_lock()) {
      for (std::size_t p = 0; p < parts; ++p) task(context, p, parts);
      return;
    }
    ensure_workers(parts - 1);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = task;
      context_ = context;
      parts_ = parts;
      next_part_ = 1;
      remaining_ = parts - 1;
      error_ = nullptr;
      ++generation_;
    }
    wake_.notify_all();
    std::exception_ptr mine;
    running_part_zero() = true;
    try {
      task(context, 0, parts);
    } catch (...) {
      mine = std::current_exception();
    }
    running_part_zero() = false;
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return remaining_ == 0; });
    task_ = nullptr;
    if (mine) std::rethrow_exception(mine);
    if (error_) std::rethrow_exception(error_);
  }

  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      ++generation_;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
  }

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

private:
  ThreadPool() = default;

  /// Whether this thread is running part 0 of a run, holding busy_.
  static bool& running_part_zero() {
    thread_local bool running = false;
    return running;
  }

  void ensure_workers(std::size_t count) {
    while (workers_.size() < count) workers_.emplace_back([this] { work(); });
  }

  void work() {
    std::size_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || (generation_ != seen && task_ && next_part_ < parts_); });
      if (stopping_) return;
      seen = generation_;
      while (task_ && next_part_ < parts_) {
        const std::size_t part = next_part_++;
        const task_fn task = task_;
        const void* context = context_;
        const std::size_t parts = parts_;
        lock.unlock();
        std::exception_ptr err;
        try {
          task(context, part, parts);
        } catch (...) {
          err = std::current_exception();
        }
        lock.lock();
        if (err && !error_) error_ = err;
        if (--remaining_ == 0) done_.notify_one();
      }
    }
  }

  std::mutex busy_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  task_fn task_ = nullptr;
  const void* context_ = nullptr;
  std::size_t parts_ = 0;
  std::size_t next_part_ = 0;
  std::size_t remaining_ = 0;
  std::size_t generation_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

} // namespace evaluation
} // namespace polybatch
