// Writing an output file so that it is either complete or untouched, and
// durable once reported written: the data goes to a temporary file in the
// same directory, which is flushed to disk (fsync), renamed over the target,
// and the directory flushed too. A failure removes the temporary and leaves
// any existing file at the target as it was. A program that can be killed by
// a signal calls remove_temporaries() from its handler (the CLI does).
#pragma once

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "polybatch/interop/errors.hpp"

namespace polybatch::interop {

/// Whether a finished output is flushed to disk before it is reported
/// written (sync), or left to the kernel's write-back (no_sync: faster, but
/// a power cut soon after may lose or empty the file).
enum class durability { sync, no_sync };

namespace detail {

/// The temporaries of the live AtomicFiles, where a signal handler can reach
/// them: fixed slots of plain bytes, a slot's path complete before its state
/// says live. A temporary that does not fit (a long path, many open at once)
/// is still removed on every other way out, only not by a signal handler.
struct TemporaryRegistry {
  static constexpr int slots = 16;
  static constexpr std::size_t max_path = 4096;
  enum : int { free_slot, claimed, live };
  std::atomic<int> state[slots] = {};
  char path[slots][max_path] = {};
};
static_assert(std::atomic<int>::is_always_lock_free, "a signal handler may only read lock-free atomics");

inline TemporaryRegistry& temporary_registry() {
  static TemporaryRegistry registry; // constant-initialised: no guard a handler could wait on
  return registry;
}

} // namespace detail

/// Removes the temporary file of every AtomicFile not yet committed or
/// destroyed. Async-signal-safe (unlink() only): for a handler of SIGINT,
/// SIGTERM and the like, which then ends the process; the AtomicFiles must
/// not be used after it.
inline void remove_temporaries() noexcept {
  detail::TemporaryRegistry& r = detail::temporary_registry();
  for (int i = 0; i < detail::TemporaryRegistry::slots; ++i)
    if (r.state[i].load(std::memory_order_acquire) == detail::TemporaryRegistry::live) ::unlink(r.path[i]);
}

/// Writes all n bytes at `data` to `fd`, in chunks the kernel accepts;
/// a short write or an error (disk full) is a format_error naming `path`.
inline void write_all(int fd, const void* data, std::size_t n, const std::string& path) {
  const char* p = static_cast<const char*>(data);
  constexpr std::size_t max_chunk = std::size_t(1) << 30; // Linux writes at most ~2 GiB per call
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n < max_chunk ? n : max_chunk);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw format_error(path + ": write failed: " + std::strerror(errno));
    }
    if (w == 0) throw format_error(path + ": write failed (disk full?)");
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

