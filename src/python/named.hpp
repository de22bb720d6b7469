// The arrays of a call as the named leaves of a run-time tree over T, read in
// place (or from their converted copy): what build<T> and the exact check of
// polybatch.verify both start from.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/build.hpp"
#include "engine.hpp"

namespace polybatch::python {

template <class T>
std::map<std::string, cli::NamedBatch<T>> named_batches(const Call& call, const std::vector<Rows<T>>& leaves) {
  std::map<std::string, cli::NamedBatch<T>> named;
  for (std::size_t i = 0; i < call.operands.size(); ++i) {
    const Operand& op = call.operands[i];
    expr::Dynamic<T> leaf =
        leaves[i].owned ? dynamic_leaf(leaves[i].owned)
                        : dynamic_leaf(std::make_shared<const PolyView<const T>>(leaves[i].data, op.batch, op.length));
    const std::string describe = "array " + std::to_string(op.batch) + " x " + std::to_string(op.length);
    named.emplace(op.name, cli::NamedBatch<T>{std::move(leaf), describe});
  }
  return named;
}

} // namespace polybatch::python
