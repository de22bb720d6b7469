// A way to stop a long pass from outside: the thread that starts a pass may
// install a hook, which the pass polls between tiles on that thread; when it
// answers yes, every thread of the pass stops at its next tile and the pass
// throws `interrupted`. Python installs one that asks the interpreter
// whether Ctrl-C was pressed, which only the thread holding the call can
// ask; without a hook a pass checks one pointer per tile.
#pragma once

#include <atomic>
#include <chrono>

#include "polybatch/core/errors.hpp"

namespace polybatch::evaluation {

/// poll(context): whether to stop, asked at most once per interval.
struct InterruptionHook {
  bool (*poll)(void* context) = nullptr;
  void* context = nullptr;
  std::chrono::steady_clock::duration interval = std::chrono::milliseconds(50);
};

/// The hook of the passes this thread starts (null: none).
inline const InterruptionHook*& this_thread_interruption_hook() {
  thread_local const InterruptionHook* hook = nullptr;
  return hook;
}

/// Installs `hook` for the passes this thread starts while the scope lives
/// (the previous hook, if any, comes back after it).
class InterruptionScope {
public:
  explicit InterruptionScope(const InterruptionHook& hook) : previous_(this_thread_interruption_hook()) {
    this_thread_interruption_hook() = &hook;
  }
  ~InterruptionScope() { this_thread_interruption_hook() = previous_; }
  InterruptionScope(const InterruptionScope&) = delete;
  InterruptionScope& operator=(const InterruptionScope&) = delete;

private:
  const InterruptionHook* previous_;
};

/// One pass's view of its caller's hook: shared by the pass's threads, polled
/// by the caller's thread only.
class Interruption {
public:
  /// The first poll comes an interval after the pass starts: a short pass
  /// never polls.
  Interruption() : hook_(this_thread_interruption_hook()), caller_(hook_ ? &caller_marker() : nullptr) {
    if (hook_) next_poll_ = std::chrono::steady_clock::now() + hook_->interval;
  }

  /// Throws `interrupted` when the pass must stop; call between tiles.
  void check() const {
    if (hook_ == nullptr) return;
    if (stop_.load(std::memory_order_relaxed)) throw interrupted("polybatch: evaluation interrupted");
    if (&caller_marker() != caller_) return; // a worker: only the flag
    const auto now = std::chrono::steady_clock::now();
    if (now < next_poll_) return;
    next_poll_ = now + hook_->interval;
    if (hook_->poll(hook_->context)) {
      stop_.store(true, std::memory_order_relaxed);
      throw interrupted("polybatch: evaluation interrupted");
    }
  }

private:
  /// An address unique to each thread, to tell the caller's thread apart.
  static const char& caller_marker() {
    thread_local const char marker = 0;
    return marker;
  }
  const InterruptionHook* hook_;
  const char* caller_;
  mutable std::atomic<bool> stop_{false};
  mutable std::chrono::steady_clock::time_point next_poll_{}; // written by the caller's thread only
};

} // namespace polybatch::evaluation
