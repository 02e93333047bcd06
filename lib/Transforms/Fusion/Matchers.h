//===- Matchers.h - Helpers shared by the graph fusion passes ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The checks that the decomposed-op fusion patterns (layer/RMS norm, GELU,
// SiLU, RoPE) have in common: constants that must hold a given value,
// reductions over a trailing suffix of axes, `x / sqrt(mean + eps)` in its
// exporter spellings, and the fused location of the ops a pattern replaces.
// Private to lib/Transforms/Fusion.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_LIB_TRANSFORMS_FUSION_MATCHERS_H
#define XFC_LIB_TRANSFORMS_FUSION_MATCHERS_H

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <optional>

namespace xfc::fusion {

/// The value of a floating-point constant whose elements are all equal
/// (a splat `arith.constant`, any shape), as a double.
std::optional<double> getSplatFloat(mlir::Value value);

/// Returns whether `value` is a splat floating-point constant equal to
/// `expected` within a relative tolerance of 1e-6, or of the element type's
/// precision when that is coarser (f16, bf16 round 1/√2 further than 1e-6).
bool isSplatNear(mlir::Value value, double expected);

/// The other operand of a binary op, given one of them.
mlir::Value getOtherOperand(mlir::Operation *op, mlir::Value operand);

/// The op defining `value`, as `OpTy`, when `value` has no other use.
template <typename OpTy> OpTy getSingleUseDef(mlir::Value value) {
  if (!value || !value.hasOneUse())
    return nullptr;
  return value.getDefiningOp<OpTy>();
}

/// The first normalized axis `k` when `op` reduces exactly the trailing
/// dimensions `[k, rank)` with `keep_dims`; std::nullopt otherwise.
std::optional<int64_t> getTrailingReductionAxis(xf::ReduceMeanOp op);

/// `numerator / sqrt(statistic + epsilon)`, matched by matchInverseStdDev.
struct InverseStdDev {
  mlir::Value numerator;
  xf::ReduceMeanOp statistic;
  double epsilon = 0;
  /// The matched ops from the `+ epsilon` on, in program order, the
  /// normalizing op last.
  llvm::SmallVector<mlir::Operation *> ops;
};

/// Matches `op` as `numerator / sqrt(statistic + epsilon)` in the spellings
/// exporters use: `div(n, sqrt(a))`, `mul(n, reciprocal(sqrt(a)))`,
/// `mul(n, div(1, sqrt(a)))` and `mul(n, rsqrt(a))` (either operand order
/// for the muls), where `a = add(statistic, epsilon)` (either order),
/// `statistic` is an `xf.reduce_mean` and `epsilon` a splat constant, positive
/// and finite as an f32 (the norm ops' attribute type), that does not
/// broadcast the statistic. The add, square root and reciprocal must have no
/// other use, nor may the statistic; the result has the numerator's type.
std::optional<InverseStdDev> matchInverseStdDev(mlir::Operation *op);

/// Returns whether `value` is `x²`: `pow(x, 2)` or `mul(x, x)` of x's type.
bool isSquareOf(mlir::Value value, mlir::Value x);

/// Returns whether `param` can be a norm's scale or bias for a norm over
/// `normShape`: statically of that shape, possibly with leading 1s.
bool isNormParameter(mlir::Value param, llvm::ArrayRef<int64_t> normShape);

/// `param` reshaped to `normShape` when it has leading 1s; see
/// isNormParameter.
mlir::Value reshapeNormParameter(mlir::PatternRewriter &rewriter,
                                 mlir::Location loc, mlir::Value param,
                                 llvm::ArrayRef<int64_t> normShape);

/// The fused location of `ops`, in their order.
mlir::Location getFusedLoc(mlir::MLIRContext *context,
                           llvm::ArrayRef<mlir::Operation *> ops);

/// Erases, last first, those of `ops` that no longer have uses.
void eraseDeadOps(mlir::PatternRewriter &rewriter,
                  llvm::ArrayRef<mlir::Operation *> ops);

/// The greedy driver's configuration for the fusion passes: no folding, no
/// constant CSE, no region simplification, so that a pass changes only what
/// its patterns match.
mlir::GreedyRewriteConfig getFusionRewriteConfig();

} // namespace xfc::fusion

#endif // XFC_LIB_TRANSFORMS_FUSION_MATCHERS_H
