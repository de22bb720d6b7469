// Classification and conversion of Python arrays (see operands.hpp). Reads
// numpy's array and descriptor structs directly on the hot path: a Python
// attribute lookup per check would cost more than a small batch's compute.
#include "operands.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <type_traits>

namespace polybatch::python {

namespace {

/// isinstance(o, type); an exception raised by the check (a class's
/// __instancecheck__) propagates instead of being left set and ignored.
bool is_instance(PyObject* o, PyObject* type) {
  const int found = PyObject_IsInstance(o, type);
  if (found < 0) throw py::error_already_set();
  return found == 1;
}

// numpy's NPY_ARRAY_* flag bits (stable ABI).
constexpr int c_contiguous = 0x0001;
constexpr int aligned = 0x0100;
constexpr int writeable = 0x0400;

const py::detail::PyArray_Proxy* proxy(const py::array& a) { return py::detail::array_proxy(a.ptr()); }
const py::detail::PyArrayDescr_Proxy* descr(const py::array& a) {
  return py::detail::array_descriptor_proxy(proxy(a)->descr);
}

std::string shape_text(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i ? ", " : "") + std::to_string(a.shape(i));
  if (a.ndim() == 1) s += ",";
  return s + ")";
}

std::string dtype_text(const py::array& a) { return py::str(a.dtype()).cast<std::string>(); }

/// torch.Tensor if torch has been imported (a caller passing a tensor has
/// imported it), else null: numpy-only programs never import torch.
PyObject* torch_tensor_type() {
  static PyObject* type = nullptr;
  if (type) return type;
  PyObject* modules = PyImport_GetModuleDict();
  PyObject* torch = PyDict_GetItemString(modules, "torch");
  if (!torch) return nullptr;
  type = PyObject_GetAttrString(torch, "Tensor"); // kept for the process's lifetime
  if (!type) PyErr_Clear();
  return type;
}

bool is_tensor(py::handle obj) {
  PyObject* t = torch_tensor_type();
  return t && is_instance(obj.ptr(), t);
}

/// tensor.numpy() after the checks that make it share memory safely.
py::array tensor_as_numpy(py::handle t, const std::string& name, const char* what) {
  if (t.attr("requires_grad").cast<bool>())
    throw py::type_error(std::string(what) + ": " + name +
                         " is a tensor that requires grad; polybatch does not record gradients: pass " + name +
                         ".detach()");
  const std::string device = py::str(t.attr("device").attr("type")).cast<std::string>();
  if (device != "cpu")
    throw py::type_error(std::string(what) + ": " + name + " is a tensor on device '" + device +
                         "'; polybatch reads CPU memory: pass " + name + ".cpu()");
  try {
    return t.attr("numpy")();
  } catch (py::error_already_set& e) {
    // numpy() refuses dtypes numpy lacks (bfloat16), sparse layouts and
    // lazily negated or conjugated views; torch's own words say which.
    throw py::type_error(std::string(what) + ": " + name + " (a " + py::str(t.attr("dtype")).cast<std::string>() +
                         " tensor, layout " + py::str(t.attr("layout")).cast<std::string>() +
                         ") cannot be read as a numpy array: " + e.what() +
                         " (polybatch reads float32, float64, int32 and int64 tensors; a negated or conjugated view "
                         "needs .resolve_neg() or .resolve_conj(), a sparse one .to_dense())");
  }
}

PyObject* fraction_type() {
  static PyObject* type = [] {
    py::object f = py::module_::import("fractions").attr("Fraction");
    return f.release().ptr();
  }();
  return type;
}

/// numpy's floating scalar type (np.float16 ... np.longdouble) and its bool.
PyObject* numpy_floating_type() {
  static PyObject* type = [] {
    py::object f = py::module_::import("numpy").attr("floating");
    return f.release().ptr();
  }();
  return type;
}
PyObject* numpy_bool_type() {
  static PyObject* type = [] {
    py::object f = py::module_::import("numpy").attr("bool_");
    return f.release().ptr();
  }();
  return type;
}
bool is_bool_object(PyObject* o) { return PyBool_Check(o) || is_instance(o, numpy_bool_type()); }

/// An integer element: a Python int or a numpy integer scalar (bool is
/// neither here: bool arrays are refused, and so are bools in object arrays).
bool is_integer_object(PyObject* o) {
  if (is_bool_object(o)) return false;
  if (PyLong_Check(o)) return true;
  return PyIndex_Check(o) && !PyFloat_Check(o) && !is_instance(o, fraction_type()) &&
         !is_instance(o, numpy_floating_type());
}

bool all_python_ints(const Operand& op) {
  py::array a = py::array::ensure(op.array, py::array::c_style);
  PyObject* const* p = static_cast<PyObject* const*>(a.data());
  for (py::ssize_t i = 0; i < a.size(); ++i)
    if (!is_integer_object(p[i])) return false;
  return true;
}

std::string element(const Operand& op, std::size_t flat) {
  const std::size_t i = flat / op.length, k = flat % op.length;
  return op.one_d ? op.name + "[" + std::to_string(k) + "]"
                  : op.name + "[" + std::to_string(i) + ", " + std::to_string(k) + "]";
}

[[noreturn]] void value_fail(const char* what, const Operand& op, std::size_t flat, const std::string& why) {
  throw py::value_error(std::string(what) + ": " + element(op, flat) + " " + why);
}

integer integer_from_long(PyObject* o) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (!overflow) {
    if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
    return integer(v);
  }
  // Hexadecimal text: unlike decimal, it has no digit limit in Python 3.11.
  py::object hex = py::reinterpret_steal<py::object>(PyNumber_ToBase(o, 16));
  if (!hex) throw py::error_already_set();
  std::string s = hex.cast<std::string>(); // "0x1f" or "-0x1f"
  const bool negative = s[0] == '-';
  integer r(s.substr(negative ? 1 : 0));
  if (negative) r = -r;
  return r;
}

/// An exact value from a Python object of an object array.
template <class T>
T exact_from_object(PyObject* o, const char* what, const Operand& op, std::size_t flat) {
  if (is_bool_object(o))
    throw py::type_error(std::string(what) + ": " + element(op, flat) +
                         " is a bool; object arrays may hold only int and fractions.Fraction (and float), as bool "
                         "arrays are refused too");
  if (PyLong_Check(o)) return T(integer_from_long(o));
  // numpy's float16, float32 and float64 scalars hold doubles exactly; a
  // longdouble is refused unless it is one (no digit is dropped unnoticed).
  const bool numpy_float = !PyFloat_Check(o) && is_instance(o, numpy_floating_type());
  if (PyFloat_Check(o) || numpy_float) {
    const double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    if (numpy_float && std::isfinite(d)) {
      py::object same = py::reinterpret_steal<py::object>(PyObject_RichCompare(o, py::float_(d).ptr(), Py_EQ));
      if (!same) throw py::error_already_set();
      if (!same.cast<bool>())
        throw py::type_error(std::string(what) + ": " + element(op, flat) + " is a " + Py_TYPE(o)->tp_name +
                             " that no double holds exactly; object arrays may hold only int and "
                             "fractions.Fraction (and float)");
    }
    if (!std::isfinite(d)) value_fail(what, op, flat, "is " + std::to_string(d) + ": it has no exact value");
    if constexpr (std::is_same_v<T, integer>) {
      if (std::trunc(d) != d) value_fail(what, op, flat, "= " + py::repr(o).cast<std::string>() + " is not an integer");
    }
    return convert_scalar<T>(d);
  }
  if (is_instance(o, fraction_type())) {
    py::handle h(o);
    const integer num = integer_from_long(h.attr("numerator").ptr());
    const integer den = integer_from_long(h.attr("denominator").ptr());
    if constexpr (std::is_same_v<T, integer>) {
      if (den != 1) value_fail(what, op, flat, "= " + py::str(h).cast<std::string>() + " is not an integer");
      return num;
    } else {
      return rational(num, den);
    }
  }
  if (PyIndex_Check(o)) { // numpy integer scalars
    py::object i = py::reinterpret_steal<py::object>(PyNumber_Index(o));
    if (!i) throw py::error_already_set();
    return T(integer_from_long(i.ptr()));
  }
  throw py::type_error(std::string(what) + ": " + element(op, flat) + " is a " + Py_TYPE(o)->tp_name +
                       "; object arrays may hold only int and fractions.Fraction (and float)");
}

