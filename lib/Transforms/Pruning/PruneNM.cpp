//===- PruneNM.cpp - N:M semi-structured weight sparsity ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// N:M sparsity (2:4 by default, the pattern sparse tensor cores accelerate):
// in every group of M consecutive weights along the reduction dimension of
// one output channel, only the N most important stay. Importance is |W|
// (magnitude) or |W[n, k]| · ‖X_k‖₂ (Wanda). Shapes stay; the zeros save
// storage in the CPU artifact, not time: no backend has an N:M kernel yet.
//
//===----------------------------------------------------------------------===//

#include "WeightSparsity.h"

#include "xfc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace xfc {
#define GEN_PASS_DEF_PRUNENMPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc;

namespace {

constexpr llvm::StringLiteral kPass = "xf-prune-nm";

struct PruneNMPass : xfc::impl::PruneNMPassBase<PruneNMPass> {
  using PruneNMPassBase::PruneNMPassBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    int64_t kept = n, group = m;
    if (group <= 0 || kept <= 0 || kept >= group) {
      emitError(root->getLoc())
          << kPass << ": n and m must satisfy 0 < n < m, got n=" << kept
          << " m=" << group;
      return signalPassFailure();
    }
    FailureOr<SmallVector<WeightedGemm>> gemms =
        pruning::getPrunableGemms(root, kPass);
    if (failed(gemms))
      return signalPassFailure();
    FailureOr<bool> wanda =
        pruning::checkImportance(root, *gemms, kPass, importance);
    if (failed(wanda))
      return signalPassFailure();
    std::string pattern = std::to_string(kept) + ":" + std::to_string(group);
    for (const WeightedGemm &gemm : *gemms) {
      if (gemm.k % group != 0) {
        gemm.op->emitWarning()
            << kPass << ": reduction dimension " << gemm.k
            << " is not a multiple of m=" << group << "; weight left dense";
        continue;
      }
      std::vector<double> scores = pruning::getWeightImportance(gemm, *wanda);
      std::vector<char> zero(scores.size(), 0);
      for (int64_t begin = 0; begin < static_cast<int64_t>(scores.size());
           begin += group)
        for (int64_t index :
             pruning::getLowest(scores, begin, begin + group, group - kept))
          zero[index] = 1;
      pruning::applyZeroMask(gemm, zero, pattern);
    }
  }
};

} // namespace
