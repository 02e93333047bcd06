//===- Matchers.cpp - Helpers shared by the graph fusion passes -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Matchers.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

using namespace mlir;
namespace xf = xfc::xf;

/// A splat floating-point constant's attribute, if `value` is one.
static DenseElementsAttr getSplatFloatAttr(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) || !attr.isSplat() ||
      !isa<FloatType>(attr.getElementType()))
    return nullptr;
  return attr;
}

std::optional<double> xfc::fusion::getSplatFloat(Value value) {
  DenseElementsAttr attr = getSplatFloatAttr(value);
  if (!attr)
    return std::nullopt;
  APFloat splat = attr.getSplatValue<APFloat>();
  bool losesInfo = false;
  splat.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return splat.convertToDouble();
}

bool xfc::fusion::isSplatNear(Value value, double expected) {
  DenseElementsAttr attr = getSplatFloatAttr(value);
  if (!attr)
    return false;
  // One unit in the last place of the element type: a constant written in
  // f16 can be no closer to 1/√2 than that.
  auto type = cast<FloatType>(attr.getElementType());
  int precision = APFloat::semanticsPrecision(type.getFloatSemantics());
  double tolerance = std::max(1e-6, std::ldexp(1.0, 1 - precision));
  double actual = *getSplatFloat(value);
  return std::abs(actual - expected) <= tolerance * std::abs(expected);
}

Value xfc::fusion::getOtherOperand(Operation *op, Value operand) {
  return op->getOperand(0) == operand ? op->getOperand(1) : op->getOperand(0);
}

std::optional<int64_t>
xfc::fusion::getTrailingReductionAxis(xf::ReduceMeanOp op) {
  if (!op.getKeepDims())
    return std::nullopt;
  int64_t rank = op.getInput().getType().getRank();
  SmallVector<int64_t> axes;
  for (int64_t axis : op.getAxes()) {
    std::optional<int64_t> normalized = xf::normalizeAxis(axis, rank);
    if (!normalized)
      return std::nullopt;
    axes.push_back(*normalized);
  }
  llvm::sort(axes);
  if (axes.empty() || axes.back() != rank - 1)
    return std::nullopt;
  // Sorted, ending at rank - 1, and no gaps or duplicates: [k, rank).
  for (auto [index, axis] : llvm::enumerate(axes))
    if (axis != axes.front() + static_cast<int64_t>(index))
      return std::nullopt;
  return axes.front();
}

std::optional<xfc::fusion::InverseStdDev>
xfc::fusion::matchInverseStdDev(Operation *op) {
  InverseStdDev match;
  Value radicand;
  // The ops between the add and `op`, in program order.
  SmallVector<Operation *, 2> between;
  if (auto div = dyn_cast<xf::DivOp>(op)) {
    auto sqrt = getSingleUseDef<xf::SqrtOp>(div.getRhs());
    if (!sqrt)
      return std::nullopt;
    match.numerator = div.getLhs();
    radicand = sqrt.getInput();
    between = {sqrt};
  } else if (auto mul = dyn_cast<xf::MulOp>(op)) {
    for (auto [numerator, factor] : {std::pair(mul.getLhs(), mul.getRhs()),
                                     std::pair(mul.getRhs(), mul.getLhs())}) {
      if (auto rsqrt = getSingleUseDef<xf::RsqrtOp>(factor)) {
        radicand = rsqrt.getInput();
        between = {rsqrt};
      } else if (auto reciprocal = getSingleUseDef<xf::ReciprocalOp>(factor)) {
        if (auto sqrt = getSingleUseDef<xf::SqrtOp>(reciprocal.getInput())) {
          radicand = sqrt.getInput();
          between = {sqrt, reciprocal};
        }
      } else if (auto div = getSingleUseDef<xf::DivOp>(factor)) {
        auto sqrt = getSingleUseDef<xf::SqrtOp>(div.getRhs());
        // 1 / sqrt(a), the one not broadcasting the square root.
        if (sqrt && isSplatNear(div.getLhs(), 1.0) &&
            div.getType() == sqrt.getType()) {
          radicand = sqrt.getInput();
          between = {sqrt, div};
        }
      }
      if (radicand) {
        match.numerator = numerator;
        break;
      }
    }
  }
  if (!radicand)
    return std::nullopt;

  auto add = getSingleUseDef<xf::AddOp>(radicand);
  if (!add)
    return std::nullopt;
  for (Value operand : {add.getLhs(), add.getRhs()}) {
    auto statistic = getSingleUseDef<xf::ReduceMeanOp>(operand);
    std::optional<double> epsilon =
        getSplatFloat(getOtherOperand(add, operand));
    // The norm ops hold epsilon as an f32, which must be positive too.
    float epsilonF32 = epsilon ? static_cast<float>(*epsilon) : 0.0f;
    if (statistic && std::isfinite(epsilonF32) && epsilonF32 > 0 &&
        add.getType() == statistic.getType()) {
      match.statistic = statistic;
      match.epsilon = *epsilon;
      break;
    }
  }
  if (!match.statistic ||
      op->getResult(0).getType() != match.numerator.getType())
    return std::nullopt;
  match.ops.push_back(add);
  match.ops.append(between.begin(), between.end());
  match.ops.push_back(op);
  return match;
}

bool xfc::fusion::isSquareOf(Value value, Value x) {
  if (!value || value.getType() != x.getType())
    return false;
  if (auto pow = value.getDefiningOp<xf::PowOp>())
    return pow.getLhs() == x && isSplatNear(pow.getRhs(), 2.0);
  if (auto mul = value.getDefiningOp<xf::MulOp>())
    return mul.getLhs() == x && mul.getRhs() == x;
  return false;
}

bool xfc::fusion::isNormParameter(Value param, ArrayRef<int64_t> normShape) {
  auto type = dyn_cast<RankedTensorType>(param.getType());
  if (!type || !type.hasStaticShape() ||
      ShapedType::isDynamicShape(normShape) ||
      type.getRank() < static_cast<int64_t>(normShape.size()))
    return false;
  ArrayRef<int64_t> shape = type.getShape();
  size_t leading = shape.size() - normShape.size();
  return llvm::all_of(shape.take_front(leading),
                      [](int64_t size) { return size == 1; }) &&
         shape.drop_front(leading) == normShape;
}

Value xfc::fusion::reshapeNormParameter(PatternRewriter &rewriter, Location loc,
                                        Value param,
                                        ArrayRef<int64_t> normShape) {
  auto type = cast<RankedTensorType>(param.getType());
  if (type.getShape() == normShape)
    return param;
  return xf::ReshapeOp::create(rewriter, loc, type.clone(normShape), param);
}

Location xfc::fusion::getFusedLoc(MLIRContext *context,
                                  ArrayRef<Operation *> ops) {
  SmallVector<Location> locations;
  for (Operation *op : ops)
    locations.push_back(op->getLoc());
  return FusedLoc::get(context, locations);
}

void xfc::fusion::eraseDeadOps(PatternRewriter &rewriter,
                               ArrayRef<Operation *> ops) {
  for (Operation *op : llvm::reverse(ops))
    if (op->use_empty())
      rewriter.eraseOp(op);
}

GreedyRewriteConfig xfc::fusion::getFusionRewriteConfig() {
  GreedyRewriteConfig config;
  config.enableFolding(false)
      .enableConstantCSE(false)
      .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  return config;
}
