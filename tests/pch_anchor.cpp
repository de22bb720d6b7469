// Owns the precompiled header every test program reuses (tests/CMakeLists.txt):
// Catch2, polybatch and Boost.Multiprecision parsed once per build, not once
// per test source.
