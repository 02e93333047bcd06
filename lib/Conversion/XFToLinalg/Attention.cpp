//===- Attention.cpp - attention and rope to linalg -----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The reference decomposition of xf.attention (scores, masking, softmax,
// weighted sum: it materializes the Sq × Skv scores; the flash-style
// kernels are backend lowerings that run before this pass) and xf.rope.
//
// Grouped-query attention needs no copy of the key/value heads: the query
// heads are viewed as [Hkv, G] (G = Hq / Hkv query heads per key/value
// head) with expand_shape, so query head h = kv · G + g reads key/value
// head kv through plain projection maps. The packed rank-3 layout
// [B, S, H·D] is viewed as [B, S, H, D] the same way.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <cmath>

using namespace mlir;
using namespace xfc::xftolinalg;
namespace xf = xfc::xf;

namespace {

/// `tensor.expand_shape` of `value` to `shape` with `reassociation`.
Value expandTo(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> shape,
               ArrayRef<ReassociationIndices> reassociation) {
  auto type = cast<RankedTensorType>(value.getType());
  return tensor::ExpandShapeOp::create(b, loc, type.clone(shape), value,
                                       reassociation);
}

/// Attention in five linalg.generic ops over the loops
/// (b, kv, g, i, j, d) — batch, key/value head, query head within its
/// group, query position, key position, head feature:
///   1. S[b,kv,g,i,j] = Σ_d Q[b,kv·G+g,i,d] · K[b,kv,j,d]
///   2. S = S · scale, then + mask (additive) or −∞ where the mask (i1) or
///      causality (j > i + Skv − Sq) forbids
///   3-4. P = softmax_j(S) (buildSoftmax: max, sum of exponentials, divide)
///   5. O[b,kv,g,i,e] = Σ_j P[b,kv,g,i,j] · V[b,kv,j,e]
/// Scores and sums are in f32 for narrow floats. A query row whose keys
/// are all masked gets NaN (softmax of −∞ only), as the unfused graph does.
struct AttentionOpLowering : OpConversionPattern<xf::AttentionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::AttentionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    Location loc = op.getLoc();
    MLIRContext *context = getContext();
    auto queryType = cast<RankedTensorType>(adaptor.getQuery().getType());
    auto keyType = cast<RankedTensorType>(adaptor.getKey().getType());
    auto valueType = cast<RankedTensorType>(adaptor.getValue().getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = queryType.getElementType();
    Type accType = getComputeType(elementType);
    bool packed = queryType.getRank() == 3;

    int64_t heads = op.getNumHeads();
    int64_t kvHeads = op.getEffectiveNumKvHeads();
    int64_t group = heads / kvHeads;
    int64_t batch = queryType.getDimSize(0);
    int64_t seqQ, seqKv, headDim, valueDim;
    if (packed) {
      seqQ = queryType.getDimSize(1);
      seqKv = keyType.getDimSize(1);
      headDim = queryType.getDimSize(2) / heads;
      valueDim = valueType.getDimSize(2) / kvHeads;
    } else {
      seqQ = queryType.getDimSize(2);
      seqKv = keyType.getDimSize(2);
      headDim = queryType.getDimSize(3);
      valueDim = valueType.getDimSize(3);
    }

    // Loops of the two contractions (d is the feature, or e for V).
    auto dim = [&](unsigned position) {
      return getAffineDimExpr(position, context);
    };
    AffineExpr bt = dim(0), kv = dim(1), g = dim(2), i = dim(3), j = dim(4),
               d = dim(5);
    auto map6 = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(6, 0, exprs, context);
    };

    // Views: query [B, Hkv, G, Sq, D] or [B, Sq, Hkv, G, D]; key and value
    // [B, Hkv, S, D] as they are, or [B, S, Hkv, D].
    Value query, key = adaptor.getKey(), value = adaptor.getValue();
    AffineMap queryMap, keyMap, valueMap;
    if (packed) {
      query = expandTo(rewriter, loc, adaptor.getQuery(),
                       {batch, seqQ, kvHeads, group, headDim},
                       {{0}, {1}, {2, 3, 4}});
      key = expandTo(rewriter, loc, key, {batch, seqKv, kvHeads, headDim},
                     {{0}, {1}, {2, 3}});
      value = expandTo(rewriter, loc, value, {batch, seqKv, kvHeads, valueDim},
                       {{0}, {1}, {2, 3}});
      queryMap = map6({bt, i, kv, g, d});
      keyMap = map6({bt, j, kv, d});
    } else {
      query = expandTo(rewriter, loc, adaptor.getQuery(),
                       {batch, kvHeads, group, seqQ, headDim},
                       {{0}, {1, 2}, {3}, {4}});
      queryMap = map6({bt, kv, g, i, d});
      keyMap = map6({bt, kv, j, d});
    }
    SmallVector<int64_t> scoreShape = {batch, kvHeads, group, seqQ, seqKv};

