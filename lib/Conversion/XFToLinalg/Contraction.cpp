//===- Contraction.cpp - matmul, linear, quant.linear to linalg -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Every GEMM-class op becomes one linalg.generic contraction with the
// transposes, the batch broadcasting and the [N, K] weight layout folded
// into its indexing maps, so no operand is copied first;
// `--linalg-specialize-generic-ops` recognizes the plain cases as
// linalg.matmul / batch_matmul / matmul_transpose_b. Narrow floats
// accumulate in f32 and round once; integers accumulate in their own type
// (xf.matmul's description). quant.linear is the reference lowering: it
// materializes the dequantized weight and reuses the linear contraction.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "xfc/Dialect/XF/QuantGrid.h"
#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace xfc::xftolinalg;
namespace xf = xfc::xf;

/// The multiply-accumulate body of a contraction: `acc + a · b` with `a` and
/// `b` converted to the accumulator's type.
static Value buildMultiplyAdd(OpBuilder &b, Location loc, ValueRange args) {
  Value acc = args[2];
  Type accType = acc.getType();
  Value lhs = convertScalar(b, loc, args[0], accType);
  Value rhs = convertScalar(b, loc, args[1], accType);
  if (isa<FloatType>(accType))
    return arith::AddFOp::create(b, loc, acc,
                                 arith::MulFOp::create(b, loc, lhs, rhs));
  return arith::AddIOp::create(b, loc, acc,
                               arith::MulIOp::create(b, loc, lhs, rhs));
}

/// Rounds an accumulator tensor to `resultType` when the two differ.
static Value roundTo(OpBuilder &b, Location loc, Value acc,
                     RankedTensorType resultType) {
  if (acc.getType() == resultType)
    return acc;
  return buildElementwise(b, loc, acc, resultType,
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            return convertScalar(b, loc, args[0],
                                                 resultType.getElementType());
                          });
}

Value xfc::xftolinalg::buildLinear(OpBuilder &b, Location loc, Value input,
                                   Value weight, Value bias,
                                   RankedTensorType resultType) {
  MLIRContext *context = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  Type elementType = resultType.getElementType();
  Type accType = getComputeType(elementType);
  // Loops: the input's leading dimensions, n, then k (the reduction).
  unsigned rank = inputType.getRank();
  unsigned numLoops = rank + 1;
  unsigned n = rank - 1, k = rank;
  SmallVector<AffineExpr> inputExprs;
  for (unsigned dim = 0; dim + 1 < rank; ++dim)
    inputExprs.push_back(getAffineDimExpr(dim, context));
  inputExprs.push_back(getAffineDimExpr(k, context));
  AffineMap inputMap = AffineMap::get(numLoops, 0, inputExprs, context);
  AffineMap weightMap = AffineMap::get(
      numLoops, 0, {getAffineDimExpr(n, context), getAffineDimExpr(k, context)},
      context);
  AffineMap outputMap = AffineMap::get(
      numLoops, 0,
      AffineMap::getMultiDimIdentityMap(rank, context).getResults(), context);
  // Same type: the bias is the accumulator's initial value. Wider
  // accumulator: start from 0 and add the bias while rounding.
  bool biasInInit = bias && accType == elementType;
  Value init;
  if (biasInInit)
    init = buildElementwise(
        b, loc, bias, resultType,
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  else
    init = createFilled(b, loc, resultType.getShape(),
                        createConstant(b, loc, accType, 0));
  Value acc =
      buildGeneric(b, loc, ValueRange{input, weight}, {inputMap, weightMap},
                   init, outputMap, {k}, buildMultiplyAdd);
  if (accType == elementType)
    return acc;
  SmallVector<Value> epilogueInputs = {acc};
  if (bias)
    epilogueInputs.push_back(bias);
  return buildElementwise(b, loc, epilogueInputs, resultType,
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            Value value = args[0];
                            if (bias)
                              value = arith::AddFOp::create(
                                  b, loc, value,
                                  convertScalar(b, loc, args[1], accType));
                            return convertScalar(b, loc, value, elementType);
                          });
}

namespace {

/// Batched matmul: loops are the broadcast batch dimensions, m, n and the
/// reduction k; each operand's batch dimensions are read with broadcasting
/// maps and its matrix dimensions as (m, k) / (k, n), swapped by the
/// transpose flags.
struct MatmulOpLowering : OpConversionPattern<xf::MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    Location loc = op.getLoc();
    MLIRContext *context = getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> batchShape = resultType.getShape().drop_back(2);
    unsigned numBatch = batchShape.size();
    unsigned numLoops = numBatch + 3;
    AffineExpr m = getAffineDimExpr(numBatch, context);
    AffineExpr n = getAffineDimExpr(numBatch + 1, context);
    AffineExpr k = getAffineDimExpr(numBatch + 2, context);

    // An operand's batch dimensions are read with plain loop dimensions; a
    // size-1 dimension that broadcasts is collapsed away rather than read
    // at index 0, so the contraction stays a projected permutation (what
    // linalg's contraction interface, and the CPU backend's oneDNN
    // outlining, recognize).
    auto prepareOperand = [&](Value operand, AffineExpr row, AffineExpr column,
                              bool transpose) -> std::pair<Value, AffineMap> {
      auto type = cast<RankedTensorType>(operand.getType());
      ArrayRef<int64_t> shape = type.getShape();
      unsigned rank = shape.size();
      unsigned offset = numBatch - (rank - 2);
      SmallVector<AffineExpr> exprs;
      SmallVector<ReassociationIndices> groups;
      ReassociationIndices pending;
      for (unsigned i = 0; i < rank; ++i) {
        pending.push_back(i);
        bool isMatrixDim = i + 2 >= rank;
        if (!isMatrixDim && shape[i] == 1 && batchShape[offset + i] != 1)
          continue;
        if (!isMatrixDim)
          exprs.push_back(getAffineDimExpr(offset + i, context));
        groups.push_back(pending);
        pending.clear();
      }
      exprs.push_back(transpose ? column : row);
      exprs.push_back(transpose ? row : column);
      if (groups.size() != rank)
        operand = tensor::CollapseShapeOp::create(rewriter, loc, operand,
                                                  groups);
      return {operand, AffineMap::get(numLoops, 0, exprs, context)};
    };
    auto [lhs, lhsMap] =
        prepareOperand(adaptor.getLhs(), m, k, op.getTransposeLhs());
    auto [rhs, rhsMap] =
        prepareOperand(adaptor.getRhs(), k, n, op.getTransposeRhs());
    AffineMap outputMap =
        AffineMap::getMultiDimIdentityMap(numLoops - 1, context);
    outputMap = AffineMap::get(numLoops, 0, outputMap.getResults(), context);

    Type accType = getComputeType(resultType.getElementType());
    Value init = createFilled(rewriter, loc, resultType.getShape(),
                              createConstant(rewriter, loc, accType, 0));
    Value acc =
        buildGeneric(rewriter, loc, ValueRange{lhs, rhs}, {lhsMap, rhsMap},
                     init, outputMap, {numBatch + 2}, buildMultiplyAdd);
    rewriter.replaceOp(op, roundTo(rewriter, loc, acc, resultType));
    return success();
  }
};

struct LinearOpLowering : OpConversionPattern<xf::LinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::LinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    rewriter.replaceOp(op, buildLinear(rewriter, op.getLoc(),
                                       adaptor.getInput(), adaptor.getWeight(),
                                       adaptor.getBias(), op.getType()));
    return success();
  }
};

/// `(float(q) - zero_point) · scale` for a quantized tensor, as
/// `--lower-quant-ops` dequantizes (the storage range only matters when
/// quantizing). The integers come from `quant.scast` to the storage type;
/// per-channel and sub-channel scales and zero points become [N', G']
/// constants read through an [N, G', K/G'] view of the weight, so every
/// indexing map stays a projection.
FailureOr<Value> buildDequantize(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  auto quantType = cast<quant::QuantizedType>(type.getElementType());
  Type expressed = quantType.getExpressedType();
  Type computeType = getComputeType(expressed);
  ArrayRef<int64_t> shape = type.getShape();
  FailureOr<xfc::xf::QuantGrid> grid = xfc::xf::getQuantGrid(quantType, shape);
  if (failed(grid))
    return failure();
  auto storageType = type.clone(quantType.getStorageType());
  Value storage = quant::StorageCastOp::create(b, loc, storageType, value);
  bool isUnsigned = !quantType.isSigned();

  // Per-tensor: scale and zero point are constants of the body.
  if (grid->shape[0] == 1 && grid->shape[1] == 1) {
    double scale = grid->scales.front(), zeroPoint = grid->zeroPoints.front();
    return buildElementwise(
        b, loc, storage, type.clone(expressed),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value q = convertScalar(b, loc, args[0], computeType, isUnsigned);
          Value shifted = arith::SubFOp::create(
              b, loc, q, createConstant(b, loc, computeType, zeroPoint));
          Value scaled = arith::MulFOp::create(
              b, loc, shifted, createConstant(b, loc, computeType, scale));
          return convertScalar(b, loc, scaled, expressed);
        });
  }
  auto gridType = RankedTensorType::get(grid->shape, computeType);
  auto toAttr = [&](ArrayRef<double> values) {
    SmallVector<Attribute> attrs;
    for (double v : values)
      attrs.push_back(b.getFloatAttr(computeType, v));
    return DenseElementsAttr::get(gridType, attrs);
  };
  Value scales = arith::ConstantOp::create(b, loc, toAttr(grid->scales));
  Value zeroPoints =
      arith::ConstantOp::create(b, loc, toAttr(grid->zeroPoints));
  auto body = [&](OpBuilder &b, Location loc, ValueRange args) {
    Value q = convertScalar(b, loc, args[0], computeType, isUnsigned);
    Value shifted = arith::SubFOp::create(b, loc, q, args[2]);
    return convertScalar(
        b, loc, arith::MulFOp::create(b, loc, shifted, args[1]), expressed);
  };
  int64_t rows = shape[0], groups = grid->shape[1],
          groupSize = shape[1] / groups;
  SmallVector<int64_t> viewShape = {rows, groups, groupSize};
  auto viewType =
      RankedTensorType::get(viewShape, storageType.getElementType());
  Value view = tensor::ExpandShapeOp::create(
      b, loc, viewType, storage, ArrayRef<ReassociationIndices>{{0}, {1, 2}});
  MLIRContext *context = b.getContext();
  AffineMap gridMap = getBroadcastMap(context, grid->shape, {rows, groups}, 3);
  Value init = createEmpty(b, loc, viewShape, expressed);
  Value dequantized = buildGeneric(
      b, loc, ValueRange{view, scales, zeroPoints},
      {AffineMap::getMultiDimIdentityMap(3, context), gridMap, gridMap}, init,
      AffineMap::getMultiDimIdentityMap(3, context), {}, body);
  return Value(tensor::CollapseShapeOp::create(
      b, loc, type.clone(expressed), dequantized,
      ArrayRef<ReassociationIndices>{{0}, {1, 2}}));
}

