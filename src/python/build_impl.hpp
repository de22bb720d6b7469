// The body of build<T> (engine.hpp), included by one translation unit per
// scalar type so that each compiles the whole expression language once.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "cli/build.hpp"
#include "engine.hpp"
#include "named.hpp"

namespace polybatch::python {

template <class T>
expr::Dynamic<T> build(const Call& call, const std::vector<Rows<T>>& leaves, Dtype dtype,
                       std::function<T(const cli::Ast&)> number) {
  const std::map<std::string, cli::NamedBatch<T>> named = named_batches(call, leaves);
  cli::Builder<T> builder(call.source, named, dtype_name(dtype), std::move(number));
  builder.set_input_word("ARRAY");
  // The builder speaks the command line's words for the scalar type.
  auto message = [&](const cli::UserError& e) {
    std::string text = e.what();
    const std::string flag = " for --type ";
    if (const std::size_t at = text.find(flag); at != std::string::npos) text.replace(at, flag.size(), " for dtype=");
    return std::string(call.what) + ": " + text;
  };
  try {
    return builder.build(call.ast);
  } catch (const cli::TypeUnsupported& e) {
    throw py::type_error(message(e));
  } catch (const cli::UserError& e) {
    throw py::value_error(message(e));
  }
}

} // namespace polybatch::python
