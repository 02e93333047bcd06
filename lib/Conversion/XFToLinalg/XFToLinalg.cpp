//===- XFToLinalg.cpp - The --convert-xf-to-linalg pass -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The type converter, the pattern list and the pass. The patterns live in
// one file per op family (Elementwise, Contraction, Normalization, Shape,
// Attention, Quant); Utils.h has what they share.
//
//===----------------------------------------------------------------------===//

#include "xfc/Conversion/XFToLinalg.h"
#include "xfc/Conversion/Passes.h"

#include "Utils.h"

#include "xfc/Dialect/XF/XFDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace xfc {
#define GEN_PASS_DEF_CONVERTXFTOLINALGPASS
#include "xfc/Conversion/Passes.h.inc"
} // namespace xfc

using namespace mlir;

//===----------------------------------------------------------------------===//
// Type converter
//===----------------------------------------------------------------------===//

xfc::XFToLinalgTypeConverter::XFToLinalgTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    auto integer = dyn_cast<IntegerType>(type.getElementType());
    if (!integer || integer.isSignless())
      return type;
    return type.clone(IntegerType::get(type.getContext(), integer.getWidth()));
  });
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// ONNX's uint8 constants are `arith.constant` of `ui8` tensors; the same
/// bits as a signless tensor.
struct ConstantOpConversion : OpConversionPattern<arith::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(arith::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast_or_null<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!type || type == op.getType())
      return failure();
    TypedAttr value;
    if (auto dense = dyn_cast<DenseElementsAttr>(op.getValue()))
      value = dense.bitcast(type.getElementType());
    else if (auto blob = dyn_cast<DenseResourceElementsAttr>(op.getValue()))
      value = DenseResourceElementsAttr::get(type, blob.getRawHandle());
    else
      return rewriter.notifyMatchFailure(op, "unknown constant attribute");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, value);
    return success();
  }
};

} // namespace

void xfc::populateXFToLinalgConversionPatterns(TypeConverter &typeConverter,
                                               RewritePatternSet &patterns) {
  xfc::xftolinalg::populateElementwisePatterns(typeConverter, patterns);
  xfc::xftolinalg::populateContractionPatterns(typeConverter, patterns);
  xfc::xftolinalg::populateNormalizationPatterns(typeConverter, patterns);
  xfc::xftolinalg::populateShapePatterns(typeConverter, patterns);
  xfc::xftolinalg::populateAttentionPatterns(typeConverter, patterns);
  xfc::xftolinalg::populateQuantPatterns(typeConverter, patterns);
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {

struct ConvertXFToLinalgPass
    : xfc::impl::ConvertXFToLinalgPassBase<ConvertXFToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = &getContext();

    // What the patterns refuse, reported up front on the op with the
    // reason (a failed pattern alone would only say "failed to legalize").
    bool refused = false;
    module.walk([&](Operation *op) {
      if (!isa<xfc::xf::XFDialect>(op->getDialect()) ||
          xfc::xftolinalg::hasStaticShapes(op))
        return;
      op->emitOpError("has dynamic dimensions; --convert-xf-to-linalg "
                      "lowers static shapes only");
      refused = true;
    });
    if (refused)
      return signalPassFailure();

    xfc::XFToLinalgTypeConverter typeConverter;
    ConversionTarget target(*context);
    target.addLegalDialect<
        arith::ArithDialect, bufferization::BufferizationDialect,
        func::FuncDialect, linalg::LinalgDialect, math::MathDialect,
        quant::QuantDialect, tensor::TensorDialect>();
    target.addIllegalDialect<xfc::xf::XFDialect>();
    // Signatures, calls, returns and constants are legal once no ui8
    // tensor is left in them.
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return typeConverter.isSignatureLegal(func.getFunctionType()) &&
             typeConverter.isLegal(&func.getBody());
    });
    // quant.qcast needs ONNX rounding and saturation (Quant.cpp).
    target.addDynamicallyLegalOp<quant::QuantizeCastOp>(
        [](quant::QuantizeCastOp op) {
          return !xfc::xftolinalg::isLoweredQuantizeCast(op);
        });
    target
        .addDynamicallyLegalOp<func::ReturnOp, func::CallOp, arith::ConstantOp>(
            [&](Operation *op) { return typeConverter.isLegal(op); });

    RewritePatternSet patterns(context);
    xfc::populateXFToLinalgConversionPatterns(typeConverter, patterns);
    patterns.add<ConstantOpConversion>(typeConverter, context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(
        patterns, typeConverter);
    populateCallOpTypeConversionPattern(patterns, typeConverter);
    populateReturnOpTypeConversionPattern(patterns, typeConverter);

    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
