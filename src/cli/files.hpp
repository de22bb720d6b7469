// Input and output files of `polybatch eval`, chosen by extension: .npy
// (machine scalars) or .csv (every type); no output file means CSV on stdout.
// An .npy input in the evaluation's type is read in place from the mapped
// file; outputs are atomic and, unless --no-sync, durable.
#pragma once

#include <iostream>
#include <memory>
#include <string>
#include <utility>

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

template <Scalar T>
PolyBatch<T> read_batch(const std::string& path, const std::string& type_name) {
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
  if (ends_with(path, ".npy")) return interop::map_npy<T>(path, type_name);
  if (ends_with(path, ".csv")) {
    struct Owned {
      explicit Owned(PolyBatch<T> b) : batch(std::move(b)), view(batch.data(), batch.batch_size(), batch.length()) {}
      PolyBatch<T> batch;
      PolyView<const T> view;
    };
    auto owned = std::make_shared<const Owned>(interop::read_csv<T>(path));
    const PolyView<const T>* view = &owned->view;
    return InputBatch<T>(std::move(owned), view);
  }
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
