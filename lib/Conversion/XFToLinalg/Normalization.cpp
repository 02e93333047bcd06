//===- Normalization.cpp - Reductions, norms and softmax to linalg --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// reduce_sum / reduce_mean / reduce_max become linalg.reduce. layer_norm,
// rms_norm and softmax become a few linalg.generic ops: reductions whose
// output map drops the normalized dimensions, then one elementwise pass that
// reads the statistics back through the same map. Sums of narrow floats
// accumulate in f32 (getComputeType): an f16 sum over 4096 features loses
// most of its bits otherwise. A layer_norm with a residual reads both
// tensors in each of its loops and adds them there, so `input + residual`
// is never materialized.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace xfc::xftolinalg;
namespace xf = xfc::xf;

namespace {

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class ReduceKind { Sum, Mean, Max };

template <typename OpTy> constexpr ReduceKind getReduceKind() {
  if constexpr (std::is_same_v<OpTy, xf::ReduceSumOp>)
    return ReduceKind::Sum;
  else if constexpr (std::is_same_v<OpTy, xf::ReduceMeanOp>)
    return ReduceKind::Mean;
  else
    return ReduceKind::Max;
}

/// reduce_sum, reduce_mean, reduce_max: a linalg.reduce over the sorted
/// axes, then (mean, narrow floats) one elementwise pass, then an
/// expand_shape that puts back the size-1 dimensions of `keep_dims`.
template <typename OpTy> struct ReduceOpLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    constexpr ReduceKind kind = getReduceKind<OpTy>();
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = inputType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    // max is exact in any type; sums widen narrow floats.
    Type accType =
        kind == ReduceKind::Max ? elementType : getComputeType(elementType);

    SmallVector<int64_t> dims;
    for (int64_t axis : op.getAxes())
      dims.push_back(normalizeAxis(axis, inputType.getRank()));
    llvm::sort(dims);
    SmallVector<int64_t> reducedShape;
    int64_t count = 1;
    for (auto [dim, size] : llvm::enumerate(inputType.getShape())) {
      if (llvm::is_contained(dims, static_cast<int64_t>(dim)))
        count *= size;
      else
        reducedShape.push_back(size);
    }

    Value identity = kind == ReduceKind::Max
                         ? createLowest(rewriter, loc, accType)
                         : createConstant(rewriter, loc, accType, 0);
    Value init = createFilled(rewriter, loc, reducedShape, identity);
    auto reduce = linalg::ReduceOp::create(
        rewriter, loc, input, init, dims,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value element = convertScalar(b, loc, args[0], accType);
          Value combined;
          if (kind == ReduceKind::Max)
            combined =
                isFloat
                    ? Value(arith::MaximumFOp::create(b, loc, element, args[1]))
                    : Value(arith::MaxSIOp::create(b, loc, element, args[1]));
          else
            combined =
                isFloat
                    ? Value(arith::AddFOp::create(b, loc, element, args[1]))
                    : Value(arith::AddIOp::create(b, loc, element, args[1]));
          linalg::YieldOp::create(b, loc, combined);
        });
    Value result = reduce.getResult(0);

    if (kind == ReduceKind::Mean || accType != elementType) {
      auto finalType = RankedTensorType::get(reducedShape, elementType);
      result = buildElementwise(
          rewriter, loc, result, finalType,
          [&](OpBuilder &b, Location loc, ValueRange args) {
            Value value = args[0];
            if (kind == ReduceKind::Mean) {
              // Integer means truncate toward zero (divsi).
              Value divisor = createConstant(b, loc, accType, count);
              value =
                  isFloat
                      ? Value(arith::DivFOp::create(b, loc, value, divisor))
                      : Value(arith::DivSIOp::create(b, loc, value, divisor));
            }
            return convertScalar(b, loc, value, elementType);
          });
    }
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, result, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

/// The maps that read the per-row statistics (loops [0, axis)) and the
/// per-feature parameters (loops [axis, rank)) inside a loop nest over the
/// whole input.
struct NormMaps {
  AffineMap identity, outer, inner;
  SmallVector<int64_t> outerShape, reductionDims;
  int64_t count = 1;

  NormMaps(MLIRContext *context, ArrayRef<int64_t> shape, int64_t axis) {
    unsigned rank = shape.size();
    identity = AffineMap::getMultiDimIdentityMap(rank, context);
    SmallVector<AffineExpr> outerExprs, innerExprs;
    for (unsigned dim = 0; dim < rank; ++dim) {
      AffineExpr expr = getAffineDimExpr(dim, context);
      if (static_cast<int64_t>(dim) < axis) {
        outerExprs.push_back(expr);
        outerShape.push_back(shape[dim]);
      } else {
        innerExprs.push_back(expr);
        reductionDims.push_back(dim);
        count *= shape[dim];
      }
    }
    outer = AffineMap::get(rank, 0, outerExprs, context);
    inner = AffineMap::get(rank, 0, innerExprs, context);
  }
};

/// The normalized tensors, read through the identity map: the input, and
/// the residual added to it when there is one.
struct NormInput {
  Value input, residual;