    // 1. Scores.
    Value zero = createConstant(rewriter, loc, accType, 0);
    Value scores = buildGeneric(
        rewriter, loc, ValueRange{query, key}, {queryMap, keyMap},
        createFilled(rewriter, loc, scoreShape, zero), map6({bt, kv, g, i, j}),
        {5}, [&](OpBuilder &b, Location loc, ValueRange args) {
          Value q = convertScalar(b, loc, args[0], accType);
          Value k = convertScalar(b, loc, args[1], accType);
          return arith::AddFOp::create(b, loc, args[2],
                                       arith::MulFOp::create(b, loc, q, k));
        });

    // 2. Scale, mask, causality. The mask is right-aligned with
    // [B, Hq, Sq, Skv]; its head dimension (1 or Hq) is split like the
    // query's so that broadcasting maps can read it.
    double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
    if (std::optional<APFloat> given = op.getScale())
      scale = given->convertToDouble();
    SmallVector<Value> maskInputs = {scores};
    Value mask = adaptor.getMask();
    bool boolMask = false;
    if (mask) {
      auto maskType = cast<RankedTensorType>(mask.getType());
      boolMask = maskType.getElementType().isInteger(1);
      SmallVector<int64_t> shape4(4 - maskType.getRank(), 1);
      llvm::append_range(shape4, maskType.getShape());
      mask = reshapeStatic(rewriter, loc, mask, maskType.clone(shape4));
      SmallVector<int64_t> shape5 = {shape4[0], 1, 1, shape4[2], shape4[3]};
      if (shape4[1] != 1) {
        shape5[1] = kvHeads;
        shape5[2] = group;
      }
      mask = expandTo(rewriter, loc, mask, shape5, {{0}, {1, 2}, {3}, {4}});
      maskInputs.push_back(mask);
    }
    auto scoreType = RankedTensorType::get(scoreShape, accType);
    bool causal = op.getCausal();
    scores = buildElementwise(
        rewriter, loc, maskInputs, scoreType,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value s = arith::MulFOp::create(
              b, loc, args[0], createConstant(b, loc, accType, scale));
          Value minusInf;
          if (boolMask || causal)
            minusInf = createLowest(b, loc, accType);
          if (mask && boolMask)
            s = arith::SelectOp::create(b, loc, args[1], s, minusInf);
          else if (mask)
            s = arith::AddFOp::create(b, loc, s,
                                      convertScalar(b, loc, args[1], accType));
          if (causal) {
            // Bottom-right aligned: key j is visible to query i when
            // j <= i + (Skv - Sq).
            Value row = linalg::IndexOp::create(b, loc, 3);
            Value column = linalg::IndexOp::create(b, loc, 4);
            Value limit = arith::AddIOp::create(
                b, loc, row,
                arith::ConstantIndexOp::create(b, loc, seqKv - seqQ));
            Value visible = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::sle, column, limit);
            s = arith::SelectOp::create(b, loc, visible, s, minusInf);
          }
          return s;
        });

    // 3-4. Probabilities along the key positions.
    Value probabilities = buildSoftmax(rewriter, loc, scores, 4, accType);

    // 5. Weighted sum of the values; loop 5 is now e and loop 4 (j) the
    // reduction.
    AffineExpr e = d;
    AffineMap outputMap;
    SmallVector<int64_t> outputShape;
    if (packed) {
      valueMap = map6({bt, j, kv, e});
      outputMap = map6({bt, i, kv, g, e});
      outputShape = {batch, seqQ, kvHeads, group, valueDim};
    } else {
      valueMap = map6({bt, kv, j, e});
      outputMap = map6({bt, kv, g, i, e});
      outputShape = {batch, kvHeads, group, seqQ, valueDim};
    }
    Value output = buildGeneric(
        rewriter, loc, ValueRange{probabilities, value},
        {map6({bt, kv, g, i, j}), valueMap},
        createFilled(rewriter, loc, outputShape, zero), outputMap, {4},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value v = convertScalar(b, loc, args[1], accType);
          return arith::AddFOp::create(
              b, loc, args[2], arith::MulFOp::create(b, loc, args[0], v));
        });
    if (accType != elementType)
      output =
          buildElementwise(rewriter, loc, output,
                           RankedTensorType::get(outputShape, elementType),
                           [&](OpBuilder &b, Location loc, ValueRange args) {
                             return convertScalar(b, loc, args[0], elementType);
                           });
    SmallVector<ReassociationIndices> merge =
        packed ? SmallVector<ReassociationIndices>{{0}, {1}, {2, 3, 4}}
               : SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}};
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, resultType, output,
                                                         merge);
    return success();
  }
};

