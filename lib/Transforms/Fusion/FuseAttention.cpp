//===- FuseAttention.cpp - The --xf-fuse-attention pass -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Matching starts from each softmax and walks the scores back to the Q·Kᵀ
// matmul (scale and mask ops on the way), then Q, K and V back through
// transposes, constant multiplications and grouped-query head repeats. Q,
// K and V are tracked as "a base value viewed through a permutation", so
// the exporter's transposes compose instead of being materialized, and are
// only created (or, in the packed layout, dropped) when the op is built.
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"

#include "Matchers.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>
#include <cstring>

namespace xfc {
#define GEN_PASS_DEF_FUSEATTENTIONPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
namespace xf = xfc::xf;
using xfc::fusion::getSplatFloat;

namespace {

/// Masking values at or below this count as "minus infinity" in exporters'
/// masks (HF uses finfo(float32).min, older code -10000).
constexpr double kMaskedScoreLimit = -1e4;
/// Entries of a constant causal bias that forbid a key: -inf or a value
/// this negative (finfo.min), which no score can offset.
constexpr double kCausalBiasLimit = -1e30;

/// `transpose(base, permutation)`, not materialized: result dimension i is
/// dimension permutation[i] of base.
struct PermutedValue {
  Value base;
  SmallVector<int64_t> permutation;

  SmallVector<int64_t> getShape() const {
    auto shape = cast<RankedTensorType>(base.getType()).getShape();
    return llvm::map_to_vector(permutation,
                               [&](int64_t dim) { return shape[dim]; });
  }
  bool isIdentity() const {
    for (auto [i, dim] : llvm::enumerate(permutation))
      if (static_cast<int64_t>(i) != dim)
        return false;
    return true;
  }
};

/// A mask term found on the scores: an additive tensor, or a condition
/// with the value that replaces masked scores (−inf or a large negative
/// constant) and on which side of the condition that happens.
struct MaskTerm {
  Value value;
  bool isCondition = false;
  bool maskedWhenTrue = false;
  double fill = 0;
};

/// What blocked a fusion: the op and why.
struct Blocker {
  Operation *op = nullptr;
  std::string reason;
};

struct AttentionMatch {
  xf::SoftmaxOp softmax;
  xf::MatmulOp output;
  PermutedValue query, key, value;
  int64_t kvRepeat = 1;
  double scale = 1.0;
  SmallVector<MaskTerm> masks;
  bool causal = false;
  /// The ops the new attention replaces, for its fused location.
  SmallVector<Operation *> fusedOps;
  /// Every op the match looked through; those left without uses go.
  SetVector<Operation *> visited;
};

/// Calls `check(index, element)` for the elements of a float or i1
/// constant (i1 as 1 or 0), inline or in a resource blob, in row-major
/// order, until it returns false. Returns whether every element passed
/// (false too when the constant cannot be read).
bool allConstantElements(Value value,
                         function_ref<bool(int64_t, double)> check) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return false;
  auto type = cast<RankedTensorType>(value.getType());
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    if (type.getElementType().isInteger(1)) {
      for (auto [index, bit] : llvm::enumerate(dense.getValues<bool>()))
        if (!check(index, bit ? 1.0 : 0.0))
          return false;
      return true;
    }
    if (!isa<FloatType>(type.getElementType()))
      return false;
    for (auto [index, element] : llvm::enumerate(dense.getValues<APFloat>())) {
      bool losesInfo;
      element.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                      &losesInfo);
      if (!check(index, element.convertToDouble()))
        return false;
    }
    return true;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue());
  AsmResourceBlob *blob =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob || !type.getElementType().isF32() ||
      blob->getData().size() != type.getNumElements() * sizeof(float))
    return false;
  const char *bytes = blob->getData().data();
  for (int64_t index = 0, e = type.getNumElements(); index < e; ++index) {
    float element;
    std::memcpy(&element, bytes + index * sizeof(float), sizeof(float));
    if (!check(index, element))
      return false;
  }
  return true;
}

