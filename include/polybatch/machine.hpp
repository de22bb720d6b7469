// polybatch for machine scalars: float, double, long double, the built-in
// integers and double-double, without Boost.Multiprecision, exact
// verification or file I/O. A light header for code that never needs exact
// types: it compiles in a fraction of the time of polybatch.hpp, which is
// this plus everything else. Link polybatch::kernels to make it lighter still
// (float, double and double-double kernels then come compiled).
#pragma once

// --- scalar traits, concepts, double-double ---
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/core/scalar_traits.hpp"
#include "polybatch/scalar/double_double.hpp"

// --- expression nodes and the operators that build them ---
#include "polybatch/expr/add_scalar.hpp"
#include "polybatch/expr/algebra/calculus.hpp"
#include "polybatch/expr/algebra/compose.hpp"
#include "polybatch/expr/algebra/pow.hpp"
#include "polybatch/expr/algebra/truncate.hpp"
#include "polybatch/expr/convolve.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/operators.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/expr/series/functions.hpp"

// --- kernels ---
#include "polybatch/kernels/exact/convolve_double_double.hpp"

// --- evaluation: fused pass, aliasing, threads ---
#include "polybatch/eval/add_scalar.hpp"
#include "polybatch/eval/algebra/calculus.hpp"
#include "polybatch/eval/algebra/compose.hpp"
#include "polybatch/eval/algebra/pow.hpp"
#include "polybatch/eval/algebra/truncate.hpp"
#include "polybatch/eval/assign.hpp"
#include "polybatch/eval/elementwise.hpp"
#include "polybatch/eval/leaf.hpp"
#include "polybatch/eval/product.hpp"
#include "polybatch/eval/run.hpp"
#include "polybatch/eval/series/div.hpp"
#include "polybatch/eval/series/pow.hpp"
#include "polybatch/eval/series/unary.hpp"
#include "polybatch/eval/threads.hpp"

// --- containers and functions on them ---
#include "polybatch/algebra/divmod.hpp"
#include "polybatch/algebra/evaluate.hpp"
#include "polybatch/container/compare.hpp"
#include "polybatch/container/poly_batch.hpp"
#include "polybatch/container/poly_view.hpp"