/// The reference lowering of quant.linear: dequantize the weight (and a
/// per-tensor quantized input, W8A8) to the expressed type, then the float
/// linear contraction. Backends with integer GEMMs lower it before this.
/// xf.quant.linear's `dynamic_input`: each row of `input` [..., K] becomes
/// `clamp(round_half_even(x / r), ±127) · r` with `r = max|row| / 127`
/// (1 for a zero row), the values the integer GEMM sees.
Value buildPerRowFakeQuant(OpBuilder &b, Location loc, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  Type element = type.getElementType();
  Type computeType = getComputeType(element);
  MLIRContext *context = b.getContext();
  unsigned rank = type.getRank();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
  AffineMap perRow = identity.dropResult(rank - 1);
  ArrayRef<int64_t> shape = type.getShape();
  Value zero = createConstant(b, loc, computeType, 0);
  Value absMax = buildGeneric(
      b, loc, input, identity,
      createFilled(b, loc, shape.drop_back(), zero), perRow, {rank - 1},
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value x = convertScalar(b, loc, args[0], computeType);
        return arith::MaximumFOp::create(b, loc, args[1],
                                         math::AbsFOp::create(b, loc, x));
      });
  return buildGeneric(
      b, loc, ValueRange{input, absMax}, {identity, perRow},
      createEmpty(b, loc, shape, element), identity, {},
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value x = convertScalar(b, loc, args[0], computeType);
        Value limit = createConstant(b, loc, computeType, 127);
        Value isZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                             args[1], createConstant(b, loc, computeType, 0));
        Value r = arith::SelectOp::create(
            b, loc, isZero, createConstant(b, loc, computeType, 1),
            arith::DivFOp::create(b, loc, args[1], limit));
        Value q = math::RoundEvenOp::create(
            b, loc, arith::DivFOp::create(b, loc, x, r));
        Value low = createConstant(b, loc, computeType, -127);
        q = arith::MinNumFOp::create(
            b, loc, arith::MaxNumFOp::create(b, loc, q, low), limit);
        return convertScalar(b, loc, arith::MulFOp::create(b, loc, q, r),
                             element);
      });
}

struct QuantLinearOpLowering : OpConversionPattern<xf::QuantLinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::QuantLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    Location loc = op.getLoc();
    FailureOr<Value> weight =
        buildDequantize(rewriter, loc, adaptor.getWeight());
    if (failed(weight))
      return rewriter.notifyMatchFailure(op, "unsupported weight quant type");
    Value input = adaptor.getInput();
    if (isa<quant::QuantizedType>(
            cast<RankedTensorType>(input.getType()).getElementType())) {
      FailureOr<Value> dequantized = buildDequantize(rewriter, loc, input);
      if (failed(dequantized))
        return rewriter.notifyMatchFailure(op, "unsupported input quant type");
      input = *dequantized;
    }
    if (op.getDynamicInput())
      input = buildPerRowFakeQuant(rewriter, loc, input);
    rewriter.replaceOp(op, buildLinear(rewriter, loc, input, *weight,
                                       adaptor.getBias(), op.getType()));
    return success();
  }
};

} // namespace

void xfc::xftolinalg::populateContractionPatterns(TypeConverter &typeConverter,
                                                  RewritePatternSet &patterns) {
  patterns.add<MatmulOpLowering, LinearOpLowering, QuantLinearOpLowering>(
      typeConverter, patterns.getContext());
}
