//===- PruneHeads.cpp - Remove attention heads ----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Head h of an attention is D columns of each of Wq, Wk, Wv (its key/value
// head's, under grouped-query attention), the h-th slice of every tensor
// between those projections and the attention, and D rows of Wo. Removing
// it is slicing all of them. The pass finds that set by following the
// values from the attention back to the projections and forward to Wo,
// remembering for each value where its heads lie: split out in one
// dimension ([B, H, S, D] after the head-split reshape and transposes) or
// packed into the last ([B, S, H·D], the projection's output).
//
//===----------------------------------------------------------------------===//

#include "GemmSlicing.h"

#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace xfc {
#define GEN_PASS_DEF_PRUNEHEADSPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc;
namespace xf = xfc::xf;

namespace {

constexpr StringLiteral kHeadImportanceAttrName = "xf.head_importance";

/// Where a value between a projection and an attention holds the heads:
/// dimension `dim` has one entry per head (split), or the last dimension
/// holds them as consecutive blocks of the head size (packed).
struct HeadLayout {
  int64_t dim;
  bool packed;
  bool operator==(const HeadLayout &other) const {
    return dim == other.dim && packed == other.packed;
  }
};

/// The values between one projection GEMM and an attention (or between the
/// attention and its output projection) whose shapes follow the heads.
struct HeadRegion {
  WeightedGemm gemm;
  int64_t numHeads = 0, headSize = 0;
  /// Every value that holds the heads, with where; the GEMM's own result
  /// among them.
  llvm::MapVector<Value, HeadLayout> values;
  /// The ops in between (not the GEMM, not the attention).
  llvm::SetVector<Operation *> ops;
  /// Constant operands of those ops that line up with the heads.
  SmallVector<std::pair<OpOperand *, HeadLayout>> constants;
};

/// Everything one attention's heads touch.
struct AttentionHeads {
  xf::AttentionOp attention;
  HeadRegion query, key, value, output;
  int64_t numHeads() const { return query.numHeads; }
  int64_t numKvHeads() const { return key.numHeads; }
};

bool isHeadwiseElementwise(Operation *op) {
  return isa<xf::AddOp, xf::SubOp, xf::MulOp, xf::DivOp, xf::NegOp, xf::MaxOp,
             xf::MinOp>(op);
}

/// The size `value` (of rank `rank`) broadcasts along `layout` with: its
/// head dimension's size, 1 when it has none.
int64_t getSizeAlong(Type type, HeadLayout layout, int64_t resultRank) {
  auto tensorType = cast<RankedTensorType>(type);
  int64_t rank = tensorType.getRank();
  int64_t dim = layout.packed ? rank - 1 : layout.dim - (resultRank - rank);
  if (dim < 0 || rank == 0)
    return 1;
  return tensorType.getDimSize(dim);
}

/// `layout` as seen by an operand of rank `rank` broadcasting into a
/// result of rank `resultRank`.
HeadLayout alignLayout(HeadLayout layout, int64_t rank, int64_t resultRank) {
  if (layout.packed)
    return {rank - 1, true};
  return {layout.dim - (resultRank - rank), false};
}

/// Follows `operand` of the attention back to its projection GEMM. Returns
/// the reason on failure.
std::string traceProjection(Value operand, HeadLayout layout,
                            Operation *attention,
                            const DenseMap<Value, WeightedGemm> &gemmsByResult,
                            HeadRegion &region) {
  int64_t width = region.numHeads * region.headSize;
  SmallVector<std::pair<Value, HeadLayout>> worklist = {{operand, layout}};
  bool foundGemm = false;
  while (!worklist.empty()) {
    auto [value, here] = worklist.pop_back_val();
    if (auto it = region.values.find(value); it != region.values.end()) {
      if (!(it->second == here))
        return "a value reaches it with its heads in two places";
      continue;
    }
    region.values[value] = here;
    if (auto it = gemmsByResult.find(value); it != gemmsByResult.end()) {
      if (!here.packed || it->second.n != width)
        return "the projection's output is not the heads, packed";
      if (foundGemm && region.gemm.op != it->second.op)
        return "it mixes two projections";
      region.gemm = it->second;
      foundGemm = true;
      continue;
    }
    Operation *op = value.getDefiningOp();
    if (!op)
      return "it comes from a function argument, not a constant-weight "
             "projection";
    region.ops.insert(op);
    auto resultType = cast<RankedTensorType>(value.getType());
    int64_t resultRank = resultType.getRank();
    int64_t full = here.packed ? width : region.numHeads;

    if (isHeadwiseElementwise(op)) {
      for (OpOperand &use : op->getOpOperands()) {
        int64_t size = getSizeAlong(use.get().getType(), here, resultRank);
        if (size == 1 && full != 1)
          continue; // Broadcast over the heads: left as is.
        if (size != full)
          return ("'" + op->getName().getStringRef() +
                  "' mixes the heads with a tensor of another size")
              .str();
        HeadLayout aligned = alignLayout(
            here, cast<RankedTensorType>(use.get().getType()).getRank(),
            resultRank);
        if (use.get().getDefiningOp<arith::ConstantOp>())
          region.constants.push_back({&use, aligned});
        else
          worklist.push_back({use.get(), aligned});
      }
      continue;
    }
    if (auto transpose = dyn_cast<xf::TransposeOp>(op)) {
      if (here.packed)
        return "a transpose of the packed heads";
      worklist.push_back(
          {transpose.getInput(), {transpose.getPermutation()[here.dim], false}});
      continue;
    }
    if (auto reshape = dyn_cast<xf::ReshapeOp>(op)) {
      auto inputType = cast<RankedTensorType>(reshape.getInput().getType());
      ArrayRef<int64_t> in = inputType.getShape(), out = resultType.getShape();
      // Only the head split, [..., H·D] -> [..., H, D].
      if (here.packed || inputType.getRank() + 1 != resultRank ||
          here.dim != resultRank - 2 || out.back() != region.headSize ||
          in.back() != width || in.drop_back() != out.drop_back(2))
        return "a reshape other than the head split";
      worklist.push_back({reshape.getInput(), {inputType.getRank() - 1, true}});
      continue;
    }
    if (auto slice = dyn_cast<xf::SliceOp>(op)) {
      if (here.packed || slice.getOffsets()[here.dim] != 0 ||
          slice.getStrides()[here.dim] != 1 ||
          slice.getSizes()[here.dim] != region.numHeads)
        return "a slice across the heads";
      worklist.push_back({slice.getInput(), here});
      continue;
    }
    if (auto concat = dyn_cast<xf::ConcatOp>(op)) {
      int64_t axis = static_cast<int64_t>(concat.getAxis());
      axis = axis < 0 ? axis + resultRank
                      : axis;
      if (here.packed || axis == here.dim)
        return "a concat across the heads";
      for (Value input : concat.getInputs())
        worklist.push_back({input, here});
      continue;
    }
    if (auto rope = dyn_cast<xf::RopeOp>(op)) {
      if (here.packed)
        return "RoPE on the packed heads";
      for (Value table : {rope.getCos(), rope.getSin()})
        if (getSizeAlong(table.getType(), here, resultRank) != 1)
          return "RoPE tables that differ per head";
      worklist.push_back({rope.getInput(), here});
      continue;
    }
    return ("'" + op->getName().getStringRef() +
            "' between the projection and the attention")
        .str();
  }
  if (!foundGemm)
    return "no projection with a constant weight";
  // Nothing else may read what changes shape.
  for (auto &entry : region.values)
    for (Operation *user : entry.first.getUsers())
      if (user != attention && !region.ops.contains(user) &&
          !(region.gemm.biasAdd && user == region.gemm.biasAdd))
        return ("a value between the projection and the attention is also "
                "read by '" +
                user->getName().getStringRef() + "'")
            .str();
  return "";
}

/// Follows the attention's result forward to its output projection.
std::string traceOutput(xf::AttentionOp attention,
                        const DenseMap<Value, WeightedGemm> &gemmsByInput,
                        HeadRegion &region) {
  int64_t width = region.numHeads * region.headSize;
  Value value = attention.getResult();
  auto type = cast<RankedTensorType>(value.getType());
  HeadLayout here = type.getRank() == 4 ? HeadLayout{1, false}
                                        : HeadLayout{type.getRank() - 1, true};
  while (true) {
    region.values[value] = here;
    if (!value.hasOneUse())
      return "its output is read by more than one op";
    Operation *user = *value.getUsers().begin();
    if (auto it = gemmsByInput.find(value);
        it != gemmsByInput.end() && it->second.op == user) {
      if (!here.packed || it->second.k != width)
        return "the output projection does not read the packed heads";
      region.gemm = it->second;
      return "";
    }
    auto resultType = cast<RankedTensorType>(user->getResult(0).getType());
    if (auto transpose = dyn_cast<xf::TransposeOp>(user)) {
      if (here.packed)
        return "a transpose of the packed heads";
      ArrayRef<int64_t> permutation = transpose.getPermutation();
      here.dim = llvm::find(permutation, here.dim) - permutation.begin();
    } else if (auto reshape = dyn_cast<xf::ReshapeOp>(user)) {
      ArrayRef<int64_t> in = type.getShape(), out = resultType.getShape();
      // Only the head merge, [..., H, D] -> [..., H·D].
      if (here.packed || type.getRank() != resultType.getRank() + 1 ||
          here.dim != type.getRank() - 2 || in.back() != region.headSize ||
          out.back() != width || in.drop_back(2) != out.drop_back())
        return "a reshape other than the head merge";
      here = {resultType.getRank() - 1, true};
    } else {
      return ("'" + user->getName().getStringRef() +
              "' between the attention and the output projection")
          .str();
    }
    region.ops.insert(user);
    value = user->getResult(0);
    type = resultType;
  }
}

/// The attention's heads, or why they cannot be removed.
std::string traceHeads(xf::AttentionOp attention,
                       const DenseMap<Value, WeightedGemm> &gemmsByResult,
                       const DenseMap<Value, WeightedGemm> &gemmsByInput,
                       AttentionHeads &heads) {
  heads.attention = attention;
  auto queryType = cast<RankedTensorType>(attention.getQuery().getType());
  auto valueType = cast<RankedTensorType>(attention.getValue().getType());
  int64_t numHeads = attention.getNumHeads();
  int64_t numKvHeads = attention.getEffectiveNumKvHeads();
  bool split = queryType.getRank() == 4;
  int64_t headSize =
      split ? queryType.getDimSize(3) : queryType.getDimSize(2) / numHeads;
  int64_t valueHeadSize =
      split ? valueType.getDimSize(3) : valueType.getDimSize(2) / numKvHeads;
  if (Value mask = attention.getMask()) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    if (maskType.getRank() >= 3 &&
        maskType.getDimSize(maskType.getRank() - 3) != 1 && numHeads != 1)
      return "its mask differs per head";
  }
  HeadLayout layout =
      split ? HeadLayout{1, false} : HeadLayout{queryType.getRank() - 1, true};
  heads.query.numHeads = heads.output.numHeads = numHeads;
  heads.key.numHeads = heads.value.numHeads = numKvHeads;
  heads.query.headSize = heads.key.headSize = headSize;
  heads.value.headSize = heads.output.headSize = valueHeadSize;
  std::pair<Value, HeadRegion *> inputs[] = {
      {attention.getQuery(), &heads.query},
      {attention.getKey(), &heads.key},
      {attention.getValue(), &heads.value}};
  for (auto [operand, region] : inputs) {
    std::string why =
        traceProjection(operand, layout, attention, gemmsByResult, *region);
    if (!why.empty())
      return why;
  }
  if (heads.query.gemm.op == heads.key.gemm.op ||
      heads.query.gemm.op == heads.value.gemm.op ||
      heads.key.gemm.op == heads.value.gemm.op)
    return "two of query, key and value share a projection";
  return traceOutput(attention, gemmsByInput, heads.output);
}