  unsigned size() const { return residual ? 2 : 1; }

  /// Appends the normalized tensors and their (identity) maps.
  void appendTo(SmallVectorImpl<Value> &inputs,
                SmallVectorImpl<AffineMap> &inputMaps,
                const NormMaps &maps) const {
    inputs.push_back(input);
    inputMaps.push_back(maps.identity);
    if (residual) {
      inputs.push_back(residual);
      inputMaps.push_back(maps.identity);
    }
  }

  /// The element at one point from the block arguments `args` (which start
  /// with the normalized tensors), in `accType`. The residual is added in
  /// the element type, rounding as a separate xf.add would.
  Value read(OpBuilder &b, Location loc, ValueRange args, Type accType) const {
    Value x = args[0];
    if (residual)
      x = arith::AddFOp::create(b, loc, x, args[1]);
    return convertScalar(b, loc, x, accType);
  }
};

/// Sums `term(x)` over the inner dimensions into an f32 (compute type)
/// tensor of the outer shape. `extra` are more inputs read per row.
Value buildRowSum(
    OpBuilder &b, Location loc, const NormMaps &maps, const NormInput &input,
    ValueRange extra, Type accType,
    llvm::function_ref<Value(OpBuilder &, Location, Value, ValueRange)> term) {
  Value init =
      createFilled(b, loc, maps.outerShape, createConstant(b, loc, accType, 0));
  SmallVector<Value> inputs;
  SmallVector<AffineMap> inputMaps;
  input.appendTo(inputs, inputMaps, maps);
  llvm::append_range(inputs, extra);
  inputMaps.append(extra.size(), maps.outer);
  return buildGeneric(
      b, loc, inputs, inputMaps, init, maps.outer, maps.reductionDims,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value x = input.read(b, loc, args, accType);
        Value value = term(b, loc, x, args.slice(input.size(), extra.size()));
        return arith::AddFOp::create(b, loc, value, args.back());
      });
}

/// `x / count` for a statistic, in the compute type.
Value divideByCount(OpBuilder &b, Location loc, Value sum, int64_t count) {
  return arith::DivFOp::create(b, loc, sum,
                               createConstant(b, loc, sum.getType(), count));
}

