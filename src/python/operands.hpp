// Python objects as polybatch operands: numpy arrays and CPU torch tensors
// are classified (storage dtype, B x L, 1-D or 2-D), the computation's scalar
// is chosen by numpy's promotion rules, and each operand is then read in place
// (C-contiguous, aligned, native, already that scalar) or converted once.
// Every check here runs before anything is computed or written.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <boost/multiprecision/cpp_int.hpp>

#include <polybatch/polybatch.hpp>

namespace polybatch::python {

namespace py = pybind11;
using integer = boost::multiprecision::cpp_int;
using rational = boost::multiprecision::cpp_rational;

/// How an input stores its coefficients.
enum class Storage { float32, float64, int32, int64, object };

/// The scalar a computation runs in: the numpy dtypes, and the two exact
/// types (Python int -> cpp_int, fractions.Fraction -> cpp_rational).
enum class Dtype { float32, float64, int64, integer, rational };

const char* dtype_name(Dtype d);

/// One array argument, classified but not yet converted.
struct Operand {
  std::string name;
  py::array array; // for a torch tensor, tensor.numpy(): the same memory
  Storage storage = Storage::float64;
  std::size_t batch = 0;
  std::size_t length = 0;
  bool one_d = false;
  bool torch = false;
};

/// What most calls accept, as the unsupported-dtype message lists it.
inline constexpr const char* supported_dtypes =
    "supported: float32, float64, int32, int64; object arrays of int or fractions.Fraction with dtype='int' or "
    "'rational'";

/// `what` names the call in messages ("polybatch.mul"); `supported` is what
/// an unsupported dtype's message says the call takes.
Operand read_operand(py::handle obj, const std::string& name, const char* what,
                     const char* supported = supported_dtypes);

/// numpy's promotion among float32/float64/int32/int64 (integers compute in
/// int64); object arrays select the exact types. `requested` is the dtype=
/// argument (None or one of the names of Dtype).
Dtype choose_dtype(const std::vector<Operand>& ops, py::handle requested, const char* what);

/// The scalar type of a Dtype.
template <Dtype D>
struct scalar_of;
template <>
struct scalar_of<Dtype::float32> {
  using type = float;
};
template <>
struct scalar_of<Dtype::float64> {
  using type = double;
};
template <>
struct scalar_of<Dtype::int64> {
  using type = std::int64_t;
};
template <>
struct scalar_of<Dtype::integer> {
  using type = integer;
};
template <>
struct scalar_of<Dtype::rational> {
  using type = rational;
};

/// An operand's rows as T: either the caller's memory or a converted copy
/// kept alive by `owned`.
template <class T>
struct Rows {
  const T* data = nullptr;
  std::shared_ptr<const PolyBatch<T>> owned;
};

/// Reads `op` as T, converting once when it is not already T in C order.
/// Values that T cannot hold exactly where exactness is promised (a
/// fraction for an integer type, a non-finite value for an exact type) are
/// a ValueError naming the operand and the element.
template <class T>
Rows<T> rows_as(const Operand& op, const char* what);

/// The Python object for an exact value (int or fractions.Fraction).
py::object to_python(const integer& v);
py::object to_python(const rational& v);
/// The exact value of a Python int or fractions.Fraction (a TypeError,
/// naming `what`, for anything else).
rational rational_from_python(py::handle x, const char* what);

/// Where a result goes: the out= array, or a new one. For machine scalars
/// `data` is the memory to write (the caller's, or the new array's).
struct Destination {
  py::object result;    // what the call returns
  py::array array;      // the numpy array behind it
  void* data = nullptr; // its first coefficient (machine scalars)
};

/// Checks `out` (None, a numpy array or a CPU tensor) against the result's
/// shape and dtype, or allocates the result: numpy, or torch when `torch`.
/// Throws ValueError before anything is written.
Destination destination(py::handle out, Dtype dtype, std::size_t batch, std::size_t length, bool one_d, bool torch,
                        const char* what);

/// The same for a result of any numpy dtype (`dtype_text` names it in
/// messages; `objects`: it holds Python objects, so `data` stays null).
Destination destination(py::handle out, const py::dtype& dtype, const std::string& dtype_text, bool objects,
                        const std::vector<std::size_t>& shape, bool torch, const char* what);

/// Stores exact results into the object array of `dst`.
template <class T>
void store_exact(const PolyBatch<T>& result, const Destination& dst);

} // namespace polybatch::python
