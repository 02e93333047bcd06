//===- FuseLayerNorm.cpp - The --xf-fuse-layer-norm pass ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"

#include "Matchers.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace xfc {
#define GEN_PASS_DEF_FUSELAYERNORMPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc::fusion;
namespace xf = xfc::xf;

namespace {

/// Matches the normalizing op `(x - mean(x)) / sqrt(mean((x - mean(x))²) + ε)`
/// (an xf.div or xf.mul: any spelling of matchInverseStdDev) and replaces
/// it, together with a following `· γ` and `+ β` of the normalized shape,
/// by one xf.layer_norm.
template <typename OpTy> struct FuseLayerNorm : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy normalize,
                                PatternRewriter &rewriter) const override {
    Operation *op = normalize.getOperation();
    std::optional<InverseStdDev> inverse = matchInverseStdDev(op);
    if (!inverse)
      return rewriter.notifyMatchFailure(op, "not x / sqrt(mean + eps)");

    // centered = x - mean(x), over the same trailing axes as the variance.
    auto centered = inverse->numerator.getDefiningOp<xf::SubOp>();
    if (!centered)
      return rewriter.notifyMatchFailure(op, "numerator is not a subtraction");
    Value input = centered.getLhs();
    auto mean = getSingleUseDef<xf::ReduceMeanOp>(centered.getRhs());
    if (!mean || mean.getInput() != input ||
        centered.getType() != input.getType())
      return rewriter.notifyMatchFailure(op, "numerator is not x - mean(x)");
    std::optional<int64_t> axis = getTrailingReductionAxis(mean);
    xf::ReduceMeanOp variance = inverse->statistic;
    if (!axis || getTrailingReductionAxis(variance) != axis)
      return rewriter.notifyMatchFailure(
          op, "means are not over the same trailing axes");

    // variance = mean(centered²); centered feeds only the square and `op`.
    Value square = variance.getInput();
    Operation *squareOp = square.getDefiningOp();
    if (!isSquareOf(square, centered) || !square.hasOneUse() ||
        !llvm::all_of(centered->getUsers(), [&](Operation *user) {
          return user == squareOp || user == op;
        }))
      return rewriter.notifyMatchFailure(op, "variance is not mean(centered²)");

    // Absorb `· γ` then `+ β` when they are the only use and per feature.
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> normShape = inputType.getShape().drop_front(*axis);
    SmallVector<Operation *> ops = {mean, centered, squareOp, variance};
    ops.append(inverse->ops);
    Value result = op->getResult(0);
    auto getParameter = [&](auto opType) -> Value {
      using UserOp = decltype(opType);
      if (!result.hasOneUse())
        return nullptr;
      auto user = dyn_cast<UserOp>(*result.getUsers().begin());
      if (!user || user.getType() != result.getType())
        return nullptr;
      Value param = getOtherOperand(user, result);
      if (param == result || !isNormParameter(param, normShape))
        return nullptr;
      ops.push_back(user);
      result = user.getResult();
      return param;
    };
    Value scale = getParameter(xf::MulOp());
    Value bias = getParameter(xf::AddOp());

    Operation *last = ops.back();
    Location loc = getFusedLoc(rewriter.getContext(), ops);
    rewriter.setInsertionPoint(last);
    if (scale)
      scale = reshapeNormParameter(rewriter, loc, scale, normShape);
    if (bias)
      bias = reshapeNormParameter(rewriter, loc, bias, normShape);
    Value fused = xf::LayerNormOp::create(
        rewriter, loc, inputType, input, /*residual=*/Value(), scale, bias,
        rewriter.getI64IntegerAttr(*axis - inputType.getRank()),
        rewriter.getF32FloatAttr(inverse->epsilon));
    rewriter.replaceOp(last, fused);
    eraseDeadOps(rewriter, ArrayRef(ops).drop_back());
    return success();
  }
};

struct FuseLayerNormPass : xfc::impl::FuseLayerNormPassBase<FuseLayerNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseLayerNorm<xf::DivOp>, FuseLayerNorm<xf::MulOp>>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     getFusionRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace
