//===- Elementwise.cpp - Elementwise xf ops to linalg.generic -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Binary arithmetic, comparison, select, unary math, activations and cast:
// each becomes one linalg.generic with parallel loops over the result, its
// operands read through numpy-broadcasting indexing maps (Utils.h).
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "xfc/Conversion/XFToLinalg.h"
#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <variant>

using namespace mlir;
using namespace xfc::xftolinalg;
namespace xf = xfc::xf;

namespace {

//===----------------------------------------------------------------------===//
// Scalar bodies
//===----------------------------------------------------------------------===//

/// Picks the float or the integer form of a binary arith op.
template <typename FloatOp, typename IntOp>
Value floatOrInt(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return FloatOp::create(b, loc, lhs, rhs);
  return IntOp::create(b, loc, lhs, rhs);
}

// Integer division truncates toward zero (divsi), as ONNX Div does; max and
// min propagate NaN (maximumf), as the op descriptions say.
Value buildScalar(xf::AddOp, OpBuilder &b, Location loc, Value l, Value r) {
  return floatOrInt<arith::AddFOp, arith::AddIOp>(b, loc, l, r);
}
Value buildScalar(xf::SubOp, OpBuilder &b, Location loc, Value l, Value r) {
  return floatOrInt<arith::SubFOp, arith::SubIOp>(b, loc, l, r);
}
Value buildScalar(xf::MulOp, OpBuilder &b, Location loc, Value l, Value r) {
  return floatOrInt<arith::MulFOp, arith::MulIOp>(b, loc, l, r);
}
Value buildScalar(xf::DivOp, OpBuilder &b, Location loc, Value l, Value r) {
  return floatOrInt<arith::DivFOp, arith::DivSIOp>(b, loc, l, r);
}
Value buildScalar(xf::PowOp, OpBuilder &b, Location loc, Value l, Value r) {
  return floatOrInt<math::PowFOp, math::IPowIOp>(b, loc, l, r);
}
Value buildScalar(xf::MaxOp, OpBuilder &b, Location loc, Value l, Value r) {
  return floatOrInt<arith::MaximumFOp, arith::MaxSIOp>(b, loc, l, r);
}
Value buildScalar(xf::MinOp, OpBuilder &b, Location loc, Value l, Value r) {
  return floatOrInt<arith::MinimumFOp, arith::MinSIOp>(b, loc, l, r);
}

/// `1 / (1 + e^-x)`: saturates to 0 and 1 without overflow trouble, as
/// e^-x going to inf gives 1/inf = 0.
Value buildSigmoid(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Value one = createConstant(b, loc, type, 1.0);
  Value exp = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, exp));
}

