// The one evaluation path of the module: an expression in the command line's
// language (parsed by cli/expression.cpp, built by cli/build.hpp, the same
// code `polybatch eval` runs) over named Python arrays. mul/convolve/
// correlate on exact types, Poly expressions and dask blocks all come here.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <polybatch/eval/dynamic.hpp>

#include "cli/expression.hpp"
#include "cli/options.hpp"
#include "operands.hpp"

namespace polybatch::python {

/// A parsed expression and the arrays its names refer to.
struct Call {
  const char* what = "polybatch.eval";
  std::string source;
  cli::Ast ast;
  std::vector<Operand> operands; // the referenced names, in order of appearance
  bool one_d = true;             // every array input is 1-D
  bool torch = false;            // some array input is a torch tensor
};

/// Parses `source` and reads the arrays it names from `arrays` (a dict);
/// unknown names, syntax errors and bad arrays are ValueError/TypeError.
Call prepare(const char* what, const std::string& source, py::dict arrays);

/// A library message with its C++ advice and names in Python's terms (the
/// exact dtypes for pb::rebind and pb::cast, polybatch.series.* for
/// pb::series::*).
std::string in_python_terms(std::string message);

/// The run-time expression over `leaves` (one per operand, in order). `number`
/// overrides how literals become T (the exact check uses the value a literal
/// has in the checked type). Instantiated once per scalar in build_<type>.cpp.
template <class T>
expr::Dynamic<T> build(const Call& call, const std::vector<Rows<T>>& leaves, Dtype dtype,
                       std::function<T(const cli::Ast&)> number = {});

extern template expr::Dynamic<float> build<float>(const Call&, const std::vector<Rows<float>>&, Dtype,
                                                  std::function<float(const cli::Ast&)>);
extern template expr::Dynamic<double> build<double>(const Call&, const std::vector<Rows<double>>&, Dtype,
                                                    std::function<double(const cli::Ast&)>);
extern template expr::Dynamic<std::int64_t> build<std::int64_t>(const Call&, const std::vector<Rows<std::int64_t>>&,
                                                                Dtype, std::function<std::int64_t(const cli::Ast&)>);
extern template expr::Dynamic<integer> build<integer>(const Call&, const std::vector<Rows<integer>>&, Dtype,
                                                      std::function<integer(const cli::Ast&)>);
extern template expr::Dynamic<rational> build<rational>(const Call&, const std::vector<Rows<rational>>&, Dtype,
                                                        std::function<rational(const cli::Ast&)>);

/// Assigns e into data (batch x length). With `may_fail` (a caller's out=
/// and a computation that can stop part-way: an int64 overflow, a series
/// function's domain error in some row) it runs into a temporary that is
/// copied over only once every row is done, so that a failure leaves out=
/// as it was; otherwise straight into data.
template <class T, class E>
void assign_all_or_nothing(T* data, std::size_t batch, std::size_t length, const E& e, bool may_fail) {
  if (!may_fail) {
    adapt(data, batch, length) = e;
    return;
  }
  PolyBatch<T> result(batch, length);
  adapt(result.data(), batch, length) = e;
  std::copy_n(result.data(), batch * length, data);
}

/// f() without the GIL, so other Python threads go on meanwhile, and
/// stoppable by Ctrl-C: the passes it starts ask the interpreter between
/// tiles (at most every 50 ms) whether a signal arrived, and a handler's
/// exception (KeyboardInterrupt) stops them and is raised here. A per-call
/// thread count (threads > 0) holds for the evaluations this thread starts
/// only: pb.set_num_threads from another thread meanwhile is neither undone
/// nor seen by this call.
void run_interruptible(std::size_t threads, const std::function<void()>& f);

/// A thread count from Python (None: 0, the global setting): an int in
/// [1, cli::max_threads] (the command line's bound), else TypeError/ValueError naming `what`.
std::size_t thread_count(py::handle threads, const char* what);

/// polybatch.eval: evaluates into out= or a new array.
py::object evaluate(const Call& call, py::handle out, py::handle dtype, py::handle threads);

/// The result's shape without evaluating (and without converting inputs).
py::tuple result_shape(const Call& call, py::handle dtype);

/// pb::verify for a run-time expression: evaluated in its dtype and in exact
/// rationals from the exact values of the inputs.
verify_report verify(const Call& call, py::handle dtype);

} // namespace polybatch::python
