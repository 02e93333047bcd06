//===- FuseRope.cpp - The --xf-fuse-rope pass -----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"

#include "Matchers.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cstring>

namespace xfc {
#define GEN_PASS_DEF_FUSEROPEPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc::fusion;
namespace xf = xfc::xf;

//===----------------------------------------------------------------------===//
// cos/sin tables whose two halves are equal
//===----------------------------------------------------------------------===//

/// The static size of the last dimension of `value`, if it has one.
static std::optional<int64_t> getLastDimSize(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0 || type.isDynamicDim(type.getRank() - 1))
    return std::nullopt;
  return type.getShape().back();
}

/// Returns whether every row (along the last axis, of even size 2h) of the
/// constant `attr` has equal halves, `row[i] == row[i + h]` bit for bit.
static bool constantHasEqualHalves(Attribute attr, int64_t features) {
  auto typed = dyn_cast<ElementsAttr>(attr);
  if (!typed || !typed.getElementType().isIntOrFloat() ||
      typed.getElementType().getIntOrFloatBitWidth() % 8 != 0)
    return false;
  ArrayRef<char> data;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat())
      return true;
    data = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return false;
    data = blob->getData();
  } else {
    return false;
  }
  int64_t elementBytes = typed.getElementType().getIntOrFloatBitWidth() / 8;
  int64_t rowBytes = features * elementBytes;
  if (rowBytes == 0 || static_cast<int64_t>(data.size()) !=
                           typed.getNumElements() * elementBytes)
    return false;
  int64_t halfBytes = rowBytes / 2;
  for (int64_t row = 0; row < static_cast<int64_t>(data.size());
       row += rowBytes)
    if (std::memcmp(data.data() + row, data.data() + row + halfBytes,
                    halfBytes) != 0)
      return false;
  return true;
}

/// Returns whether every row of `value` along its last axis (of static,
/// even size) has equal halves: proven back through ops that move whole
/// rows (gather, slice and transpose not touching the last axis, reshape
/// and expand keeping it, cast) to `cat(t, t)` along it, or to a constant
/// whose data shows it. The exporters' cos/sin tables are `cat(freqs,
/// freqs)` caches sliced and gathered by position.
static bool hasEqualHalves(Value value, unsigned depth = 0) {
  std::optional<int64_t> features = getLastDimSize(value);
  if (!features || *features % 2 != 0 || depth > 16)
    return false;
  int64_t last = cast<RankedTensorType>(value.getType()).getRank() - 1;
  Attribute constant;
  if (matchPattern(value, m_Constant(&constant)))
    return constantHasEqualHalves(constant, *features);
  // The same last dimension, or a broadcast of one element per row.
  auto keepsRows = [&](Value input) {
    return getLastDimSize(input) == features &&
           hasEqualHalves(input, depth + 1);
  };
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  return llvm::TypeSwitch<Operation *, bool>(def)
      .Case([&](xf::ReshapeOp op) { return keepsRows(op.getInput()); })
      .Case([&](xf::CastOp op) { return keepsRows(op.getInput()); })
      .Case([&](xf::ExpandOp op) {
        return getLastDimSize(op.getInput()) == 1 || keepsRows(op.getInput());
      })
      .Case([&](xf::GatherOp op) {
        int64_t rank =
            cast<RankedTensorType>(op.getInput().getType()).getRank();
        return xf::normalizeAxis(op.getAxis(), rank) != rank - 1 &&
               keepsRows(op.getInput());
      })
      .Case([&](xf::SliceOp op) {
        return op.getOffsets().back() == 0 && op.getStrides().back() == 1 &&
               keepsRows(op.getInput());
      })
      .Case([&](xf::TransposeOp op) {
        return op.getPermutation().back() == last && keepsRows(op.getInput());
      })
      .Case([&](xf::ConcatOp op) {
        if (xf::normalizeAxis(op.getAxis(), last + 1) == last)
          return op.getInputs().size() == 2 &&
                 op.getInputs()[0] == op.getInputs()[1];
        return llvm::all_of(op.getInputs(), keepsRows);
      })
      .Default([](Operation *) { return false; });
}

