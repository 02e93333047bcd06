//===- PruneUnstructured.cpp - Zero the least important single weights ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Unstructured pruning of GEMM weights, training-free: magnitude (the
// `sparsity` fraction of each weight tensor with the smallest |W|) or Wanda
// (per output row, the fraction with the smallest |W[n, k]| · ‖X_k‖₂, X the
// GEMM's calibrated input; Sun et al. 2023). Shapes stay; the zeros save
// storage in the CPU artifact, not time.
//
//===----------------------------------------------------------------------===//

#include "WeightSparsity.h"

#include "xfc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace xfc {
#define GEN_PASS_DEF_PRUNEUNSTRUCTUREDPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc;

namespace {

constexpr llvm::StringLiteral kPass = "xf-prune-unstructured";

struct PruneUnstructuredPass
    : xfc::impl::PruneUnstructuredPassBase<PruneUnstructuredPass> {
  using PruneUnstructuredPassBase::PruneUnstructuredPassBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    if (!(sparsity >= 0.0 && sparsity < 1.0)) {
      emitError(root->getLoc())
          << kPass << ": sparsity must be in [0, 1), got " << sparsity;
      return signalPassFailure();
    }
    // Ratio 0 is the identity (a bad importance is still an error).
    if (sparsity == 0.0 && (importance == "magnitude" || importance == "wanda"))
      return;
    FailureOr<SmallVector<WeightedGemm>> gemms =
        pruning::getPrunableGemms(root, kPass);
    if (failed(gemms))
      return signalPassFailure();
    FailureOr<bool> wanda =
        pruning::checkImportance(root, *gemms, kPass, importance);
    if (failed(wanda))
      return signalPassFailure();
    for (const WeightedGemm &gemm : *gemms) {
      std::vector<double> scores = pruning::getWeightImportance(gemm, *wanda);
      std::vector<char> zero(scores.size(), 0);
      if (*wanda) {
        // Per output row, as Wanda compares weights feeding one output.
        int64_t count = static_cast<int64_t>(sparsity * gemm.k);
        for (int64_t n = 0; n < gemm.n; ++n)
          for (int64_t index : pruning::getLowest(scores, n * gemm.k,
                                                  (n + 1) * gemm.k, count))
            zero[index] = 1;
      } else {
        // Per tensor.
        int64_t count = static_cast<int64_t>(sparsity * scores.size());
        for (int64_t index :
             pruning::getLowest(scores, 0, scores.size(), count))
          zero[index] = 1;
      }
      pruning::applyZeroMask(gemm, zero, "unstructured");
    }
  }
};

} // namespace
