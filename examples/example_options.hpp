// The examples' command lines: `--name value` pairs, every one checked. An
// unknown option, a missing value, a count out of range or a tolerance that
// is not a positive finite number ends the program with one line naming it
// and status 2 (strtoull alone reads "abc" as 0 and "-1" as 2^64 - 1).
#pragma once

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace example {

class Options {
public:
  /// Takes the refusal's line (the program's name first) and ends the
  /// program, as an MPI program must (one rank prints, every rank stops);
  /// without one the line goes to stderr and the status is 2.
  using failure = std::function<void(const std::string& line)>;

  /// argv[1..] as `--name value` pairs whose names are all in `known`.
  Options(int argc, char** argv, std::initializer_list<const char*> known, failure on_failure = {})
      : program_(program_name(argv[0])), on_failure_(std::move(on_failure)) {
    for (int i = 1; i < argc; i += 2) {
      bool listed = false;
      for (const char* name : known) listed = listed || std::strcmp(argv[i], name) == 0;
      if (!listed) fail("unknown option '" + std::string(argv[i]) + "' (options: " + list(known) + ")");
      if (i + 1 == argc) fail(std::string(argv[i]) + " needs a value");
      pairs_.push_back({argv[i], argv[i + 1]});
    }
  }

  /// The whole number given for `name` (the last one if repeated), or
  /// `fallback`; it must lie in [least, most].
  std::size_t count(const char* name, std::size_t fallback, std::size_t least, std::size_t most) const {
    const char* text = value(name);
    if (text == nullptr) return fallback;
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (*text == '-' || *text == '+' || end == text || *end != '\0' || errno == ERANGE || v < least || v > most)
      fail(std::string(name) + " '" + text + "' is not a whole number from " + std::to_string(least) + " to " +
           std::to_string(most));
    return static_cast<std::size_t>(v);
  }

  /// The positive finite number given for `name`, or `fallback`.
  double positive(const char* name, double fallback) const {
    const char* text = value(name);
    if (text == nullptr) return fallback;
    char* end = nullptr;
    const double v = std::strtod(text, &end);
    if (end == text || *end != '\0' || !std::isfinite(v) || !(v > 0))
      fail(std::string(name) + " '" + text + "' is not a positive finite number");
    return v;
  }

  /// Refuses a call that gives both options (each sets what the other would).
  void exclusive(const char* first, const char* second) const {
    if (value(first) != nullptr && value(second) != nullptr)
      fail(std::string(first) + " and " + second + " exclude each other: give one");
  }

private:
  struct pair {
    const char* name;
    const char* text;
  };

  static std::string program_name(const char* path) {
    const char* slash = std::strrchr(path, '/');
    return slash != nullptr ? slash + 1 : path;
  }
  static std::string list(std::initializer_list<const char*> known) {
    std::string out;
    for (const char* name : known) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
  }
  const char* value(const char* name) const {
    const char* text = nullptr;
    for (const pair& p : pairs_)
      if (std::strcmp(p.name, name) == 0) text = p.text;
    return text;
  }
  [[noreturn]] void fail(const std::string& message) const {
    const std::string line = program_ + ": " + message;
    if (on_failure_) on_failure_(line);
    std::fprintf(stderr, "%s\n", line.c_str());
    std::exit(2);
  }

  std::string program_;
  failure on_failure_;
  std::vector<pair> pairs_;
};

} // namespace example
