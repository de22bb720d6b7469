// The parts of polybatch the benchmarks use, included one by one so that the
// benchmarks build on their own (the umbrella header is polybatch.hpp).
#pragma once

#include <polybatch/container/poly_batch.hpp>
#include <polybatch/container/poly_view.hpp>
#include <polybatch/eval/assign.hpp>
#include <polybatch/eval/elementwise.hpp>
#include <polybatch/eval/leaf.hpp>
#include <polybatch/eval/product.hpp>
#include <polybatch/eval/run.hpp>
#include <polybatch/eval/threads.hpp>
#include <polybatch/expr/convolve.hpp>
#include <polybatch/expr/operators.hpp>
#include <polybatch/kernels/convolve.hpp>
