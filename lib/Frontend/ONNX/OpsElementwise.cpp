//===- OpsElementwise.cpp - Elementwise ONNX operators --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Arithmetic, comparisons, Where, unary math, activations, Cast, Identity.
// ONNX and xf share numpy broadcasting, so these map one to one; operators
// that xf spells differently (Not, Sum, Mean, Gelu with its attribute) are
// expressed with xf ops here.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;

namespace xfc::onnx_import {
namespace {

template <typename OpTy>
LogicalResult importBinary(NodeContext &ctx) {
  FailureOr<Value> lhs = ctx.requiredInput(0);
  FailureOr<Value> rhs = ctx.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> result = ctx.createValue<OpTy>({*lhs, *rhs});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// Max, Min, Sum: a left fold over any number of inputs.
template <typename OpTy>
LogicalResult importVariadic(NodeContext &ctx) {
  FailureOr<Value> accumulator = ctx.requiredInput(0);
  if (failed(accumulator))
    return failure();
  for (unsigned i = 1; i < ctx.getNumInputs(); ++i) {
    FailureOr<Value> next = ctx.requiredInput(i);
    if (failed(next))
      return failure();
    accumulator = ctx.createValue<OpTy>({*accumulator, *next});
    if (failed(accumulator))
      return failure();
  }
  ctx.setResult(0, *accumulator);
  return success();
}

/// Pow: ONNX allows an exponent of another type (an integer power of a
/// float); xf.pow wants one type, so the exponent is cast.
LogicalResult importPow(NodeContext &ctx) {
  FailureOr<Value> base = ctx.requiredInput(0);
  FailureOr<Value> exponent = ctx.requiredInput(1);
  if (failed(base) || failed(exponent))
    return failure();
  RankedTensorType baseType = NodeContext::typeOf(*base);
  Type elementType = baseType.getElementType();
  RankedTensorType exponentType = NodeContext::typeOf(*exponent);
  Type exponentElement = exponentType.getElementType();
  // An integer base with a float exponent is computed in the exponent's
  // float type and truncated back, as ONNX Runtime does; otherwise the
  // exponent takes the base's type.
  bool computeInFloat =
      isa<IntegerType>(elementType) && isa<FloatType>(exponentElement);
  Type computeType = computeInFloat ? exponentElement : elementType;
  Value lhs = *base, rhs = *exponent;
  if (computeInFloat)
    lhs = ctx.foldValue(xf::CastOp::create(ctx.builder, ctx.loc,
                                           baseType.clone(computeType), lhs));
  else if (exponentElement != computeType)
    rhs = ctx.foldValue(xf::CastOp::create(
        ctx.builder, ctx.loc, exponentType.clone(computeType), rhs));
  FailureOr<Value> result = ctx.createValue<xf::PowOp>({lhs, rhs});
  if (succeeded(result) && computeInFloat)
    result = ctx.foldValue(xf::CastOp::create(
        ctx.builder, ctx.loc, NodeContext::typeOf(*result).clone(elementType),
        *result));
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

template <xf::ComparisonPredicate predicate>
LogicalResult importCompare(NodeContext &ctx) {
  FailureOr<Value> lhs = ctx.requiredInput(0);
  FailureOr<Value> rhs = ctx.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  auto attr = ctx.builder.getNamedAttr(
      "predicate", xf::ComparisonPredicateAttr::get(ctx.getContext(),
                                                    predicate));
  FailureOr<Value> result = ctx.createValue<xf::CmpOp>({*lhs, *rhs}, {attr});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// Not(x) = (x == false).
LogicalResult importNot(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  Value falseValue = ctx.scalar(ctx.builder.getI1Type(), 0);
  auto attr = ctx.builder.getNamedAttr(
      "predicate", xf::ComparisonPredicateAttr::get(
                       ctx.getContext(), xf::ComparisonPredicate::EQ));
  FailureOr<Value> result =
      ctx.createValue<xf::CmpOp>({*input, falseValue}, {attr});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importWhere(NodeContext &ctx) {
  SmallVector<Value> operands;
  for (unsigned i = 0; i < 3; ++i) {
    FailureOr<Value> operand = ctx.requiredInput(i);
    if (failed(operand))
      return failure();
    operands.push_back(*operand);
  }
  FailureOr<Value> result = ctx.createValue<xf::SelectOp>(operands);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

template <typename OpTy>
LogicalResult importUnary(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  auto op = OpTy::create(ctx.builder, ctx.loc, input->getType(), *input);
  ctx.setResult(0, ctx.foldValue(op));
  return success();
}

LogicalResult importGelu(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  std::string approximate = ctx.getString("approximate", "none");
  xf::GeluApproximation kind;
  if (approximate == "none")
    kind = xf::GeluApproximation::None;
  else if (approximate == "tanh")
    kind = xf::GeluApproximation::Tanh;
  else
    return ctx.emitError() << "attribute 'approximate' must be 'none' or "
                              "'tanh', got '"
                           << approximate << "'";
  auto op = xf::GeluOp::create(ctx.builder, 
      ctx.loc, input->getType(), *input,
      xf::GeluApproximationAttr::get(ctx.getContext(), kind));
  ctx.setResult(0, op);
  return success();
}

LogicalResult importCast(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  if (!ctx.hasAttr("to"))
    return ctx.emitError() << "attribute 'to' is required";
  int64_t to = ctx.getInt("to", 0);
  if (ctx.hasFailed())
    return failure();
  Type elementType = TensorReader::getElementType(*ctx.getContext(), to);
  if (!elementType || elementType.isUnsignedInteger())
    return ctx.emitError() << "cast to element type " << to << " ("
                           << dataTypeName(to) << ") is not supported";
  RankedTensorType type = NodeContext::typeOf(*input);
  auto op = xf::CastOp::create(ctx.builder, ctx.loc, type.clone(elementType),
                                           *input);
  ctx.setResult(0, ctx.foldValue(op));
  return success();
}

LogicalResult importIdentity(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  ctx.setResult(0, *input);
  return success();
}

/// Dropout at inference: the identity, and a mask that keeps everything.
/// training_mode must not be a true constant.
LogicalResult importDropout(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  if (Value training = ctx.input(2)) {
    std::optional<SmallVector<int64_t>> mode =
        NodeContext::getConstantInts(training);
    if (!mode || llvm::any_of(*mode, [](int64_t m) { return m != 0; }))
      return ctx.emitError() << "training_mode must be a false constant; "
                                "xfc compiles inference graphs";
  }
  ctx.setResult(0, *input);
  auto maskType = NodeContext::typeOf(*input).clone(ctx.builder.getI1Type());
  ctx.setResult(1, ctx.constant(SplatElementsAttr::get(
                       maskType, ctx.builder.getBoolAttr(true))));
  return success();
}


} // namespace

void registerElementwiseImporters(llvm::StringMap<OpImporter> &table) {
  table["Add"] = importBinary<xf::AddOp>;
  table["Sub"] = importBinary<xf::SubOp>;
  table["Mul"] = importBinary<xf::MulOp>;
  table["Div"] = importBinary<xf::DivOp>;
  table["Pow"] = importPow;
  table["Max"] = importVariadic<xf::MaxOp>;
  table["Min"] = importVariadic<xf::MinOp>;
  table["Sum"] = importVariadic<xf::AddOp>;
  table["Equal"] = importCompare<xf::ComparisonPredicate::EQ>;
  table["Less"] = importCompare<xf::ComparisonPredicate::LT>;
  table["LessOrEqual"] = importCompare<xf::ComparisonPredicate::LE>;
  table["Greater"] = importCompare<xf::ComparisonPredicate::GT>;
  table["GreaterOrEqual"] = importCompare<xf::ComparisonPredicate::GE>;
  table["Not"] = importNot;
  table["Where"] = importWhere;
  table["Exp"] = importUnary<xf::ExpOp>;
  table["Log"] = importUnary<xf::LogOp>;
  table["Tanh"] = importUnary<xf::TanhOp>;
  table["Erf"] = importUnary<xf::ErfOp>;
  table["Sqrt"] = importUnary<xf::SqrtOp>;
  table["Reciprocal"] = importUnary<xf::ReciprocalOp>;
  table["Sigmoid"] = importUnary<xf::SigmoidOp>;
  table["Neg"] = importUnary<xf::NegOp>;
  table["Abs"] = importUnary<xf::AbsOp>;
  table["Relu"] = importUnary<xf::ReluOp>;
  table["Gelu"] = importGelu;
  table["Cast"] = importCast;
  table["Identity"] = importIdentity;
  table["Dropout"] = importDropout;
}

} // namespace xfc::onnx_import
