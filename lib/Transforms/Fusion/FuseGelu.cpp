//===- FuseGelu.cpp - The --xf-fuse-gelu pass -----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"

#include "Matchers.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/MathExtras.h"

namespace xfc {
#define GEN_PASS_DEF_FUSEGELUPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc::fusion;
namespace xf = xfc::xf;

// The constants of the two forms: erf(x/√2) and tanh(√(2/π)(x + 0.044715x³)).
static constexpr double kSqrt2 = llvm::numbers::sqrt2;
static constexpr double kInvSqrt2 = llvm::numbers::inv_sqrt2;
static constexpr double kSqrt2OverPi =
    llvm::numbers::sqrt2 * llvm::numbers::inv_sqrtpi;
static constexpr double kTanhCubic = 0.044715;

/// Returns the `a` of `mul(a, c)` or `mul(c, a)` whose other operand is a
/// splat near `constant` and that does not broadcast `a`; null otherwise.
static Value matchScaledBy(xf::MulOp mul, double constant) {
  for (Value operand : {mul.getLhs(), mul.getRhs()}) {
    Value other = getOtherOperand(mul, operand);
    if (isSplatNear(other, constant) && mul.getType() == operand.getType())
      return operand;
  }
  return nullptr;
}

/// Matches `value` as `x · (1/√2)` or `x / √2`, a single-use op, for the
/// given `x`; appends the op to `ops`.
static bool matchErfArgument(Value value, Value x,
                             SmallVectorImpl<Operation *> &ops) {
  if (auto div = getSingleUseDef<xf::DivOp>(value)) {
    if (div.getLhs() != x || div.getType() != x.getType() ||
        !isSplatNear(div.getRhs(), kSqrt2))
      return false;
    ops.push_back(div);
    return true;
  }
  if (auto mul = getSingleUseDef<xf::MulOp>(value)) {
    if (matchScaledBy(mul, kInvSqrt2) != x)
      return false;
    ops.push_back(mul);
    return true;
  }
  return false;
}

/// Matches `value` as `√(2/π) · (x + 0.044715 · x³)` (any operand order of
/// the adds and muls; x³ as `pow(x, 3)`), every op single-use, for the given
/// `x`; appends the ops to `ops` in program order.
static bool matchTanhArgument(Value value, Value x,
                              SmallVectorImpl<Operation *> &ops) {
  auto outer = getSingleUseDef<xf::MulOp>(value);
  Value sum = outer ? matchScaledBy(outer, kSqrt2OverPi) : Value();
  auto add = getSingleUseDef<xf::AddOp>(sum);
  if (!add || add.getType() != x.getType())
    return false;
  Value cubicTerm;
  if (add.getLhs() == x)
    cubicTerm = add.getRhs();
  else if (add.getRhs() == x)
    cubicTerm = add.getLhs();
  auto scaled = getSingleUseDef<xf::MulOp>(cubicTerm);
  auto cube = getSingleUseDef<xf::PowOp>(
      scaled ? matchScaledBy(scaled, kTanhCubic) : Value());
  if (!cube || cube.getLhs() != x || cube.getType() != x.getType() ||
      !isSplatNear(cube.getRhs(), 3.0))
    return false;
  ops.append({cube, scaled, add, outer});
  return true;
}

/// Matches `value` as `1 + erf(x/√2)` (exact) or `1 + tanh(...)` (tanh),
/// returning the approximation and `x` and appending the ops to `ops`.
static std::optional<std::pair<xf::GeluApproximation, Value>>
matchOnePlus(Value value, SmallVectorImpl<Operation *> &ops) {
  auto add = getSingleUseDef<xf::AddOp>(value);
  if (!add)
    return std::nullopt;
  for (Value operand : {add.getLhs(), add.getRhs()}) {
    if (!isSplatNear(getOtherOperand(add, operand), 1.0) ||
        add.getType() != operand.getType())
      continue;
    if (auto erf = getSingleUseDef<xf::ErfOp>(operand)) {
      // x is the numerator of erf's argument.
      Operation *argument = erf.getInput().getDefiningOp();
      if (!argument || !isa<xf::DivOp, xf::MulOp>(argument))
        return std::nullopt;
      for (Value x : argument->getOperands()) {
        SmallVector<Operation *> matched;
        if (matchErfArgument(erf.getInput(), x, matched)) {
          ops.append(matched);
          ops.append({erf, add});
          return std::pair(xf::GeluApproximation::None, x);
        }
      }
      return std::nullopt;
    }
    if (auto tanh = getSingleUseDef<xf::TanhOp>(operand)) {
      // x is the operand of the x³ inside tanh's argument.
      auto outer = tanh.getInput().getDefiningOp<xf::MulOp>();
      Value sum = outer ? matchScaledBy(outer, kSqrt2OverPi) : Value();
      auto inner = sum ? sum.getDefiningOp<xf::AddOp>() : nullptr;
      if (!inner)
        return std::nullopt;
      for (Value x : {inner.getLhs(), inner.getRhs()}) {
        SmallVector<Operation *> matched;
        if (matchTanhArgument(tanh.getInput(), x, matched)) {
          ops.append(matched);
          ops.append({tanh, add});
          return std::pair(xf::GeluApproximation::Tanh, x);
        }
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

namespace {

/// Matches a product of the three factors `x`, `0.5` and `1 + erf(x/√2)`
/// (or `1 + tanh(√(2/π)(x + 0.044715x³))`), written as two xf.mul in any
/// association and operand order, and replaces it by xf.gelu.
struct FuseGelu : OpRewritePattern<xf::MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(xf::MulOp root,
                                PatternRewriter &rewriter) const override {
    // One of root's operands is the inner product; the three factors are
    // its operands and root's other operand.
    for (Value product : {root.getLhs(), root.getRhs()}) {
      auto inner = getSingleUseDef<xf::MulOp>(product);
      if (!inner)
        continue;
      Value factors[3] = {inner.getLhs(), inner.getRhs(),
                          getOtherOperand(root, product)};
      for (int half = 0; half < 3; ++half) {
        if (!isSplatNear(factors[half], 0.5))
          continue;
        for (int onePlus = 0; onePlus < 3; ++onePlus) {
          if (onePlus == half)
            continue;
          SmallVector<Operation *> ops;
          auto match = matchOnePlus(factors[onePlus], ops);
          Value x = factors[3 - half - onePlus];
          if (!match || match->second != x || root.getType() != x.getType() ||
              inner.getType() != root.getType())
            continue;
          ops.append({inner, root});
          rewriter.setInsertionPoint(root);
          Value gelu =
              xf::GeluOp::create(rewriter, getFusedLoc(getContext(), ops),
                                 root.getType(), x, match->first);
          rewriter.replaceOp(root, gelu);
          eraseDeadOps(rewriter, ArrayRef(ops).drop_back());
          return success();
        }
      }
    }
    return rewriter.notifyMatchFailure(root, "not a decomposed gelu");
  }
};

struct FuseGeluPass : xfc::impl::FuseGeluPassBase<FuseGeluPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseGelu>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     getFusionRewriteConfig())))
      signalPassFailure();
  }
};

} // namespace