// Unary bodies get their operand already in the compute type (f32 for
// narrower floats) and return a value of that type.
Value buildScalar(xf::ExpOp, OpBuilder &b, Location loc, Value x) {
  return math::ExpOp::create(b, loc, x);
}
Value buildScalar(xf::LogOp, OpBuilder &b, Location loc, Value x) {
  return math::LogOp::create(b, loc, x);
}
Value buildScalar(xf::TanhOp, OpBuilder &b, Location loc, Value x) {
  return math::TanhOp::create(b, loc, x);
}
Value buildScalar(xf::ErfOp, OpBuilder &b, Location loc, Value x) {
  return math::ErfOp::create(b, loc, x);
}
Value buildScalar(xf::SqrtOp, OpBuilder &b, Location loc, Value x) {
  return math::SqrtOp::create(b, loc, x);
}
Value buildScalar(xf::RsqrtOp, OpBuilder &b, Location loc, Value x) {
  return math::RsqrtOp::create(b, loc, x);
}
Value buildScalar(xf::RoundOp, OpBuilder &b, Location loc, Value x) {
  // Ties to even, as ONNX Round and the quantization formulas round.
  return math::RoundEvenOp::create(b, loc, x);
}
Value buildScalar(xf::ReciprocalOp, OpBuilder &b, Location loc, Value x) {
  return arith::DivFOp::create(b, loc, createConstant(b, loc, x.getType(), 1),
                               x);
}
Value buildScalar(xf::SigmoidOp, OpBuilder &b, Location loc, Value x) {
  return buildSigmoid(b, loc, x);
}
Value buildScalar(xf::SiluOp, OpBuilder &b, Location loc, Value x) {
  return arith::MulFOp::create(b, loc, x, buildSigmoid(b, loc, x));
}
Value buildScalar(xf::NegOp, OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return arith::NegFOp::create(b, loc, x);
  // Two's complement: 0 - x (INT_MIN stays INT_MIN).
  return arith::SubIOp::create(b, loc, createConstant(b, loc, x.getType(), 0),
                               x);
}
Value buildScalar(xf::AbsOp, OpBuilder &b, Location loc, Value x) {
  if (isa<FloatType>(x.getType()))
    return math::AbsFOp::create(b, loc, x);
  return math::AbsIOp::create(b, loc, x);
}
Value buildScalar(xf::ReluOp, OpBuilder &b, Location loc, Value x) {
  return floatOrInt<arith::MaximumFOp, arith::MaxSIOp>(
      b, loc, x, createConstant(b, loc, x.getType(), 0));
}
Value buildScalar(xf::GeluOp op, OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  auto constant = [&](double value) {
    return createConstant(b, loc, type, value);
  };
  Value cdfArgument;
  Value cdfCore;
  if (op.getApproximate() == xf::GeluApproximation::None) {
    // Φ(x) = (1 + erf(x / √2)) / 2, exact (BERT).
    cdfArgument = arith::MulFOp::create(b, loc, x, constant(M_SQRT1_2));
    cdfCore = math::ErfOp::create(b, loc, cdfArgument);
  } else {
    // Φ(x) ≈ (1 + tanh(√(2/π) · (x + 0.044715 x³))) / 2 (GPT-2).
    Value cube =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value inner = arith::AddFOp::create(
        b, loc, x, arith::MulFOp::create(b, loc, constant(0.044715), cube));
    cdfArgument =
        arith::MulFOp::create(b, loc, constant(std::sqrt(2.0 / M_PI)), inner);
    cdfCore = math::TanhOp::create(b, loc, cdfArgument);
  }
  Value onePlus = arith::AddFOp::create(b, loc, constant(1.0), cdfCore);
  Value halfX = arith::MulFOp::create(b, loc, constant(0.5), x);
  return arith::MulFOp::create(b, loc, halfX, onePlus);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// add, sub, mul, div, pow, max, min.
template <typename OpTy> struct BinaryOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op.getType()));
    Value result = buildElementwise(
        rewriter, op.getLoc(), {adaptor.getLhs(), adaptor.getRhs()}, resultType,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return buildScalar(op, b, loc, args[0], args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The arith predicate for `predicate`: ordered for floats (NaN compares
/// false) except `ne`, which is unordered (NaN != anything); unsigned for
/// ui8 and i1 (true > false), signed for the other integers.
std::variant<arith::CmpFPredicate, arith::CmpIPredicate>
getPredicate(xf::ComparisonPredicate predicate, Type elementType) {
  using P = xf::ComparisonPredicate;
  if (isa<FloatType>(elementType)) {
    switch (predicate) {
    case P::EQ:
      return arith::CmpFPredicate::OEQ;
    case P::NE:
      return arith::CmpFPredicate::UNE;
    case P::LT:
      return arith::CmpFPredicate::OLT;
    case P::LE:
      return arith::CmpFPredicate::OLE;
    case P::GT:
      return arith::CmpFPredicate::OGT;
    case P::GE:
      return arith::CmpFPredicate::OGE;
    }
    llvm_unreachable("unknown comparison predicate");
  }
  bool isUnsigned = elementType.isUnsignedInteger() || elementType.isInteger(1);
  switch (predicate) {
  case P::EQ:
    return arith::CmpIPredicate::eq;
  case P::NE:
    return arith::CmpIPredicate::ne;
  case P::LT:
    return isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt;
  case P::LE:
    return isUnsigned ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle;
  case P::GT:
    return isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt;
  case P::GE:
    return isUnsigned ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge;
  }
  llvm_unreachable("unknown comparison predicate");
}

struct CmpOpLowering : OpConversionPattern<xf::CmpOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::CmpOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    // The original element type: ui8 has become i8 in the adaptor.
    auto predicate =
        getPredicate(op.getPredicate(), op.getLhs().getType().getElementType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), {adaptor.getLhs(), adaptor.getRhs()},
        op.getType(), [&](OpBuilder &b, Location loc, ValueRange args) {
          if (auto *floatPredicate =
                  std::get_if<arith::CmpFPredicate>(&predicate))
            return Value(arith::CmpFOp::create(b, loc, *floatPredicate, args[0],
                                               args[1]));
          return Value(arith::CmpIOp::create(
              b, loc, std::get<arith::CmpIPredicate>(predicate), args[0],
              args[1]));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SelectOpLowering : OpConversionPattern<xf::SelectOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::SelectOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value result = buildElementwise(
        rewriter, op.getLoc(), adaptor.getOperands(), resultType,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// exp, log, tanh, erf, sqrt, rsqrt, round, reciprocal, sigmoid, neg, abs,
/// gelu, silu, relu. Narrow floats are computed in f32 and rounded once at
/// the end, so f16 GELU or sigmoid is as accurate as f16 can hold.
template <typename OpTy> struct UnaryOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    Type computeType = getComputeType(elementType);
    Value result = buildElementwise(
        rewriter, op.getLoc(), adaptor.getInput(), resultType,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = convertScalar(b, loc, args[0], computeType);
          return convertScalar(b, loc, buildScalar(op, b, loc, x), elementType);
        });
    // Say what the loop computes, for backends that can apply it as a GEMM
    // epilogue (the CPU backend's oneDNN post-ops); fusion drops the mark.
    if constexpr (std::is_same_v<OpTy, xf::GeluOp>)
      if (Operation *generic = result.getDefiningOp())
        generic->setAttr(xfc::kActivationAttrName,
                         rewriter.getStringAttr(
                             op.getApproximate() == xf::GeluApproximation::None
                                 ? "gelu_erf"
                                 : "gelu_tanh"));
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Element type conversion; the signedness of ui8 and i1 decides between
/// the signed and unsigned arith casts.
struct CastOpLowering : OpConversionPattern<xf::CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value input = adaptor.getInput();
    // ui8 <-> i8 (and identity casts) keep the bits.
    if (input.getType() == resultType) {
      rewriter.replaceOp(op, input);
      return success();
    }
    bool fromUnsigned =
        op.getInput().getType().getElementType().isUnsignedInteger();
    bool toUnsigned = op.getType().getElementType().isUnsignedInteger();
    Value result = buildElementwise(
        rewriter, op.getLoc(), input, resultType,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return convertScalar(b, loc, args[0], resultType.getElementType(),
                               fromUnsigned, toUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void xfc::xftolinalg::populateElementwisePatterns(TypeConverter &typeConverter,
                                                  RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<BinaryOpLowering<xf::AddOp>, BinaryOpLowering<xf::SubOp>,
               BinaryOpLowering<xf::MulOp>, BinaryOpLowering<xf::DivOp>,
               BinaryOpLowering<xf::PowOp>, BinaryOpLowering<xf::MaxOp>,
               BinaryOpLowering<xf::MinOp>>(typeConverter, context);
  patterns.add<CmpOpLowering, SelectOpLowering, CastOpLowering>(typeConverter,
                                                                context);
  patterns.add<UnaryOpLowering<xf::ExpOp>, UnaryOpLowering<xf::LogOp>,
               UnaryOpLowering<xf::TanhOp>, UnaryOpLowering<xf::ErfOp>,
               UnaryOpLowering<xf::SqrtOp>, UnaryOpLowering<xf::RsqrtOp>,
               UnaryOpLowering<xf::RoundOp>, UnaryOpLowering<xf::ReciprocalOp>,
               UnaryOpLowering<xf::SigmoidOp>, UnaryOpLowering<xf::NegOp>,
               UnaryOpLowering<xf::AbsOp>, UnaryOpLowering<xf::GeluOp>,
               UnaryOpLowering<xf::SiluOp>, UnaryOpLowering<xf::ReluOp>>(
      typeConverter, context);
}
