// Input and output files of `polybatch eval`, chosen by extension: .npy
// (machine scalars) or .csv (every type); no output file means CSV on stdout.
#pragma once

#include <iostream>
#include <string>

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

template <Scalar T>
void write_batch(const std::string& path, OutputFormat format, const PolyBatch<T>& batch) {
  switch (format) {
  case OutputFormat::stdout_csv:
    interop::write_csv(std::cout, batch);
    std::cout.flush();
    if (!std::cout) throw UserError("cannot write the result to standard output");
    return;
  case OutputFormat::csv:
    interop::write_atomically(path, [&](const std::string& tmp) { interop::write_csv(tmp, batch); });
    return;
  case OutputFormat::npy:
    if constexpr (is_machine_scalar<T>)
      interop::write_atomically(path, [&](const std::string& tmp) { interop::write_npy(tmp, batch); });
    return;
  }
}

} // namespace polybatch::cli
