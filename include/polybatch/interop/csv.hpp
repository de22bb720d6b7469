// .csv files in and out of PolyBatch: one polynomial per line, coefficients
// in ascending powers separated by commas. Every scalar is read and written
// as text without loss (scalar_text.hpp): integers of any size and p/q
// rationals for exact types, shortest round-trip decimals for float/double,
// full-precision decimals for extended types. Blank lines and lines starting
// with '#' are skipped, as is a UTF-8 byte-order mark at the start (spreadsheet
// exports write one). Errors name the file and line.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/interop/errors.hpp"
#include "polybatch/interop/mapped_file.hpp"
#include "polybatch/interop/npy.hpp"
#include "polybatch/interop/scalar_text.hpp"

namespace polybatch::interop {

namespace detail {
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
} // namespace detail

/// The batch in `text` (a whole .csv file); `source` names it in errors.
template <Scalar T>
PolyBatch<T> csv_to_batch(std::string_view text, const std::string& source) {
  std::vector<T> values;
  std::size_t length = 0, rows = 0, first_line = 0, line_no = 0;
  constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
  std::size_t pos = text.starts_with(byte_order_mark) ? byte_order_mark.size() : 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = detail::trim(text.substr(pos, eol - pos));
    pos = eol + 1;
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    std::size_t count = 0, start = 0;
    for (;;) {
      std::size_t comma = line.find(',', start);
      const bool last = comma == std::string_view::npos;
      if (last) comma = line.size();
      const std::string_view token = detail::trim(line.substr(start, comma - start));
      ++count;
      if (rows > 0 && count > length)
        throw format_error(source + ":" + std::to_string(line_no) + ": ragged rows: line " + std::to_string(line_no) +
                           " has more than " + std::to_string(length) + " values, line " + std::to_string(first_line) +
                           " has " + std::to_string(length));
      Parsed<T> parsed = parse_scalar<T>(token);
      if (!parsed.value)
        throw format_error(source + ":" + std::to_string(line_no) + ": value " + std::to_string(count) + ": " +
                           (token.empty() ? std::string("empty value") : parsed.error));
      values.push_back(std::move(*parsed.value));
      if (last) break;
      start = comma + 1;
    }
    if (rows == 0) {
      length = count;
      first_line = line_no;
    } else if (count != length) {
      throw format_error(source + ":" + std::to_string(line_no) + ": ragged rows: line " + std::to_string(line_no) +
                         " has " + std::to_string(count) + " values, line " + std::to_string(first_line) + " has " +
                         std::to_string(length));
    }
    ++rows;
  }
  if (rows == 0) throw format_error(source + ": no polynomials (the file has no data lines)");
  PolyBatch<T> batch = PolyBatch<T>::uninitialized(rows, length);
  std::move(values.begin(), values.end(), batch.data());
  return batch;
}

template <Scalar T>
PolyBatch<T> read_csv(const std::string& path) {
  const MappedFile file(path);
  return csv_to_batch<T>(file.bytes(), path);
}

/// One line per polynomial, values that read back exactly.
template <Scalar T>
void write_csv(std::ostream& out, const PolyBatch<T>& batch) {
  std::string line;
  const T* p = batch.data();
  for (std::size_t i = 0; i < batch.batch_size(); ++i) {
    line.clear();
    for (std::size_t k = 0; k < batch.length(); ++k) {
      if (k) line += ',';
      line += format_scalar(p[i * batch.length() + k]);
    }
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
}

/// `shown`: the name errors give, when `path` is a temporary file that
/// becomes it once complete (AtomicFile); `path` itself otherwise.
template <Scalar T>
void write_csv(const std::string& path, const PolyBatch<T>& batch, const std::string& shown = {}) {
  const std::string& name = shown.empty() ? path : shown;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw format_error(name + ": cannot open the file for writing: " + std::strerror(errno));
  write_csv(out, batch);
  out.flush();
  if (!out) throw format_error(name + ": write failed (disk full?)");
}

} // namespace polybatch::interop
