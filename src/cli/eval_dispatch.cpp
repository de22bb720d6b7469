// --type parsing and the switch from the chosen type to its instantiation.
#include <algorithm>
#include <cstdint>
#include <string>

#include <boost/multiprecision/detail/digits.hpp>

#include <polybatch/interop/npy.hpp>
#include <polybatch/interop/scalar_text.hpp>

#include "cli/build.hpp"
#include "cli/files.hpp"
#include "cli/options.hpp"
#include "cli/scalars.hpp"

namespace polybatch::cli {

TypeChoice parse_type(const std::string& text) {
  TypeChoice t;
  t.name = text;
  if (text == "float")
    t.kind = ScalarKind::float32;
  else if (text == "double")
    t.kind = ScalarKind::float64;
  else if (text == "int")
    t.kind = ScalarKind::int64;
  else if (text == "rational")
    t.kind = ScalarKind::rational;
  else if (text == "quad")
    t.kind = ScalarKind::quad;
  else if (text == "dd")
    t.kind = ScalarKind::dd;
  else if (text.rfind("mpfr:", 0) == 0) {
    const std::string bits = text.substr(5);
    if (bits.empty() || bits.find_first_not_of("0123456789") != std::string::npos)
      throw UserError("--type " + text + ": mpfr needs a precision in bits, e.g. mpfr:256");
    // Any count of digits is a number; more than 7 (leading zeros aside) is past the limit.
    const std::string digits = interop::detail::without_leading_zeros(bits);
    const bool too_long = digits.size() > 7;
    t.kind = ScalarKind::mpfr;
    t.mpfr_bits = too_long ? 0u : static_cast<unsigned>(std::stoul(digits));
    if (too_long || t.mpfr_bits < 8 || t.mpfr_bits > 1'000'000)
      throw UserError("--type " + text + ": the precision must be between 8 and 1000000 bits");
  } else {
    throw UserError("unknown --type '" + text + "' (choose float, double, int, rational, quad, mpfr:BITS or dd)");
  }
  return t;
}

namespace {

/// The type an .npy input suggests when --type is not given.
TypeChoice default_type(const EvalOptions& o) {
  bool all_int = true, all_f32 = true, any_npy = false;
  for (const auto& [name, file] : o.inputs) {
    if (!ends_with(file, ".npy")) {
      all_int = all_f32 = false;
      continue;
    }
    any_npy = true;
    const interop::NpyHeader h = input_npy_header(file);
    all_int = all_int && (h.dtype == interop::npy_dtype::int32 || h.dtype == interop::npy_dtype::int64);
    all_f32 = all_f32 && h.dtype == interop::npy_dtype::float32;
  }
  if (any_npy && all_int) return parse_type("int");
  if (any_npy && all_f32) return parse_type("float");
  return parse_type("double");
}

} // namespace

int run_eval(const EvalOptions& given) {
  EvalOptions o = given;
  require_one_format_per_file(o.inputs);
  if (o.type.name.empty() || o.type.name == "auto") o.type = default_type(o);
  switch (o.type.kind) {
  case ScalarKind::float32:
    return eval_with<float>(o);
  case ScalarKind::float64:
    return eval_with<double>(o);
  case ScalarKind::int64:
    return eval_with<std::int64_t>(o);
  case ScalarKind::rational:
    return eval_with<rational>(o);
  case ScalarKind::quad:
    return eval_with<quad>(o);
  case ScalarKind::dd:
    return eval_with<dd>(o);
  case ScalarKind::mpfr: {
    // Boost 1.74 sets MPFR precision in decimal digits: take the fewest
    // digits that give at least the bits asked for.
    unsigned digits10 = 1;
    while (boost::multiprecision::detail::digits10_2_2(digits10) < o.type.mpfr_bits) ++digits10;
    mpfr::default_precision(digits10);
    return eval_with<mpfr>(o);
  }
  }
  return 1;
}

} // namespace polybatch::cli