/// Whether a constant mask, broadcast over its leading dimensions, is the
/// bottom-right causal pattern for [querySeq, keySeq] scores: `isAllowed`
/// tells an allowed entry from a forbidden one (or neither: not causal).
bool isCausalConstant(Value mask, int64_t querySeq, int64_t keySeq,
                      function_ref<std::optional<bool>(double)> isAllowed) {
  auto type = cast<RankedTensorType>(mask.getType());
  if (type.getRank() < 2 || type.getDimSize(type.getRank() - 2) != querySeq ||
      type.getDimSize(type.getRank() - 1) != keySeq ||
      type.getNumElements() == 0)
    return false;
  int64_t offset = keySeq - querySeq;
  return allConstantElements(mask, [&](int64_t index, double element) {
    int64_t j = index % keySeq, i = (index / keySeq) % querySeq;
    std::optional<bool> allowed = isAllowed(element);
    return allowed && *allowed == (j <= i + offset);
  });
}

/// Whether `value` is computed from a matmul through at most `depth` ops:
/// of any kind (`anyOp`: what makes a softmax look like attention), or
/// scale and mask ops only (what tells the scores from a mask at an add or
/// select).
bool reachesMatmul(Value value, bool anyOp = false, int depth = 6) {
  Operation *def = value.getDefiningOp();
  if (!def || depth == 0)
    return false;
  if (isa<xf::MatmulOp>(def))
    return true;
  if (!anyOp && !isa<xf::AddOp, xf::MulOp, xf::DivOp, xf::SelectOp>(def))
    return false;
  return llvm::any_of(def->getOperands(), [&](Value operand) {
    return reachesMatmul(operand, anyOp, depth - 1);
  });
}

/// Looks through broadcasts of a mask: xf.attention broadcasts it.
Value stripExpand(Value mask, AttentionMatch &match) {
  while (auto expand = mask.getDefiningOp<xf::ExpandOp>()) {
    match.visited.insert(expand);
    mask = expand.getInput();
  }
  return mask;
}

/// Composes `view` with the transposes that produce its base and, for the
/// query and key (`foldScale`), constant multiplications, which scale the
/// scores instead. (A multiplied value scales the output: it stays.)
void lookThroughTransposes(PermutedValue &view, AttentionMatch &match,
                           bool foldScale) {
  while (Operation *def = view.base.getDefiningOp()) {
    if (auto transpose = dyn_cast<xf::TransposeOp>(def)) {
      ArrayRef<int64_t> inner = transpose.getPermutation();
      for (int64_t &dim : view.permutation)
        dim = inner[dim];
      view.base = transpose.getInput();
      match.visited.insert(def);
      continue;
    }
    if (auto mul = dyn_cast<xf::MulOp>(def);
        foldScale && mul && mul.getType() == mul.getLhs().getType()) {
      if (std::optional<double> factor = getSplatFloat(mul.getRhs())) {
        match.scale *= *factor;
        view.base = mul.getLhs();
        match.visited.insert(def);
        match.fusedOps.push_back(def);
        continue;
      }
    }
    break;
  }
}

/// Hugging Face's repeat_kv: [B, Hkv, S, D] → Reshape [B, Hkv, 1, S, D] →
/// Expand [B, Hkv, n, S, D] → Reshape [B, Hkv·n, S, D]. Returns the
/// unrepeated heads and n.
std::optional<std::pair<Value, int64_t>> matchRepeatKv(Value value) {
  auto merge = value.getDefiningOp<xf::ReshapeOp>();
  auto expand = merge ? merge.getInput().getDefiningOp<xf::ExpandOp>()
                      : xf::ExpandOp();
  auto split = expand ? expand.getInput().getDefiningOp<xf::ReshapeOp>()
                      : xf::ReshapeOp();
  if (!split)
    return std::nullopt;
  ArrayRef<int64_t> heads = split.getInput().getType().getShape();
  ArrayRef<int64_t> unit = split.getType().getShape();
  ArrayRef<int64_t> repeated = expand.getType().getShape();
  ArrayRef<int64_t> result = merge.getType().getShape();
  if (heads.size() != 4 || unit.size() != 5 || repeated.size() != 5 ||
      result.size() != 4)
    return std::nullopt;
  int64_t n = repeated[2];
  if (unit != ArrayRef<int64_t>{heads[0], heads[1], 1, heads[2], heads[3]} ||
      repeated !=
          ArrayRef<int64_t>{heads[0], heads[1], n, heads[2], heads[3]} ||
      result !=
          ArrayRef<int64_t>{heads[0], heads[1] * n, heads[2], heads[3]})
    return std::nullopt;
  return std::make_pair(split.getInput(), n);
}

