//===- PruneFFN.cpp - Remove FFN intermediate neurons ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A Transformer FFN is up-projection(s), an elementwise activation, and a
// down-projection: y = act(x·W1 + b1)·W2 + b2 (SwiGLU: silu(x·Wg)·(x·Wu)).
// Intermediate neuron j is column j of W1 (and Wg), the j-th lane of every
// elementwise op in between, and row j of W2; removing it is slicing all
// of them, which really shrinks both GEMMs. The neurons removed are those
// whose contribution to the output is smallest on calibration data
// (Wanda: |W2[j, :]|₁ · ‖X_j‖₂, X the down-projection's input).
//
//===----------------------------------------------------------------------===//

#include "GemmSlicing.h"

#include "xfc/Transforms/FFNs.h"
#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace xfc {
#define GEN_PASS_DEF_PRUNEFFNPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc;
namespace xf = xfc::xf;

namespace {

using pruning::kInputNormAttrName;

using xfc::createF32Constant;
using xfc::getConstantFloats;

/// `type` with its last (neuron) dimension `size`.
RankedTensorType narrow(RankedTensorType type, int64_t size) {
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = size;
  return type.clone(shape);
}

struct PruneFFNPass : xfc::impl::PruneFFNPassBase<PruneFFNPass> {
  using PruneFFNPassBase::PruneFFNPassBase;

  void runOnOperation() override {
    if (!(ratio >= 0.0 && ratio < 1.0)) {
      emitError(getOperation()->getLoc())
          << "xf-prune-ffn: ratio must be in [0, 1), got " << ratio;
      return signalPassFailure();
    }
    if (importance != "wanda" && importance != "magnitude") {
      emitError(getOperation()->getLoc())
          << "xf-prune-ffn: unknown importance '" << importance
          << "': use wanda or magnitude";
      return signalPassFailure();
    }
    SmallVector<FFN> ffns = findFFNs(getOperation());
    SmallVector<double> fractions(ratios.begin(), ratios.end());
    if (fractions.empty())
      fractions.assign(ffns.size(), ratio);
    if (fractions.size() != ffns.size()) {
      emitError(getOperation()->getLoc())
          << "xf-prune-ffn: ratios has " << ratios.size()
          << " entries, but the model has " << ffns.size() << " FFNs";
      return signalPassFailure();
    }
    for (double each : fractions)
      if (!(each >= 0.0 && each < 1.0)) {
        emitError(getOperation()->getLoc())
            << "xf-prune-ffn: ratios must be in [0, 1), got " << each;
        return signalPassFailure();
      }
    // Check first: nothing changes when one FFN cannot be pruned.
    if (llvm::all_of(fractions, [](double each) { return each == 0.0; }))
      return;
    if (importance == "wanda")
      for (const FFN &ffn : ffns) {
        auto norms = ffn.down.op->getAttrOfType<DenseF32ArrayAttr>(kInputNormAttrName);
        if (!norms || static_cast<int64_t>(norms.size()) != ffn.width) {
          ffn.down.op->emitError()
              << "xf-prune-ffn: importance wanda needs the calibrated input "
                 "norms of this down-projection ("
              << kInputNormAttrName
              << "); calibrate first, or use importance=magnitude";
          return signalPassFailure();
        }
      }
    for (auto [ffn, fraction] : llvm::zip(ffns, fractions))
      pruneOne(ffn, fraction);
  }

  void pruneOne(FFN &ffn, double fraction) {
    int64_t width = ffn.width;
    // The nearest whole number of neurons, keeping at least one.
    int64_t removed =
        std::min<int64_t>(std::llround(fraction * width), width - 1);
    if (removed == 0)
      return;
    std::vector<double> score = getNeuronImportance(ffn, importance == "wanda");
    std::vector<int64_t> order(width);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return score[a] > score[b]; });
    SmallVector<int64_t> keep(order.begin(), order.end() - removed);
    llvm::sort(keep);
    SmallVector<int64_t> dropped(order.end() - removed, order.end());
    int64_t kept = keep.size();
    if (maskOnly) {
      mask(ffn, dropped);
      return;
    }

    // Up-projections: output columns (and bias entries) kept.
    for (const xfc::WeightedGemm &up : ffn.ups)
      pruning::keepOutputColumns(up, keep);
    // The elementwise ops: per-neuron constants sliced, results narrowed.
    for (Operation *op : ffn.between) {
      for (OpOperand &operand : op->getOpOperands()) {
        Value value = operand.get();
        auto type = cast<RankedTensorType>(value.getType());
        if (!value.getDefiningOp<arith::ConstantOp>() ||
            type.getNumElements() != width || width == 1)
          continue;
        std::vector<float> values = *getConstantFloats(value);
        std::vector<float> sliced;
        for (int64_t j : keep)
          sliced.push_back(values[j]);
        OpBuilder b(op);
        operand.set(createF32Constant(b, op->getLoc(),
                                      narrow(type, kept).getShape(), sliced,
                                      "xf_pruned_constant"));
        if (Operation *def = value.getDefiningOp(); def && def->use_empty())
          def->erase();
      }
      op->getResult(0).setType(
          narrow(cast<RankedTensorType>(op->getResult(0).getType()), kept));
    }
    // Down-projection: input rows kept; what the dropped neurons added on
    // average moves into the bias (bias compensation).
    std::vector<float> compensation =
        biasCompensation ? pruning::getMeanContribution(ffn.down, dropped)
                         : std::vector<float>();
    pruning::keepInputRows(ffn.down, keep);
    if (!compensation.empty())
      pruning::addToBias(ffn.down, compensation);
  }

  /// `mask-only`: the same neurons zeroed in the down-projection instead
  /// of removed (shapes unchanged), with the same compensation: what the
  /// sliced model must equal.
  void mask(FFN &ffn, ArrayRef<int64_t> dropped) {
    std::vector<float> compensation =
        biasCompensation ? pruning::getMeanContribution(ffn.down, dropped)
                         : std::vector<float>();
    pruning::zeroInputRows(ffn.down, dropped);
    if (!compensation.empty())
      pruning::addToBias(ffn.down, compensation);
  }
};

} // namespace
