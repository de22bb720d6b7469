// polybatch: batched polynomial arithmetic with fused lazy expressions.
// Include this header for the whole library.
#pragma once

// --- scalar traits and concepts ---
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/core/scalar_traits.hpp"
// --- scalar families (issue 4: multiprecision, double-double) ---
#include "polybatch/scalar/multiprecision.hpp"

// --- expression nodes and the operators that build them ---
#include "polybatch/expr/convolve.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/operators.hpp"
#include "polybatch/expr/product.hpp"
// --- algebra nodes (issue 5) ---

// --- kernels with extra back ends (issues 3, 4) ---

// --- evaluation: fused pass, aliasing, threads ---
#include "polybatch/eval/assign.hpp"
#include "polybatch/eval/elementwise.hpp"
#include "polybatch/eval/leaf.hpp"
#include "polybatch/eval/product.hpp"
#include "polybatch/eval/run.hpp"
#include "polybatch/eval/threads.hpp"
// --- algebra evaluators (issue 5) ---

// --- containers ---
#include "polybatch/container/compare.hpp"
#include "polybatch/container/poly_batch.hpp"
#include "polybatch/container/poly_view.hpp"

// --- functions on containers: cast, verify (issue 4); evaluate, divmod (issue 5) ---

// --- interop: npy/csv io (issue 6) ---