/// The unrepeated form of a key or value view whose base is repeat_kv.
std::optional<std::pair<PermutedValue, int64_t>>
stripRepeatKv(const PermutedValue &view, AttentionMatch &match,
              bool foldScale) {
  if (!view.isIdentity() || view.permutation.size() != 4)
    return std::nullopt;
  std::optional<std::pair<Value, int64_t>> repeat = matchRepeatKv(view.base);
  if (!repeat)
    return std::nullopt;
  Operation *merge = view.base.getDefiningOp();
  match.visited.insert(merge);
  match.visited.insert(merge->getOperand(0).getDefiningOp());
  match.visited.insert(
      merge->getOperand(0).getDefiningOp()->getOperand(0).getDefiningOp());
  PermutedValue heads{repeat->first, {0, 1, 2, 3}};
  lookThroughTransposes(heads, match, foldScale);
  return std::make_pair(heads, repeat->second);
}

/// The identity permutation of `rank` dimensions, with the last two
/// swapped when `swap`.
SmallVector<int64_t> getPermutation(int64_t rank, bool swap) {
  SmallVector<int64_t> permutation = llvm::to_vector(llvm::seq<int64_t>(rank));
  if (swap)
    std::swap(permutation[rank - 2], permutation[rank - 1]);
  return permutation;
}

/// Walks the scores from the softmax back to the Q·Kᵀ matmul, collecting
/// the scale and the masks.
FailureOr<xf::MatmulOp> matchScores(AttentionMatch &match, Blocker &blocker) {
  Value scores = match.softmax.getInput();
  // A scale between the mask and the softmax would scale the mask too.
  Operation *scaleAfterMask = nullptr;
  auto block = [&](Operation *op, const Twine &reason) {
    blocker = {op, reason.str()};
    return failure();
  };
  while (true) {
    Operation *def = scores.getDefiningOp();
    if (!def)
      return block(match.softmax, "the scores are not computed by a matmul");
    if (!scores.hasOneUse())
      return block(def, "its result is also used elsewhere");
    match.visited.insert(def);
    match.fusedOps.push_back(def);
    if (auto matmul = dyn_cast<xf::MatmulOp>(def))
      return matmul;

    if (isa<xf::DivOp, xf::MulOp>(def)) {
      Value lhs = def->getOperand(0), rhs = def->getOperand(1);
      if (isa<xf::MulOp>(def) && getSplatFloat(lhs))
        std::swap(lhs, rhs);
      std::optional<double> factor = getSplatFloat(rhs);
      if (!factor)
        return block(def, "the scale is not a constant");
      if (lhs.getType() != scores.getType())
        return block(def, "the scale broadcasts the scores");
      scaleAfterMask = def;
      match.scale *= isa<xf::DivOp>(def) ? 1.0 / *factor : *factor;
      scores = lhs;
      continue;
    }

    if (auto add = dyn_cast<xf::AddOp>(def)) {
      Value lhs = add.getLhs(), rhs = add.getRhs();
      if (!reachesMatmul(lhs))
        std::swap(lhs, rhs);
      if (!reachesMatmul(lhs) || reachesMatmul(rhs))
        return block(def, "cannot tell the scores from the mask");
      if (lhs.getType() != scores.getType())
        return block(def, "the mask broadcasts the scores");
      if (scaleAfterMask)
        return block(scaleAfterMask, "the scale applies to the mask too");
      match.masks.push_back({stripExpand(rhs, match)});
      scores = lhs;
      continue;
    }

    if (auto select = dyn_cast<xf::SelectOp>(def)) {
      Value kept = select.getTrueValue(), fill = select.getFalseValue();
      bool maskedWhenTrue = false;
      if (!reachesMatmul(kept)) {
        std::swap(kept, fill);
        maskedWhenTrue = true;
      }
      if (!reachesMatmul(kept) || kept.getType() != scores.getType())
        return block(def, "cannot tell the scores from the mask");
      std::optional<double> fillValue = getSplatFloat(fill);
      if (!fillValue || !(*fillValue <= kMaskedScoreLimit))
        return block(def, "masked scores are not replaced by a large "
                          "negative constant");
      if (scaleAfterMask)
        return block(scaleAfterMask, "the scale applies to the mask too");
      match.masks.push_back({stripExpand(select.getCondition(), match),
                             /*isCondition=*/true, maskedWhenTrue,
                             *fillValue});
      scores = kept;
      continue;
    }
    return block(def, "'" + def->getName().getStringRef() +
                          "' is not a scale or mask of attention scores");
  }
}

