//===- OpsNN.cpp - GEMM, normalization, attention ONNX operators ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// MatMul, Gemm, LayerNormalization, RMSNormalization, Softmax, reductions,
// the opset-23 Attention and RotaryEmbedding, and the one convolution that
// Transformers use (ViT's patch embedding, kernel = stride, no padding),
// which is a reshape, a transpose and a linear layer.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "xfc/Dialect/XF/XFTypes.h"

using namespace mlir;

namespace xfc::onnx_import {
namespace {

LogicalResult importMatMul(NodeContext &ctx) {
  FailureOr<Value> lhs = ctx.requiredInput(0);
  FailureOr<Value> rhs = ctx.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  // numpy.matmul promotes 1-D operands to matrices and drops that dim after.
  ArrayRef<int64_t> lhsShape = NodeContext::typeOf(*lhs).getShape();
  ArrayRef<int64_t> rhsShape = NodeContext::typeOf(*rhs).getShape();
  bool lhsVector = lhsShape.size() == 1, rhsVector = rhsShape.size() == 1;
  if (lhsVector)
    lhs = reshapeTo(ctx, *lhs, {1, lhsShape[0]});
  if (rhsVector)
    rhs = reshapeTo(ctx, *rhs, {rhsShape[0], 1});
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> result = ctx.createValue<xf::MatmulOp>({*lhs, *rhs});
  if (failed(result))
    return failure();
  if (lhsVector || rhsVector) {
    SmallVector<int64_t> shape(NodeContext::typeOf(*result).getShape());
    if (rhsVector)
      shape.pop_back();
    if (lhsVector)
      shape.erase(shape.end() - (rhsVector ? 1 : 2));
    result = reshapeTo(ctx, *result, shape);
    if (failed(result))
      return failure();
  }
  ctx.setResult(0, *result);
  return success();
}

/// Gemm: alpha·op(A)·op(B) + beta·C. The common form (transB, alpha = beta
/// = 1, C a bias vector) is exactly xf.linear.
LogicalResult importGemm(NodeContext &ctx) {
  FailureOr<Value> a = ctx.requiredInput(0);
  FailureOr<Value> b = ctx.requiredInput(1);
  if (failed(a) || failed(b))
    return failure();
  Value c = ctx.input(2);
  float alpha = ctx.getFloat("alpha", 1.0f), beta = ctx.getFloat("beta", 1.0f);
  bool transA = ctx.getInt("transA", 0) != 0;
  bool transB = ctx.getInt("transB", 0) != 0;
  if (ctx.hasFailed())
    return failure();
  if (NodeContext::typeOf(*a).getRank() != 2 ||
      NodeContext::typeOf(*b).getRank() != 2)
    return ctx.emitError() << "A and B must be matrices (rank 2)";
  Type elementType = NodeContext::typeOf(*a).getElementType();

  // A bias that is the same for every row ([N], [1, N], [1], scalar) is
  // xf.linear's bias vector.
  int64_t n = NodeContext::typeOf(*b).getDimSize(0);
  auto isRowBias = [&](Value bias) {
    ArrayRef<int64_t> shape = NodeContext::typeOf(bias).getShape();
    return shape.size() <= 2 && xf::broadcastsTo(shape, {1, n});
  };
  if (transB && !transA && alpha == 1.0f && (!c || beta == 1.0f) &&
      (!c || isRowBias(c))) {
    SmallVector<Value> operands = {*a, *b};
    if (c) {
      RankedTensorType cType = NodeContext::typeOf(c);
      FailureOr<Value> bias = reshapeTo(
          ctx, c, {cType.getNumElements()});
      if (succeeded(bias) && cType.getNumElements() != n)
        bias = ctx.foldValue(xf::ExpandOp::create(
            ctx.builder, ctx.loc, cType.clone(SmallVector<int64_t>{n}), *bias));
      if (failed(bias))
        return failure();
      operands.push_back(*bias);
    }
    FailureOr<Value> result = ctx.createValue<xf::LinearOp>(operands);
    if (failed(result))
      return failure();
    ctx.setResult(0, *result);
    return success();
  }

  SmallVector<NamedAttribute> flags;
  if (transA)
    flags.push_back(ctx.builder.getNamedAttr("transpose_lhs",
                                             ctx.builder.getUnitAttr()));
  if (transB)
    flags.push_back(ctx.builder.getNamedAttr("transpose_rhs",
                                             ctx.builder.getUnitAttr()));
  FailureOr<Value> result = ctx.createValue<xf::MatmulOp>({*a, *b}, flags);
  if (succeeded(result) && alpha != 1.0f)
    result = ctx.createValue<xf::MulOp>(
        {*result, ctx.scalar(elementType, alpha)});
  if (succeeded(result) && c) {
    Value bias = c;
    if (beta != 1.0f) {
      FailureOr<Value> scaled =
          ctx.createValue<xf::MulOp>({c, ctx.scalar(elementType, beta)});
      if (failed(scaled))
        return failure();
      bias = *scaled;
    }
    result = ctx.createValue<xf::AddOp>({*result, bias});
  }
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// ONNX lets a normalization's scale and bias broadcast to the normalized
/// shape input.shape[axis:]; xf wants exactly that shape.
LogicalResult expandToNormalizedShape(NodeContext &ctx,
                                      ArrayRef<int64_t> inputShape,
                                      int64_t axis,
                                      MutableArrayRef<Value> params) {
  SmallVector<int64_t> paramShape(inputShape.drop_front(axis));
  for (Value &param : params) {
    RankedTensorType type = NodeContext::typeOf(param);
    if (type.getShape() == ArrayRef(paramShape))
      continue;
    if (!xf::broadcastsTo(type.getShape(), paramShape))
      return ctx.emitError() << "scale/bias shape "
                             << xf::formatShape(type.getShape())
                             << " does not broadcast to the normalized shape "
                             << xf::formatShape(paramShape);
    param = ctx.foldValue(xf::ExpandOp::create(
        ctx.builder, ctx.loc, type.clone(paramShape), param));
  }
  return success();
}

LogicalResult importLayerNorm(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  Value scale = ctx.input(1), bias = ctx.input(2);
  SmallVector<Value> operands = {*input};
  if (scale)
    operands.push_back(scale);
  if (bias)
    operands.push_back(bias);
  int64_t axis = ctx.getInt("axis", -1);
  float epsilon = ctx.getFloat("epsilon", 1e-5f);
  if (ctx.hasFailed())
    return failure();
  ArrayRef<int64_t> shape = NodeContext::typeOf(*input).getShape();
  FailureOr<int64_t> normalized =
      normalizeAxisOrError(ctx, axis, shape.size());
  if (failed(normalized) ||
      failed(expandToNormalizedShape(ctx, shape, *normalized,
                                     MutableArrayRef(operands).drop_front())))
    return failure();
  // The optional Mean and InvStdDev outputs (training leftovers, but part of
  // the operator) are recomputed from the input when they are used.
  bool wantsStats = (ctx.getNumOutputs() > 1 && !ctx.node.output(1).empty()) ||
                    (ctx.getNumOutputs() > 2 && !ctx.node.output(2).empty());
  if (wantsStats) {
    SmallVector<int64_t> axes;
    for (int64_t d = *normalized; d < static_cast<int64_t>(shape.size()); ++d)
      axes.push_back(d);
    SmallVector<NamedAttribute> reduceAttrs = {
        ctx.builder.getNamedAttr("axes", ctx.builder.getDenseI64ArrayAttr(axes)),
        ctx.builder.getNamedAttr("keep_dims", ctx.builder.getUnitAttr())};
    // stash_type (default FLOAT): the statistics are float32 whatever the
    // input's type.
    Type elementType = ctx.builder.getF32Type();
    RankedTensorType inputType = NodeContext::typeOf(*input);
    Value wide = *input;
    if (inputType.getElementType() != elementType)
      wide = xf::CastOp::create(ctx.builder, ctx.loc,
                                inputType.clone(elementType), *input);
    FailureOr<Value> mean =
        ctx.createValue<xf::ReduceMeanOp>({wide}, reduceAttrs);
    FailureOr<Value> centered =
        succeeded(mean) ? ctx.createValue<xf::SubOp>({wide, *mean}) : mean;
    FailureOr<Value> squared =
        succeeded(centered) ? ctx.createValue<xf::MulOp>({*centered, *centered})
                            : centered;
    FailureOr<Value> variance =
        succeeded(squared)
            ? ctx.createValue<xf::ReduceMeanOp>({*squared}, reduceAttrs)
            : squared;
    FailureOr<Value> shifted =
        succeeded(variance)
            ? ctx.createValue<xf::AddOp>(
                  {*variance, ctx.scalar(elementType, epsilon)})
            : variance;
    if (failed(shifted))
      return failure();
    Value invStdDev = xf::RsqrtOp::create(ctx.builder, ctx.loc,
                                          shifted->getType(), *shifted);
    ctx.setResult(1, *mean);
    ctx.setResult(2, invStdDev);
  }
  auto op = ctx.create<xf::LayerNormOp>(
      operands,
      {ctx.namedInt("axis", axis),
       ctx.builder.getNamedAttr("epsilon", ctx.builder.getF32FloatAttr(epsilon)),
       ctx.builder.getNamedAttr(
           "operandSegmentSizes",
           ctx.builder.getDenseI32ArrayAttr(
               {1, /*residual=*/0, scale ? 1 : 0, bias ? 1 : 0}))});
  if (failed(op))
    return failure();
  ctx.setResult(0, op->getResult());
  return success();
}

LogicalResult importRMSNorm(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  SmallVector<Value> operands = {*input};
  if (Value scale = ctx.input(1))
    operands.push_back(scale);
  int64_t axis = ctx.getInt("axis", -1);
  ArrayRef<int64_t> shape = NodeContext::typeOf(*input).getShape();
  FailureOr<int64_t> normalized = normalizeAxisOrError(ctx, axis, shape.size());
  if (failed(normalized) ||
      failed(expandToNormalizedShape(ctx, shape, *normalized,
                                     MutableArrayRef(operands).drop_front())))
    return failure();
  FailureOr<Value> result = ctx.createValue<xf::RMSNormOp>(
      operands,
      {ctx.namedInt("axis", axis),
       ctx.builder.getNamedAttr(
           "epsilon",
           ctx.builder.getF32FloatAttr(ctx.getFloat("epsilon", 1e-5f)))});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importSoftmax(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t axis = ctx.getInt("axis", -1);
  if (ctx.hasFailed() ||
      failed(normalizeAxisOrError(ctx, axis,
                                  NodeContext::typeOf(*input).getRank())))
    return failure();
  auto op = xf::SoftmaxOp::create(ctx.builder, ctx.loc, input->getType(),
                                              *input, axis);
  ctx.setResult(0, op);
  return success();
}

/// ReduceSum has taken its axes as an input since opset 13; ReduceMean and
/// ReduceMax since opset 18.
template <typename OpTy, int64_t axesInputSince>
LogicalResult importReduce(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = NodeContext::typeOf(*input).getRank();
  std::optional<SmallVector<int64_t>> axes;
  if (ctx.opset >= axesInputSince) {
    if (ctx.hasAttr("axes"))
      return ctx.emitError() << "attribute 'axes' is not allowed from opset "
                             << axesInputSince << "; axes are input 1";
    if (ctx.input(1)) {
      FailureOr<SmallVector<int64_t>> given = ctx.requireConstantInts(1, "axes");
      if (failed(given))
        return failure();
      axes = *given;
    }
  } else {
    axes = ctx.getInts("axes");
  }
  bool keepDims = ctx.getInt("keepdims", 1) != 0;
  bool noopWithEmptyAxes = ctx.getInt("noop_with_empty_axes", 0) != 0;
  if (ctx.hasFailed())
    return failure();
  if (!axes || axes->empty()) {
    if (noopWithEmptyAxes) {
      ctx.setResult(0, *input);
      return success();
    }
    axes = SmallVector<int64_t>();
    for (int64_t d = 0; d < rank; ++d)
      axes->push_back(d);
  }
  SmallVector<NamedAttribute> attrs = {ctx.builder.getNamedAttr(
      "axes", ctx.builder.getDenseI64ArrayAttr(*axes))};
  if (keepDims)
    attrs.push_back(
        ctx.builder.getNamedAttr("keep_dims", ctx.builder.getUnitAttr()));
  if (rank == 0) {
    ctx.setResult(0, *input);
    return success();
  }
  FailureOr<Value> result = ctx.createValue<OpTy>({*input}, attrs);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// [B, S, H·D] -> [B, H, S, D].
FailureOr<Value> splitHeads(NodeContext &ctx, Value value, int64_t heads) {
  RankedTensorType type = NodeContext::typeOf(value);
  int64_t batch = type.getDimSize(0), seq = type.getDimSize(1),
          hidden = type.getDimSize(2);
  if (heads <= 0 || hidden % heads != 0)
    return ctx.emitError() << heads << " heads do not divide the hidden size "
                           << hidden;
  FailureOr<Value> split =
      reshapeTo(ctx, value, {batch, seq, heads, hidden / heads});
  if (failed(split))
    return failure();
  return transposeTo(ctx, *split, {0, 2, 1, 3});
}

/// ONNX Attention (opset 23). Rank-3 inputs are split into heads first, so
/// past key/value (always [B, H, S, D]) concatenate, and present key/value
/// come out in the spec's layout. ONNX's is_causal lets query i see keys
/// j <= i + past length; xf.attention's causal is aligned bottom-right, so
/// when the two differ the triangle becomes an explicit mask.
LogicalResult importAttention(NodeContext &ctx) {
  FailureOr<Value> q = ctx.requiredInput(0);
  FailureOr<Value> k = ctx.requiredInput(1);
  FailureOr<Value> v = ctx.requiredInput(2);
  if (failed(q) || failed(k) || failed(v))
    return failure();
  Value mask = ctx.input(3), pastKey = ctx.input(4), pastValue = ctx.input(5);
  int64_t rank = NodeContext::typeOf(*q).getRank();
  bool isCausal = ctx.getInt("is_causal", 0) != 0;
  float softcap = ctx.getFloat("softcap", 0.0f);
  int64_t qkOutputMode = ctx.getInt("qk_matmul_output_mode", 0);
  if (ctx.hasFailed())
    return failure();
  if (softcap != 0.0f)
    return ctx.emitError() << "softcap is not supported";
  if (ctx.input(6))
    return ctx.emitError() << "the nonpad_kv_seqlen input (opset 24) is not "
                              "supported";
  if (ctx.getNumOutputs() > 3 && !ctx.node.output(3).empty())
    return ctx.emitError() << "the qk_matmul_output output (mode "
                           << qkOutputMode << ") is not supported";
  if (rank != 3 && rank != 4)
    return ctx.emitError() << "Q must have rank 3 or 4";
  if (rank == 3) {
    int64_t numHeads = ctx.getInt("q_num_heads", 0);
    int64_t numKvHeads = ctx.getInt("kv_num_heads", 0);
    if (numHeads <= 0 || numKvHeads <= 0)
      return ctx.emitError() << "rank-3 inputs need positive q_num_heads "
                                "and kv_num_heads attributes";
    q = splitHeads(ctx, *q, numHeads);
    if (failed(q))
      return failure();
    k = splitHeads(ctx, *k, numKvHeads);
    if (failed(k))
      return failure();
    v = splitHeads(ctx, *v, numKvHeads);
    if (failed(v))
      return failure();
  }
  if ((pastKey != nullptr) != (pastValue != nullptr))
    return ctx.emitError() << "past_key and past_value must be given together";
  int64_t pastLength = 0;
  if (pastKey) {
    RankedTensorType pastType = NodeContext::typeOf(pastKey);
    if (pastType.getRank() != 4)
      return ctx.emitError() << "past_key must have rank 4 [B, H, S, D]";
    pastLength = pastType.getDimSize(2);
    k = ctx.createValue<xf::ConcatOp>({pastKey, *k}, {ctx.namedInt("axis", 2)});
    if (failed(k))
      return failure();
    v = ctx.createValue<xf::ConcatOp>({pastValue, *v},
                                      {ctx.namedInt("axis", 2)});
    if (failed(v))
      return failure();
  }
  RankedTensorType qType = NodeContext::typeOf(*q);
  RankedTensorType kType = NodeContext::typeOf(*k);
  int64_t seqQ = qType.getDimSize(2), seqKv = kType.getDimSize(2);
  SmallVector<NamedAttribute> attrs = {
      ctx.namedInt("num_heads", qType.getDimSize(1)),
      ctx.namedInt("num_kv_heads", kType.getDimSize(1))};
  if (ctx.hasAttr("scale"))
    attrs.push_back(ctx.builder.getNamedAttr(
        "scale", ctx.builder.getF32FloatAttr(ctx.getFloat("scale", 1.0f))));
  // ONNX: query i sees key j when j <= i + past length. That is xf's
  // bottom-right alignment exactly when past length = Skv - Sq.
  if (isCausal && pastLength == seqKv - seqQ) {
    attrs.push_back(
        ctx.builder.getNamedAttr("causal", ctx.builder.getUnitAttr()));
  } else if (isCausal) {
    SmallVector<bool> keep;
    for (int64_t i = 0; i < seqQ; ++i)
      for (int64_t j = 0; j < seqKv; ++j)
        keep.push_back(j <= i + pastLength);
    Value triangle = ctx.constant(DenseElementsAttr::get(
        RankedTensorType::get({seqQ, seqKv}, ctx.builder.getI1Type()), keep));
    if (!mask) {
      mask = triangle;
    } else {
      Type maskElement = NodeContext::typeOf(mask).getElementType();
      Value masked =
          maskElement.isInteger(1)
              ? ctx.scalar(maskElement, 0)
              : ctx.constant(DenseElementsAttr::get(
                    RankedTensorType::get({}, maskElement),
                    ctx.builder.getFloatAttr(
                        maskElement,
                        APFloat::getInf(cast<FloatType>(maskElement)
                                            .getFloatSemantics(),
                                        /*Negative=*/true))));
      FailureOr<Value> combined =
          ctx.createValue<xf::SelectOp>({triangle, mask, masked});
      if (failed(combined))
        return failure();
      mask = *combined;
    }
  }
  SmallVector<Value> operands = {*q, *k, *v};
  if (mask)
    operands.push_back(mask);
  FailureOr<Value> result = ctx.createValue<xf::AttentionOp>(operands, attrs);
  if (failed(result))
    return failure();
  if (rank == 3) {
    // [B, H, S, Dv] -> [B, S, H·Dv]
    RankedTensorType type = NodeContext::typeOf(*result);
    result = transposeTo(ctx, *result, {0, 2, 1, 3});
    if (succeeded(result))
      result = reshapeTo(ctx, *result,
                         {type.getDimSize(0), type.getDimSize(2),
                          type.getDimSize(1) * type.getDimSize(3)});
    if (failed(result))
      return failure();
  }
  ctx.setResult(0, *result);
  ctx.setResult(1, *k);
  ctx.setResult(2, *v);
  return success();
}

/// ONNX RotaryEmbedding (opset 23): X is [B, S, H*D] (with num_heads) or
/// [B, H, S, D]; the caches are [max_pos, R/2], gathered by position_ids,
/// or already [B, S, R/2] without them.
LogicalResult importRotaryEmbedding(NodeContext &ctx) {
  FailureOr<Value> x = ctx.requiredInput(0);
  FailureOr<Value> cos = ctx.requiredInput(1);
  FailureOr<Value> sin = ctx.requiredInput(2);
  if (failed(x) || failed(cos) || failed(sin))
    return failure();
  Value positions = ctx.input(3);
  bool interleaved = ctx.getInt("interleaved", 0) != 0;
  int64_t numHeads = ctx.getInt("num_heads", 0);
  if (ctx.hasFailed())
    return failure();
  if (positions) {
    cos = ctx.createValue<xf::GatherOp>({*cos, positions},
                                        {ctx.namedInt("axis", 0)});
    sin = ctx.createValue<xf::GatherOp>({*sin, positions},
                                        {ctx.namedInt("axis", 0)});
    if (failed(cos) || failed(sin))
      return failure();
  }
  RankedTensorType type = NodeContext::typeOf(*x);
  Value input = *x;
  int64_t batch = type.getDimSize(0);
  // Bring X to [B, H, S, D] and the caches to [B, 1, S, R/2].
  if (type.getRank() == 3) {
    if (numHeads <= 0 || type.getDimSize(2) % numHeads != 0)
      return ctx.emitError() << "rank-3 input needs a num_heads attribute "
                                "that divides its hidden size";
    int64_t seq = type.getDimSize(1), headDim = type.getDimSize(2) / numHeads;
    FailureOr<Value> split =
        reshapeTo(ctx, input, {batch, seq, numHeads, headDim});
    if (failed(split))
      return failure();
    FailureOr<Value> transposed = transposeTo(ctx, *split, {0, 2, 1, 3});
    if (failed(transposed))
      return failure();
    input = *transposed;
  } else if (type.getRank() != 4) {
    return ctx.emitError() << "input must have rank 3 or 4";
  }
  RankedTensorType cacheType = NodeContext::typeOf(*cos);
  if (cacheType.getRank() == 3) {
    SmallVector<int64_t> shape = {cacheType.getDimSize(0), 1,
                                  cacheType.getDimSize(1),
                                  cacheType.getDimSize(2)};
    cos = reshapeTo(ctx, *cos, shape);
    sin = reshapeTo(ctx, *sin, shape);
    if (failed(cos) || failed(sin))
      return failure();
  }
  SmallVector<NamedAttribute> attrs;
  if (interleaved)
    attrs.push_back(
        ctx.builder.getNamedAttr("interleaved", ctx.builder.getUnitAttr()));
  FailureOr<Value> result =
      ctx.createValue<xf::RopeOp>({input, *cos, *sin}, attrs);
  if (failed(result))
    return failure();
  if (type.getRank() == 3) {
    result = transposeTo(ctx, *result, {0, 2, 1, 3});
    if (succeeded(result))
      result = reshapeTo(ctx, *result, type.getShape());
    if (failed(result))
      return failure();
  }
  ctx.setResult(0, *result);
  return success();
}

/// Conv as ViT's patch embedding: X [B, C, H, W], W [O, C, P, P], stride P,
/// no padding, no dilation, one group. Patches of X become rows of a
/// [B, (H/P)·(W/P), C·P·P] matrix; the result is that times Wᵀ plus the
/// bias, transposed back to [B, O, H/P, W/P].
LogicalResult importConv(NodeContext &ctx) {
  FailureOr<Value> x = ctx.requiredInput(0);
  FailureOr<Value> w = ctx.requiredInput(1);
  if (failed(x) || failed(w))
    return failure();
  Value bias = ctx.input(2);
  RankedTensorType xType = NodeContext::typeOf(*x), wType = NodeContext::typeOf(*w);
  auto unsupported = [&](StringRef why) {
    return ctx.emitError() << "only the patch-embedding convolution "
                              "(2-D, kernel = stride, no padding, no "
                              "dilation, one group) is supported: "
                           << why;
  };
  if (xType.getRank() != 4 || wType.getRank() != 4)
    return unsupported("input and weight must have rank 4");
  int64_t batch = xType.getDimSize(0), channels = xType.getDimSize(1);
  int64_t height = xType.getDimSize(2), width = xType.getDimSize(3);
  int64_t out = wType.getDimSize(0), kh = wType.getDimSize(2),
          kw = wType.getDimSize(3);
  SmallVector<int64_t> strides = ctx.getInts("strides").value_or(
      SmallVector<int64_t>{1, 1});
  SmallVector<int64_t> pads = ctx.getInts("pads").value_or(
      SmallVector<int64_t>{0, 0, 0, 0});
  SmallVector<int64_t> dilations = ctx.getInts("dilations").value_or(
      SmallVector<int64_t>{1, 1});
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (ctx.hasFailed())
    return failure();
  if (ctx.getInt("group", 1) != 1 || wType.getDimSize(1) != channels)
    return unsupported("groups are not supported");
  if (strides != SmallVector<int64_t>{kh, kw})
    return unsupported("strides must equal the kernel size");
  if (llvm::any_of(pads, [](int64_t p) { return p != 0; }) ||
      (autoPad != "NOTSET" && autoPad != "VALID"))
    return unsupported("padding is not supported");
  if (dilations != SmallVector<int64_t>{1, 1})
    return unsupported("dilation is not supported");
  if (height % kh != 0 || width % kw != 0)
    return unsupported("the image size must be a multiple of the patch");
  int64_t gh = height / kh, gw = width / kw;
  // [B, C, gh, kh, gw, kw] -> [B, gh, gw, C, kh, kw] -> [B, gh·gw, C·kh·kw]
  FailureOr<Value> patches =
      reshapeTo(ctx, *x, {batch, channels, gh, kh, gw, kw});
  if (succeeded(patches))
    patches = transposeTo(ctx, *patches, {0, 2, 4, 1, 3, 5});
  if (succeeded(patches))
    patches = reshapeTo(ctx, *patches, {batch, gh * gw, channels * kh * kw});
  FailureOr<Value> weight = reshapeTo(ctx, *w, {out, channels * kh * kw});
  if (failed(patches) || failed(weight))
    return failure();
  SmallVector<Value> operands = {*patches, *weight};
  if (bias)
    operands.push_back(bias);
  FailureOr<Value> result = ctx.createValue<xf::LinearOp>(operands);
  // [B, gh·gw, O] -> [B, O, gh·gw] -> [B, O, gh, gw]
  if (succeeded(result))
    result = transposeTo(ctx, *result, {0, 2, 1});
  if (succeeded(result))
    result = reshapeTo(ctx, *result, {batch, out, gh, gw});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

} // namespace

void registerNNImporters(llvm::StringMap<OpImporter> &table) {
  table["MatMul"] = importMatMul;
  table["Gemm"] = importGemm;
  table["LayerNormalization"] = importLayerNorm;
  table["RMSNormalization"] = importRMSNorm;
  table["Softmax"] = importSoftmax;
  table["ReduceSum"] = importReduce<xf::ReduceSumOp, 13>;
  table["ReduceMean"] = importReduce<xf::ReduceMeanOp, 18>;
  table["ReduceMax"] = importReduce<xf::ReduceMaxOp, 18>;
  table["Attention"] = importAttention;
  table["RotaryEmbedding"] = importRotaryEmbedding;
  table["Conv"] = importConv;
}

} // namespace xfc::onnx_import
