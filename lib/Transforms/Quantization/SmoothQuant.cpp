//===- SmoothQuant.cpp - Move activation outliers into the weights --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// X·W = (X·diag(1/s))·(diag(s)·W): an exact identity that the pass applies
// per group of GEMMs reading one input, with s from calibrated activation
// maxima and the weights (Passes.td has the formula).
//
//===----------------------------------------------------------------------===//

#include "QuantMath.h"

#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/MapVector.h"

#include <cmath>

namespace xfc {
#define GEN_PASS_DEF_SMOOTHQUANTPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc::quantization;
namespace xf = xfc::xf;

namespace {

/// Scales below and above these would only trade one outlier for another
/// (and zero channels must not divide by zero).
constexpr double kMinScale = 1e-5, kMaxScale = 1e5, kMinMagnitude = 1e-5;

/// The f32 values of a constant [K] (or [1, ..., K]) norm parameter.
std::optional<std::vector<float>> getChannelConstant(Value value, int64_t k) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getNumElements() != k || type.getRank() == 0 ||
      type.getShape().back() != k)
    return std::nullopt;
  return xfc::getConstantFloats(value);
}

/// An f32 constant of `type` holding `values`.
Value createF32Constant(OpBuilder &b, Location loc, RankedTensorType type,
                        ArrayRef<float> values, StringRef name) {
  return xfc::createF32Constant(b, loc, type.getShape(), values, name);
}

/// Divides `input` by `scales` where it is produced, when it is `y·γ + β`
/// with constant γ and β read by nothing else: γ and β are replaced by
/// γ/s and β/s. Returns false when it is not that.
bool foldIntoAffine(Value input, ArrayRef<float> scales,
                    ArrayRef<Operation *> readers) {
  auto add = input.getDefiningOp<xf::AddOp>();
  if (!add || !llvm::all_of(input.getUsers(), [&](Operation *user) {
        return llvm::is_contained(readers, user);
      }))
    return false;
  int64_t k = scales.size();
  for (unsigned shiftIndex : {0u, 1u}) {
    Value shift = add->getOperand(shiftIndex);
    auto mul = add->getOperand(1 - shiftIndex).getDefiningOp<xf::MulOp>();
    std::optional<std::vector<float>> beta = getChannelConstant(shift, k);
    if (!mul || !beta || !mul->hasOneUse() || !shift.hasOneUse())
      continue;
    for (unsigned gammaIndex : {0u, 1u}) {
      Value gammaValue = mul->getOperand(gammaIndex);
      std::optional<std::vector<float>> gamma =
          getChannelConstant(gammaValue, k);
      if (!gamma || !gammaValue.hasOneUse())
        continue;
      for (int64_t i = 0; i < k; ++i) {
        (*gamma)[i] /= scales[i];
        (*beta)[i] /= scales[i];
      }
      OpBuilder b(mul);
      auto gammaType = cast<RankedTensorType>(gammaValue.getType());
      auto betaType = cast<RankedTensorType>(shift.getType());
      mul->setOperand(gammaIndex, createF32Constant(b, mul.getLoc(), gammaType,
                                                    *gamma, "xf_smoothed_gamma"));
      add->setOperand(shiftIndex, createF32Constant(b, add.getLoc(), betaType,
                                                    *beta, "xf_smoothed_beta"));
      for (Value old : {gammaValue, shift})
        if (Operation *def = old.getDefiningOp(); def && def->use_empty())
          def->erase();
      return true;
    }
  }
  return false;
}

struct SmoothQuantPass : xfc::impl::SmoothQuantPassBase<SmoothQuantPass> {
  using SmoothQuantPassBase::SmoothQuantPassBase;

