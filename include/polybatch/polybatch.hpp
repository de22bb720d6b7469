// polybatch: batched polynomial arithmetic with fused lazy expressions.
// Include this header for the whole library.
#pragma once

// --- scalar traits and concepts ---
#include "polybatch/core/concepts.hpp"
#include "polybatch/core/errors.hpp"
#include "polybatch/core/scalar_traits.hpp"
// --- scalar families (multiprecision, double-double) ---
#include "polybatch/scalar/double_double.hpp"
#include "polybatch/scalar/double_double_io.hpp"
#include "polybatch/scalar/multiprecision.hpp"

// --- expression nodes and the operators that build them ---
#include "polybatch/expr/add_scalar.hpp"
#include "polybatch/expr/cast.hpp" // pb::cast<U>
#include "polybatch/expr/convolve.hpp"
#include "polybatch/expr/elementwise.hpp"
#include "polybatch/expr/operators.hpp"
#include "polybatch/expr/product.hpp"
#include "polybatch/expr/rebind.hpp" // pb::rebind<U>
// --- algebra nodes ---
#include "polybatch/expr/algebra/calculus.hpp"
#include "polybatch/expr/algebra/compose.hpp"
#include "polybatch/expr/algebra/pow.hpp"
#include "polybatch/expr/algebra/truncate.hpp"
// --- power-series nodes: pb::series::exp, log, div, ... ---
#include "polybatch/expr/series/functions.hpp"

// --- kernels with extra back ends ---
#include "polybatch/kernels/exact/convolve_double_double.hpp"
#include "polybatch/kernels/exact/convolve_multiprecision.hpp"
#if __has_include(<gmp.h>)
#include "polybatch/kernels/exact/gmp_access.hpp" // mpz_int/mpq_rational fast paths; link libgmp to use them
#endif
#include "polybatch/kernels/series/common_denominator.hpp" // exact rational exp and inv rows

// --- evaluation: fused pass, aliasing, threads ---
#include "polybatch/eval/add_scalar.hpp"
#include "polybatch/eval/assign.hpp"
#include "polybatch/eval/elementwise.hpp"
#include "polybatch/eval/leaf.hpp"
#include "polybatch/eval/product.hpp"
#include "polybatch/eval/run.hpp"
#include "polybatch/eval/threads.hpp"
// --- algebra evaluators ---
#include "polybatch/eval/algebra/calculus.hpp"
#include "polybatch/eval/algebra/compose.hpp"
#include "polybatch/eval/algebra/pow.hpp"
#include "polybatch/eval/algebra/truncate.hpp"
// --- power-series evaluators ---
#include "polybatch/eval/series/div.hpp"
#include "polybatch/eval/series/pow.hpp"
#include "polybatch/eval/series/unary.hpp"

// --- containers ---
#include "polybatch/container/compare.hpp"
#include "polybatch/container/poly_batch.hpp"
#include "polybatch/container/poly_view.hpp"

// --- functions on containers: cast, verify, evaluate, divmod ---
#include "polybatch/eval/cast.hpp"
#include "polybatch/eval/rebind.hpp"
#include "polybatch/exact/verify.hpp"

#include "polybatch/algebra/divmod.hpp"
#include "polybatch/algebra/evaluate.hpp"
#include "polybatch/algebra/roots.hpp"        // pb::roots
#include "polybatch/algebra/verify_roots.hpp" // pb::verify_roots
// exact real-root counts and isolation, gcd, resultant, discriminant
#include "polybatch/algebra/gcd.hpp"
#include "polybatch/algebra/real_roots.hpp"
#include "polybatch/algebra/resultant.hpp"

// --- interop: npy/csv io ---
#include "polybatch/interop/print.hpp" // std::cout << p, pb::to_string(p, i)

// --- Taylor integration of ODE ensembles: pb::taylor::integrate ---
#include "polybatch/taylor/integrate.hpp"
