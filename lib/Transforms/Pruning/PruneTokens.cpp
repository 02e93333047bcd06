//===- PruneTokens.cpp - Keep the most important tokens (Zero-TPrune) -----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// After a chosen layer's attention sublayer, the residual stream [B, S, H]
// is gathered at the k most important tokens, and everything computed from
// it afterwards is retyped to k tokens. Importance is the weighted PageRank
// of the attention graph (Zero-TPrune), recomputed from the fused
// attention's query, key and mask with xf ops. Token sets differ per batch
// row, so every gather goes through a flattened [B·S, ...] view and row
// indices `b·S + kept[b, t]` (xf.gather is ONNX Gather, one index set for
// all rows).
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/Sublayers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace xfc {
#define GEN_PASS_DEF_PRUNETOKENSPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc;
namespace xf = xfc::xf;

namespace {

constexpr StringLiteral kKeptTokensName = "xf_kept_tokens";

RankedTensorType withShape(Type type, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape,
                               cast<RankedTensorType>(type).getElementType());
}

/// Builds the xf ops of one pruning step at the builder's insertion point.
struct TokenGatherer {
  OpBuilder &b;
  Location loc;
  int64_t batch, seq;
  /// `b·seq + kept[b, t]`, [B, k] i64.
  Value rows;

  Value constant(ArrayRef<int64_t> shape, Type elementType,
                 ArrayRef<Attribute> values) {
    auto type = RankedTensorType::get(shape, elementType);
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(type, values));
  }
  Value splat(ArrayRef<int64_t> shape, float value) {
    return constant(shape, b.getF32Type(), {b.getF32FloatAttr(value)});
  }
  Value reshape(Value value, ArrayRef<int64_t> shape) {
    if (cast<RankedTensorType>(value.getType()).getShape() == shape)
      return value;
    return xf::ReshapeOp::create(b, loc, withShape(value.getType(), shape),
                                 value);
  }
  Value transpose(Value value, ArrayRef<int64_t> permutation) {
    return xf::TransposeOp::create(b, loc, value, permutation);
  }

  /// `value` gathered at the kept tokens along `axis` (of size seq): the
  /// same shape with k there. A batch dimension of 1 is expanded to B first.
  Value gather(Value value, int64_t axis) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> shape(type.getShape());
    if (shape[0] == 1 && batch > 1) {
      shape[0] = batch;
      value = xf::ExpandOp::create(b, loc, withShape(type, shape), value);
    }
    // [B, S, rest...] with the token axis next to the batch.
    SmallVector<int64_t> permutation = {0, axis};
    for (int64_t d = 1; d < static_cast<int64_t>(shape.size()); ++d)
      if (d != axis)
        permutation.push_back(d);
    bool moved = axis != 1;
    if (moved)
      value = transpose(value, permutation);
    SmallVector<int64_t> moved_shape(
        cast<RankedTensorType>(value.getType()).getShape());
    SmallVector<int64_t> flat = {batch * seq};
    llvm::append_range(flat, ArrayRef(moved_shape).drop_front(2));
    Value gathered =
        xf::GatherOp::create(b, loc, reshape(value, flat), rows, 0);
    if (moved) {
      SmallVector<int64_t> inverse(permutation.size());
      for (auto [i, p] : llvm::enumerate(permutation))
        inverse[p] = i;
      gathered = transpose(gathered, inverse);
    }
    return gathered;
  }
};

struct PruneTokensPass : xfc::impl::PruneTokensPassBase<PruneTokensPass> {
  using PruneTokensPassBase::PruneTokensPassBase;

  /// `kept` ([B, S] positions in the input so far) after this step, or
  /// failure with an error emitted.
  FailureOr<Value> pruneAt(Sublayer sublayer, xf::AttentionOp attention,
                           int64_t layer, Value keptSoFar);

  void runOnOperation() override;
};

/// The xf.attention of an attention sublayer's branch, if it has one: the
/// first met walking back from the branch. The walk does not go through
/// an attention (its mask may have been gathered by an earlier pruning
/// step, whose importance reads earlier layers).
xf::AttentionOp findAttention(const Sublayer &sublayer) {
  SmallVector<Value> worklist = {sublayer.branch};
  llvm::DenseSet<Value> seen;
  xf::AttentionOp found;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    if (value == sublayer.skip || !seen.insert(value).second)
      continue;
    Operation *op = value.getDefiningOp();
    if (!op)
      continue;
    if (auto attention = dyn_cast<xf::AttentionOp>(op)) {
      if (!found)
        found = attention;
      continue;
    }
    llvm::append_range(worklist, op->getOperands());
  }
  return found;
}

