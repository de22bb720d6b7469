// polybatch._core: the compiled half of the Python package. Functions take
// Python objects as they come (numpy arrays, CPU tensors, dicts of them) and
// do every check in C++; python/polybatch/__init__.py adds keyword
// arguments, the Poly class and the dask submodule on top.
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "cli/build.hpp"
#include "direct.hpp"
#include "engine.hpp"
#include "operands.hpp"
#include "roots.hpp"

namespace py = pybind11;
namespace pb = polybatch;
using namespace pybind11::literals;

namespace {

/// An error as a fractions.Fraction, or the double itself where it is
/// infinite or NaN (a computed inf, or a nonzero value where the exact row is
/// 0): the exact field is not filled in then, and reading 0 would say exact.
py::object exact_error(double rounded, const boost::multiprecision::cpp_rational& exact) {
  if (!std::isfinite(rounded)) return py::float_(rounded);
  return pb::python::to_python(exact);
}

} // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "polybatch: batched polynomial arithmetic (compiled core; use the polybatch package)";

  // shape_error (std::invalid_argument) and domain_error become ValueError,
  // overflow_error OverflowError, by pybind11's standard translation; the
  // command line's own error type is a ValueError too.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const pb::cli::UserError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const pb::overflow_error& e) {
      // The library's remedy names a C++ call; here it is a dtype.
      const std::string message = e.remedy().empty() ? std::string(e.what())
                                                     : std::string(e.problem()) +
                                                           " (evaluate in exact integers: dtype='int', or arrays of "
                                                           "Python ints)";
      PyErr_SetString(PyExc_OverflowError, pb::python::in_python_terms(message).c_str());
    } catch (const std::overflow_error& e) {
      PyErr_SetString(PyExc_OverflowError, pb::python::in_python_terms(e.what()).c_str());
    } catch (const std::domain_error& e) {
      PyErr_SetString(PyExc_ValueError, pb::python::in_python_terms(e.what()).c_str());
    }
  });

  m.def(
      "mul",
      [](py::handle a, py::handle b, py::handle out) {
        return pb::python::convolve_arrays(a, b, out, "full", false, "polybatch.mul");
      },
      "a"_a, "b"_a, "out"_a = py::none());
  m.def(
      "convolve",
      [](py::handle a, py::handle v, const std::string& mode, py::handle out) {
        return pb::python::convolve_arrays(a, v, out, mode, false, "polybatch.convolve");
      },
      "a"_a, "v"_a, "mode"_a = "full", "out"_a = py::none());
  m.def(
      "correlate",
      [](py::handle a, py::handle v, const std::string& mode, py::handle out) {
        return pb::python::convolve_arrays(a, v, out, mode, true, "polybatch.correlate");
      },
      "a"_a, "v"_a, "mode"_a = "valid", "out"_a = py::none());
  m.def(
      "eval",
      [](const std::string& expr, py::dict arrays, py::handle out, py::handle dtype, py::handle threads) {
        return pb::python::evaluate(pb::python::prepare("polybatch.eval", expr, arrays), out, dtype, threads);
      },
      "expr"_a, "arrays"_a, "out"_a = py::none(), "dtype"_a = py::none(), "threads"_a = py::none());
  m.def(
      "shape",
      [](const std::string& expr, py::dict arrays, py::handle dtype, const std::string& what) {
        return pb::python::result_shape(pb::python::prepare(what.c_str(), expr, arrays), dtype);
      },
      "expr"_a, "arrays"_a, "dtype"_a = py::none(), "what"_a = "polybatch.shape");
  // For polybatch.dask: which names an expression reads (arguments it does
  // not read are ignored, as by eval), and an operand as the numpy array
  // eval would read, after eval's checks (dtype, torch grad and device).
  m.def(
      "names",
      [](const std::string& expr) {
        return pb::cli::referenced_names(pb::python::prepare("polybatch.dask.eval", expr, py::dict()).ast);
      },
      "expr"_a);
  m.def(
      "as_array",
      [](py::handle x, const std::string& name, const std::string& what) {
        return pb::python::read_operand(x, name, what.c_str()).array;
      },
      "x"_a, "name"_a, "what"_a);
  m.def(
      "result_dtype",
      [](const std::string& expr, py::dict arrays, py::handle dtype, const std::string& what) {
        const pb::python::Call call = pb::python::prepare(what.c_str(), expr, arrays);
        return std::string(pb::python::dtype_name(pb::python::choose_dtype(call.operands, dtype, call.what)));
      },
      "expr"_a, "arrays"_a, "dtype"_a = py::none(), "what"_a = "polybatch.result_dtype");
  m.def(
      "verify",
      [](const std::string& expr, py::dict arrays, py::handle dtype) {
        return pb::python::verify(pb::python::prepare("polybatch.verify", expr, arrays), dtype);
      },
      "expr"_a, "arrays"_a, "dtype"_a = py::none());
  m.def(
      "set_num_threads",
      [](py::handle n) {
        if (n.is_none()) throw py::type_error("set_num_threads: the thread count must be an int, got None");
        pb::set_num_threads(pb::python::thread_count(n, "set_num_threads"));
      },
      "n"_a);
  m.def("num_threads", [] { return pb::num_threads(); });
  m.def("num_threads_env_problem", [] { return pb::num_threads_env_problem(); });
  pb::python::register_roots(m);

  py::class_<pb::verify_report>(m, "VerifyReport")
      .def_readonly("max_abs_error", &pb::verify_report::max_abs_error)
      .def_readonly("max_rel_error", &pb::verify_report::max_rel_error)
      .def_readonly("worst_row", &pb::verify_report::worst_row)
      .def_readonly("worst_coefficient", &pb::verify_report::worst_coefficient)
      .def_readonly("batch_size", &pb::verify_report::batch_size)
      .def_readonly("length", &pb::verify_report::length)
      // The errors exactly (fractions.Fraction), where the doubles above
      // round them (an error below the least subnormal reads as 0 there).
      .def_property_readonly(
          "max_abs_error_exact",
          [](const pb::verify_report& r) { return exact_error(r.max_abs_error, r.max_abs_error_exact); })
      .def_property_readonly(
          "max_rel_error_exact",
          [](const pb::verify_report& r) { return exact_error(r.max_rel_error, r.max_rel_error_exact); })
      // Picklable, so that reports come back from dask and multiprocessing workers.
      .def(py::pickle(
          [](const pb::verify_report& r) {
            return py::make_tuple(r.max_abs_error, r.max_rel_error, r.worst_row, r.worst_coefficient, r.batch_size,
                                  r.length, pb::python::to_python(r.max_abs_error_exact),
                                  pb::python::to_python(r.max_rel_error_exact));
          },
          [](const py::tuple& t) {
            if (t.size() != 8)
              throw py::value_error("VerifyReport: a pickled report has 8 fields, this one " +
                                    std::to_string(t.size()));
            pb::verify_report r;
            try {
              r.max_abs_error = t[0].cast<double>();
              r.max_rel_error = t[1].cast<double>();
              r.worst_row = t[2].cast<std::size_t>();
              r.worst_coefficient = t[3].cast<std::size_t>();
              r.batch_size = t[4].cast<std::size_t>();
              r.length = t[5].cast<std::size_t>();
            } catch (const py::cast_error&) {
              throw py::value_error("VerifyReport: a pickled report holds two floats and four counts (integers "
                                    ">= 0) before its exact errors");
            }
            r.max_abs_error_exact = pb::python::rational_from_python(t[6], "VerifyReport");
            r.max_rel_error_exact = pb::python::rational_from_python(t[7], "VerifyReport");
            return r;
          }))
      .def("__str__",
           [](const pb::verify_report& r) {
             std::ostringstream s;
             s << r;
             return s.str();
           })
      .def("__repr__", [](const pb::verify_report& r) {
        std::ostringstream s;
        s << "<polybatch " << r << ">";
        return s.str();
      });
}
