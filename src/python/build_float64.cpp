// build<double> (engine.hpp): the expression language instantiated for dtype 'float64'
// (one translation unit per scalar keeps each compile small).
#include "build_impl.hpp"

namespace polybatch::python {
template expr::Dynamic<double> build<double>(const Call&, const std::vector<Rows<double>>&, Dtype,
                                             std::function<double(const cli::Ast&)>);
} // namespace polybatch::python
