// .npy files (numpy's binary format, versions 1 to 3) in and out of
// PolyBatch. The header is checked by hand so that a truncated or corrupt
// file, an unsupported dtype or a shape that is not a batch is one clear
// error naming the file; data of dtype float32, float64, int32 or int64
// (little-endian, C or Fortran order) is converted to the batch's scalar
// exactly or refused, or, when it already is that scalar in C order, used in
// place from the memory-mapped file. Machine scalars are written with one
// header and large writes; multiprecision batches are written as .csv.
#pragma once

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "polybatch/container/poly_batch.hpp"
#include "polybatch/container/poly_view.hpp"
#include "polybatch/core/checked_size.hpp"
#include "polybatch/interop/atomic_file.hpp"
#include "polybatch/interop/convert.hpp"
#include "polybatch/interop/errors.hpp"
#include "polybatch/interop/mapped_file.hpp"
#include "polybatch/interop/scalar_text.hpp"

namespace polybatch::interop {

enum class npy_dtype { float32, float64, int32, int64 };

inline const char* dtype_name(npy_dtype d) {
  switch (d) {
  case npy_dtype::float32:
    return "float32";
  case npy_dtype::float64:
    return "float64";
  case npy_dtype::int32:
    return "int32";
  case npy_dtype::int64:
    return "int64";
  }
  return "?";
}

inline std::size_t dtype_size(npy_dtype d) { return d == npy_dtype::float32 || d == npy_dtype::int32 ? 4 : 8; }

/// The dtype whose elements are exactly T's bytes on this machine, if any
/// (the reader accepts little-endian data only, so none on a big-endian host).
template <class T>
constexpr std::optional<npy_dtype> native_dtype() {
  if constexpr (std::endian::native != std::endian::little) return std::nullopt;
  if constexpr (std::is_same_v<T, float> && sizeof(float) == 4) return npy_dtype::float32;
  if constexpr (std::is_same_v<T, double> && sizeof(double) == 8) return npy_dtype::float64;
  if constexpr (std::is_integral_v<T> && std::is_signed_v<T> && sizeof(T) == 4) return npy_dtype::int32;
  if constexpr (std::is_integral_v<T> && std::is_signed_v<T> && sizeof(T) == 8) return npy_dtype::int64;
  return std::nullopt;
}

/// What an .npy header says: the element type, the batch shape (a 1-D array
/// of L is one polynomial: B = 1), the order and where the data starts.
struct NpyHeader {
  npy_dtype dtype = npy_dtype::float64;
  std::size_t batch = 0;
  std::size_t length = 0;
  int ndim = 0;
  bool fortran_order = false;
  std::size_t data_offset = 0;
};

namespace detail {

/// A tiny reader for the Python dict literal in an .npy header, e.g.
/// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
class HeaderDict {
public:
  HeaderDict(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  std::string_view string_value(std::string_view key) const {
    std::size_t i = value_start(key);
    const char quote = i < text_.size() ? text_[i] : '\0';
    if (quote != '\'' && quote != '"') fail(quoted(key) + " is not a string");
    const std::size_t end = text_.find(quote, i + 1);
    if (end == std::string_view::npos) fail("unterminated string for '" + std::string(key) + "'");
    return text_.substr(i + 1, end - i - 1);
  }

  /// The first character of a key's value ('\0' at the end of the text).
  char value_opening(std::string_view key) const {
    const std::size_t i = value_start(key);
    return i < text_.size() ? text_[i] : '\0';
  }

  bool bool_value(std::string_view key) const {
    const std::size_t i = value_start(key);
    // The word must end there ("Falsehood" is no boolean).
    const auto word = [&](std::string_view w) {
      if (text_.substr(i, w.size()) != w) return false;
      const std::size_t after = i + w.size();
      return after >= text_.size() || text_[after] == ',' || text_[after] == '}' || text_[after] == ' ';
    };
    if (word("True")) return true;
    if (word("False")) return false;
    fail(quoted(key) + " is not True or False");
  }

  std::vector<std::size_t> tuple_value(std::string_view key) const {
    std::size_t i = value_start(key);
    if (i >= text_.size() || text_[i] != '(') fail(quoted(key) + " is not a tuple");
    ++i;
    std::vector<std::size_t> dims;
    for (;;) {
      while (i < text_.size() && text_[i] == ' ') ++i;
      if (i >= text_.size()) fail("unterminated shape tuple");
      if (text_[i] == ')') break;
      if (text_[i] < '0' || text_[i] > '9') fail("the shape holds something other than integers");
      std::size_t v = 0;
      while (i < text_.size() && text_[i] >= '0' && text_[i] <= '9') {
        const std::size_t digit = static_cast<std::size_t>(text_[i++] - '0');
        if (v > (std::numeric_limits<std::size_t>::max() - digit) / 10) fail("a dimension of the shape is too large");
        v = v * 10 + digit;
      }
      dims.push_back(v);
      if (dims.size() > 32) fail("the shape has too many dimensions");
      while (i < text_.size() && text_[i] == ' ') ++i;
      if (i < text_.size() && text_[i] == ',')
        ++i;
      else if (i < text_.size() && text_[i] != ')')
        fail("malformed shape tuple");
    }
    return dims;
  }

private:
  std::size_t value_start(std::string_view key) const {
    // A key given twice is an error: numpy's dict keeps the last one, a
    // first match would read a different array without a word.
    std::size_t at = std::string_view::npos, key_size = 0;
    for (const char quote : {'\'', '"'}) {
      std::string key_text(1, quote);
      key_text.append(key);
      key_text.push_back(quote);
      for (std::size_t from = 0;;) {
        const std::size_t found = text_.find(key_text, from);
        if (found == std::string_view::npos) break;
        if (at != std::string_view::npos) fail("the header has more than one '" + std::string(key) + "' entry");
        at = found;
        key_size = key_text.size();
        from = found + 1;
      }
    }
    if (at == std::string_view::npos) fail("the header has no '" + std::string(key) + "' entry");
    std::size_t i = at + key_size;
    while (i < text_.size() && text_[i] == ' ') ++i;
    if (i >= text_.size() || text_[i] != ':') fail("no ':' after '" + std::string(key) + "'");
    ++i;
    while (i < text_.size() && text_[i] == ' ') ++i;
    return i;
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw format_error(source_ + ": corrupt .npy header: " + why);
  }

  std::string_view text_;
  const std::string& source_;
};

inline std::uint32_t little_endian(const unsigned char* p, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

template <class Source>
Source load_element(const char* p) {
  Source v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <Scalar T, class Source>
void convert_elements(const char* data, const NpyHeader& h, T* out, const std::string& source,
                      const std::string& type_name) {
  const std::size_t n = h.batch * h.length;
  if constexpr (std::is_same_v<T, Source>) {
    if (!h.fortran_order) {
      std::memcpy(static_cast<void*>(out), data, n * sizeof(T));
      return;
    }
  }
  for (std::size_t i = 0; i < h.batch; ++i) {
    for (std::size_t k = 0; k < h.length; ++k) {
      const std::size_t at = h.fortran_order ? k * h.batch + i : i * h.length + k;
      const Source v = load_element<Source>(data + at * sizeof(Source));
      auto t = convert_exactly<T>(v);
      if (!t)
        throw format_error(source + ": coefficient (row " + std::to_string(i) + ", column " + std::to_string(k) +
                           ") = " + format_scalar(v) + " cannot be held exactly by --type " + type_name);
      out[i * h.length + k] = std::move(*t);
    }
  }
}

} // namespace detail

/// Parses and checks the header at the start of `bytes` (the whole file):
/// magic, version, header length, dtype, order and shape, and that the file
/// holds all the data the shape promises. `source` names the file in errors.
/// `file_size` is the whole file's size when `bytes` holds only its start.
inline NpyHeader parse_npy_header(std::string_view bytes, const std::string& source,
                                  std::size_t file_size = std::size_t(-1)) {
  if (file_size == std::size_t(-1)) file_size = bytes.size();
  auto fail = [&](const std::string& why) -> format_error { return format_error(source + ": " + why); };
  constexpr std::string_view magic("\x93NUMPY", 6);
  // A file cut short inside the magic or just after it is truncated, not foreign.
  const std::size_t magic_seen = std::min(bytes.size(), magic.size());
  if (bytes.substr(0, magic_seen) != magic.substr(0, magic_seen))
    throw fail("not an .npy file (it does not start with the \\x93NUMPY magic)");
  if (bytes.size() < 10)
    throw fail("truncated .npy file (" + std::to_string(bytes.size()) + " bytes, shorter than the header)");
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  const int major = u[6];
  if (major < 1 || major > 3)
    throw fail("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(u[7]));
  const int len_bytes = major == 1 ? 2 : 4;
  const std::size_t prefix = 8 + static_cast<std::size_t>(len_bytes);
  if (bytes.size() < prefix) throw fail("truncated .npy file (the header length is cut off)");
  const std::size_t header_len = detail::little_endian(u + 8, len_bytes);
  if (bytes.size() - prefix < header_len)
    throw fail("truncated .npy file: the header promises " + std::to_string(header_len) + " bytes, the file has " +
               std::to_string(bytes.size() - prefix));
  const std::string_view text = bytes.substr(prefix, header_len);
  const detail::HeaderDict dict(text, source);

  NpyHeader h;
  h.data_offset = prefix + header_len;
  constexpr std::string_view supported = "(supported: float32, float64, int32, int64, little-endian: <f4 <f8 <i4 <i8)";
  // numpy writes a structured dtype's descr as a list of (name, type) fields.
  if (dict.value_opening("descr") == '[')
    throw fail("unsupported dtype: a structured dtype (named fields) " + std::string(supported));
  const std::string_view descr = dict.string_value("descr");
  const std::string_view code = descr.size() == 3 ? descr.substr(1) : std::string_view();
  const char order = descr.empty() ? '?' : descr[0];
  const bool little = order == '<' || order == '|' || order == '=';
  if (code == "f8" && little)
    h.dtype = npy_dtype::float64;
  else if (code == "f4" && little)
    h.dtype = npy_dtype::float32;
  else if (code == "i8" && little)
    h.dtype = npy_dtype::int64;
  else if (code == "i4" && little)
    h.dtype = npy_dtype::int32;
  else
    throw fail("unsupported dtype '" + std::string(descr.substr(0, 32)) + "' " + std::string(supported));
  h.fortran_order = dict.bool_value("fortran_order");
  const std::vector<std::size_t> shape = dict.tuple_value("shape");
  h.ndim = static_cast<int>(shape.size());
  if (shape.size() == 1) {
    h.batch = 1;
    h.length = shape[0];
  } else if (shape.size() == 2) {
    h.batch = shape[0];
    h.length = shape[1];
  } else {
    throw fail("an array of " + std::to_string(shape.size()) +
               " dimensions is not a batch (expected a 2-D array B x L, or 1-D for one polynomial)");
  }
  if (h.batch == 0 || h.length == 0) {
    // The shape as numpy writes it: a 1-D array's is "(0,)".
    const std::string written = shape.size() == 1
                                    ? "(" + std::to_string(h.length) + ",)"
                                    : "(" + std::to_string(h.batch) + ", " + std::to_string(h.length) + ")";
    throw fail("empty array of shape " + written + ": a batch needs B >= 1 polynomials of length L >= 1");
  }
  // A lying header: a shape whose byte size wraps would pass the size check
  // below and then index past the data.
  const std::size_t item = dtype_size(h.dtype);
  const std::size_t need =
      polybatch::detail::checked_elements(source + ": the .npy shape", h.batch, h.length, item) * item;
  if (file_size - h.data_offset < need)
    throw fail("truncated .npy file: shape (" + std::to_string(h.batch) + ", " + std::to_string(h.length) + ") of " +
               dtype_name(h.dtype) + " needs " + std::to_string(need) + " bytes of data, the file has " +
               std::to_string(file_size - h.data_offset));
  return h;
}

/// The batch stored in `bytes` (a whole .npy file), each element converted
/// to T exactly (a value T cannot hold is an error naming its position).
template <Scalar T>
PolyBatch<T> npy_to_batch(std::string_view bytes, const std::string& source, const std::string& type_name = "T") {
  const NpyHeader h = parse_npy_header(bytes, source);
  (void)polybatch::detail::checked_elements<T>((source + ": a batch of --type " + type_name).c_str(), h.batch,
                                               h.length);
  PolyBatch<T> batch = PolyBatch<T>::uninitialized(h.batch, h.length);
  const char* data = bytes.data() + h.data_offset;
  switch (h.dtype) {
  case npy_dtype::float32:
    detail::convert_elements<T, float>(data, h, batch.data(), source, type_name);
    break;
  case npy_dtype::float64:
    detail::convert_elements<T, double>(data, h, batch.data(), source, type_name);
    break;
  case npy_dtype::int32:
    detail::convert_elements<T, std::int32_t>(data, h, batch.data(), source, type_name);
    break;
  case npy_dtype::int64:
    detail::convert_elements<T, std::int64_t>(data, h, batch.data(), source, type_name);
    break;
  }
  return batch;
}

/// The whole file as bytes; a missing or unreadable file is a format_error.
/// (MappedFile gives the same bytes without copying them.)
inline std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw format_error(path + ": cannot open the file for reading");
  std::string bytes;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw format_error(path + ": cannot read the file");
  bytes.resize(static_cast<std::size_t>(size));
  in.seekg(0, std::ios::beg);
  if (!in.read(bytes.data(), size)) throw format_error(path + ": cannot read the file");
  return bytes;
}

/// Only the header of an .npy file (to choose a scalar type before reading
/// the data): the fixed prefix, then exactly the header length it states,
/// however long. A regular file's data size is still checked against its
/// length; anything else (a pipe) is read to its end to check it, and so
/// cannot be read again. Errors are those of read_npy and parse_npy_header.
inline NpyHeader read_npy_header(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw format_error(path + ": cannot open the file for reading: " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw format_error(path + ": cannot read the file: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw format_error(path + ": cannot read the file: it is a directory");
  std::string head;
  // Appends up to n more bytes (fewer at the end of the file), growing the
  // buffer only as data arrives: a lying length allocates nothing.
  const auto read_more = [&](std::size_t n) {
    while (n > 0) {
      char buffer[1 << 16];
      const ssize_t got = ::read(fd, buffer, std::min(n, sizeof buffer));
      if (got == 0) return;
      if (got < 0) {
        if (errno == EINTR) continue;
        throw format_error(path + ": cannot read the file: " + std::strerror(errno));
      }
      head.append(buffer, static_cast<std::size_t>(got));
      n -= static_cast<std::size_t>(got);
    }
  };
  if (!S_ISREG(st.st_mode)) {
    read_more(std::size_t(-1));
    return parse_npy_header(head, path);
  }
  constexpr std::size_t longest_prefix = 12; // magic, version, 4-byte header length
  read_more(longest_prefix);
  const auto* u = reinterpret_cast<const unsigned char*>(head.data());
  if (head.size() == longest_prefix && (u[6] == 1 || u[6] == 2 || u[6] == 3)) {
    const int len_bytes = u[6] == 1 ? 2 : 4;
    const std::size_t end = 8 + static_cast<std::size_t>(len_bytes) + detail::little_endian(u + 8, len_bytes);
    if (end > head.size()) read_more(end - head.size());
  }
  return parse_npy_header(head, path, static_cast<std::size_t>(st.st_size));
}

/// Reads an .npy file into a batch of T (see npy_to_batch), parsing it
/// straight from the mapped file.
template <Scalar T>
PolyBatch<T> read_npy(const std::string& path, const std::string& type_name = "T") {
  const MappedFile file(path);
  return npy_to_batch<T>(file.bytes(), path, type_name);
}

/// An .npy file's batch as T, without a copy where it can be: when the file
/// stores T itself (same dtype, C order, suitably aligned data) the view
/// reads the memory-mapped file in place; otherwise the elements are
/// converted once (exactly, as npy_to_batch does). The view keeps the
/// mapping, or the converted batch, alive. Every check of parse_npy_header
/// applies.
template <Scalar T>
std::shared_ptr<const PolyView<const T>> map_npy(const std::string& path, const std::string& type_name = "T") {
  struct Holder {
    MappedFile file;
    PolyBatch<T> converted;
    std::optional<PolyView<const T>> view;
  };
  auto holder = std::make_shared<Holder>(Holder{MappedFile(path), PolyBatch<T>(), std::nullopt});
  const std::string_view bytes = holder->file.bytes();
  const NpyHeader h = parse_npy_header(bytes, path);
  const char* data = bytes.data() + h.data_offset;
  constexpr std::optional<npy_dtype> native = native_dtype<T>();
  if (native && h.dtype == *native && !h.fortran_order && reinterpret_cast<std::uintptr_t>(data) % alignof(T) == 0) {
    holder->view.emplace(reinterpret_cast<const T*>(data), h.batch, h.length);
  } else {
    holder->converted = npy_to_batch<T>(bytes, path, type_name);
    holder->view.emplace(holder->converted.data(), h.batch, h.length);
  }
  const PolyView<const T>* view = &*holder->view;
  return std::shared_ptr<const PolyView<const T>>(std::move(holder), view);
}

/// The .npy (version 1.0) header for a C-order B x L array of T: the magic,
/// the dict, padded with spaces so the data starts at a multiple of 64 bytes.
template <Scalar T>
std::string npy_header(std::size_t batch, std::size_t length) {
  static_assert(std::is_arithmetic_v<T>, "npy_header: .npy holds machine scalars only; write multiprecision as .csv");
  const char endian = sizeof(T) == 1 ? '|' : std::endian::native == std::endian::little ? '<' : '>';
  const char kind = std::is_floating_point_v<T> ? 'f' : std::is_same_v<T, bool> ? 'b' : std::is_signed_v<T> ? 'i' : 'u';
  std::string dict = "{'descr': '";
  dict += endian;
  dict += kind;
  dict += std::to_string(sizeof(T)) + "', 'fortran_order': False, 'shape': (" + std::to_string(batch) + ", " +
          std::to_string(length) + "), }";
  const std::size_t unpadded = 10 + dict.size() + 1; // magic + version + length, dict, '\n'
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>((dict.size() >> 8) & 0xff);
  return out + dict;
}

/// Writes the header and the B x L coefficients of `batch` (C order) to an
/// open file, in large writes.
template <Scalar T, class Container>
void write_npy_to(AtomicFile& out, const Container& batch) {
  const std::string header = npy_header<T>(batch.batch_size(), batch.length());
  out.write(header.data(), header.size());
  out.write(batch.data(), batch.batch_size() * batch.length() * sizeof(T));
}

/// Writes a batch of a machine scalar (float, double, int32, int64) as a
/// B x L C-order .npy: one header, then the coefficients in large writes.
/// The file appears complete or not at all (atomic_file.hpp).
template <Scalar T>
void write_npy(const std::string& path, const PolyBatch<T>& batch, durability d = durability::sync) {
  static_assert(std::is_arithmetic_v<T>, "write_npy: .npy holds machine scalars only; write multiprecision as .csv");
  AtomicFile out(path);
  write_npy_to<T>(out, batch);
  out.commit(d);
}

} // namespace polybatch::interop