/// Rotary embedding on slices: the rotated features are read as two
/// [..., S, R/2] slices (the halves, or the even and odd features with
/// stride 2 when interleaved), rotated by one linalg.generic each that reads
/// cos/sin with broadcasting maps, and inserted back into the input, which
/// keeps the pass-through features [R, D).
struct RopeOpLowering : OpConversionPattern<xf::RopeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::RopeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    Type accType = getComputeType(elementType);
    int64_t last = type.getRank() - 1;
    int64_t half =
        cast<RankedTensorType>(adaptor.getCos().getType()).getShape().back();
    bool interleaved = op.getInterleaved();
    // Rotate half: (x[i], x[i + R/2]); interleaved: (x[2i], x[2i + 1]).
    int64_t secondOffset = interleaved ? 1 : half;
    int64_t stride = interleaved ? 2 : 1;
    Value first = sliceAlong(rewriter, loc, input, last, 0, half, stride);
    Value second =
        sliceAlong(rewriter, loc, input, last, secondOffset, half, stride);
    auto halfType = cast<RankedTensorType>(first.getType());

    // first' = first·cos − second·sin; second' = second·cos + first·sin.
    auto rotate = [&](bool isFirst) {
      return buildElementwise(
          rewriter, loc,
          ValueRange{first, second, adaptor.getCos(), adaptor.getSin()},
          halfType, [&](OpBuilder &b, Location loc, ValueRange args) {
            Value x1 = convertScalar(b, loc, args[0], accType);
            Value x2 = convertScalar(b, loc, args[1], accType);
            Value cos = convertScalar(b, loc, args[2], accType);
            Value sin = convertScalar(b, loc, args[3], accType);
            Value result;
            if (isFirst) {
              Value straight = arith::MulFOp::create(b, loc, x1, cos);
              Value crossed = arith::MulFOp::create(b, loc, x2, sin);
              result = arith::SubFOp::create(b, loc, straight, crossed);
            } else {
              Value straight = arith::MulFOp::create(b, loc, x2, cos);
              Value crossed = arith::MulFOp::create(b, loc, x1, sin);
              result = arith::AddFOp::create(b, loc, straight, crossed);
            }
            return convertScalar(b, loc, result, elementType);
          });
    };
    Value rotatedFirst = rotate(true);
    Value rotatedSecond = rotate(false);

    MLIRContext *context = getContext();
    auto insert = [&](Value source, Value dest, int64_t offset) {
      SmallVector<int64_t> offsets(type.getRank(), 0);
      SmallVector<int64_t> strides(type.getRank(), 1);
      offsets[last] = offset;
      strides[last] = stride;
      return tensor::InsertSliceOp::create(
                 rewriter, loc, source, dest,
                 getAsIndexOpFoldResult(context, offsets),
                 getAsIndexOpFoldResult(context, halfType.getShape()),
                 getAsIndexOpFoldResult(context, strides))
          .getResult();
    };
    Value result = insert(rotatedFirst, input, 0);
    result = insert(rotatedSecond, result, secondOffset);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void xfc::xftolinalg::populateAttentionPatterns(TypeConverter &typeConverter,
                                                RewritePatternSet &patterns) {
  patterns.add<AttentionOpLowering, RopeOpLowering>(typeConverter,
                                                    patterns.getContext());
}
