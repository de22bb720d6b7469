// build<rational> (engine.hpp): the expression language instantiated for dtype 'rational'
// (one translation unit per scalar keeps each compile small).
#include "build_impl.hpp"

namespace polybatch::python {
template expr::Dynamic<rational> build<rational>(const Call&, const std::vector<Rows<rational>>&, Dtype,
                                                 std::function<rational(const cli::Ast&)>);
} // namespace polybatch::python
