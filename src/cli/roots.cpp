// `polybatch roots`: every complex root of each row of a batch read from
// .npy/.csv (pb::roots), written as complex .npy or as CSV (re,im pairs), and
// optionally certified with pb::verify_roots (--verify).
#include <bit>
#include <cfloat>
#include <complex>
#include <cstddef>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <limits>
#include <ostream>
#include <sstream>
#include <string>

#include <polybatch/algebra/roots.hpp>
#include <polybatch/algebra/verify_roots.hpp>
#include <polybatch/interop/atomic_file.hpp>
#include <polybatch/interop/csv.hpp>
#include <polybatch/interop/npy.hpp>

#include "cli/build.hpp"
#include "cli/commands.hpp"
#include "cli/files.hpp"

namespace polybatch::cli {

namespace {

template <class T>
using Roots = xt::xtensor<std::complex<T>, 2>;

/// numpy's name for std::complex<T> on this machine: <c8, <c16, and <c32 for
/// the x87 80-bit long double stored in 16 bytes (numpy's complex256).
template <class T>
std::string complex_descr() {
  static_assert(std::endian::native == std::endian::little, "polybatch roots writes little-endian .npy");
  if constexpr (std::is_same_v<T, long double>) {
    if (sizeof(long double) != 16 || LDBL_MANT_DIG != 64)
      throw UserError("this machine's long double has no numpy equivalent; write the roots as .csv");
  }
  return "<c" + std::to_string(2 * sizeof(T));
}

std::string npy_header_for(const std::string& descr, std::size_t rows, std::size_t cols) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + "), }";
  const std::size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>((dict.size() >> 8) & 0xff);
  return out + dict;
}

/// One line per row: re0,im0,re1,im1,... with every digit (NaN as "nan").
template <class T>
void write_roots_csv(std::ostream& os, const Roots<T>& z) {
  os << std::setprecision(std::numeric_limits<T>::max_digits10);
  const std::size_t rows = z.shape()[0], cols = z.shape()[1];
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      const std::complex<T> v = z(i, j);
      if (j > 0) os << ',';
      for (int part = 0; part < 2; ++part) {
        const T x = part == 0 ? v.real() : v.imag();
        if (part == 1) os << ',';
        if (std::isnan(x))
          os << "nan";
        else
          os << x;
      }
    }
    os << '\n';
  }
}

template <class T>
void write_roots(const std::string& path, const Roots<T>& z, interop::durability durable) {
  switch (output_format(path)) {
  case OutputFormat::stdout_csv:
    write_roots_csv(std::cout, z);
    std::cout.flush();
    if (!std::cout) throw UserError("cannot write the roots to standard output");
    return;
  case OutputFormat::csv:
    interop::write_atomically(
        path,
        [&](const std::string& tmp) {
          std::ofstream os(tmp);
          write_roots_csv(os, z);
          os.flush();
          if (!os) throw UserError(path + ": cannot write the roots");
        },
        durable);
    return;
  case OutputFormat::npy: {
    const std::string header = npy_header_for(complex_descr<T>(), z.shape()[0], z.shape()[1]);
    interop::AtomicFile out(path);
    out.write(header.data(), header.size());
    out.write(z.data(), z.size() * sizeof(std::complex<T>));
    out.commit(durable);
    return;
  }
  }
}

template <class T>
int roots_with(const RootsOptions& o) {
  // Check the output name before reading or computing anything.
  (void)output_format(o.output);
  const PolyBatch<T> a = read_batch<T>(o.input, o.type);
  if (a.length() == 0) throw UserError(o.input + ": the batch has no coefficients");
  Roots<T> z;
  try {
    z = roots(a);
  } catch (const domain_error& e) {
    throw UserError(o.input + ": " + e.what());
  }
  write_roots(o.output, z, o.sync ? interop::durability::sync : interop::durability::no_sync);
  if (o.verify) {
    const roots_report rep = verify_roots(a, z);
    std::cerr << rep << "\n";
    std::size_t shown = 0;
    std::ostringstream rows;
    for (std::size_t i = 0; i < rep.isolated.size() && shown < 10; ++i)
      if (!rep.isolated(i)) rows << (shown++ ? ", " : "") << i;
    if (shown > 0) std::cerr << "rows not isolated (first " << shown << "): " << rows.str() << "\n";
  }
  return 0;
}

/// float for float32 .npy input, otherwise double.
std::string default_roots_type(const std::string& input) {
  if (ends_with(input, ".npy") && input_npy_header(input).dtype == interop::npy_dtype::float32) return "float";
  return "double";
}

} // namespace

int run_roots(const RootsOptions& given) {
  RootsOptions o = given;
  if (o.type.empty() || o.type == "auto") o.type = default_roots_type(o.input);
  if (o.type == "float") return roots_with<float>(o);
  if (o.type == "double") return roots_with<double>(o);
  if (o.type == "longdouble") return roots_with<long double>(o);
  throw UserError("roots: --type '" + o.type + "' is not one of float, double, longdouble");
}

} // namespace polybatch::cli
