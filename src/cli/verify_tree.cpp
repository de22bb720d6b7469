// verify_tree for the scalars the engine library serves to both the command
// line and the Python module.
#include "cli/verify_tree_impl.hpp"

namespace polybatch::cli {

template class Builder<exact::dyadic<4>>;
template class Builder<exact::dyadic<exact::detail::widest_limbs>>;

template std::optional<verify_report> verify_tree<float>(const TreeCheck<float>&, TreeCheckStats*);
template std::optional<verify_report> verify_tree<double>(const TreeCheck<double>&, TreeCheckStats*);
template std::optional<verify_report> verify_tree<std::int64_t>(const TreeCheck<std::int64_t>&, TreeCheckStats*);

} // namespace polybatch::cli