/// One machine value converted to T, exactly where T is an exact or integer type.
template <class T, class S>
T convert_value(S v, const char* what, const Operand& op, std::size_t flat) {
  if constexpr (std::is_floating_point_v<S> && !std::is_floating_point_v<T>) {
    if (!std::isfinite(v)) value_fail(what, op, flat, "is " + std::to_string(v) + ": it has no exact value");
    if (std::trunc(v) != v && !std::is_same_v<T, rational>) {
      std::ostringstream s;
      s.precision(17);
      s << v;
      value_fail(what, op, flat,
                 "= " + s.str() + " is not an integer (dtype " +
                     dtype_name(std::is_same_v<T, integer> ? Dtype::integer : Dtype::int64) + ")");
    }
    if constexpr (std::is_same_v<T, std::int64_t>) {
      if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) value_fail(what, op, flat, "does not fit int64");
    }
  }
  if constexpr (std::is_floating_point_v<S> && std::is_floating_point_v<T> && sizeof(T) < sizeof(S)) {
    // A finite value beyond the narrower type's range has no value there
    // (the conversion would be undefined, in practice an infinity).
    if (std::isfinite(v) && std::fabs(v) > static_cast<S>(std::numeric_limits<T>::max())) {
      std::ostringstream s;
      s.precision(17);
      s << v;
      value_fail(what, op, flat, "= " + s.str() + " is out of range for float32");
    }
  }
  if constexpr (std::is_arithmetic_v<T>)
    return static_cast<T>(v);
  else
    return convert_scalar<T>(v);
}

template <class T, class S>
void convert_from(const Operand& op, T* dst, const char* what) {
  py::array src = py::array_t<S, py::array::c_style | py::array::forcecast>::ensure(op.array);
  if (!src) throw py::error_already_set();
  const S* p = static_cast<const S*>(src.data());
  const std::size_t n = op.batch * op.length;
  for (std::size_t i = 0; i < n; ++i) dst[i] = convert_value<T>(p[i], what, op, i);
}

template <class T>
bool stored_as(Storage s) {
  if constexpr (std::is_same_v<T, float>)
    return s == Storage::float32;
  else if constexpr (std::is_same_v<T, double>)
    return s == Storage::float64;
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return s == Storage::int64;
  else
    return false;
}

std::vector<std::size_t> result_shape(std::size_t batch, std::size_t length, bool one_d) {
  if (one_d) return {length};
  return {batch, length};
}

py::object dtype_object(Dtype d) {
  switch (d) {
  case Dtype::float32:
    return py::dtype::of<float>();
  case Dtype::float64:
    return py::dtype::of<double>();
  case Dtype::int64:
    return py::dtype::of<std::int64_t>();
  default:
    return py::dtype("O");
  }
}

bool matches(const py::array& a, const py::dtype& want) {
  const auto* de = descr(a);
  return de->kind == want.kind() && de->elsize == want.itemsize();
}

} // namespace

const char* dtype_name(Dtype d) {
  switch (d) {
  case Dtype::float32:
    return "float32";
  case Dtype::float64:
    return "float64";
  case Dtype::int64:
    return "int64";
  case Dtype::integer:
    return "int";
  case Dtype::rational:
    return "rational";
  }
  return "?";
}

Operand read_operand(py::handle obj, const std::string& name, const char* what, const char* supported) {
  Operand op;
  op.name = name;
  if (py::isinstance<py::array>(obj)) {
    op.array = py::reinterpret_borrow<py::array>(obj);
  } else if (is_tensor(obj)) {
    op.array = tensor_as_numpy(obj, name, what);
    op.torch = true;
  } else if (obj.is_none() || PyUnicode_Check(obj.ptr()) || PyBytes_Check(obj.ptr())) {
    throw py::type_error(std::string(what) + ": " + name + " is " + Py_TYPE(obj.ptr())->tp_name +
                         ", not an array (numpy array or CPU torch tensor)");
  } else {
    // Lists and other array-likes: numpy makes the array (a copy).
    op.array = py::module_::import("numpy").attr("asarray")(obj);
  }
  const auto* de = descr(op.array);
  if (de->kind == 'f' && de->elsize == 4)
    op.storage = Storage::float32;
  else if (de->kind == 'f' && de->elsize == 8)
    op.storage = Storage::float64;
  else if (de->kind == 'i' && de->elsize == 4)
    op.storage = Storage::int32;
  else if (de->kind == 'i' && de->elsize == 8)
    op.storage = Storage::int64;
  else if (de->kind == 'O')
    op.storage = Storage::object;
  else
    throw py::type_error(std::string(what) + ": " + name + " has the unsupported dtype " + dtype_text(op.array) + " (" +
                         supported + ")");
  const auto* pr = proxy(op.array);
  if (pr->nd == 1) {
    op.batch = 1;
    op.length = static_cast<std::size_t>(pr->dimensions[0]);
    op.one_d = true;
  } else if (pr->nd == 2) {
    op.batch = static_cast<std::size_t>(pr->dimensions[0]);
    op.length = static_cast<std::size_t>(pr->dimensions[1]);
  } else {
    throw py::value_error(std::string(what) + ": " + name + " has shape " + shape_text(op.array) +
                          "; a batch is 1-D (one polynomial) or 2-D (B x L, one polynomial per row)");
  }
  if (op.batch == 0 || op.length == 0)
    throw py::value_error(std::string(what) + ": " + name + " has shape " + shape_text(op.array) +
                          "; a batch needs at least one row and one coefficient");
  return op;
}