  void runOnOperation() override {
    if (!(alpha >= 0.0 && alpha <= 1.0)) {
      emitError(getOperation()->getLoc())
          << "xf-smooth-quant: alpha must be in [0, 1], got " << alpha;
      return signalPassFailure();
    }
    // GEMMs with activation statistics, grouped by the input they read.
    llvm::MapVector<Value, SmallVector<xfc::WeightedGemm>> groups;
    for (const xfc::WeightedGemm &gemm : xfc::findWeightedGemms(getOperation())) {
      auto absMax =
          gemm.op->getAttrOfType<DenseF32ArrayAttr>(kInputChannelAbsMaxAttrName);
      if (absMax && static_cast<int64_t>(absMax.size()) == gemm.k)
        groups[gemm.input].push_back(gemm);
    }

    for (auto &[input, gemms] : groups) {
      int64_t k = gemms.front().k;
      // The group's activation maximum per channel: every member saw the
      // same input, so their statistics agree; take the largest anyway.
      SmallVector<double> activationMax(k, 0.0), weightMax(k, 0.0);
      for (const xfc::WeightedGemm &gemm : gemms) {
        auto absMax = gemm.op->getAttrOfType<DenseF32ArrayAttr>(
            kInputChannelAbsMaxAttrName);
        for (int64_t i = 0; i < k; ++i) {
          activationMax[i] = std::max<double>(activationMax[i], absMax[i]);
          for (int64_t n = 0; n < gemm.n; ++n)
            weightMax[i] =
                std::max<double>(weightMax[i], std::fabs(gemm.getWeight(n, i)));
        }
      }
      SmallVector<float> scales(k);
      for (int64_t i = 0; i < k; ++i) {
        if (activationMax[i] == 0.0 || weightMax[i] == 0.0) {
          scales[i] = 1.0f;
          continue;
        }
        double scale =
            std::pow(std::max(activationMax[i], kMinMagnitude), alpha) /
            std::pow(std::max(weightMax[i], kMinMagnitude), 1.0 - alpha);
        scales[i] = static_cast<float>(std::clamp(scale, kMinScale, kMaxScale));
      }

      // Weights: row k (of [K, N]) or column k (of [N, K]) times s_k.
      SmallVector<Operation *> readers;
      for (const xfc::WeightedGemm &gemm : gemms) {
        readers.push_back(gemm.op);
        SmallVector<float> weight(gemm.weight);
        for (int64_t n = 0; n < gemm.n; ++n)
          for (int64_t i = 0; i < k; ++i)
            weight[gemm.weightIsNK ? n * k + i : i * gemm.n + n] *= scales[i];
        OpBuilder b(gemm.op);
        Value oldWeight = gemm.op->getOperand(1);
        gemm.op->setOperand(
            1, createF32Constant(b, gemm.op->getLoc(),
                                 cast<RankedTensorType>(oldWeight.getType()),
                                 weight, "xf_smoothed_weight"));
        if (Operation *def = oldWeight.getDefiningOp(); def && def->use_empty())
          def->erase();
        // The activations seen from now on are the smoothed ones.
        auto absMax = gemm.op->getAttrOfType<DenseF32ArrayAttr>(
            kInputChannelAbsMaxAttrName);
        SmallVector<float> smoothed(absMax.asArrayRef());
        for (int64_t i = 0; i < k; ++i)
          smoothed[i] /= scales[i];
        gemm.op->setAttr(kInputChannelAbsMaxAttrName,
                         DenseF32ArrayAttr::get(&getContext(), smoothed));
        gemm.op->removeAttr(kInputRangeAttrName);
      }

      // Activations: divided once, where produced if that is free.
      if (foldIntoAffine(input, scales, readers))
        continue;
      OpBuilder b(&getContext());
      b.setInsertionPointAfterValue(input);
      SmallVector<float> inverse(k);
      for (int64_t i = 0; i < k; ++i)
        inverse[i] = 1.0f / scales[i];
      Location loc = gemms.front().op->getLoc();
      Value factors = createF32Constant(
          b, loc, RankedTensorType::get({k}, b.getF32Type()), inverse,
          "xf_smoothing");
      Value smoothed = xf::MulOp::create(b, loc, input.getType(), input, factors);
      for (Operation *reader : readers)
        reader->replaceUsesOfWith(input, smoothed);
    }
  }
};

} // namespace