/// The indices `keep` of `dim` of a constant of `shape` (all others whole).
std::vector<float> sliceAlong(ArrayRef<float> values, ArrayRef<int64_t> shape,
                              int64_t dim, ArrayRef<int64_t> keep,
                              SmallVectorImpl<int64_t> &newShape) {
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < dim; ++i)
    outer *= shape[i];
  for (int64_t i = dim + 1; i < static_cast<int64_t>(shape.size()); ++i)
    inner *= shape[i];
  std::vector<float> result;
  result.reserve(outer * keep.size() * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k : keep)
      for (int64_t i = 0; i < inner; ++i)
        result.push_back(values[(o * shape[dim] + k) * inner + i]);
  newShape.assign(shape.begin(), shape.end());
  newShape[dim] = keep.size();
  return result;
}

/// Head indices `heads` as the lanes of packed blocks of `headSize`.
SmallVector<int64_t> toLanes(ArrayRef<int64_t> heads, int64_t headSize) {
  SmallVector<int64_t> lanes;
  for (int64_t head : heads)
    for (int64_t d = 0; d < headSize; ++d)
      lanes.push_back(head * headSize + d);
  return lanes;
}

/// Keeps heads `keep` (sorted) of everything in `region` except the GEMM's
/// weight side, which the caller slices.
void narrowRegion(HeadRegion &region, ArrayRef<int64_t> keep) {
  SmallVector<int64_t> lanes = toLanes(keep, region.headSize);
  auto keptIndices = [&](HeadLayout layout) -> ArrayRef<int64_t> {
    return layout.packed ? ArrayRef<int64_t>(lanes) : keep;
  };
  for (auto [use, layout] : region.constants) {
    Value constant = use->get();
    auto type = cast<RankedTensorType>(constant.getType());
    std::vector<float> values = *getConstantFloats(constant);
    if (values.size() == 1)
      values.assign(type.getNumElements(), values.front());
    SmallVector<int64_t> shape;
    std::vector<float> sliced = sliceAlong(values, type.getShape(), layout.dim,
                                           keptIndices(layout), shape);
    OpBuilder b(use->getOwner());
    use->set(createF32Constant(b, use->getOwner()->getLoc(), shape, sliced,
                               "xf_pruned_constant"));
    if (Operation *def = constant.getDefiningOp(); def && def->use_empty())
      def->erase();
  }
  Value gemmResult = region.gemm.op ? region.gemm.getResult() : Value();
  for (auto [value, layout] : region.values) {
    if (value == gemmResult)
      continue; // keepOutputColumns retyped it.
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape[layout.dim] = keptIndices(layout).size();
    value.setType(type.clone(shape));
    if (auto slice = value.getDefiningOp<xf::SliceOp>()) {
      SmallVector<int64_t> sizes(slice.getSizes());
      sizes[layout.dim] = keep.size();
      slice.setSizes(sizes);
    }
  }
}

struct PruneHeadsPass : xfc::impl::PruneHeadsPassBase<PruneHeadsPass> {
  using PruneHeadsPassBase::PruneHeadsPassBase;

  void runOnOperation() override;

private:
  /// The query heads to remove from `heads`, by ratio.
  FailureOr<SmallVector<int64_t>> chooseByRatio(AttentionHeads &heads);
  void prune(AttentionHeads &heads, ArrayRef<int64_t> dropped);
};

/// How many of `total` units `ratio` removes: the nearest whole number
/// (12 heads at 30% lose 4, not 3), keeping at least one.
int64_t getRemovedCount(double ratio, int64_t total) {
  return std::min<int64_t>(std::llround(ratio * total), total - 1);
}

/// How much head h matters by its weights: ‖Wv[:, kv(h)]‖_F · ‖Wo[h, :]‖_F.
std::vector<double> getWeightImportance(const AttentionHeads &heads) {
  int64_t group = heads.numHeads() / heads.numKvHeads();
  const WeightedGemm &wv = heads.value.gemm, &wo = heads.output.gemm;
  int64_t dv = heads.value.headSize;
  std::vector<double> valueNorm(heads.numKvHeads(), 0.0);
  for (int64_t g = 0; g < heads.numKvHeads(); ++g)
    for (int64_t n = g * dv; n < (g + 1) * dv; ++n)
      for (int64_t k = 0; k < wv.k; ++k)
        valueNorm[g] += double(wv.getWeight(n, k)) * wv.getWeight(n, k);
  std::vector<double> score(heads.numHeads(), 0.0);
  for (int64_t h = 0; h < heads.numHeads(); ++h) {
    double outputNorm = 0;
    for (int64_t k = h * dv; k < (h + 1) * dv; ++k)
      for (int64_t n = 0; n < wo.n; ++n)
        outputNorm += double(wo.getWeight(n, k)) * wo.getWeight(n, k);
    score[h] = std::sqrt(valueNorm[h / group] * outputNorm);
  }
  return score;
}