Dtype choose_dtype(const std::vector<Operand>& ops, py::handle requested, const char* what) {
  bool any_object = false;
  for (const Operand& op : ops) any_object = any_object || op.storage == Storage::object;
  if (!requested.is_none()) {
    std::string name;
    if (PyUnicode_Check(requested.ptr())) {
      name = requested.cast<std::string>();
    } else {
      try { // numpy dtypes and scalar types: np.float32, np.dtype("float64")
        name = py::str(py::module_::import("numpy").attr("dtype")(requested).attr("name")).cast<std::string>();
      } catch (py::error_already_set&) {
        throw py::type_error(std::string(what) + ": dtype must be a string, got " + Py_TYPE(requested.ptr())->tp_name);
      }
    }
    Dtype d;
    if (name == "float32")
      d = Dtype::float32;
    else if (name == "float64")
      d = Dtype::float64;
    else if (name == "int64")
      d = Dtype::int64;
    else if (name == "int")
      d = Dtype::integer;
    else if (name == "rational")
      d = Dtype::rational;
    else
      throw py::value_error(std::string(what) + ": unknown dtype '" + name +
                            "' (choose float32, float64, int64, int (exact) or rational (exact))");
    if (any_object && (d == Dtype::float32 || d == Dtype::float64 || d == Dtype::int64))
      throw py::type_error(std::string(what) + ": object arrays hold exact values: pass dtype='int' or 'rational', "
                                               "or convert them to a numeric dtype first");
    return d;
  }
  if (any_object) {
    bool all_int = true;
    for (const Operand& op : ops) {
      if (op.storage == Storage::float32 || op.storage == Storage::float64) all_int = false;
      if (op.storage == Storage::object && all_int) all_int = all_python_ints(op);
    }
    return all_int ? Dtype::integer : Dtype::rational;
  }
  bool any_f64 = false, any_f32 = false, any_int = false;
  for (const Operand& op : ops) {
    any_f64 = any_f64 || op.storage == Storage::float64;
    any_f32 = any_f32 || op.storage == Storage::float32;
    any_int = any_int || op.storage == Storage::int32 || op.storage == Storage::int64;
  }
  if (any_f64 || (any_f32 && any_int)) return Dtype::float64;
  if (any_f32) return Dtype::float32;
  return Dtype::int64;
}

template <class T>
Rows<T> rows_as(const Operand& op, const char* what) {
  if constexpr (std::is_arithmetic_v<T>) {
    const auto* pr = proxy(op.array);
    if (stored_as<T>(op.storage) && (pr->flags & (c_contiguous | aligned)) == (c_contiguous | aligned) &&
        descr(op.array)->byteorder != '>')
      return {static_cast<const T*>(static_cast<const void*>(pr->data)), nullptr};
  }
  auto owned = std::make_shared<PolyBatch<T>>(op.batch, op.length);
  T* dst = owned->data();
  switch (op.storage) {
  case Storage::float32:
    convert_from<T, float>(op, dst, what);
    break;
  case Storage::float64:
    convert_from<T, double>(op, dst, what);
    break;
  case Storage::int32:
    convert_from<T, std::int32_t>(op, dst, what);
    break;
  case Storage::int64:
    convert_from<T, std::int64_t>(op, dst, what);
    break;
  case Storage::object:
    if constexpr (std::is_arithmetic_v<T>) {
      throw py::type_error(std::string(what) + ": " + op.name + " is an object array: pass dtype='int' or 'rational'");
    } else {
      py::array src = py::array::ensure(op.array, py::array::c_style);
      if (!src) throw py::error_already_set();
      PyObject* const* p = static_cast<PyObject* const*>(src.data());
      for (std::size_t i = 0; i < op.batch * op.length; ++i) dst[i] = exact_from_object<T>(p[i], what, op, i);
    }
    break;
  }
  const T* data = dst;
  return {data, std::move(owned)};
}

template Rows<float> rows_as<float>(const Operand&, const char*);
template Rows<double> rows_as<double>(const Operand&, const char*);
template Rows<std::int64_t> rows_as<std::int64_t>(const Operand&, const char*);
template Rows<integer> rows_as<integer>(const Operand&, const char*);
template Rows<rational> rows_as<rational>(const Operand&, const char*);