/// An output file under construction: a temporary next to `path`, written
/// with write(), moved over `path` by commit(). Destroyed uncommitted (an
/// exception on the way), it removes the temporary.
class AtomicFile {
public:
  explicit AtomicFile(std::string path) : path_(std::move(path)) {
    namespace fs = std::filesystem;
    fs::path target(path_);
    std::error_code ec;
    if (fs::is_directory(target, ec)) throw format_error(path_ + ": is a directory");
    // A symbolic link is followed, link by link, also where it names no file
    // yet: the file it names is written (in its own directory), and the link
    // stays a link.
    for (int links = 0; fs::is_symlink(fs::symlink_status(target, ec)); ++links) {
      if (links == max_links)
        throw format_error(path_ + ": cannot follow the symbolic link: more than " + std::to_string(max_links) +
                           " links in a row (a cycle?)");
      const fs::path next = fs::read_symlink(target, ec);
      if (ec) throw format_error(path_ + ": cannot follow the symbolic link: " + ec.message());
      target = next.is_absolute() ? next : target.parent_path() / next; // relative to the link's directory
    }
    target_ = target.string();
    dir_ = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // A FIFO or a device is written where it is, as the shell's > writes
    // it: renaming a file over it would replace it (/dev/null by a file),
    // and the reader at a FIFO would get nothing.
    struct stat existing {};
    if (::stat(target_.c_str(), &existing) == 0 &&
        (S_ISFIFO(existing.st_mode) || S_ISCHR(existing.st_mode) || S_ISBLK(existing.st_mode))) {
      direct_ = true;
      return;
    }
    // The temporary's name within NAME_MAX (255 bytes on Linux file
    // systems): a long target name is cut, since only its suffix need be unique.
    constexpr std::size_t name_max = 255, suffix = std::char_traits<char>::length(".tmp.XXXXXX");
    std::string stem = "." + target.filename().string();
    if (stem.size() + suffix > name_max) stem.resize(name_max - suffix);
    const std::string pattern = (dir_ / (stem + ".tmp.XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    fd_ = ::mkstemp(name.data());
    if (fd_ < 0)
      throw format_error(path_ + ": cannot create a temporary file in " + dir_.string() + ": " + std::strerror(errno));
    temporary_ = name.data();
    register_temporary();
    // mkstemp makes the file private (0600): a file replaced keeps its
    // permissions, a new one gets those of any new file (0666 less the umask).
    if (::stat(target_.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
      (void)::fchmod(fd_, existing.st_mode & 07777);
    } else {
      const mode_t mask = ::umask(0);
      ::umask(mask);
      (void)::fchmod(fd_, 0666 & ~mask);
    }
  }

  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  ~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
    unregister_temporary(); // after: a signal in between unlinks a name that is gone
  }

  const std::string& path() const { return path_; }
  /// Where the data goes until commit(), for writers that open by name (the
  /// target itself where it is a FIFO or a device).
  const std::string& temporary_path() const { return direct_ ? target_ : temporary_; }

  void write(const void* data, std::size_t n) {
    if (direct_ && fd_ < 0) {
      fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd_ < 0) throw format_error(path_ + ": cannot open it for writing: " + std::strerror(errno));
    }
    write_all(fd_, data, n, path_);
  }

  /// Flushes the temporary to disk (durability::sync), renames it over the
  /// target and flushes the directory, so the new name survives a crash. A
  /// FIFO or a device written in place is only closed.
  void commit(durability d) {
    if (direct_) {
      if (fd_ >= 0 && ::close(std::exchange(fd_, -1)) != 0)
        throw format_error(path_ + ": write failed: " + std::strerror(errno));
      return;
    }
    if (d == durability::sync && ::fsync(fd_) != 0)
      throw format_error(path_ + ": cannot flush the output to disk: " + std::strerror(errno));
    if (::close(std::exchange(fd_, -1)) != 0) throw format_error(path_ + ": write failed: " + std::strerror(errno));
    std::error_code ec;
    std::filesystem::rename(temporary_, target_, ec);
    if (ec) throw format_error(path_ + ": cannot move the finished output into place: " + ec.message());
    unregister_temporary(); // after, as in the destructor
    temporary_.clear();
    if (d == durability::sync) sync_directory();
  }

private:
  static constexpr int max_links = 40; // as the kernel's path lookup

  void register_temporary() {
    using R = detail::TemporaryRegistry;
    if (temporary_.size() >= R::max_path) return;
    R& r = detail::temporary_registry();
    for (int i = 0; i < R::slots; ++i) {
      int expected = R::free_slot;
      if (!r.state[i].compare_exchange_strong(expected, R::claimed, std::memory_order_acq_rel)) continue;
      std::memcpy(r.path[i], temporary_.c_str(), temporary_.size() + 1);
      r.state[i].store(R::live, std::memory_order_release);
      slot_ = i;
      return;
    }
  }

  void unregister_temporary() {
    if (slot_ < 0) return;
    detail::temporary_registry().state[slot_].store(detail::TemporaryRegistry::free_slot, std::memory_order_release);
    slot_ = -1;
  }

  void sync_directory() const {
    const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) throw format_error(path_ + ": cannot open its directory to flush it: " + std::strerror(errno));
    const int rc = ::fsync(dfd);
    const int err = errno;
    ::close(dfd);
    // Some file systems cannot sync a directory (EINVAL); the rename is then
    // as durable as they make it.
    if (rc != 0 && err != EINVAL)
      throw format_error(path_ + ": cannot flush its directory to disk: " + std::strerror(err));
  }

  std::string path_;   // as the caller named it (messages)
  std::string target_; // the file replaced: path_, or the file its link names
  std::filesystem::path dir_;
  std::string temporary_;
  bool direct_ = false; // the target is a FIFO or a device: written in place, no temporary
  int fd_ = -1;
  int slot_ = -1; // in detail::temporary_registry(), or none
};

/// Calls write(temporary_path), then makes the result durable (unless
/// no_sync) and renames the temporary to `path`.
template <class Write>
void write_atomically(const std::string& path, Write&& write, durability d = durability::sync) {
  AtomicFile file(path);
  std::forward<Write>(write)(file.temporary_path());
  file.commit(d);
}

} // namespace polybatch::interop
