// `polybatch eval` for one scalar type T: map or read the named batches,
// build the run-time expression, evaluate it in one fused pass (straight into
// the output file block by block for .npy, in blocks of rows when a progress
// bar is shown), optionally check it exactly, and write the result atomically
// and durably. Included by one small translation unit per scalar type.
#pragma once

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <polybatch/interop/atomic_file.hpp>
#include <polybatch/interop/csv.hpp>
#include <polybatch/interop/npy.hpp>
#include <polybatch/polybatch.hpp>

#include "cli/build.hpp"
#include "cli/checked_evaluation.hpp"
#include "cli/expression.hpp"
#include "cli/files.hpp"
#include "cli/options.hpp"
#include "cli/overflow.hpp"
#include "cli/progress.hpp"
#include "cli/timing.hpp"
#include "cli/verify.hpp"

namespace polybatch::cli {

/// Evaluates `e` into `out` (exactly e's shape) with the overflow check, in
/// blocks of rows when a progress bar is shown so it can be redrawn between
/// blocks.
template <Scalar T>
void evaluate_with_progress(const expr::Dynamic<T>& e, PolyBatch<T>& out, ProgressBar& bar,
                            const std::vector<CheckedInput<T>>& inputs, const EvalOptions& o) {
  const std::size_t batch = e.batch_size(), length = e.length();
  if (!bar.enabled() || batch < 2) {
    evaluate_checked(e, out.data(), 0, batch, length, inputs, o);
    return;
  }
  const std::size_t blocks = std::min<std::size_t>(100, batch);
  std::size_t done = 0;
  bar.update(0, batch);
  for (std::size_t i = 0; i < blocks; ++i) {
    const std::size_t end = batch * (i + 1) / blocks;
    if (end == done) continue;
    evaluate_checked(e, out.data() + done * length, done, end - done, length, inputs, o);
    done = end;
    bar.update(done, batch);
  }
  bar.finish();
}

/// Rows evaluated per block when the result is streamed to an .npy file:
/// about 4 MiB, so the block stays in cache between computing and writing it
/// and the full result is never held in memory.
template <class T>
std::size_t rows_per_block(std::size_t length) {
  constexpr std::size_t block_bytes = std::size_t(4) << 20;
  return std::max<std::size_t>(1, block_bytes / (length * sizeof(T)));
}

/// Evaluates `e` block by block into a reused buffer and writes each block
/// after the .npy header: large writes, no B x L result in memory.
template <class T>
void stream_npy(const expr::Dynamic<T>& e, interop::AtomicFile& out, ProgressBar& bar, PhaseTimes& t,
                const std::vector<CheckedInput<T>>& inputs, const EvalOptions& o) {
  const std::size_t batch = e.batch_size(), length = e.length();
  std::size_t block = std::min(batch, rows_per_block<T>(length));
  // A progress bar moves at least every 1% of the rows.
  if (bar.enabled()) block = std::min(block, std::max<std::size_t>(1, batch / 100));
  PolyBatch<T> buffer = PolyBatch<T>::uninitialized(block, length);
  PhaseTimes::add(t.write, [&] {
    const std::string header = interop::npy_header<T>(batch, length);
    out.write(header.data(), header.size());
  });
  if (bar.enabled()) bar.update(0, batch);
  for (std::size_t done = 0; done < batch;) {
    const std::size_t rows = std::min(block, batch - done);
    PhaseTimes::add(t.compute, [&] { evaluate_checked(e, buffer.data(), done, rows, length, inputs, o); });
    PhaseTimes::add(t.write, [&] { out.write(buffer.data(), rows * length * sizeof(T)); });
    done += rows;
    if (bar.enabled()) bar.update(done, batch);
  }
  bar.finish();
}

template <class T>
int eval_with(const EvalOptions& o) {
  const OutputFormat out_format = output_format(o.output);
  if (out_format == OutputFormat::npy && !is_machine_scalar<T>)
    throw UserError(o.output + ": .npy holds float32/float64/int64 only; write --type " + o.type.name +
                    " results to a .csv file (it keeps every digit)");
  const interop::durability durable = o.sync ? interop::durability::sync : interop::durability::no_sync;
  PhaseTimes t;

  // 1. Inputs: .npy files in T are read in place (memory-mapped).
  std::map<std::string, InputBatch<T>> inputs;
  std::map<std::string, NamedBatch<T>> named;
  std::vector<CheckedInput<T>> checked; // the inputs the expression reads
  const std::vector<std::string> referenced = referenced_names(o.ast);
  PhaseTimes::add(t.read, [&] {
    // A file given for several names (or under several names) is read once
    // and shared: a named pipe could not be read again. (run_eval has made
    // sure that every name of a file reads it in one format.)
    std::map<FileIdentity, InputBatch<T>> read_files;
    for (const auto& [name, file] : o.inputs) {
      const std::optional<FileIdentity> identity = file_identity(file);
      InputBatch<T> batch;
      if (identity)
        if (const auto read = read_files.find(*identity); read != read_files.end()) batch = read->second;
      if (!batch) {
        batch = read_input<T>(file, o.type.name);
        if (identity) read_files.emplace(*identity, batch);
      }
      named.emplace(name, NamedBatch<T>{dynamic_leaf(batch), file});
      if (std::find(referenced.begin(), referenced.end(), name) != referenced.end())
        checked.push_back(CheckedInput<T>{batch.get()});
      inputs.emplace(name, std::move(batch));
    }
  });

  // 2. The expression, checked against the inputs' shapes.
  Builder<T> builder(o.expression, named, o.type.name);
  const expr::Dynamic<T> e = builder.build(o.ast);
  const std::size_t batch = e.batch_size(), length = e.length();
  (void)polybatch::detail::checked_elements<T>("the result", batch, length);

  // 3. A .npy result that is not checked afterwards is computed and written
  // block by block into the temporary file; otherwise one fused pass into a
  // full result.
  if (out_format == OutputFormat::npy && !o.verify) {
    if constexpr (is_machine_scalar<T>) {
      interop::AtomicFile out(o.output);
      {
        ProgressBar bar(o.progress, "evaluating");
        stream_npy(e, out, bar, t, checked, o);
      }
      PhaseTimes::add(t.sync, [&] { out.commit(durable); });
    }
  } else {
    PolyBatch<T> result = PolyBatch<T>::uninitialized(batch, length);
    PhaseTimes::add(t.compute, [&] {
      ProgressBar bar(o.progress, "evaluating");
      evaluate_with_progress(e, result, bar, checked, o);
    });

    // 4. Exact check, reading the inputs in place.
    if (o.verify) {
      const VerifyReport report = PhaseTimes::add(t.verify, [&] { return verify_exactly<T>(o, named, result); });
      std::cerr << report.text() << "\n";
    }

    // 5. Output, complete (and durable) or not at all.
    if (out_format == OutputFormat::stdout_csv) {
      PhaseTimes::add(t.write, [&] { write_batch(o.output, out_format, result); });
    } else {
      interop::AtomicFile out(o.output);
      PhaseTimes::add(t.write, [&] {
        if (out_format == OutputFormat::csv)
          interop::write_csv(out.temporary_path(), result, out.path());
        else if constexpr (is_machine_scalar<T>)
          interop::write_npy_to<T>(out, result);
      });
      PhaseTimes::add(t.sync, [&] { out.commit(durable); });
    }
  }

  if (o.timing) {
    char verify[64] = "";
    if (o.verify) std::snprintf(verify, sizeof verify, "verify %.1f ms, ", t.verify * 1e3);
    std::fprintf(stderr,
                 "timing: read %.1f ms, compute %.1f ms (%zu x %zu, %zu threads), %swrite %.1f ms, sync %.1f ms%s\n",
                 t.read * 1e3, t.compute * 1e3, batch, length, num_threads(), verify, t.write * 1e3, t.sync * 1e3,
                 o.sync ? "" : " (--no-sync)");
  }
  return 0;
}

} // namespace polybatch::cli