py::object to_python(const integer& v) {
  if (v >= std::numeric_limits<long long>::min() && v <= std::numeric_limits<long long>::max())
    return py::reinterpret_steal<py::object>(PyLong_FromLongLong(v.convert_to<long long>()));
  const std::string hex = integer(abs(v)).str(0, std::ios_base::hex);
  py::object r = py::reinterpret_steal<py::object>(PyLong_FromString(hex.c_str(), nullptr, 16));
  if (!r) throw py::error_already_set();
  if (v < 0) r = py::reinterpret_steal<py::object>(PyNumber_Negative(r.ptr()));
  return r;
}

rational rational_from_python(py::handle x, const char* what) {
  if (PyLong_Check(x.ptr()) && !PyBool_Check(x.ptr())) return rational(integer_from_long(x.ptr()));
  if (is_instance(x.ptr(), fraction_type()))
    return rational(integer_from_long(x.attr("numerator").ptr()), integer_from_long(x.attr("denominator").ptr()));
  throw py::type_error(std::string(what) + ": expected an int or a fractions.Fraction, got " +
                       Py_TYPE(x.ptr())->tp_name);
}

py::object to_python(const rational& v) {
  return py::reinterpret_borrow<py::object>(fraction_type())(to_python(integer(numerator(v))),
                                                             to_python(integer(denominator(v))));
}

Destination destination(py::handle out, const py::dtype& dtype, const std::string& dtype_text_of_result, bool objects,
                        const std::vector<std::size_t>& shape, bool torch, const char* what) {
  Destination d;
  if (out.is_none()) {
    d.array = py::array(dtype, shape);
    d.data = objects ? nullptr : d.array.mutable_data();
    d.result = d.array;
    if (torch && !objects) d.result = py::module_::import("torch").attr("from_numpy")(d.array);
    return d;
  }
  if (py::isinstance<py::array>(out))
    d.array = py::reinterpret_borrow<py::array>(out);
  else if (is_tensor(out))
    d.array = tensor_as_numpy(out, "out", what);
  else
    throw py::type_error(std::string(what) + ": out must be a numpy array or a CPU torch tensor, got " +
                         Py_TYPE(out.ptr())->tp_name);
  std::string expected = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) expected += (i ? ", " : "") + std::to_string(shape[i]);
  expected += shape.size() == 1 ? ",)" : ")";
  const auto* pr = proxy(d.array);
  bool same_shape = static_cast<std::size_t>(pr->nd) == shape.size();
  for (std::size_t i = 0; same_shape && i < shape.size(); ++i)
    same_shape = static_cast<std::size_t>(pr->dimensions[i]) == shape[i];
  if (!same_shape)
    throw py::value_error(std::string(what) + ": out has shape " + shape_text(d.array) + ", the result is " + expected);
  if (!matches(d.array, dtype) || descr(d.array)->byteorder == '>')
    throw py::value_error(std::string(what) + ": out has dtype " + dtype_text(d.array) + ", the result is " +
                          dtype_text_of_result);
  if ((pr->flags & c_contiguous) == 0)
    throw py::value_error(std::string(what) + ": out must be C-contiguous (it is written in place)");
  if ((pr->flags & writeable) == 0) throw py::value_error(std::string(what) + ": out is read-only");
  if ((pr->flags & aligned) == 0) throw py::value_error(std::string(what) + ": out is not aligned");
  d.data = objects ? nullptr : static_cast<void*>(pr->data);
  d.result = py::reinterpret_borrow<py::object>(out);
  return d;
}

Destination destination(py::handle out, Dtype dtype, std::size_t batch, std::size_t length, bool one_d, bool torch,
                        const char* what) {
  const bool exact = dtype == Dtype::integer || dtype == Dtype::rational;
  return destination(out, py::dtype::from_args(dtype_object(dtype)),
                     exact ? std::string("object (dtype='") + dtype_name(dtype) + "')" : dtype_name(dtype), exact,
                     result_shape(batch, length, one_d), torch, what);
}

template <class T>
void store_exact(const PolyBatch<T>& result, const Destination& dst) {
  PyObject** p = static_cast<PyObject**>(static_cast<void*>(py::detail::array_proxy(dst.array.ptr())->data));
  const std::size_t n = result.batch_size() * result.length();
  for (std::size_t i = 0; i < n; ++i) {
    PyObject* v = to_python(result.data()[i]).release().ptr();
    PyObject* old = p[i];
    p[i] = v;
    Py_XDECREF(old);
  }
}

template void store_exact<integer>(const PolyBatch<integer>&, const Destination&);
template void store_exact<rational>(const PolyBatch<rational>&, const Destination&);

} // namespace polybatch::python
