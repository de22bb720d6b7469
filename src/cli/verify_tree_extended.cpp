// verify_tree for the command line's wider binary scalars: double-double,
// quad and mpfr (at most 120 bits start in 256-bit dyadics, at most 248 in
// 512-bit ones; wider mpfr values are checked in rationals).
#include "cli/scalars.hpp"
#include "cli/verify_tree_impl.hpp"

namespace polybatch::cli {

// Compiled once in verify_tree.cpp (engine library).
extern template class Builder<exact::dyadic<4>>;
extern template class Builder<exact::dyadic<exact::detail::widest_limbs>>;

template std::optional<verify_report> verify_tree<dd>(const TreeCheck<dd>&, TreeCheckStats*);
template std::optional<verify_report> verify_tree<quad>(const TreeCheck<quad>&, TreeCheckStats*);
template std::optional<verify_report> verify_tree<mpfr>(const TreeCheck<mpfr>&, TreeCheckStats*);

} // namespace polybatch::cli
