//===- FuseRMSNorm.cpp - The --xf-fuse-rms-norm pass ----------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"

#include "Matchers.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace xfc {
#define GEN_PASS_DEF_FUSERMSNORMPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc::fusion;
namespace xf = xfc::xf;

/// Returns whether `value` is `x - mean(x)` over the trailing axes from
/// `axis`: the centering of a layer norm, which xf-fuse-layer-norm fuses.
static bool isCentered(Value value, int64_t axis) {
  auto sub = value.getDefiningOp<xf::SubOp>();
  if (!sub)
    return false;
  auto mean = sub.getRhs().getDefiningOp<xf::ReduceMeanOp>();
  return mean && mean.getInput() == sub.getLhs() &&
         getTrailingReductionAxis(mean) == axis;
}

namespace {

/// Matches the normalizing op `x / sqrt(mean(x²) + ε)` (an xf.div or xf.mul:
/// any spelling of matchInverseStdDev) and replaces it, together with a
/// following `· w` of the normalized shape, by one xf.rms_norm.
template <typename OpTy> struct FuseRMSNorm : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy normalize,
                                PatternRewriter &rewriter) const override {
    Operation *op = normalize.getOperation();
    std::optional<InverseStdDev> inverse = matchInverseStdDev(op);
    if (!inverse)
      return rewriter.notifyMatchFailure(op, "not x / sqrt(mean + eps)");
    Value input = inverse->numerator;
    xf::ReduceMeanOp meanSquare = inverse->statistic;
    std::optional<int64_t> axis = getTrailingReductionAxis(meanSquare);
    Value square = meanSquare.getInput();
    if (!axis || !isSquareOf(square, input) || !square.hasOneUse())
      return rewriter.notifyMatchFailure(op, "not mean(x²) over trailing axes");
    // A layer norm's tail is an RMS norm of the centered input; leave it
    // whole for xf-fuse-layer-norm.
    if (isCentered(input, *axis))
      return rewriter.notifyMatchFailure(op, "the tail of a layer norm");

    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> normShape = inputType.getShape().drop_front(*axis);
    SmallVector<Operation *> ops = {square.getDefiningOp(), meanSquare};
    ops.append(inverse->ops);
    Value result = op->getResult(0);
    Value scale;
    if (result.hasOneUse()) {
      auto mul = dyn_cast<xf::MulOp>(*result.getUsers().begin());
      if (mul && mul.getType() == result.getType()) {
        Value weight = getOtherOperand(mul, result);
        if (weight != result && isNormParameter(weight, normShape)) {
          scale = weight;
          ops.push_back(mul);
        }
      }
    }

    Operation *last = ops.back();
    Location loc = getFusedLoc(rewriter.getContext(), ops);
    rewriter.setInsertionPoint(last);
    if (scale)
      scale = reshapeNormParameter(rewriter, loc, scale, normShape);
    Value fused = xf::RMSNormOp::create(
        rewriter, loc, inputType, input, scale,
        rewriter.getI64IntegerAttr(*axis - inputType.getRank()),
        rewriter.getF32FloatAttr(inverse->epsilon));
    rewriter.replaceOp(last, fused);
    eraseDeadOps(rewriter, ArrayRef(ops).drop_back());
    return success();
  }
};

struct FuseRMSNormPass : xfc::impl::FuseRMSNormPassBase<FuseRMSNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseRMSNorm<xf::DivOp>, FuseRMSNorm<xf::MulOp>>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     getFusionRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace
