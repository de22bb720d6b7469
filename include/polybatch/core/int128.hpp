// 128-bit integers for 64 x 64 -> 128-bit limb products and overflow-free
// sums: a GNU extension that g++ and clang share, named once here
// (__extension__ keeps -Wpedantic quiet).
#pragma once

namespace polybatch {

__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;

} // namespace polybatch
