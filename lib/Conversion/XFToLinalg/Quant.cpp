//===- Quant.cpp - quant.qcast with ONNX rounding and saturation ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// xf gives quant.qcast the meaning of ONNX QuantizeLinear:
// `saturate(round_half_even(x / scale) + zero_point)`. Upstream
// --lower-quant-ops (LLVM 22) converts `x / scale + zero_point` with
// fptosi/fptoui, which truncates toward zero instead of rounding, and
// clamps only to a narrowed storage range and only after the conversion,
// so out-of-range values are poison. Per-tensor and per-axis qcast are
// therefore lowered here; sub-channel qcast, dcast (exact upstream) and
// scast are left to --lower-quant-ops.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace xfc::xftolinalg;

namespace {

struct QuantizeCastOpLowering : OpConversionPattern<quant::QuantizeCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::QuantizeCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = dyn_cast<RankedTensorType>(op.getType());
    if (!resultType || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a static ranked tensor");
    auto quantType =
        dyn_cast<quant::UniformQuantizedType>(resultType.getElementType());
    auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(
        resultType.getElementType());
    if (!quantType && !perAxis)
      return rewriter.notifyMatchFailure(op, "left to --lower-quant-ops");
    Location loc = op.getLoc();
    auto storageElement =
        cast<quant::QuantizedType>(resultType.getElementType());
    Type storage = storageElement.getStorageType();
    bool isSigned = storageElement.isSigned();
    double lowest = storageElement.getStorageTypeMin();
    double highest = storageElement.getStorageTypeMax();
    Type floatType = getComputeType(
        cast<RankedTensorType>(adaptor.getInput().getType()).getElementType());
    unsigned rank = resultType.getRank();
    MLIRContext *context = getContext();

    SmallVector<Value> inputs = {adaptor.getInput()};
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, context)};
    if (perAxis) {
      // One (scale, zero point) per index along the quantized dimension.
      auto paramType = RankedTensorType::get(
          {static_cast<int64_t>(perAxis.getScales().size())}, floatType);
      SmallVector<Attribute> scales, zeroPoints;
      for (auto [scale, zeroPoint] :
           llvm::zip(perAxis.getScales(), perAxis.getZeroPoints())) {
        scales.push_back(rewriter.getFloatAttr(floatType, scale));
        zeroPoints.push_back(
            rewriter.getFloatAttr(floatType, static_cast<double>(zeroPoint)));
      }
      for (ArrayRef<Attribute> values :
           {ArrayRef(scales), ArrayRef(zeroPoints)}) {
        inputs.push_back(arith::ConstantOp::create(
            rewriter, loc, DenseElementsAttr::get(paramType, values)));
        maps.push_back(AffineMap::get(
            rank, 0,
            getAffineDimExpr(perAxis.getQuantizedDimension(), context)));
      }
    }
    Value init = createEmpty(rewriter, loc, resultType.getShape(), storage);
    Value quantized = buildGeneric(
        rewriter, loc, inputs, maps, init,
        AffineMap::getMultiDimIdentityMap(rank, context), {},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = convertScalar(b, loc, args[0], floatType);
          Value scale =
              perAxis ? args[1]
                      : createConstant(b, loc, floatType, quantType.getScale());
          Value zeroPoint =
              perAxis ? args[2]
                      : createConstant(
                            b, loc, floatType,
                            static_cast<double>(quantType.getZeroPoint()));
          // Round x / scale first, then add the integral zero point: ties
          // go to even before the shift, as ONNX specifies.
          Value rounded = math::RoundEvenOp::create(
              b, loc, arith::DivFOp::create(b, loc, x, scale));
          Value shifted = arith::AddFOp::create(b, loc, rounded, zeroPoint);
          // Saturate in float, so the conversion is always in range (NaN
          // too: maxnumf picks the bound).
          Value low = createConstant(b, loc, floatType, lowest);
          Value high = createConstant(b, loc, floatType, highest);
          Value clamped = arith::MinNumFOp::create(
              b, loc, arith::MaxNumFOp::create(b, loc, shifted, low), high);
          return convertScalar(b, loc, clamped, storage, false, !isSigned);
        });
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, resultType,
                                                      quantized);
    return success();
  }
};

} // namespace

bool xfc::xftolinalg::isLoweredQuantizeCast(quant::QuantizeCastOp op) {
  auto type = dyn_cast<RankedTensorType>(op.getType());
  return type && type.hasStaticShape() &&
         isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
             type.getElementType());
}

void xfc::xftolinalg::populateQuantPatterns(TypeConverter &typeConverter,
                                            RewritePatternSet &patterns) {
  patterns.add<QuantizeCastOpLowering>(typeConverter, patterns.getContext());
}
