//===- Utils.cpp - Helpers shared by the xf-to-linalg patterns ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

namespace xfc::xftolinalg {

LogicalResult notifyDynamicShape(ConversionPatternRewriter &rewriter,
                                 Operation *op) {
  return rewriter.notifyMatchFailure(
      op, "dynamic dimensions are not supported (static shapes only)");
}

bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

AffineMap getBroadcastMap(MLIRContext *context, ArrayRef<int64_t> shape,
                          ArrayRef<int64_t> loopShape, unsigned numLoops,
                          unsigned firstLoop) {
  assert(shape.size() <= loopShape.size() && "operand outranks the loops");
  unsigned lead = loopShape.size() - shape.size();
  SmallVector<AffineExpr> results;
  for (auto [index, size] : llvm::enumerate(shape)) {
    unsigned loop = lead + index;
    // A stretched dimension reads its only element whatever the loop index.
    if (size == 1 && loopShape[loop] != 1)
      results.push_back(getAffineConstantExpr(0, context));
    else
      results.push_back(getAffineDimExpr(firstLoop + loop, context));
  }
  return AffineMap::get(numLoops, 0, results, context);
}

Value createEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Type elementType) {
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

Value createFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Value value) {
  Value empty = createEmpty(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value createConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  if (type.isIndex())
    return arith::ConstantIndexOp::create(b, loc, static_cast<int64_t>(value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value createLowest(OpBuilder &b, Location loc, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/true)));
  unsigned width = type.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getSignedMinValue(width)));
}

Type getComputeType(Type elementType) {
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType && floatType.getWidth() < 32)
    return Float32Type::get(elementType.getContext());
  return elementType;
}

Value convertScalar(OpBuilder &b, Location loc, Value value, Type to,
                    bool isUnsigned, bool toUnsigned) {
  Type from = value.getType();
  if (from == to)
    return value;
  if (auto fromFloat = dyn_cast<FloatType>(from)) {
    if (auto toFloat = dyn_cast<FloatType>(to)) {
      if (toFloat.getWidth() > fromFloat.getWidth())
        return arith::ExtFOp::create(b, loc, to, value);
      if (toFloat.getWidth() < fromFloat.getWidth())
        return arith::TruncFOp::create(b, loc, to, value);
      // Same width, different formats (bf16 and f16): through f32.
      Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
      return arith::TruncFOp::create(b, loc, to, wide);
    }
    // To bool is "!= 0"; unordered, so NaN is true as ONNX Cast has it.
    if (to.isInteger(1))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   createConstant(b, loc, from, 0.0));
    if (toUnsigned)
      return arith::FPToUIOp::create(b, loc, to, value);
    return arith::FPToSIOp::create(b, loc, to, value);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  bool unsignedSource = isUnsigned || fromWidth == 1;
  if (isa<FloatType>(to)) {
    if (unsignedSource)
      return arith::UIToFPOp::create(b, loc, to, value);
    return arith::SIToFPOp::create(b, loc, to, value);
  }
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (toWidth == 1)
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value,
                                 createConstant(b, loc, from, 0));
  if (toWidth > fromWidth) {
    if (unsignedSource)
      return arith::ExtUIOp::create(b, loc, to, value);
    return arith::ExtSIOp::create(b, loc, to, value);
  }
  if (toWidth < fromWidth)
    return arith::TruncIOp::create(b, loc, to, value);
  return value;
}

Value buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps, Value init,
                   AffineMap outputMap, ArrayRef<int64_t> reductionDims,
                   ScalarBuilder body) {
  SmallVector<utils::IteratorType> iterators(outputMap.getNumDims(),
                                             utils::IteratorType::parallel);
  for (int64_t dim : reductionDims)
    iterators[dim] = utils::IteratorType::reduction;
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                       RankedTensorType resultType, ScalarBuilder body) {
  ArrayRef<int64_t> shape = resultType.getShape();
  unsigned rank = shape.size();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastMap(
        b.getContext(), cast<RankedTensorType>(input.getType()).getShape(),
        shape, rank));
  Value init = createEmpty(b, loc, shape, resultType.getElementType());
  return buildGeneric(b, loc, inputs, maps, init,
                      b.getMultiDimIdentityMap(rank), {}, body);
}

Value reshapeStatic(OpBuilder &b, Location loc, Value input,
                    RankedTensorType resultType) {
  auto inputType = cast<RankedTensorType>(input.getType());
  ArrayRef<int64_t> from = inputType.getShape(), to = resultType.getShape();
  if (from == to)
    return input;
  if (to.size() < from.size())
    if (auto reassociation = getReassociationIndicesForCollapse(from, to))
      return tensor::CollapseShapeOp::create(b, loc, resultType, input,
                                             *reassociation);
  if (to.size() > from.size())
    if (auto reassociation = getReassociationIndicesForCollapse(to, from))
      return tensor::ExpandShapeOp::create(b, loc, resultType, input,
                                           *reassociation);
  // The shapes cut the elements differently: go through one dimension.
  auto flatType = RankedTensorType::get({inputType.getNumElements()},
                                        inputType.getElementType());
  Value flat = input;
  if (from.size() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, input,
                                         ArrayRef<ReassociationIndices>{});
  else if (from.size() > 1)
    flat = tensor::CollapseShapeOp::create(
        b, loc, flatType, input,
        ArrayRef<ReassociationIndices>{
            llvm::to_vector(llvm::seq<int64_t>(0, from.size()))});
  if (to.size() == 0)
    return tensor::CollapseShapeOp::create(b, loc, resultType, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (to.size() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(
      b, loc, resultType, flat,
      ArrayRef<ReassociationIndices>{
          llvm::to_vector(llvm::seq<int64_t>(0, to.size()))});
}

Value sliceAlong(OpBuilder &b, Location loc, Value input, int64_t dim,
                 int64_t offset, int64_t size, int64_t stride) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> offsets(type.getRank(), 0);
  SmallVector<int64_t> sizes(type.getShape());
  SmallVector<int64_t> strides(type.getRank(), 1);
  offsets[dim] = offset;
  sizes[dim] = size;
  strides[dim] = stride;
  auto resultType = RankedTensorType::get(sizes, type.getElementType());
  MLIRContext *context = b.getContext();
  return tensor::ExtractSliceOp::create(
      b, loc, resultType, input, getAsIndexOpFoldResult(context, offsets),
      getAsIndexOpFoldResult(context, sizes),
      getAsIndexOpFoldResult(context, strides));
}

} // namespace xfc::xftolinalg
