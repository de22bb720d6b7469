// build<float> (engine.hpp): the expression language instantiated for dtype 'float32'
// (one translation unit per scalar keeps each compile small).
#include "build_impl.hpp"

namespace polybatch::python {
template expr::Dynamic<float> build<float>(const Call&, const std::vector<Rows<float>>&, Dtype,
                                           std::function<float(const cli::Ast&)>);
} // namespace polybatch::python
