// `polybatch eval` for one scalar type T: read the named batches, build the
// run-time expression, evaluate it in one fused pass (in blocks of rows when
// a progress bar is shown), optionally check it exactly, and write the result
// atomically. Included by one small translation unit per scalar type.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include <polybatch/interop/atomic_file.hpp>
#include <polybatch/interop/csv.hpp>
#include <polybatch/interop/npy.hpp>
#include <polybatch/polybatch.hpp>

#include "cli/build.hpp"
#include "cli/files.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/verify.hpp"

namespace polybatch::cli {

namespace detail {
inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
} // namespace detail

/// Evaluates `e` into `out` (exactly e's shape), in blocks of rows when a
/// progress bar is shown so it can be redrawn between blocks.
template <Scalar T>
void evaluate_with_progress(const expr::Dynamic<T>& e, PolyBatch<T>& out, ProgressBar& bar) {
  const std::size_t batch = e.batch_size(), length = e.length();
  if (!bar.enabled() || batch < 2) {
    adapt(out.data(), batch, length) = e;
    return;
  }
  const std::size_t blocks = std::min<std::size_t>(100, batch);
  std::size_t done = 0;
  bar.update(0, batch);
  for (std::size_t i = 0; i < blocks; ++i) {
    const std::size_t end = batch * (i + 1) / blocks;
    if (end == done) continue;
    adapt(out.data() + done * length, end - done, length) = e.rows(done, end - done);
    done = end;
    bar.update(done, batch);
  }
  bar.finish();
}

template <class T>
int eval_with(const EvalOptions& o) {
  using clock = std::chrono::steady_clock;
  const OutputFormat out_format = output_format(o.output);
  if (out_format == OutputFormat::npy && !is_machine_scalar<T>)
    throw UserError(o.output + ": .npy holds float32/float64/int64 only; write --type " + o.type.name +
                    " results to a .csv file (it keeps every digit)");

  // 1. Inputs.
  auto t0 = clock::now();
  std::map<std::string, std::shared_ptr<const PolyBatch<T>>> loaded;
  std::map<std::string, NamedBatch<T>> named;
  for (const auto& [name, file] : o.inputs) {
    auto batch = std::make_shared<const PolyBatch<T>>(read_batch<T>(file, o.type.name));
    loaded.emplace(name, batch);
    named.emplace(name, NamedBatch<T>{dynamic_leaf(batch), file});
  }
  const double t_read = detail::seconds_since(t0);

  // 2. The expression, checked against the inputs' shapes.
  Builder<T> builder(o.expression, named, o.type.name);
  const expr::Dynamic<T> e = builder.build(o.ast);

  // 3. One fused pass.
  t0 = clock::now();
  PolyBatch<T> result = PolyBatch<T>::uninitialized(e.batch_size(), e.length());
  {
    ProgressBar bar(o.progress, "evaluating");
    evaluate_with_progress(e, result, bar);
  }
  const double t_compute = detail::seconds_since(t0);

  // 4. Exact check.
  if (o.verify) {
    const VerifyReport report = verify_exactly<T>(o, loaded, result);
    std::cerr << report.text() << "\n";
  }

  // 5. Output, complete or not at all.
  t0 = clock::now();
  write_batch(o.output, out_format, result);
  const double t_write = detail::seconds_since(t0);

  if (o.timing)
    std::fprintf(stderr, "timing: read %.1f ms, compute %.1f ms (%zu x %zu, %zu threads), write %.1f ms\n",
                 t_read * 1e3, t_compute * 1e3, result.batch_size(), result.length(), num_threads(), t_write * 1e3);
  return 0;
}

} // namespace polybatch::cli