/// Two-pass layer norm: mean, then the biased variance of `x - mean` (more
/// accurate than E[x²] - E[x]² when the mean is large), then
/// `(x - mean) · rsqrt(var + ε) · γ + β`, where `x` is `input + residual`
/// when there is a residual, recomputed in each of the three loops.
struct LayerNormOpLowering : OpConversionPattern<xf::LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    Location loc = op.getLoc();
    NormInput input{adaptor.getInput(), adaptor.getResidual()};
    auto type = cast<RankedTensorType>(input.input.getType());
    Type elementType = type.getElementType();
    Type accType = getComputeType(elementType);
    NormMaps maps(getContext(), type.getShape(),
                  normalizeAxis(op.getAxis(), type.getRank()));
    int64_t count = maps.count;
    double epsilon = op.getEpsilon().convertToDouble();

    auto identityTerm = [](OpBuilder &, Location, Value x, ValueRange) {
      return x;
    };
    Value sum =
        buildRowSum(rewriter, loc, maps, input, {}, accType, identityTerm);
    Value squares =
        buildRowSum(rewriter, loc, maps, input, sum, accType,
                    [&](OpBuilder &b, Location loc, Value x, ValueRange stats) {
                      Value centered = arith::SubFOp::create(
                          b, loc, x, divideByCount(b, loc, stats[0], count));
                      return arith::MulFOp::create(b, loc, centered, centered);
                    });

    SmallVector<Value> inputs;
    SmallVector<AffineMap> inputMaps;
    input.appendTo(inputs, inputMaps, maps);
    unsigned first = input.size();
    inputs.append({sum, squares});
    inputMaps.append({maps.outer, maps.outer});
    for (Value param : {adaptor.getScale(), adaptor.getBias()}) {
      if (!param)
        continue;
      inputs.push_back(param);
      inputMaps.push_back(maps.inner);
    }
    bool hasScale = static_cast<bool>(adaptor.getScale());
    bool hasBias = static_cast<bool>(adaptor.getBias());
    Value init = createEmpty(rewriter, loc, type.getShape(), elementType);
    Value result = buildGeneric(
        rewriter, loc, inputs, inputMaps, init, maps.identity, {},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = input.read(b, loc, args, accType);
          Value mean = divideByCount(b, loc, args[first], count);
          Value variance = divideByCount(b, loc, args[first + 1], count);
          Value rstd = math::RsqrtOp::create(
              b, loc,
              arith::AddFOp::create(b, loc, variance,
                                    createConstant(b, loc, accType, epsilon)));
          Value y = arith::MulFOp::create(
              b, loc, arith::SubFOp::create(b, loc, x, mean), rstd);
          unsigned next = first + 2;
          if (hasScale)
            y = arith::MulFOp::create(
                b, loc, y, convertScalar(b, loc, args[next++], accType));
          if (hasBias)
            y = arith::AddFOp::create(
                b, loc, y, convertScalar(b, loc, args[next++], accType));
          return convertScalar(b, loc, y, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `x · rsqrt(mean(x²) + ε) · γ`.
struct RMSNormOpLowering : OpConversionPattern<xf::RMSNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::RMSNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    Type accType = getComputeType(elementType);
    NormMaps maps(getContext(), type.getShape(),
                  normalizeAxis(op.getAxis(), type.getRank()));
    int64_t count = maps.count;
    double epsilon = op.getEpsilon().convertToDouble();

    Value squares =
        buildRowSum(rewriter, loc, maps, NormInput{input, {}}, {}, accType,
                    [](OpBuilder &b, Location loc, Value x, ValueRange) {
                      return arith::MulFOp::create(b, loc, x, x);
                    });
    SmallVector<Value> inputs = {input, squares};
    SmallVector<AffineMap> inputMaps = {maps.identity, maps.outer};
    if (Value scale = adaptor.getScale()) {
      inputs.push_back(scale);
      inputMaps.push_back(maps.inner);
    }
    bool hasScale = static_cast<bool>(adaptor.getScale());
    Value init = createEmpty(rewriter, loc, type.getShape(), elementType);
    Value result = buildGeneric(
        rewriter, loc, inputs, inputMaps, init, maps.identity, {},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value x = convertScalar(b, loc, args[0], accType);
          Value meanSquare = divideByCount(b, loc, args[1], count);
          Value rms = math::RsqrtOp::create(
              b, loc,
              arith::AddFOp::create(b, loc, meanSquare,
                                    createConstant(b, loc, accType, epsilon)));
          Value y = arith::MulFOp::create(b, loc, x, rms);
          if (hasScale)
            y = arith::MulFOp::create(b, loc, y,
                                      convertScalar(b, loc, args[2], accType));
          return convertScalar(b, loc, y, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

/// `exp(x - max) / sum(exp(x - max))` along `axis` of `input`, computed in
/// the compute type and returned as a tensor of `resultElementType`.
/// Attention's decomposition reuses it on its scores.
Value xfc::xftolinalg::buildSoftmax(OpBuilder &b, Location loc, Value input,
                                    int64_t axis, Type resultElementType) {
  auto type = cast<RankedTensorType>(input.getType());
  Type accType = getComputeType(type.getElementType());
  unsigned rank = type.getRank();
  MLIRContext *context = b.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
  AffineMap row = identity.dropResult(axis);
  SmallVector<int64_t> rowShape(type.getShape());
  rowShape.erase(rowShape.begin() + axis);

  Value maxInit = createFilled(b, loc, rowShape, createLowest(b, loc, accType));
  Value max = buildGeneric(
      b, loc, input, identity, maxInit, row, {axis},
      [&](OpBuilder &b, Location loc, ValueRange args) {
        return arith::MaximumFOp::create(
            b, loc, convertScalar(b, loc, args[0], accType), args[1]);
      });
  auto shiftedExp = [&](OpBuilder &b, Location loc, Value x, Value rowMax) {
    return math::ExpOp::create(
        b, loc,
        arith::SubFOp::create(b, loc, convertScalar(b, loc, x, accType),
                              rowMax));
  };
  Value sumInit =
      createFilled(b, loc, rowShape, createConstant(b, loc, accType, 0));
  Value sum = buildGeneric(
      b, loc, ValueRange{input, max}, {identity, row}, sumInit, row, {axis},
      [&](OpBuilder &b, Location loc, ValueRange args) {
        return arith::AddFOp::create(
            b, loc, shiftedExp(b, loc, args[0], args[1]), args[2]);
      });
  Value init = createEmpty(b, loc, type.getShape(), resultElementType);
  return buildGeneric(
      b, loc, ValueRange{input, max, sum}, {identity, row, row}, init, identity,
      {}, [&](OpBuilder &b, Location loc, ValueRange args) {
        Value probability = arith::DivFOp::create(
            b, loc, shiftedExp(b, loc, args[0], args[1]), args[2]);
        return convertScalar(b, loc, probability, resultElementType);
      });
}

namespace {

/// Max-subtracted softmax: a max reduction, a sum of shifted exponentials,
/// then one normalizing pass (three linalg.generic ops).
struct SoftmaxOpLowering : OpConversionPattern<xf::SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(xf::SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return notifyDynamicShape(rewriter, op);
    auto type = op.getType();
    Value result = buildSoftmax(rewriter, op.getLoc(), adaptor.getInput(),
                                normalizeAxis(op.getAxis(), type.getRank()),
                                type.getElementType());
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void xfc::xftolinalg::populateNormalizationPatterns(
    TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<ReduceOpLowering<xf::ReduceSumOp>,
               ReduceOpLowering<xf::ReduceMeanOp>,
               ReduceOpLowering<xf::ReduceMaxOp>, LayerNormOpLowering,
               RMSNormOpLowering, SoftmaxOpLowering>(typeConverter,
                                                     patterns.getContext());
}
