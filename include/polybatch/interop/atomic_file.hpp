// Writing an output file so that it is either complete or untouched: the
// data goes to a temporary file in the same directory, which is renamed over
// the target only once fully written. A failure removes the temporary and
// leaves any existing file at the target as it was.
#pragma once

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "polybatch/interop/errors.hpp"

namespace polybatch::interop {

/// Calls write(temporary_path), then renames the temporary to `path`.
template <class Write>
void write_atomically(const std::string& path, Write&& write) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (fs::is_directory(target, ec)) throw format_error(path + ": is a directory");
  std::string pattern = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0)
    throw format_error(path + ": cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno));
  // mkstemp makes the file private (0600); give it the permissions a newly
  // created file gets (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  (void)::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  const std::string temporary(name.data());
  try {
    std::forward<Write>(write)(temporary);
    fs::rename(temporary, target);
  } catch (const std::filesystem::filesystem_error& e) {
    fs::remove(temporary, ec);
    throw format_error(path + ": cannot move the finished output into place: " + e.code().message());
  } catch (...) {
    fs::remove(temporary, ec);
    throw;
  }
}

} // namespace polybatch::interop
