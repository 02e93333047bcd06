//===- FuseResidualLayerNorm.cpp - The --xf-fuse-residual-layer-norm pass -===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"

#include "Matchers.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace xfc {
#define GEN_PASS_DEF_FUSERESIDUALLAYERNORMPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc::fusion;
namespace xf = xfc::xf;

namespace {

/// `layer_norm(add(a, b))` → `layer_norm a residual(b)` when the add is used
/// only by the norm and neither operand is broadcast.
struct FuseResidualLayerNorm : OpRewritePattern<xf::LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(xf::LayerNormOp norm,
                                PatternRewriter &rewriter) const override {
    if (norm.getResidual())
      return rewriter.notifyMatchFailure(norm, "already has a residual");
    auto add = getSingleUseDef<xf::AddOp>(norm.getInput());
    if (!add)
      return rewriter.notifyMatchFailure(norm, "input is not a single-use add");
    Type type = norm.getInput().getType();
    if (add.getLhs().getType() != type || add.getRhs().getType() != type)
      return rewriter.notifyMatchFailure(norm, "the add broadcasts");
    Location loc = getFusedLoc(getContext(), {add, norm});
    rewriter.setInsertionPoint(norm);
    Value fused =
        xf::LayerNormOp::create(rewriter, loc, norm.getType(), add.getLhs(),
                                add.getRhs(), norm.getScale(), norm.getBias(),
                                norm.getAxisAttr(), norm.getEpsilonAttr());
    rewriter.replaceOp(norm, fused);
    rewriter.eraseOp(add);
    return success();
  }
};

struct FuseResidualLayerNormPass
    : xfc::impl::FuseResidualLayerNormPassBase<FuseResidualLayerNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseResidualLayerNorm>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     getFusionRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace
