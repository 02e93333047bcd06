//===- FuseSilu.cpp - The --xf-fuse-silu pass -----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"

#include "Matchers.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace xfc {
#define GEN_PASS_DEF_FUSESILUPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc::fusion;
namespace xf = xfc::xf;

namespace {

/// `mul(x, sigmoid(x))`, either operand order, with the sigmoid used only
/// there → `xf.silu(x)`.
struct FuseSilu : OpRewritePattern<xf::MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(xf::MulOp mul,
                                PatternRewriter &rewriter) const override {
    for (Value operand : {mul.getLhs(), mul.getRhs()}) {
      auto sigmoid = getSingleUseDef<xf::SigmoidOp>(operand);
      if (!sigmoid || sigmoid.getInput() != getOtherOperand(mul, operand))
        continue;
      Location loc = getFusedLoc(getContext(), {sigmoid, mul});
      rewriter.setInsertionPoint(mul);
      Value silu =
          xf::SiluOp::create(rewriter, loc, mul.getType(), sigmoid.getInput());
      rewriter.replaceOp(mul, silu);
      rewriter.eraseOp(sigmoid);
      return success();
    }
    return rewriter.notifyMatchFailure(mul, "not x * sigmoid(x)");
  }
};

struct FuseSiluPass : xfc::impl::FuseSiluPassBase<FuseSiluPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseSilu>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     getFusionRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace
