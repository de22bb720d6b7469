// build<int64_t> (engine.hpp): the expression language instantiated for dtype 'int64'
// (one translation unit per scalar keeps each compile small).
#include "build_impl.hpp"

namespace polybatch::python {
template expr::Dynamic<int64_t> build<int64_t>(const Call&, const std::vector<Rows<int64_t>>&, Dtype,
                                               std::function<int64_t(const cli::Ast&)>);
} // namespace polybatch::python