/// The result shape of `reshape` once its input's dimension `dim` has
/// become `size`: the result dimension that starts at the same element
/// offset and has the same old size changes alike.
std::optional<SmallVector<int64_t>> retypeReshape(xf::ReshapeOp reshape,
                                                  ArrayRef<int64_t> oldInput,
                                                  ArrayRef<int64_t> newInput) {
  std::optional<int64_t> changed;
  for (auto [i, sizes] : llvm::enumerate(llvm::zip(oldInput, newInput)))
    if (std::get<0>(sizes) != std::get<1>(sizes)) {
      if (changed)
        return std::nullopt;
      changed = i;
    }
  SmallVector<int64_t> result(reshape.getType().getShape());
  if (!changed)
    return result;
  int64_t prefix = 1;
  for (int64_t d = 0; d < *changed; ++d)
    prefix *= oldInput[d];
  int64_t offset = 1;
  for (auto [d, size] : llvm::enumerate(result)) {
    if (offset == prefix && size == oldInput[*changed]) {
      result[d] = newInput[*changed];
      return result;
    }
    offset *= size;
  }
  return std::nullopt;
}

FailureOr<Value> PruneTokensPass::pruneAt(Sublayer sublayer,
                                          xf::AttentionOp attention,
                                          int64_t layer, Value keptSoFar) {
  auto error = [&](Operation *op, const Twine &message) {
    op->emitError() << "xf-prune-tokens: cannot prune tokens after layer "
                    << layer << ": " << message;
    return failure();
  };
  Value stream = sublayer.residualAdd.getResult();
  auto streamType = cast<RankedTensorType>(stream.getType());
  auto queryType = cast<RankedTensorType>(attention.getQuery().getType());
  auto keyType = cast<RankedTensorType>(attention.getKey().getType());
  if (!streamType.hasStaticShape() || !queryType.hasStaticShape() ||
      !keyType.hasStaticShape())
    return error(attention, "the sequence length must be static");
  if (!queryType.getElementType().isF32())
    return error(attention, "only f32 attention is supported, got " +
                                llvm::formatv("{0}", queryType.getElementType())
                                    .str());
  if (attention.getCausal())
    return error(attention, "causal attention is not supported (a token's "
                            "keys would change with the tokens kept)");
  bool packed = queryType.getRank() == 3;
  int64_t batch = queryType.getDimSize(0);
  int64_t heads = attention.getNumHeads();
  int64_t kvHeads = attention.getEffectiveNumKvHeads();
  int64_t seq = queryType.getDimSize(packed ? 1 : 2);
  int64_t keySeq = keyType.getDimSize(packed ? 1 : 2);
  int64_t headSize = packed ? queryType.getDimSize(2) / heads
                            : queryType.getDimSize(3);
  if (keySeq != seq)
    return error(attention, "not self-attention (" + Twine(seq) +
                                " queries, " + Twine(keySeq) + " keys)");
  if (streamType.getRank() != 3 || streamType.getDimSize(0) != batch ||
      streamType.getDimSize(1) != seq)
    return error(sublayer.residualAdd,
                 "the residual stream is not [batch, " + Twine(seq) +
                     ", hidden]");
  int64_t k = std::max<int64_t>(1, std::llround(keep * seq));
  if (k >= seq)
    return keptSoFar;

  OpBuilder b(sublayer.residualAdd->getContext());
  b.setInsertionPointAfter(sublayer.residualAdd);
  Location loc = attention.getLoc();
  TokenGatherer g{b, loc, batch, seq, Value()};

  // A = mean over heads of softmax(scale · Q·Kᵀ + mask): [B, S, S].
  Value query = attention.getQuery(), key = attention.getKey();
  if (packed) {
    query = g.transpose(g.reshape(query, {batch, seq, heads, headSize}),
                        {0, 2, 1, 3});
    key = g.transpose(g.reshape(key, {batch, seq, kvHeads, headSize}),
                      {0, 2, 3, 1});
  } else {
    key = g.transpose(key, {0, 1, 3, 2});
  }
  if (kvHeads != heads) {
    int64_t group = heads / kvHeads;
    key = g.reshape(key, {batch, kvHeads, 1, headSize, seq});
    key = xf::ExpandOp::create(
        b, loc,
        withShape(key.getType(), {batch, kvHeads, group, headSize, seq}), key);
    key = g.reshape(key, {batch, heads, headSize, seq});
  }
  Value scores = xf::MatmulOp::create(b, loc, query, key);
  float scale = attention.getScale()
                    ? attention.getScale()->convertToFloat()
                    : 1.0f / std::sqrt(static_cast<float>(headSize));
  scores = xf::MulOp::create(b, loc, scores, g.splat({}, scale));
  if (Value mask = attention.getMask()) {
    if (cast<RankedTensorType>(mask.getType()).getElementType().isInteger(1))
      scores = xf::SelectOp::create(b, loc, mask, scores,
                                    g.splat({}, -3.40282347e+38f));
    else
      scores = xf::AddOp::create(b, loc, scores, mask);
  }
  Value probabilities = xf::SoftmaxOp::create(b, loc, scores, -1);
  Value graph = xf::ReduceMeanOp::create(b, loc, probabilities,
                                         b.getDenseI64ArrayAttr({1}),
                                         /*keep_dims=*/false);

  // Weighted PageRank: s ← s·A from the uniform s, [B, 1, S].
  Value importance = g.splat({batch, 1, seq}, 1.0f / seq);
  for (int64_t i = 0; i < iterations; ++i)
    importance = xf::MatmulOp::create(b, loc, importance, graph);
  importance = g.reshape(importance, {batch, seq});
  if (keepFirst) {
    // Every score is at most 1 (s stays a distribution): 2 wins.
    SmallVector<Attribute> first(seq, b.getF32FloatAttr(0.0f));
    first[0] = b.getF32FloatAttr(2.0f);
    importance = xf::AddOp::create(
        b, loc, importance, g.constant({seq}, b.getF32Type(), first));
  }
  auto topK = xf::TopKOp::create(b, loc, importance, k, /*index_order=*/true);
  Value kept = topK.getIndices();
  SmallVector<Attribute> starts;
  for (int64_t row = 0; row < batch; ++row)
    starts.push_back(b.getI64IntegerAttr(row * seq));
  g.rows = xf::AddOp::create(b, loc, kept,
                             g.constant({batch, 1}, b.getI64Type(), starts));

  // The stream's readers read the kept tokens.
  SmallVector<OpOperand *> readers;
  for (OpOperand &use : stream.getUses())
    readers.push_back(&use);
  Value gathered = g.gather(stream, 1);
  Value keptNow = keptSoFar ? g.gather(keptSoFar, 1) : kept;
  Operation *last = &*std::prev(b.getInsertionPoint());
  for (OpOperand *use : readers)
    use->set(gathered);

  // Retype everything computed from the kept tokens, in program order;
  // `oldTypes` holds what each retyped value was.
  llvm::DenseMap<Value, RankedTensorType> oldTypes = {{gathered, streamType}};
  llvm::DenseMap<Value, Value> gatheredMasks;
  for (Operation *op = last->getNextNode(); op; op = op->getNextNode()) {
    if (llvm::none_of(op->getOperands(),
                      [&](Value v) { return oldTypes.contains(v); }))
      continue;
    if (isa<func::ReturnOp>(op))
      continue;
    if (auto later = dyn_cast<xf::AttentionOp>(op)) {
      Value mask = later.getMask();
      if (mask && !oldTypes.contains(mask)) {
        Value &slot = gatheredMasks[mask];
        if (!slot) {
          auto maskType = cast<RankedTensorType>(mask.getType());
          if (maskType.getRank() != 4)
            return error(later, "a later attention's mask has rank " +
                                    Twine(maskType.getRank()) + ", not 4");
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(later);
          slot = mask;
          if (maskType.getDimSize(3) == seq)
            slot = g.gather(slot, 3);
          if (maskType.getDimSize(2) == seq)
            slot = g.gather(slot, 2);
        }
        later.getMaskMutable().assign(slot);
      }
    }
    SmallVector<Type> types;
    if (auto reshape = dyn_cast<xf::ReshapeOp>(op)) {
      Value input = reshape.getInput();
      auto shape = retypeReshape(
          reshape, oldTypes.lookup(input).getShape(),
          cast<RankedTensorType>(input.getType()).getShape());
      if (!shape)
        return error(op, "cannot follow the tokens through this reshape");
      types.push_back(withShape(reshape.getType(), *shape));
    } else if (auto expand = dyn_cast<xf::ExpandOp>(op)) {
      ArrayRef<int64_t> from = oldTypes.lookup(expand.getInput()).getShape();
      ArrayRef<int64_t> to =
          cast<RankedTensorType>(expand.getInput().getType()).getShape();
      SmallVector<int64_t> shape(expand.getType().getShape());
      int64_t offset = shape.size() - from.size();
      for (auto [d, size] : llvm::enumerate(to))
        if (size != from[d])
          shape[offset + d] = size;
      types.push_back(withShape(expand.getType(), shape));
    } else if (auto castOp = dyn_cast<xf::CastOp>(op)) {
      types.push_back(withShape(
          castOp.getType(),
          cast<RankedTensorType>(castOp.getInput().getType()).getShape()));
    } else if (auto infer = dyn_cast<InferTypeOpInterface>(op)) {
      if (failed(infer.inferReturnTypes(
              op->getContext(), std::nullopt, op->getOperands(),
              op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
              op->getRegions(), types)))
        return error(op, "'" + op->getName().getStringRef() +
                             "' reads a value of the old sequence length (" +
                             Twine(seq) +
                             " tokens) that the pass cannot gather");
    } else {
      return error(op, "cannot retype '" + op->getName().getStringRef() +
                           "' for fewer tokens");
    }
    for (auto [result, type] : llvm::zip(op->getResults(), types))
      if (result.getType() != type) {
        oldTypes[result] = cast<RankedTensorType>(result.getType());
        result.setType(type);
      }
  }
  return keptNow;
}

