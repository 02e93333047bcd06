//===- ApproximateMath.cpp - The --xfc-cpu-approximate-math pass ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace xfc::cpu {
#define GEN_PASS_DEF_CPUAPPROXIMATEMATHPASS
#include "xfc/Backends/CPU/Passes.h.inc"
} // namespace xfc::cpu

using namespace mlir;

namespace {

struct CPUApproximateMathPass
    : xfc::cpu::impl::CPUApproximateMathPassBase<CPUApproximateMathPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // pow with a constant exponent first becomes multiplications, sqrt or
    // rsqrt (GPT-2's GELU has x³); any other pow becomes exp(y·log x),
    // which the approximations below make vectorizable: a libm powf call
    // per element costs more than a whole GELU otherwise.
    populateMathAlgebraicSimplificationPatterns(patterns);
    math::populateExpansionPatterns(patterns, {"powf"});
    // Exactly the functions whose approximations are accurate to a few ulp
    // in f32 and vectorize; sqrt/rsqrt stay LLVM intrinsics (one
    // instruction each on x86).
    populateMathPolynomialApproximationPatterns(
        patterns, [](StringRef name) {
          name.consume_front("math.");
          return llvm::is_contained({"erf", "tanh", "exp", "expm1", "log",
                                     "log1p", "log2"},
                                    name);
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
