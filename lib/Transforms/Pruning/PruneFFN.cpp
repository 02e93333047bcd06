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
namespace xf = xfc::xf;

namespace {

constexpr StringLiteral kNormAttrName = "xf.input_channel_norm";
constexpr StringLiteral kMeanAttrName = "xf.input_channel_mean";

using xfc::createF32Constant;
using xfc::getConstantFloats;

/// One FFN: the up-projection GEMMs, the elementwise ops between them and
/// the down-projection, and the ops' [F]-shaped constant operands.
struct FFN {
  SmallVector<xfc::WeightedGemm> ups;
  xfc::WeightedGemm down;
  llvm::SetVector<Operation *> between;
  int64_t width = 0;
};

bool isElementwise(Operation *op) {
  return isa<xf::AddOp, xf::SubOp, xf::MulOp, xf::DivOp, xf::PowOp, xf::MaxOp,
             xf::MinOp, xf::ExpOp, xf::LogOp, xf::TanhOp, xf::ErfOp,
             xf::SqrtOp, xf::RsqrtOp, xf::ReciprocalOp, xf::SigmoidOp,
             xf::NegOp, xf::AbsOp, xf::GeluOp, xf::SiluOp, xf::ReluOp>(op);
}

/// Whether a constant operand broadcasts the same way on every neuron
/// (a scalar-like splat) or lines up with the neuron dimension ([F]).
bool isPerNeuronOrScalar(Value value, int64_t width) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return false;
  if (type.getNumElements() == 1)
    return true;
  return type.getNumElements() == width && type.getShape().back() == width &&
         getConstantFloats(value).has_value();
}

/// The FFN whose down-projection is `down`, when its input is computed
/// from up-projections by elementwise ops only, each used only inside it.
std::optional<FFN>
matchFFN(const xfc::WeightedGemm &down,
         const DenseMap<Value, xfc::WeightedGemm> &gemmsByResult) {
  FFN ffn;
  ffn.down = down;
  ffn.width = down.k;
  SmallVector<Value> worklist = {down.input};
  llvm::SetVector<Value> inside;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    if (!inside.insert(value))
      continue;
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || type.getRank() == 0 || type.getShape().back() != ffn.width)
      return std::nullopt;
    if (auto it = gemmsByResult.find(value); it != gemmsByResult.end()) {
      if (it->second.n != ffn.width)
        return std::nullopt;
      ffn.ups.push_back(it->second);
      continue;
    }
    Operation *op = value.getDefiningOp();
    if (!op || !isElementwise(op) || op->getNumResults() != 1)
      return std::nullopt;
    ffn.between.insert(op);
    for (Value operand : op->getOperands()) {
      auto operandType = dyn_cast<RankedTensorType>(operand.getType());
      if (operand.getDefiningOp<arith::ConstantOp>()) {
        if (!isPerNeuronOrScalar(operand, ffn.width))
          return std::nullopt;
        continue;
      }
      if (!operandType || operandType.getShape() != type.getShape())
        return std::nullopt;
      worklist.push_back(operand);
    }
  }
  if (ffn.ups.empty())
    return std::nullopt;
  // Nothing outside may see the intermediate values: they change shape.
  for (Value value : inside)
    for (Operation *user : value.getUsers())
      if (user != down.op && !ffn.between.contains(user))
        return std::nullopt;
  return ffn;
}

/// `weight`'s [N, K] or [K, N] values with neuron dimension `neuronDim`
/// ("n" for an up-projection's output, "k" for the down-projection's
/// input) restricted to `keep`.
std::vector<float> sliceWeight(const xfc::WeightedGemm &gemm, bool alongN,
                               ArrayRef<int64_t> keep,
                               SmallVectorImpl<int64_t> &shape) {
  int64_t n = alongN ? keep.size() : gemm.n;
  int64_t k = alongN ? gemm.k : keep.size();
  std::vector<float> values;
  values.reserve(n * k);
  auto at = [&](int64_t row, int64_t col) { return gemm.getWeight(row, col); };
  if (gemm.weightIsNK) {
    shape.assign({n, k});
    for (int64_t row = 0; row < n; ++row)
      for (int64_t col = 0; col < k; ++col)
        values.push_back(at(alongN ? keep[row] : row, alongN ? col : keep[col]));
  } else {
    shape.assign({k, n});
    for (int64_t col = 0; col < k; ++col)
      for (int64_t row = 0; row < n; ++row)
        values.push_back(at(alongN ? keep[row] : row, alongN ? col : keep[col]));
  }
  return values;
}