void PruneTokensPass::runOnOperation() {
  Operation *root = getOperation();
  auto fail = [&](const Twine &message) {
    emitError(root->getLoc()) << "xf-prune-tokens: " << message;
    signalPassFailure();
  };
  if (layers.empty())
    return;
  if (!(keep > 0.0 && keep <= 1.0))
    return fail("keep must be in (0, 1], got " + llvm::formatv("{0}", keep.getValue()).str());
  if (iterations < 1)
    return fail("iterations must be >= 1, got " + Twine(iterations.getValue()));
  SmallVector<Sublayer> attentions;
  for (const Sublayer &sublayer : findSublayers(root))
    if (sublayer.kind == Sublayer::Kind::Attention)
      attentions.push_back(sublayer);
  if (attentions.empty())
    return fail("the model has no attention sublayer");
  SmallVector<int64_t> chosen(layers.begin(), layers.end());
  llvm::sort(chosen);
  chosen.erase(llvm::unique(chosen), chosen.end());
  int64_t count = attentions.size();
  if (chosen.front() < 0 || chosen.back() >= count)
    return fail("layers names layer " +
                Twine(chosen.front() < 0 ? chosen.front() : chosen.back()) +
                ", but the model has " + Twine(count) +
                " attention sublayers (0.." + Twine(count - 1) + ")");

  Value kept;
  for (int64_t layer : chosen) {
    const Sublayer &sublayer = attentions[layer];
    xf::AttentionOp attention = findAttention(sublayer);
    if (!attention) {
      sublayer.residualAdd->emitError()
          << "xf-prune-tokens: attention sublayer " << layer
          << " has no fused xf.attention; run xf-fuse-attention first";
      return signalPassFailure();
    }
    FailureOr<Value> next = pruneAt(sublayer, attention, layer, kept);
    if (failed(next))
      return signalPassFailure();
    kept = *next;
  }
  if (!kept)
    return;

  // Outputs: shrunken types, and which tokens they hold.
  auto func = kept.getParentRegion()->getParentOfType<func::FuncOp>();
  if (!func)
    return;
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  ret->insertOperands(ret->getNumOperands(), kept);
  SmallVector<Type> results(ret->getOperandTypes());
  SmallVector<DictionaryAttr> attrs;
  func.getAllResultAttrs(attrs);
  OpBuilder b(func);
  attrs.resize(results.size() - 1);
  attrs.push_back(b.getDictionaryAttr(
      b.getNamedAttr("xf.name", b.getStringAttr(kKeptTokensName))));
  func.setFunctionType(
      FunctionType::get(func.getContext(), func.getArgumentTypes(), results));
  func.setAllResultAttrs(attrs);
}

} // namespace
