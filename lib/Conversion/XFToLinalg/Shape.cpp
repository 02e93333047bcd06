//===- Shape.cpp - xf shape ops to tensor ops and linalg ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// reshape, transpose, concat, slice, split, expand, gather and top_k. Only
// gather and top_k compute addresses; the others are tensor ops (or
// linalg.transpose and a broadcasting linalg.generic), which bufferization
// turns into views or copies.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace xfc::xftolinalg;
namespace xf = xfc::xf;

namespace {

/// Collapse/expand when the shapes refine each other, through 1-D
/// otherwise (Utils.h reshapeStatic).
struct ReshapeOpLowering : OpConversionPattern<xf::ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    rewriter.replaceOp(op, reshapeStatic(rewriter, op.getLoc(),
                                         adaptor.getInput(), resultType));
    return success();
  }
};

struct TransposeOpLowering : OpConversionPattern<xf::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value init = createEmpty(rewriter, op.getLoc(), resultType.getShape(),
                             resultType.getElementType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getInput(), init, op.getPermutation());
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

/// tensor.concat: it bufferizes (an allocation and one copy per input) and
/// keeps the intent visible to later tiling; a backend that wants
/// insert_slices instead has tensor::populateDecomposeTensorConcatPatterns.
struct ConcatOpLowering : OpConversionPattern<xf::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    int64_t axis = normalizeAxis(op.getAxis(), op.getType().getRank());
    // Empty pieces add nothing, and inserting one at the end would use an
    // offset equal to the dimension, which tensor ops reject.
    SmallVector<Value> inputs;
    for (Value input : adaptor.getInputs())
      if (cast<RankedTensorType>(input.getType()).getDimSize(axis) != 0)
        inputs.push_back(input);
    if (inputs.empty())
      inputs.push_back(adaptor.getInputs().front());
    if (inputs.size() == 1) {
      rewriter.replaceOp(op, inputs.front());
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, axis, inputs);
    return success();
  }
};

struct SliceOpLowering : OpConversionPattern<xf::SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    MLIRContext *context = getContext();
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, resultType, adaptor.getInput(),
        getAsIndexOpFoldResult(context, op.getOffsets()),
        getAsIndexOpFoldResult(context, op.getSizes()),
        getAsIndexOpFoldResult(context, op.getStrides()));
    return success();
  }
};