/// The first half of `table` along its last axis: an existing such slice
/// before `root` in its block, or a new one placed after the table's
/// definition (so the next rope on the same table finds it).
static Value getFirstHalf(PatternRewriter &rewriter, Value table,
                          Operation *root) {
  auto type = cast<RankedTensorType>(table.getType());
  SmallVector<int64_t> offsets(type.getRank(), 0);
  SmallVector<int64_t> sizes(type.getShape());
  SmallVector<int64_t> strides(type.getRank(), 1);
  sizes.back() /= 2;
  for (Operation *user : table.getUsers()) {
    auto slice = dyn_cast<xf::SliceOp>(user);
    if (slice && slice.getInput() == table &&
        slice.getOffsets() == ArrayRef(offsets) &&
        slice.getSizes() == ArrayRef(sizes) &&
        slice.getStrides() == ArrayRef(strides) &&
        slice->getBlock() == root->getBlock() && slice->isBeforeInBlock(root))
      return slice;
  }
  OpBuilder::InsertionGuard guard(rewriter);
  Operation *def = table.getDefiningOp();
  if (def && def->getBlock() == root->getBlock())
    rewriter.setInsertionPointAfter(def);
  else
    rewriter.setInsertionPoint(root);
  return xf::SliceOp::create(rewriter, table.getLoc(), table,
                             rewriter.getDenseI64ArrayAttr(offsets),
                             rewriter.getDenseI64ArrayAttr(sizes),
                             rewriter.getDenseI64ArrayAttr(strides));
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// Returns the input of `value`'s defining slice, used only there, when it
/// takes `size` features from `offset` (stride 1) of the last axis and all
/// of every other dimension; null otherwise.
static Value matchLastAxisSlice(Value value, int64_t offset, int64_t size) {
  auto slice = getSingleUseDef<xf::SliceOp>(value);
  if (!slice)
    return nullptr;
  auto type = cast<RankedTensorType>(slice.getInput().getType());
  int64_t last = type.getRank() - 1;
  for (int64_t dim = 0; dim <= last; ++dim) {
    bool isLast = dim == last;
    if (slice.getOffsets()[dim] != (isLast ? offset : 0) ||
        slice.getStrides()[dim] != 1 ||
        slice.getSizes()[dim] != (isLast ? size : type.getDimSize(dim)) ||
        type.isDynamicDim(dim))
      return nullptr;
  }
  return slice.getInput();
}

/// Returns `x` when `value` is rotate_half(x) =
/// `concat(neg(x[..., D/2:]), x[..., :D/2])` along the last axis, each op
/// used only there; appends the ops to `ops`.
static Value matchRotateHalf(Value value, SmallVectorImpl<Operation *> &ops) {
  auto concat = getSingleUseDef<xf::ConcatOp>(value);
  std::optional<int64_t> features = getLastDimSize(value);
  if (!concat || !features || *features % 2 != 0 ||
      concat.getInputs().size() != 2)
    return nullptr;
  int64_t rank = concat.getType().getRank();
  if (xf::normalizeAxis(concat.getAxis(), rank) != rank - 1)
    return nullptr;
  int64_t half = *features / 2;
  auto neg = getSingleUseDef<xf::NegOp>(concat.getInputs()[0]);
  Value x = neg ? matchLastAxisSlice(neg.getInput(), half, half) : Value();
  if (!x || matchLastAxisSlice(concat.getInputs()[1], 0, half) != x ||
      x.getType() != concat.getType())
    return nullptr;
  ops.append({neg.getInput().getDefiningOp(), neg,
              concat.getInputs()[1].getDefiningOp(), concat});
  return x;
}

namespace {

/// `x · cos + rotate_half(x) · sin` (any operand order), with cos and sin
/// `[..., S, D]` tables of equal halves → `xf.rope %x, cos[..., :D/2],
/// sin[..., :D/2]`.
struct FuseRotateHalfRope : OpRewritePattern<xf::AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(xf::AddOp add,
                                PatternRewriter &rewriter) const override {
    for (Value cosTerm : {add.getLhs(), add.getRhs()}) {
      auto cosMul = getSingleUseDef<xf::MulOp>(cosTerm);
      auto sinMul = getSingleUseDef<xf::MulOp>(getOtherOperand(add, cosTerm));
      if (!cosMul || !sinMul)
        continue;
      for (Value rotated : {sinMul.getLhs(), sinMul.getRhs()}) {
        SmallVector<Operation *> ops = {cosMul};
        Value x = matchRotateHalf(rotated, ops);
        if (!x)
          continue;
        Value sin = getOtherOperand(sinMul, rotated);
        Value cos;
        if (cosMul.getLhs() == x)
          cos = cosMul.getRhs();
        else if (cosMul.getRhs() == x)
          cos = cosMul.getLhs();
        if (!cos)
          continue;
        ops.append({sinMul, add});
        if (succeeded(rewrite(rewriter, x, cos, sin, ops)))
          return success();
      }
    }
    return rewriter.notifyMatchFailure(add,
                                       "not x * cos + rotate_half(x) * sin");
  }

  /// Replaces `ops` (the add last) by the rope, once the types and tables
  /// are checked.
  static LogicalResult rewrite(PatternRewriter &rewriter, Value x, Value cos,
                               Value sin, ArrayRef<Operation *> ops) {
    Operation *root = ops.back();
    auto type = cast<RankedTensorType>(x.getType());
    // No broadcasting of x by the tables (one result per element of x),
    // tables of one static type [..., D] (rope_c1).
    auto tableType = dyn_cast<RankedTensorType>(cos.getType());
    auto broadcastsX = [&](Operation *op) {
      return isa<xf::MulOp, xf::AddOp>(op) &&
             op->getResult(0).getType() != type;
    };
    if (!isa<FloatType>(type.getElementType()) ||
        llvm::any_of(ops, broadcastsX) || !tableType ||
        sin.getType() != tableType || !tableType.hasStaticShape() ||
        getLastDimSize(cos) != getLastDimSize(x))
      return failure();
    if (!hasEqualHalves(cos) || !hasEqualHalves(sin))
      return failure();

    Value cosHalf = getFirstHalf(rewriter, cos, root);
    Value sinHalf = getFirstHalf(rewriter, sin, root);
    rewriter.setInsertionPoint(root);
    Value rope =
        xf::RopeOp::create(rewriter, getFusedLoc(rewriter.getContext(), ops),
                           type, x, cosHalf, sinHalf, /*interleaved=*/nullptr);
    rewriter.replaceOp(root, rope);
    eraseDeadOps(rewriter, ops.drop_back());
    return success();
  }
};

/// Partial rotary: `concat(rope(x[..., :R]), x[..., R:])` along the last
/// axis, where the rope rotates all of its R features → `rope(x)` with the
/// same tables (which rotates the first R and passes the rest through).
struct FusePartialRope : OpRewritePattern<xf::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(xf::ConcatOp concat,
                                PatternRewriter &rewriter) const override {
    int64_t rank = concat.getType().getRank();
    if (concat.getInputs().size() != 2 ||
        xf::normalizeAxis(concat.getAxis(), rank) != rank - 1)
      return rewriter.notifyMatchFailure(concat, "not a concat of two");
    auto rope = getSingleUseDef<xf::RopeOp>(concat.getInputs()[0]);
    std::optional<int64_t> features = getLastDimSize(concat);
    std::optional<int64_t> rotary, pairs;
    if (rope) {
      rotary = getLastDimSize(rope.getInput());
      pairs = getLastDimSize(rope.getCos());
    }
    if (!rope || rope.getInterleaved() || !features || !rotary || !pairs ||
        2 * *pairs != *rotary)
      return rewriter.notifyMatchFailure(concat, "not a rope of all features");
    Value x = matchLastAxisSlice(rope.getInput(), 0, *rotary);
    if (!x ||
        matchLastAxisSlice(concat.getInputs()[1], *rotary,
                           *features - *rotary) != x ||
        x.getType() != concat.getType())
      return rewriter.notifyMatchFailure(concat, "not x[..., :R], x[..., R:]");
    SmallVector<Operation *> ops = {rope.getInput().getDefiningOp(), rope,
                                    concat.getInputs()[1].getDefiningOp(),
                                    concat};
    rewriter.setInsertionPoint(concat);
    Value fused = xf::RopeOp::create(rewriter, getFusedLoc(getContext(), ops),
                                     concat.getType(), x, rope.getCos(),
                                     rope.getSin(), /*interleaved=*/nullptr);
    rewriter.replaceOp(concat, fused);
    eraseDeadOps(rewriter, ArrayRef(ops).drop_back());
    return success();
  }
};

struct FuseRopePass : xfc::impl::FuseRopePassBase<FuseRopePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseRotateHalfRope, FusePartialRope>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     getFusionRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace
