// Input and output files of `polybatch eval`, chosen by extension: .npy
// (machine scalars) or .csv (every type); no output file means CSV on stdout.
// An .npy input in the evaluation's type is read in place from the mapped
// file; outputs are atomic and, unless --no-sync, durable.
#pragma once

#include <compare>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <sys/stat.h>

#include <polybatch/interop/atomic_file.hpp>
#include <polybatch/interop/csv.hpp>
#include <polybatch/interop/npy.hpp>

#include "cli/build.hpp"
#include "cli/scalars.hpp"

namespace polybatch::cli {

enum class OutputFormat { npy, csv, stdout_csv };

inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

inline OutputFormat output_format(const std::string& path) {
  if (path.empty() || path == "-") return OutputFormat::stdout_csv;
  if (ends_with(path, ".npy")) return OutputFormat::npy;
  if (ends_with(path, ".csv")) return OutputFormat::csv;
  throw UserError(path + ": unknown output format (the file name must end in .npy or .csv)");
}

/// Where a path leads (device and inode, through links), so that a file
/// named twice, or under two names, is read once: a named pipe can be read
/// only once, and a second open of it waits for a writer that never comes.
struct FileIdentity {
  dev_t device;
  ino_t inode;
  auto operator<=>(const FileIdentity&) const = default;
};
inline std::optional<FileIdentity> file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino};
}

/// Every name of one file must read it in one format: a named pipe given as
/// both a.npy and b.csv could be read only once. Checked before any input is
/// read (the .npy headers are read first, to choose the type).
inline void require_one_format_per_file(const std::vector<std::pair<std::string, std::string>>& inputs) {
  std::map<FileIdentity, std::string> seen;
  for (const auto& [name, file] : inputs) {
    const std::optional<FileIdentity> identity = file_identity(file);
    if (!identity) continue; // the reader names the problem
    const auto [first, inserted] = seen.emplace(*identity, file);
    if (!inserted && ends_with(file, ".npy") != ends_with(first->second, ".npy"))
      throw UserError(first->second + " and " + file + " are the same file: it cannot be read as both .npy and .csv");
  }
}

/// .npy inputs that are not regular files (a named pipe) can be read only
/// once: when their header is needed to choose the type, the whole input is
/// read then and its bytes kept here, by the file's identity, so that every
/// name of it finds them.
inline std::map<FileIdentity, std::shared_ptr<const interop::MappedFile>>& kept_inputs() {
  static std::map<FileIdentity, std::shared_ptr<const interop::MappedFile>> kept;
  return kept;
}
inline std::shared_ptr<const interop::MappedFile> kept_input(const std::string& path) {
  if (kept_inputs().empty()) return nullptr; // the usual case: no pipe, no stat
  const std::optional<FileIdentity> identity = file_identity(path);
  if (!identity) return nullptr;
  const auto kept = kept_inputs().find(*identity);
  return kept == kept_inputs().end() ? nullptr : kept->second;
}

/// The header of an .npy input, before its data is read.
inline interop::NpyHeader input_npy_header(const std::string& path) {
  if (const auto kept = kept_input(path)) return interop::parse_npy_header(kept->bytes(), path);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
    return interop::read_npy_header(path); // its errors name the problem
  auto file = std::make_shared<const interop::MappedFile>(path);
  kept_inputs().emplace(FileIdentity{st.st_dev, st.st_ino}, file);
  return interop::parse_npy_header(file->bytes(), path);
}

template <Scalar T>
PolyBatch<T> read_batch(const std::string& path, const std::string& type_name) {
  if (const auto kept = kept_input(path)) return interop::npy_to_batch<T>(kept->bytes(), path, type_name);
  if (ends_with(path, ".npy")) return interop::read_npy<T>(path, type_name);
  if (ends_with(path, ".csv")) return interop::read_csv<T>(path);
  throw UserError(path + ": unknown input format (the file name must end in .npy or .csv)");
}

/// An input batch for evaluation: a read-only view that keeps its storage
/// (the mapped .npy file, or the batch parsed from .csv) alive.
template <Scalar T>
using InputBatch = std::shared_ptr<const PolyView<const T>>;

template <Scalar T>
InputBatch<T> read_input(const std::string& path, const std::string& type_name) {
  struct Owned {
    explicit Owned(PolyBatch<T> b) : batch(std::move(b)), view(batch.data(), batch.batch_size(), batch.length()) {}
    PolyBatch<T> batch;
    PolyView<const T> view;
  };
  const auto owned = [](PolyBatch<T> batch) {
    auto o = std::make_shared<const Owned>(std::move(batch));
    const PolyView<const T>* view = &o->view;
    return InputBatch<T>(std::move(o), view);
  };
  if (const auto kept = kept_input(path)) return owned(interop::npy_to_batch<T>(kept->bytes(), path, type_name));
  if (ends_with(path, ".npy")) return interop::map_npy<T>(path, type_name);
  if (ends_with(path, ".csv")) return owned(interop::read_csv<T>(path));
  throw UserError(path + ": unknown input format (the file name must end in .npy or .csv)");
}

template <Scalar T>
void write_batch(const std::string& path, OutputFormat format, const PolyBatch<T>& batch,
                 interop::durability durable = interop::durability::sync) {
  switch (format) {
  case OutputFormat::stdout_csv:
    interop::write_csv(std::cout, batch);
    std::cout.flush();
    if (!std::cout) throw UserError("cannot write the result to standard output");
    return;
  case OutputFormat::csv:
    interop::write_atomically(
        path, [&](const std::string& tmp) { interop::write_csv(tmp, batch, path); }, durable);
    return;
  case OutputFormat::npy:
    if constexpr (is_machine_scalar<T>) interop::write_npy(path, batch, durable);
    return;
  }
}

} // namespace polybatch::cli
