//===- Quantize.cpp - GEMMs with constant weights to int8/int4 ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The rewrite is the same for every mode: the f32 weight becomes integers
// under an upstream !quant.uniform type (quant.scast of an i8 constant, one
// byte per value also for int4 — the backend packs), the GEMM becomes
// xf.quant.linear, and for static W8A8 a quant.qcast of the input carries
// the calibrated activation scale. How each scale is chosen is in
// QuantMath.h, shared with the tests' expectations.
//
//===----------------------------------------------------------------------===//

#include "QuantMath.h"

#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace xfc {
#define GEN_PASS_DEF_QUANTIZEPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc::quantization;
namespace xf = xfc::xf;

namespace {

/// The quantized weight [N, K] as one i8 per value, its !quant.uniform
/// element type, built from `gemm`'s float weight.
std::pair<std::vector<int8_t>, quant::QuantizedType>
quantizeWeight(const xfc::WeightedGemm &gemm, const WeightScheme &scheme,
               MLIRContext *context) {
  int64_t groupSize = scheme.groupSize == 0 ? gemm.k : scheme.groupSize;
  int64_t groups = gemm.k / groupSize;
  std::vector<int8_t> values(gemm.n * gemm.k);
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  SmallVector<float> group(groupSize);
  for (int64_t row = 0; row < gemm.n; ++row)
    for (int64_t g = 0; g < groups; ++g) {
      for (int64_t i = 0; i < groupSize; ++i)
        group[i] = gemm.getWeight(row, g * groupSize + i);
      AffineParams params = chooseWeightParams(group, scheme);
      scales.push_back(params.scale);
      zeroPoints.push_back(params.zeroPoint);
      for (int64_t i = 0; i < groupSize; ++i)
        values[row * gemm.k + g * groupSize + i] = static_cast<int8_t>(
            quantizeValue(group[i], params, scheme.qmin, scheme.qmax));
    }

  Type storage = IntegerType::get(context, 8);
  Type f32 = Float32Type::get(context);
  unsigned flags = scheme.isSigned ? quant::QuantizationFlags::Signed : 0;
  if (!scheme.grouped)
    return {std::move(values),
            quant::UniformQuantizedPerAxisType::get(
                flags, storage, f32, scales, zeroPoints, /*dim=*/0,
                scheme.qmin, scheme.qmax)};
  auto gridType = RankedTensorType::get({gemm.n, groups}, f32);
  SmallVector<APFloat> scaleValues;
  for (double scale : scales)
    scaleValues.push_back(APFloat(static_cast<float>(scale)));
  SmallVector<APInt> zeroValues;
  for (int64_t zeroPoint : zeroPoints)
    zeroValues.push_back(APInt(8, zeroPoint, /*isSigned=*/true));
  return {std::move(values),
          quant::UniformQuantizedSubChannelType::get(
              flags, storage, f32, DenseElementsAttr::get(gridType, scaleValues),
              DenseElementsAttr::get(
                  RankedTensorType::get({gemm.n, groups}, storage), zeroValues),
              {0, 1}, {1, groupSize}, scheme.qmin, scheme.qmax)};
}

struct QuantizePass : xfc::impl::QuantizePassBase<QuantizePass> {
  using QuantizePassBase::QuantizePassBase;

