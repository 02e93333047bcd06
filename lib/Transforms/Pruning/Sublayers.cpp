//===- Sublayers.cpp - The residual branches of a Transformer -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Sublayers.h"

#include "xfc/Transforms/WeightedGemms.h"

#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace xfc;

StringRef xfc::getSublayerKindName(Sublayer::Kind kind) {
  return kind == Sublayer::Kind::Attention ? "attention" : "ffn";
}

namespace {

/// The ops `value` is computed from, stopping at `stop`; whether `stop`
/// was reached.
bool collectBranch(Value value, Value stop, llvm::DenseSet<Operation *> &ops) {
  bool reached = false;
  SmallVector<Value> worklist = {value};
  llvm::DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    if (!seen.insert(current).second)
      continue;
    if (current == stop) {
      reached = true;
      continue;
    }
    Operation *op = current.getDefiningOp();
    if (!op)
      continue;
    ops.insert(op);
    llvm::append_range(worklist, op->getOperands());
  }
  return reached;
}

} // namespace

SmallVector<Sublayer> xfc::findSublayers(Operation *root) {
  llvm::DenseSet<Operation *> gemms;
  for (const WeightedGemm &gemm : findWeightedGemms(root))
    gemms.insert(gemm.op);
  SmallVector<Sublayer> sublayers;
  root->walk([&](xf::AddOp add) {
    Value lhs = add.getLhs(), rhs = add.getRhs();
    if (lhs.getType() != add.getType() || rhs.getType() != add.getType())
      return;
    for (auto [branch, skip] : {std::pair(lhs, rhs), std::pair(rhs, lhs)}) {
      if (!branch.hasOneUse() || !branch.getDefiningOp())
        continue;
      llvm::DenseSet<Operation *> ops;
      if (!collectBranch(branch, skip, ops))
        continue;
      // Attention fused or not: its softmax is there either way.
      bool hasAttention = llvm::any_of(ops, [](Operation *op) {
        return isa<xf::AttentionOp, xf::SoftmaxOp>(op);
      });
      bool hasGemm = llvm::any_of(
          ops, [&](Operation *op) { return gemms.contains(op); });
      if (!hasAttention && !hasGemm)
        continue;
      sublayers.push_back({hasAttention ? Sublayer::Kind::Attention
                                        : Sublayer::Kind::FFN,
                           add, branch, skip});
      return;
    }
  });
  return sublayers;
}