/// `value` (a tensor of `width` neurons in its last dim) with that dim
/// restricted to `keep`: its type for an op result, or a new constant.
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
    SmallVector<xfc::WeightedGemm> gemms = xfc::findWeightedGemms(getOperation());
    DenseMap<Value, xfc::WeightedGemm> gemmsByResult;
    for (const xfc::WeightedGemm &gemm : gemms)
      gemmsByResult[gemm.getResult()] = gemm;
    SmallVector<FFN> ffns;
    for (const xfc::WeightedGemm &gemm : gemms)
      if (std::optional<FFN> ffn = matchFFN(gemm, gemmsByResult))
        ffns.push_back(std::move(*ffn));
    // Check first: nothing changes when one FFN cannot be pruned.
    if (ratio == 0.0)
      return;
    if (importance == "wanda")
      for (const FFN &ffn : ffns) {
        auto norms = ffn.down.op->getAttrOfType<DenseF32ArrayAttr>(kNormAttrName);
        if (!norms || static_cast<int64_t>(norms.size()) != ffn.width) {
          ffn.down.op->emitError()
              << "xf-prune-ffn: importance wanda needs the calibrated input "
                 "norms of this down-projection ("
              << kNormAttrName
              << "); calibrate first, or use importance=magnitude";
          return signalPassFailure();
        }
      }
    for (FFN &ffn : ffns)
      pruneOne(ffn);
  }

  void pruneOne(FFN &ffn) {
    int64_t width = ffn.width;
    int64_t removed = static_cast<int64_t>(std::floor(ratio * width));
    if (removed == 0)
      return;
    // Importance of neuron j: its down-projection row, weighted by how
    // large its activation runs (Wanda) or not (magnitude).
    auto norms = ffn.down.op->getAttrOfType<DenseF32ArrayAttr>(kNormAttrName);
    std::vector<double> score(width, 0.0);
    for (int64_t j = 0; j < width; ++j) {
      for (int64_t n = 0; n < ffn.down.n; ++n)
        score[j] += std::fabs(ffn.down.getWeight(n, j));
      if (importance == "wanda")
        score[j] *= norms[j];
    }
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

    MLIRContext *context = &getContext();
    Builder builder(context);
    // Up-projections: output columns (and bias entries) kept.
    for (const xfc::WeightedGemm &up : ffn.ups) {
      OpBuilder b(up.op);
      SmallVector<int64_t> shape;
      std::vector<float> weight = sliceWeight(up, /*alongN=*/true, keep, shape);
      Value oldWeight = up.op->getOperand(1);
      up.op->setOperand(1, createF32Constant(b, up.op->getLoc(), shape, weight,
                                          "xf_pruned_weight"));
      if (up.bias) {
        std::vector<float> bias = *getConstantFloats(up.bias);
        std::vector<float> sliced;
        for (int64_t j : keep)
          sliced.push_back(bias[j]);
        auto biasType = cast<RankedTensorType>(up.bias.getType());
        Operation *owner = up.biasAdd ? up.biasAdd : up.op;
        OpBuilder bb(owner);
        Value newBias = createF32Constant(bb, owner->getLoc(),
                                       narrow(biasType, kept).getShape(),
                                       sliced, "xf_pruned_bias");
        owner->replaceUsesOfWith(up.bias, newBias);
        if (Operation *def = up.bias.getDefiningOp(); def && def->use_empty())
          def->erase();
      }
      for (Operation *op : {up.op, up.biasAdd})
        if (op)
          op->getResult(0).setType(
              narrow(cast<RankedTensorType>(op->getResult(0).getType()), kept));
      if (Operation *def = oldWeight.getDefiningOp(); def && def->use_empty())
        def->erase();
    }
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
    const xfc::WeightedGemm &down = ffn.down;
    OpBuilder b(down.op);
    SmallVector<int64_t> shape;
    std::vector<float> weight = sliceWeight(down, /*alongN=*/false, keep, shape);
    Value oldWeight = down.op->getOperand(1);
    std::vector<float> compensation(down.n, 0.0f);
    auto means = down.op->getAttrOfType<DenseF32ArrayAttr>(kMeanAttrName);
    bool compensate = biasCompensation && means &&
                      static_cast<int64_t>(means.size()) == width;
    if (compensate)
      for (int64_t j : dropped)
        for (int64_t n = 0; n < down.n; ++n)
          compensation[n] += means[j] * down.getWeight(n, j);
    down.op->setOperand(1, createF32Constant(b, down.op->getLoc(), shape, weight,
                                          "xf_pruned_weight"));
    if (Operation *def = oldWeight.getDefiningOp(); def && def->use_empty())
      def->erase();
    // The statistics of the down-projection's input lose the dropped lanes.
    for (StringRef name : {StringRef(kNormAttrName), StringRef(kMeanAttrName),
                           StringRef("xf.input_channel_absmax")})
      if (auto stats = down.op->getAttrOfType<DenseF32ArrayAttr>(name);
          stats && static_cast<int64_t>(stats.size()) == width) {
        SmallVector<float> sliced;
        for (int64_t j : keep)
          sliced.push_back(stats[j]);
        down.op->setAttr(name, builder.getDenseF32ArrayAttr(sliced));
      }
    if (!compensate)
      return;
    addBias(down, compensation);
  }

  /// Adds `bias` to `gemm`'s result: into its bias when it has one.
  void addBias(const xfc::WeightedGemm &gemm, ArrayRef<float> extra) {
    if (gemm.bias) {
      std::vector<float> bias = *getConstantFloats(gemm.bias);
      for (int64_t n = 0; n < gemm.n; ++n)
        bias[n] += extra[n];
      Operation *owner = gemm.biasAdd ? gemm.biasAdd : gemm.op;
      OpBuilder b(owner);
      owner->replaceUsesOfWith(
          gemm.bias,
          createF32Constant(b, owner->getLoc(),
                         cast<RankedTensorType>(gemm.bias.getType()).getShape(),
                         bias, "xf_compensated_bias"));
      if (Operation *def = gemm.bias.getDefiningOp(); def && def->use_empty())
        def->erase();
      return;
    }
    Value result = gemm.getResult();
    OpBuilder after(&getContext());
    after.setInsertionPointAfterValue(result);
    Value bias = createF32Constant(after, gemm.op->getLoc(), {gemm.n}, extra,
                                "xf_compensated_bias");
    auto add = xf::AddOp::create(after, gemm.op->getLoc(), result.getType(),
                                 result, bias);
    result.replaceAllUsesExcept(add.getResult(), add);
  }

  /// `mask-only`: the same neurons zeroed in the down-projection instead
  /// of removed (shapes unchanged), with the same compensation: what the
  /// sliced model must equal.
  void mask(FFN &ffn, ArrayRef<int64_t> dropped) {
    const xfc::WeightedGemm &down = ffn.down;
    std::vector<float> weight(down.weight.begin(), down.weight.end());
    std::vector<float> compensation(down.n, 0.0f);
    auto means = down.op->getAttrOfType<DenseF32ArrayAttr>(kMeanAttrName);
    bool compensate = biasCompensation && means &&
                      static_cast<int64_t>(means.size()) == ffn.width;
    for (int64_t j : dropped)
      for (int64_t n = 0; n < down.n; ++n) {
        if (compensate)
          compensation[n] += means[j] * down.getWeight(n, j);
        weight[down.weightIsNK ? n * down.k + j : j * down.n + n] = 0.0f;
      }
    OpBuilder b(down.op);
    Value oldWeight = down.op->getOperand(1);
    down.op->setOperand(
        1, createF32Constant(b, down.op->getLoc(),
                          cast<RankedTensorType>(oldWeight.getType()).getShape(),
                          weight, "xf_masked_weight"));
    if (Operation *def = oldWeight.getDefiningOp(); def && def->use_empty())
      def->erase();
    if (compensate)
      addBias(down, compensation);
  }
};

} // namespace