  void runOnOperation() override {
    std::optional<QuantMode> parsedMode = parseQuantMode(mode);
    if (!parsedMode) {
      emitError(getOperation()->getLoc())
          << "xf-quantize: unknown mode '" << mode
          << "': use w8a8, w8a8-dynamic, w8 or w4";
      return signalPassFailure();
    }
    if (groupSize < 0) {
      emitError(getOperation()->getLoc())
          << "xf-quantize: group-size must be >= 0, got "
          << static_cast<int64_t>(groupSize);
      return signalPassFailure();
    }
    WeightScheme scheme = getWeightScheme(*parsedMode, groupSize, symmetric);

    SmallVector<xfc::WeightedGemm> gemms;
    for (const xfc::WeightedGemm &gemm : xfc::findWeightedGemms(getOperation()))
      if (auto keep = gemm.op->getAttrOfType<BoolAttr>(kQuantizeAttrName);
          !keep || keep.getValue())
        gemms.push_back(gemm);
    // Check every op before rewriting any: an impossible option leaves the
    // module as it was.
    for (const xfc::WeightedGemm &gemm : gemms) {
      if (scheme.grouped && scheme.groupSize != 0 &&
          gemm.k % scheme.groupSize != 0) {
        gemm.op->emitError()
            << "xf-quantize: group size " << scheme.groupSize
            << " does not divide the " << gemm.k
            << " input features of this GEMM; choose a group size that "
               "divides K (or 0 for one group per output channel)";
        return signalPassFailure();
      }
      if (*parsedMode == QuantMode::W8A8 && !getInputRange(gemm.op)) {
        gemm.op->emitError()
            << "xf-quantize: mode w8a8 needs the calibrated input range of "
               "this GEMM (attribute "
            << kInputRangeAttrName
            << "); calibrate first (xfc --calibration=DIR or "
               "--calibration-samples=N), or use mode w8a8-dynamic";
        return signalPassFailure();
      }
    }

    MLIRContext *context = &getContext();
    for (const xfc::WeightedGemm &gemm : gemms) {
      OpBuilder b(gemm.op);
      Location loc = gemm.op->getLoc();
      auto [values, weightType] = quantizeWeight(gemm, scheme, context);
      auto storageType =
          RankedTensorType::get({gemm.n, gemm.k}, IntegerType::get(context, 8));
      auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                         values.size()),
          64);
      Value storage = arith::ConstantOp::create(
          b, loc,
          DenseResourceElementsAttr::get(storageType, "xf_quantized_weight",
                                         std::move(blob)));
      Value weight = quant::StorageCastOp::create(
          b, loc, storageType.clone(weightType), storage);

      Value input = gemm.input;
      if (*parsedMode == QuantMode::W8A8) {
        auto [lo, hi] = *getInputRange(gemm.op);
        AffineParams params = chooseActivationParams(lo, hi);
        auto activationType = quant::UniformQuantizedType::get(
            /*flags=*/0, IntegerType::get(context, 8), Float32Type::get(context),
            params.scale, params.zeroPoint, 0, 255);
        auto inputType = cast<RankedTensorType>(input.getType());
        input = quant::QuantizeCastOp::create(
            b, loc, inputType.clone(activationType), input);
      }
      // The bias may be [1, ..., N]; the op takes [N].
      Value bias = gemm.bias;
      if (bias && cast<RankedTensorType>(bias.getType()).getRank() != 1)
        bias = xf::ReshapeOp::create(
            b, loc, RankedTensorType::get({gemm.n}, Float32Type::get(context)),
            bias);
      Value result = gemm.getResult();
      SmallVector<Value> operands = {input, weight};
      if (bias)
        operands.push_back(bias);
      auto linear = xf::QuantLinearOp::create(b, loc, result.getType(),
                                              operands);
      if (*parsedMode == QuantMode::W8A8Dynamic)
        linear.setDynamicInput(true);
      // Other discardable attributes (the GEMM's number in reports) stay;
      // the calibration statistics (xf.input_*) described the float op.
      for (NamedAttribute attr : gemm.op->getDiscardableAttrs())
        if (!attr.getName().strref().starts_with("xf.input_"))
          linear->setAttr(attr.getName(), attr.getValue());
      result.replaceAllUsesWith(linear.getResult());
      Operation *oldWeight = gemm.op->getOperand(1).getDefiningOp();
      if (gemm.biasAdd)
        gemm.biasAdd->erase();
      gemm.op->erase();
      if (oldWeight && oldWeight->use_empty())
        oldWeight->erase();
    }
  }
};

} // namespace