FailureOr<SmallVector<int64_t>>
PruneHeadsPass::chooseByRatio(AttentionHeads &heads) {
  int64_t numHeads = heads.numHeads(), numKvHeads = heads.numKvHeads();
  int64_t group = numHeads / numKvHeads;
  std::vector<double> score;
  if (importance == "calibrated") {
    auto measured = heads.attention->getAttrOfType<DenseF32ArrayAttr>(
        kHeadImportanceAttrName);
    if (!measured || static_cast<int64_t>(measured.size()) != numHeads) {
      heads.attention.emitError()
          << "xf-prune-heads: importance=calibrated needs the measured head "
             "importance ("
          << kHeadImportanceAttrName << ", " << numHeads
          << " values) on this attention; xfc --prune-heads measures it, or "
             "use importance=weights";
      return failure();
    }
    score.assign(measured.asArrayRef().begin(), measured.asArrayRef().end());
  } else {
    score = getWeightImportance(heads);
  }
  // The `count` lowest of `candidates` by `value`.
  auto lowest = [](SmallVector<int64_t> candidates, int64_t count,
                   function_ref<double(int64_t)> value) {
    llvm::stable_sort(candidates, [&](int64_t a, int64_t b) {
      return value(a) < value(b);
    });
    candidates.resize(count);
    return candidates;
  };
  SmallVector<int64_t> dropped;
  if (group == 1 || gqa == "per-group") {
    // Each group (one head under plain multi-head attention: the whole
    // attention is one group) loses the same number of query heads.
    bool plain = group == 1;
    int64_t groups = plain ? 1 : numKvHeads, size = plain ? numHeads : group;
    int64_t count = getRemovedCount(ratio, size);
    for (int64_t g = 0; g < groups; ++g) {
      SmallVector<int64_t> members(size);
      std::iota(members.begin(), members.end(), g * size);
      llvm::append_range(dropped, lowest(members, count, [&](int64_t h) {
                           return score[h];
                         }));
    }
  } else {
    int64_t count = getRemovedCount(ratio, numKvHeads);
    SmallVector<int64_t> kvHeads(numKvHeads);
    std::iota(kvHeads.begin(), kvHeads.end(), 0);
    for (int64_t g : lowest(kvHeads, count, [&](int64_t g) {
           double sum = 0;
           for (int64_t h = g * group; h < (g + 1) * group; ++h)
             sum += score[h];
           return sum;
         }))
      for (int64_t h = g * group; h < (g + 1) * group; ++h)
        dropped.push_back(h);
  }
  llvm::sort(dropped);
  return dropped;
}

void PruneHeadsPass::prune(AttentionHeads &heads, ArrayRef<int64_t> dropped) {
  int64_t numHeads = heads.numHeads(), numKvHeads = heads.numKvHeads();
  int64_t group = numHeads / numKvHeads;
  SmallVector<int64_t> keepQuery, keepKv;
  for (int64_t h = 0; h < numHeads; ++h)
    if (!llvm::is_contained(dropped, h)) {
      keepQuery.push_back(h);
      if (keepKv.empty() || keepKv.back() != h / group)
        keepKv.push_back(h / group);
    }
  const WeightedGemm &wo = heads.output.gemm;
  SmallVector<int64_t> droppedLanes =
      toLanes(dropped, heads.output.headSize);
  std::vector<float> compensation =
      biasCompensation ? pruning::getMeanContribution(wo, droppedLanes)
                       : std::vector<float>();
  if (maskOnly) {
    pruning::zeroInputRows(wo, droppedLanes);
  } else {
    pruning::keepOutputColumns(heads.query.gemm,
                               toLanes(keepQuery, heads.query.headSize));
    pruning::keepOutputColumns(heads.key.gemm,
                               toLanes(keepKv, heads.key.headSize));
    pruning::keepOutputColumns(heads.value.gemm,
                               toLanes(keepKv, heads.value.headSize));
    narrowRegion(heads.query, keepQuery);
    narrowRegion(heads.key, keepKv);
    narrowRegion(heads.value, keepKv);
    narrowRegion(heads.output, keepQuery);
    pruning::keepInputRows(wo, toLanes(keepQuery, heads.output.headSize));
    xf::AttentionOp attention = heads.attention;
    attention.setNumHeads(keepQuery.size());
    if (attention.getNumKvHeads() || keepKv.size() != keepQuery.size())
      attention.setNumKvHeads(static_cast<int64_t>(keepKv.size()));
    attention->removeAttr(kHeadImportanceAttrName);
  }
  if (!compensation.empty())
    pruning::addToBias(wo, compensation);
}

void PruneHeadsPass::runOnOperation() {
  Operation *root = getOperation();
  auto fail = [&](Location loc, const Twine &message) {
    emitError(loc) << "xf-prune-heads: " << message;
    signalPassFailure();
  };
  if (!(ratio >= 0.0 && ratio < 1.0))
    return fail(root->getLoc(),
                "ratio must be in [0, 1), got " +
                                    llvm::formatv("{0}", double(ratio)));
  if (importance != "weights" && importance != "calibrated")
    return fail(root->getLoc(), "unknown importance '" + importance +
                                    "': use weights or calibrated");
  if (gqa != "groups" && gqa != "per-group")
    return fail(root->getLoc(),
                "unknown gqa '" + gqa + "': use groups or per-group");
  if (ratio > 0 && !heads.empty())
    return fail(root->getLoc(), "give ratio or heads, not both");
  // The explicit list, by layer.
  std::map<int64_t, std::set<int64_t>> listed;
  for (const std::string &entry : heads) {
    auto [layerText, headText] = StringRef(entry).split(':');
    int64_t layer, head;
    if (layerText.trim().getAsInteger(10, layer) ||
        headText.trim().getAsInteger(10, head) || layer < 0 || head < 0)
      return fail(root->getLoc(), "heads entry '" + entry +
                                      "' is not LAYER:HEAD (e.g. 0:3)");
    listed[layer].insert(head);
  }
  if (ratio == 0 && listed.empty())
    return;

  SmallVector<xf::AttentionOp> attentions;
  root->walk([&](xf::AttentionOp op) { attentions.push_back(op); });
  if (attentions.empty())
    return fail(root->getLoc(),
                "the model has no xf.attention to remove heads from; run "
                "xf-fuse-attention first (attention it does not fuse cannot "
                "be pruned)");
  int64_t numLayers = attentions.size();
  for (auto &[layer, listedHeads] : listed) {
    if (layer >= numLayers)
      return fail(root->getLoc(),
                  "heads names layer " + Twine(layer) +
                      ", but the model has " + Twine(numLayers) +
                      " xf.attention ops (layers 0.." + Twine(numLayers - 1) +
                      ")");
    int64_t numHeads = attentions[layer].getNumHeads();
    if (*listedHeads.rbegin() >= numHeads)
      return fail(attentions[layer].getLoc(),
                  "heads names head " + Twine(*listedHeads.rbegin()) +
                      " of layer " + Twine(layer) + ", which has " +
                      Twine(numHeads) + " heads (0.." + Twine(numHeads - 1) +
                      ")");
    if (static_cast<int64_t>(listedHeads.size()) == numHeads)
      return fail(attentions[layer].getLoc(),
                  "heads removes all " + Twine(numHeads) + " heads of layer " +
                      Twine(layer) +
                      "; remove the sublayer with xf-prune-layers instead");
  }

  DenseMap<Value, WeightedGemm> gemmsByResult, gemmsByInput;
  for (const WeightedGemm &gemm : findWeightedGemms(root)) {
    gemmsByResult[gemm.getResult()] = gemm;
    gemmsByInput[gemm.input] = gemm;
  }
  // Decide everything before changing anything.
  std::vector<std::pair<AttentionHeads, SmallVector<int64_t>>> plan;
  for (auto [layer, attention] : llvm::enumerate(attentions)) {
    auto it = listed.find(layer);
    if (ratio == 0 && it == listed.end())
      continue;
    AttentionHeads traced;
    std::string why =
        traceHeads(attention, gemmsByResult, gemmsByInput, traced);
    if (!why.empty()) {
      if (it != listed.end())
        return fail(attention.getLoc(),
                    "cannot remove heads of layer " + Twine(layer) + ": " +
                        why);
      attention.emitRemark() << "xf-prune-heads: heads of layer " << layer
                             << " left as they are: " << why;
      continue;
    }
    SmallVector<int64_t> dropped;
    if (it != listed.end()) {
      dropped.assign(it->second.begin(), it->second.end());
      // Grouped-query attention: every kept KV head must keep as many query
      // heads as the others.
      int64_t group = traced.numHeads() / traced.numKvHeads();
      std::set<int64_t> keptPerGroup;
      for (int64_t g = 0; g < traced.numKvHeads(); ++g) {
        int64_t kept = group - llvm::count_if(dropped, [&](int64_t h) {
                         return h / group == g;
                       });
        if (kept > 0)
          keptPerGroup.insert(kept);
      }
      if (keptPerGroup.size() > 1)
        return fail(attention.getLoc(),
                    "heads of layer " + Twine(layer) +
                        " must be whole KV groups or the same number from "
                        "every group (" +
                        Twine(traced.numHeads()) + " query heads share " +
                        Twine(traced.numKvHeads()) + " KV heads)");
    } else {
      FailureOr<SmallVector<int64_t>> chosen = chooseByRatio(traced);
      if (failed(chosen))
        return signalPassFailure();
      dropped = std::move(*chosen);
    }
    if (!dropped.empty())
      plan.push_back({std::move(traced), std::move(dropped)});
  }
  for (auto &[traced, dropped] : plan)
    prune(traced, dropped);
}

} // namespace
