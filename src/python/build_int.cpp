// build<integer> (engine.hpp): the expression language instantiated for dtype 'int'
// (one translation unit per scalar keeps each compile small).
#include "build_impl.hpp"

namespace polybatch::python {
template expr::Dynamic<integer> build<integer>(const Call&, const std::vector<Rows<integer>>&, Dtype,
                                               std::function<integer(const cli::Ast&)>);
} // namespace polybatch::python
