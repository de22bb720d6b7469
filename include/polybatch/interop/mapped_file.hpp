// A whole input file as read-only bytes without copying it: a regular file
// is memory-mapped (private, read-only, prefaulted), anything else (a pipe,
// a terminal) is read into memory. Readers parse straight from the mapping,
// and a batch stored in the evaluation's own type is used in place.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "polybatch/interop/errors.hpp"

namespace polybatch::interop {

/// The bytes of one file, valid while this object lives. Changing the file
/// on disk while it is mapped is the caller's problem: truncating it may
/// raise SIGBUS, as with any mapped file.
class MappedFile {
public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw format_error(path + ": cannot open the file for reading: " + std::strerror(errno));
    try {
      struct stat st {};
      if (::fstat(fd, &st) != 0) throw format_error(path + ": cannot read the file: " + std::strerror(errno));
      if (S_ISDIR(st.st_mode)) throw format_error(path + ": cannot read the file: it is a directory");
      if (S_ISREG(st.st_mode))
        map(fd, static_cast<std::size_t>(st.st_size), path);
      else
        read_all(fd, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd); // a mapping outlives its descriptor
  }

  MappedFile(MappedFile&& other) noexcept
      : map_(std::exchange(other.map_, nullptr)), size_(std::exchange(other.size_, 0)), copy_(std::move(other.copy_)) {}
  MappedFile& operator=(MappedFile&& other) noexcept {
    if (this != &other) {
      unmap();
      map_ = std::exchange(other.map_, nullptr);
      size_ = std::exchange(other.size_, 0);
      copy_ = std::move(other.copy_);
    }
    return *this;
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() { unmap(); }

  std::string_view bytes() const {
    return map_ ? std::string_view(static_cast<const char*>(map_), size_) : std::string_view(copy_);
  }
  /// Whether the bytes are the file's pages (not a copy).
  bool is_mapped() const { return map_ != nullptr; }

private:
  void map(int fd, std::size_t size, const std::string& path) {
    if (size == 0) return; // mmap refuses empty mappings; an empty view is right
    // MAP_POPULATE maps every page now (reading ahead from disk if needed), so
    // the evaluation does not take one page fault per 4 KiB.
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) {
      // Some file systems cannot map; reading works everywhere.
      read_all(fd, path);
      return;
    }
    map_ = p;
    size_ = size;
  }

  void read_all(int fd, const std::string& path) {
    char buffer[1 << 16];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        throw format_error(path + ": cannot read the file: " + std::strerror(errno));
      }
      copy_.append(buffer, static_cast<std::size_t>(n));
    }
  }

  void unmap() {
    if (map_) ::munmap(map_, size_);
    map_ = nullptr;
    size_ = 0;
  }

  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string copy_;
};

} // namespace polybatch::interop