/// One extract_slice per result.
struct SplitOpLowering : OpConversionPattern<xf::SplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t axis = normalizeAxis(op.getAxis(), inputType.getRank());
    SmallVector<Value> results;
    int64_t offset = 0;
    for (int64_t size : op.getSizes()) {
      // An empty piece at the end would slice at offset == the dimension,
      // which tensor.extract_slice rejects: it is just an empty tensor.
      if (size == 0) {
        SmallVector<int64_t> shape(inputType.getShape());
        shape[axis] = 0;
        results.push_back(tensor::EmptyOp::create(
            rewriter, op.getLoc(), shape, inputType.getElementType()));
        continue;
      }
      results.push_back(sliceAlong(rewriter, op.getLoc(), adaptor.getInput(),
                                   axis, offset, size));
      offset += size;
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// A linalg.generic that copies through a broadcasting map: the input's
/// size-1 dimensions read index 0.
struct ExpandOpLowering : OpConversionPattern<xf::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value result = buildElementwise(
        rewriter, op.getLoc(), adaptor.getInput(), resultType,
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A linalg.generic over the result that reads each index and extracts the
/// element it selects, as upstream lowers tosa.gather. A negative index
/// counts from the back; indices outside the dimension are undefined
/// behaviour (op description), and are clamped here so that a bad index
/// reads a wrong element rather than memory outside the tensor.
struct GatherOpLowering : OpConversionPattern<xf::GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    int64_t rank = inputType.getRank();
    int64_t axis = normalizeAxis(op.getAxis(), rank);
    int64_t numIndexDims = indicesType.getRank();
    int64_t dimSize = inputType.getDimSize(axis);
    int64_t resultRank = resultType.getRank();

    // The indices are read at loops [axis, axis + numIndexDims).
    SmallVector<AffineExpr> indexExprs;
    for (int64_t dim = 0; dim < numIndexDims; ++dim)
      indexExprs.push_back(rewriter.getAffineDimExpr(axis + dim));
    AffineMap indicesMap =
        AffineMap::get(resultRank, 0, indexExprs, getContext());
    Value init = createEmpty(rewriter, loc, resultType.getShape(),
                             resultType.getElementType());
    Value result = buildGeneric(
        rewriter, loc, adaptor.getIndices(), indicesMap, init,
        rewriter.getMultiDimIdentityMap(resultRank), {},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value index =
              arith::IndexCastOp::create(b, loc, b.getIndexType(), args[0]);
          Value size = arith::ConstantIndexOp::create(b, loc, dimSize);
          Value zero = arith::ConstantIndexOp::create(b, loc, 0);
          Value isNegative = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::slt, index, zero);
          index = arith::SelectOp::create(
              b, loc, isNegative, arith::AddIOp::create(b, loc, index, size),
              index);
          if (dimSize > 0) {
            Value last = arith::ConstantIndexOp::create(b, loc, dimSize - 1);
            index = arith::MinSIOp::create(
                b, loc, arith::MaxSIOp::create(b, loc, index, zero), last);
          }
          SmallVector<Value> coordinates;
          for (int64_t dim = 0; dim < rank; ++dim) {
            if (dim == axis) {
              coordinates.push_back(index);
              continue;
            }
            int64_t loop = dim < axis ? dim : dim + numIndexDims - 1;
            coordinates.push_back(linalg::IndexOp::create(b, loc, loop));
          }
          return tensor::ExtractOp::create(b, loc, input, coordinates);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// top_k without sorting, as three counting linalg.generic ops and a
/// gather, each parallel over the rows:
///   rank[i]  = #{j : x[j] > x[i] or (x[j] == x[i] and j < i)}, a
///              permutation of [0, N) that orders the row by decreasing value
///              (earlier first among equals); i is selected iff rank[i] < k;
///   slot[i]  = rank[i] (value order), or #{j < i : rank[j] < k} (index
///              order), the selected element's place in the result;
///   index[t] = Σi i · [rank[i] < k and slot[i] == t];
///   value[t] = x[index[t]].
/// O(N²) per row, no sequence-length buffer beyond the row's ranks: fine for
/// the token counts it is used for (a few hundred). A NaN breaks the
/// permutation; a result slot nothing fills then reads index 0.
struct TopKOpLowering : OpConversionPattern<xf::TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    Location loc = op.getLoc();
    MLIRContext *context = getContext();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> shape = inputType.getShape();
    unsigned rank = shape.size(), rowDims = rank - 1;
    int64_t k = op.getK();
    Type i64 = rewriter.getI64Type();

    // Maps over the loops (rows..., a, b): the row prefix, then `pick`.
    auto map = [&](unsigned numLoops, ArrayRef<unsigned> picks) {
      SmallVector<AffineExpr> exprs;
      for (unsigned d = 0; d < rowDims; ++d)
        exprs.push_back(getAffineDimExpr(d, context));
      for (unsigned pick : picks)
        exprs.push_back(getAffineDimExpr(pick, context));
      return AffineMap::get(numLoops, 0, exprs, context);
    };
    unsigned a = rowDims, bDim = rowDims + 1, numLoops = rank + 1;
    auto zeros = [&](ArrayRef<int64_t> dims) {
      return createFilled(rewriter, loc, dims,
                          arith::ConstantOp::create(
                              rewriter, loc, rewriter.getI64IntegerAttr(0)));
    };
    auto count = [](OpBuilder &b, Location loc, Value condition, Value acc) {
      Value one = arith::ExtUIOp::create(b, loc, acc.getType(), condition);
      return arith::AddIOp::create(b, loc, acc, one).getResult();
    };
    auto before = [](OpBuilder &b, Location loc, unsigned lhs, unsigned rhs) {
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                   linalg::IndexOp::create(b, loc, lhs),
                                   linalg::IndexOp::create(b, loc, rhs))
          .getResult();
    };

    // rank over loops (rows..., i = a, j = b).
    Value ranks = buildGeneric(
        rewriter, loc, {input, input},
        {map(numLoops, {bDim}), map(numLoops, {a})}, zeros(shape),
        map(numLoops, {a}), {bDim},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value greater = arith::CmpFOp::create(
              b, loc, arith::CmpFPredicate::OGT, args[0], args[1]);
          Value equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                              args[0], args[1]);
          Value earlier = arith::AndIOp::create(b, loc, equal,
                                                before(b, loc, bDim, a));
          return count(b, loc, arith::OrIOp::create(b, loc, greater, earlier),
                       args[2]);
        });
    auto selected = [&](OpBuilder &b, Location loc, Value rankValue) {
      Value kConst =
          arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(k));
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                   rankValue, kConst)
          .getResult();
    };

    // slot over loops (rows..., i = a, j = b).
    Value slots = ranks;
    if (op.getIndexOrder())
      slots = buildGeneric(
          rewriter, loc, {ranks}, {map(numLoops, {bDim})}, zeros(shape),
          map(numLoops, {a}), {bDim},
          [&](OpBuilder &b, Location loc, ValueRange args) {
            Value counted = arith::AndIOp::create(b, loc, selected(b, loc, args[0]),
                                                  before(b, loc, bDim, a));
            return count(b, loc, counted, args[1]);
          });

    // index over loops (rows..., t = a, i = b).
    SmallVector<int64_t> resultShape(shape.drop_back());
    resultShape.push_back(k);
    Value indices = buildGeneric(
        rewriter, loc, {ranks, slots},
        {map(numLoops, {bDim}), map(numLoops, {bDim})}, zeros(resultShape),
        map(numLoops, {a}), {bDim},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value t = arith::IndexCastOp::create(
              b, loc, i64, linalg::IndexOp::create(b, loc, a));
          Value i = arith::IndexCastOp::create(
              b, loc, i64, linalg::IndexOp::create(b, loc, bDim));
          Value match = arith::AndIOp::create(
              b, loc, selected(b, loc, args[0]),
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, args[1],
                                    t));
          Value zero = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
          return arith::AddIOp::create(
                     b, loc, args[2],
                     arith::SelectOp::create(b, loc, match, i, zero))
              .getResult();
        });

    // value over loops (rows..., t).
    Value values = buildGeneric(
        rewriter, loc, {indices}, {rewriter.getMultiDimIdentityMap(rank)},
        createEmpty(rewriter, loc, resultShape, inputType.getElementType()),
        rewriter.getMultiDimIdentityMap(rank), {},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          SmallVector<Value> coordinates;
          for (unsigned d = 0; d < rowDims; ++d)
            coordinates.push_back(linalg::IndexOp::create(b, loc, d));
          coordinates.push_back(
              arith::IndexCastOp::create(b, loc, b.getIndexType(), args[0]));
          return tensor::ExtractOp::create(b, loc, input, coordinates)
              .getResult();
        });
    rewriter.replaceOp(op, {values, indices});
    return success();
  }
};

} // namespace

void xfc::xftolinalg::populateShapePatterns(TypeConverter &typeConverter,
                                            RewritePatternSet &patterns) {
  patterns.add<ReshapeOpLowering, TransposeOpLowering, ConcatOpLowering,
               SliceOpLowering, SplitOpLowering, ExpandOpLowering,
               GatherOpLowering, TopKOpLowering>(typeConverter, patterns.getContext());
}
