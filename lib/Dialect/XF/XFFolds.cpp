//===- XFFolds.cpp - Folders and canonicalizations of xf ops --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Only rewrites that are plainly right: identities (x + 0, x * 1, an
// identity transpose/slice/reshape/cast) and compositions of shape ops. A
// fold never changes a value's type, so an identity whose operand would
// need broadcasting to the result shape is left alone.
//
// `x + 0` folds for both signed zeros, as under fast-math `nsz`: -0.0 + +0.0
// is +0.0 in IEEE, a difference no Transformer output depends on.
//
//===----------------------------------------------------------------------===//

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace xfc::xf;

namespace {
#include "xfc/Dialect/XF/XFPatterns.inc"
} // namespace

/// Returns whether `value` is a constant whose every element is `expected`
/// (0 or 1), for float and integer element types.
static bool isSplatConstant(Value value, int64_t expected) {
  SplatElementsAttr splat;
  if (!matchPattern(value, m_Constant(&splat)))
    return false;
  Type element = splat.getElementType();
  if (isa<FloatType>(element)) {
    APFloat scalar = splat.getSplatValue<APFloat>();
    return expected == 0 ? scalar.isZero() : scalar.isExactlyValue(expected);
  }
  if (isa<IntegerType>(element)) {
    APInt scalar = splat.getSplatValue<APInt>();
    return expected == 0 ? scalar.isZero() : scalar.isOne();
  }
  return false;
}

/// `other` when `identity` is the splat `expected` and `other` already has
/// the result's type (no broadcasting hidden in the op).
static OpFoldResult foldIdentityOperand(Value identity, Value other,
                                        int64_t expected, Type resultType) {
  if (other.getType() == resultType && isSplatConstant(identity, expected))
    return other;
  return {};
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor) {
  if (OpFoldResult folded =
          foldIdentityOperand(getRhs(), getLhs(), 0, getType()))
    return folded;
  return foldIdentityOperand(getLhs(), getRhs(), 0, getType());
}

OpFoldResult SubOp::fold(FoldAdaptor) {
  return foldIdentityOperand(getRhs(), getLhs(), 0, getType());
}

OpFoldResult MulOp::fold(FoldAdaptor) {
  if (OpFoldResult folded =
          foldIdentityOperand(getRhs(), getLhs(), 1, getType()))
    return folded;
  return foldIdentityOperand(getLhs(), getRhs(), 1, getType());
}

OpFoldResult DivOp::fold(FoldAdaptor) {
  return foldIdentityOperand(getRhs(), getLhs(), 1, getType());
}

OpFoldResult NegOp::fold(FoldAdaptor) {
  // neg(neg(x)) -> x
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  Value chosen;
  if (getTrueValue() == getFalseValue())
    chosen = getTrueValue();
  else if (auto condition =
               dyn_cast_if_present<SplatElementsAttr>(adaptor.getCondition()))
    chosen = condition.getSplatValue<bool>() ? getTrueValue()
                                             : getFalseValue();
  if (chosen && chosen.getType() == getType())
    return chosen;
  return {};
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ComposeReshapes>(context);
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  if (llvm::equal(getPermutation(),
                  llvm::seq<int64_t>(0, getPermutation().size())))
    return getInput();
  return {};
}

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  RankedTensorType input = getInput().getType();
  if (input != getType() || !input.hasStaticShape())
    return {};
  bool identity = llvm::all_of(getOffsets(), [](int64_t o) { return o == 0; }) &&
                  llvm::equal(getSizes(), input.getShape()) &&
                  llvm::all_of(getStrides(), [](int64_t s) { return s == 1; });
  return identity ? getInput() : OpFoldResult();
}

LogicalResult SplitOp::fold(FoldAdaptor,
                            SmallVectorImpl<OpFoldResult> &results) {
  if (getNumResults() != 1 || getInput().getType() != getResult(0).getType())
    return failure();
  results.push_back(getInput());
  return success();
}

OpFoldResult ExpandOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}