/// Matches the attention that ends in `softmax`; on failure says why.
FailureOr<AttentionMatch> matchAttention(xf::SoftmaxOp softmax,
                                         Blocker &blocker) {
  AttentionMatch match;
  match.softmax = softmax;
  auto block = [&](Operation *op, const Twine &reason) {
    blocker = {op, reason.str()};
    return failure();
  };
  int64_t rank = softmax.getType().getRank();
  auto axis = static_cast<int64_t>(softmax.getAxis());
  if (axis != -1 && axis != rank - 1)
    return block(softmax, "the softmax is not over the last (key) axis");
  if (rank != 3 && rank != 4)
    return block(softmax, "the scores have rank " + Twine(rank) +
                              "; attention has [B, S, S] or [B, H, S, S]");
  if (!softmax->hasOneUse())
    return block(softmax, "the probabilities are also used elsewhere");
  auto output = dyn_cast<xf::MatmulOp>(*softmax->user_begin());
  if (!output || output.getLhs() != softmax.getResult())
    return block(*softmax->user_begin(),
                 "the probabilities do not multiply the values");
  if (output.getTransposeLhs())
    return block(output, "the probabilities are transposed");
  match.output = output;
  match.visited.insert(softmax);
  match.visited.insert(output);
  match.fusedOps.push_back(softmax);
  match.fusedOps.push_back(output);

  FailureOr<xf::MatmulOp> scores = matchScores(match, blocker);
  if (failed(scores))
    return failure();
  if (scores->getTransposeLhs())
    return block(*scores, "the query is transposed");

  match.query = {scores->getLhs(), getPermutation(rank, false)};
  match.key = {scores->getRhs(),
               getPermutation(rank, !scores->getTransposeRhs())};
  match.value = {output.getRhs(),
                 getPermutation(rank, output.getTransposeRhs())};
  for (PermutedValue *view : {&match.query, &match.key, &match.value}) {
    if (cast<RankedTensorType>(view->base.getType()).getRank() != rank)
      return block(view == &match.value ? output.getOperation()
                                        : scores->getOperation(),
                   "an operand broadcasts its batch dimensions");
    lookThroughTransposes(*view, match, view != &match.value);
  }

  // Grouped-query attention: use the key/value heads before repeat_kv.
  auto key = stripRepeatKv(match.key, match, /*foldScale=*/true);
  auto value = stripRepeatKv(match.value, match, /*foldScale=*/false);
  if (key && value && key->second == value->second) {
    match.key = key->first;
    match.value = value->first;
    match.kvRepeat = key->second;
  }

  SmallVector<int64_t> q = match.query.getShape(), k = match.key.getShape(),
                       v = match.value.getShape();
  // Multi-query attention by broadcasting: one key/value head for all.
  if (rank == 4 && match.kvRepeat == 1 && k[1] == 1 && v[1] == 1 && q[1] > 1)
    match.kvRepeat = q[1];
  int64_t batchDims = rank - 2;
  for (int64_t dim = 0; dim < batchDims; ++dim) {
    int64_t heads = (rank == 4 && dim == 1) ? match.kvRepeat : 1;
    if (q[dim] != k[dim] * heads || q[dim] != v[dim] * heads)
      return block(*scores, "the batch or head dimensions of query, key and "
                            "value differ");
  }
  if (q[rank - 1] != k[rank - 1] || k[rank - 2] != v[rank - 2])
    return block(*scores, "the query, key and value sizes do not fit");
  if (!std::isfinite(match.scale) || match.scale <= 0)
    return block(*scores, "the combined scale is not positive and finite");
  auto scoresType = cast<RankedTensorType>(scores->getType());
  if (!scoresType.hasStaticShape())
    return block(*scores, "the scores have a dynamic shape");

  // A constant mask that is exactly causal becomes the `causal` flag.
  int64_t querySeq = q[rank - 2], keySeq = k[rank - 2];
  llvm::erase_if(match.masks, [&](const MaskTerm &mask) {
    bool causal = isCausalConstant(
        mask.value, querySeq, keySeq, [&](double x) -> std::optional<bool> {
          if (mask.isCondition)
            return (x != 0) != mask.maskedWhenTrue;
          if (x == 0)
            return true;
          if (x <= kCausalBiasLimit)
            return false;
          return std::nullopt;
        });
    match.causal |= causal;
    return causal;
  });
  return match;
}

/// The [B, S, H·D] projection behind a [B, H, S, D] view, when the view is
/// Transpose(0, 2, 1, 3) of its Reshape to [B, S, H, D].
Value getPackedProjection(const PermutedValue &view) {
  if (view.permutation != ArrayRef<int64_t>{0, 2, 1, 3})
    return {};
  auto split = view.base.getDefiningOp<xf::ReshapeOp>();
  if (!split)
    return {};
  ArrayRef<int64_t> packed = split.getInput().getType().getShape();
  ArrayRef<int64_t> heads = split.getType().getShape();
  if (packed.size() != 3 || packed[0] != heads[0] || packed[1] != heads[1] ||
      packed[2] != heads[2] * heads[3])
    return {};
  return split.getInput();
}

/// The Reshape that merges the heads of the attention result back after
/// Transpose(0, 2, 1, 3): [B, S, H·Dv] or any other shape of the same
/// row-major data (GPT-2 flattens to [B·S, H·Dv] for its Gemm).
xf::ReshapeOp getHeadMerge(xf::MatmulOp output) {
  if (!output->hasOneUse())
    return {};
  auto transpose = dyn_cast<xf::TransposeOp>(*output->user_begin());
  if (!transpose || transpose.getPermutation() != ArrayRef<int64_t>{0, 2, 1, 3} ||
      !transpose->hasOneUse())
    return {};
  return dyn_cast<xf::ReshapeOp>(*transpose->user_begin());
}

Value materialize(OpBuilder &b, Location loc, const PermutedValue &view) {
  if (view.isIdentity())
    return view.base;
  return xf::TransposeOp::create(b, loc, view.base,
                                 b.getDenseI64ArrayAttr(view.permutation));
}

Value createScalar(OpBuilder &b, Location loc, Type elementType, double x) {
  auto type = RankedTensorType::get({}, elementType);
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getFloatAttr(elementType, x)));
}

/// One mask for xf.attention: a single `keep` condition as is, otherwise
/// the sum of every term as an additive mask.
Value buildMask(OpBuilder &b, Location loc, ArrayRef<MaskTerm> masks,
                Type elementType) {
  if (masks.empty())
    return {};
  if (masks.size() == 1 && masks[0].isCondition && !masks[0].maskedWhenTrue &&
      std::isinf(masks[0].fill))
    return masks[0].value;
  Value sum;
  for (const MaskTerm &mask : masks) {
    Value term = mask.value;
    if (mask.isCondition) {
      // −inf fills become −inf biases; finite ones (finfo.min) a bias of
      // that value, which swamps any score just as replacing it does.
      Value zero = createScalar(b, loc, elementType, 0.0);
      Value fill = createScalar(b, loc, elementType, mask.fill);
      term = mask.maskedWhenTrue
                 ? xf::SelectOp::create(b, loc, term, fill, zero).getResult()
                 : xf::SelectOp::create(b, loc, term, zero, fill).getResult();
    }
    sum = sum ? xf::AddOp::create(b, loc, sum, term).getResult() : term;
  }
  return sum;
}

void rewrite(AttentionMatch &match) {
  OpBuilder b(match.output);
  // Program order, for readable locations (the ops share a block: the
  // match follows def-use chains within one).
  llvm::sort(match.fusedOps, [](Operation *a, Operation *b) {
    return a->getBlock() == b->getBlock() ? a->isBeforeInBlock(b)
                                          : a < b;
  });
  SmallVector<Location> locations = llvm::map_to_vector(
      match.fusedOps, [](Operation *op) { return op->getLoc(); });
  Location loc = FusedLoc::get(b.getContext(), locations);
  int64_t rank = match.softmax.getType().getRank();
  int64_t numHeads = rank == 4 ? match.query.getShape()[1] : 1;
  Type elementType = match.softmax.getType().getElementType();

  Value query, key, value;
  Value replaced = match.output.getResult();
  xf::ReshapeOp merge = rank == 4 ? getHeadMerge(match.output) : xf::ReshapeOp();
  Value packedQuery = getPackedProjection(match.query);
  Value packedKey = getPackedProjection(match.key);
  Value packedValue = getPackedProjection(match.value);
  if (merge && packedQuery && packedKey && packedValue) {
    query = packedQuery;
    key = packedKey;
    value = packedValue;
    replaced = merge.getResult();
    match.visited.insert(merge);
    match.visited.insert(merge.getInput().getDefiningOp());
    match.visited.insert(match.query.base.getDefiningOp());
    match.visited.insert(match.key.base.getDefiningOp());
    match.visited.insert(match.value.base.getDefiningOp());
    loc = FusedLoc::get(b.getContext(),
                        {loc, merge.getInput().getDefiningOp()->getLoc(),
                         merge.getLoc()});
    b.setInsertionPoint(merge);
  } else {
    query = materialize(b, loc, match.query);
    key = materialize(b, loc, match.key);
    value = materialize(b, loc, match.value);
  }

  Value mask = buildMask(b, loc, match.masks, elementType);
  // Single-head [B, S, S] scores: the mask gains the head dimension that
  // xf.attention broadcasts masks to.
  if (mask && rank == 3 &&
      cast<RankedTensorType>(mask.getType()).getRank() == 3) {
    auto maskType = cast<RankedTensorType>(mask.getType());
    ArrayRef<int64_t> shape = maskType.getShape();
    mask = xf::ReshapeOp::create(
        b, loc, maskType.clone({shape[0], 1, shape[1], shape[2]}), mask);
  }

  auto attention = xf::AttentionOp::create(
      b, loc, query, key, value, mask, b.getI64IntegerAttr(numHeads),
      match.kvRepeat > 1 ? b.getI64IntegerAttr(numHeads / match.kvRepeat)
                         : IntegerAttr(),
      b.getF32FloatAttr(static_cast<float>(match.scale)),
      match.causal ? b.getUnitAttr() : UnitAttr());
  Value result = attention.getResult();
  if (result.getType() != replaced.getType())
    result = xf::ReshapeOp::create(b, loc, replaced.getType(), result);
  replaced.replaceAllUsesWith(result);

  // Drop what the match looked through, and the constants it read, once
  // nothing else uses them.
  SmallVector<Operation *> worklist = match.visited.takeVector();
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        worklist.push_back(producer);
    op->erase();
    // The same op may be queued more than once.
    llvm::erase(worklist, op);
  }
}

struct FuseAttentionPass
    : xfc::impl::FuseAttentionPassBase<FuseAttentionPass> {
  void runOnOperation() override {
    SmallVector<xf::SoftmaxOp> softmaxes;
    getOperation()->walk(
        [&](xf::SoftmaxOp softmax) { softmaxes.push_back(softmax); });
    for (xf::SoftmaxOp softmax : softmaxes) {
      Blocker blocker;
      FailureOr<AttentionMatch> match = matchAttention(softmax, blocker);
      if (succeeded(match)) {
        rewrite(*match);
        continue;
      }
      // Only what looks like attention deserves a remark: probabilities
      // that weight values, computed from a product.
      bool feedsMatmul = llvm::any_of(softmax->getUsers(), [&](Operation *user) {
        auto matmul = dyn_cast<xf::MatmulOp>(user);
        return matmul && matmul.getLhs() == softmax.getResult();
      });
      if (feedsMatmul && reachesMatmul(softmax.getInput(), /*anyOp=*/true))
        softmax.emitRemark()
            << "attention not fused: blocked by '"
            << blocker.op->getName() << "' at " << blocker.op->getLoc()
            << ": " << blocker.reason;
    }
  }
};

} // namespace
