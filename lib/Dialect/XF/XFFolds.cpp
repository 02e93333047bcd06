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
// Ops whose operands are all inline constants (`dense<...>`, not resource
// blobs) fold to constants, up to kMaxFoldElements elements: that is how
// the shape subgraphs exporters emit (Shape -> Gather -> Concat -> Reshape,
// causal masks from Range/Where) disappear at import. Integers compute in
// int64 and floats in double, then round once to the result type, which is
// exact for +, -, *, / and sqrt.
//
//===----------------------------------------------------------------------===//

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

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
// Constant evaluation
//===----------------------------------------------------------------------===//

namespace {

constexpr int64_t kMaxFoldElements = int64_t(1) << 22;

/// One element during folding: an int64 or a double, converted on demand
/// (a double to an integer truncates toward zero, as a C cast does).
struct Scalar {
  bool isFloat;
  int64_t i;
  double f;

  static Scalar ofInt(int64_t value) { return {false, value, 0.0}; }
  static Scalar ofFloat(double value) { return {true, 0, value}; }
  double asDouble() const { return isFloat ? f : static_cast<double>(i); }
  int64_t asInt() const {
    if (!isFloat)
      return i;
    // Saturate: out-of-range float to int conversions are undefined in C.
    if (std::isnan(f))
      return 0;
    if (f >= 9.2233720368547758e18)
      return INT64_MAX;
    if (f <= -9.2233720368547758e18)
      return INT64_MIN;
    return static_cast<int64_t>(f);
  }
};

/// The elements of an inline constant, widened to int64 or double. A splat
/// keeps one value and answers every index with it.
struct ConstantValues {
  bool isSplat = false;
  bool isFloat = false;
  SmallVector<int64_t> ints;
  SmallVector<double> floats;

  int64_t getInt(int64_t i) const { return ints[isSplat ? 0 : i]; }
  double getFloat(int64_t i) const { return floats[isSplat ? 0 : i]; }
  Scalar get(int64_t i) const {
    return isFloat ? Scalar::ofFloat(getFloat(i)) : Scalar::ofInt(getInt(i));
  }
};

} // namespace

static std::optional<ConstantValues> readConstant(Attribute attr) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || dense.getNumElements() > kMaxFoldElements)
    return std::nullopt;
  ConstantValues values;
  values.isSplat = dense.isSplat();
  Type element = dense.getElementType();
  if (isa<FloatType>(element)) {
    values.isFloat = true;
    if (values.isSplat)
      values.floats.push_back(dense.getSplatValue<APFloat>().convertToDouble());
    else
      for (const APFloat &value : dense.getValues<APFloat>())
        values.floats.push_back(value.convertToDouble());
    return values;
  }
  auto integer = dyn_cast<IntegerType>(element);
  if (!integer)
    return std::nullopt;
  auto widen = [&](const APInt &value) {
    return integer.isUnsigned() || integer.getWidth() == 1
               ? static_cast<int64_t>(value.getZExtValue())
               : value.getSExtValue();
  };
  if (values.isSplat)
    values.ints.push_back(widen(dense.getSplatValue<APInt>()));
  else
    for (const APInt &value : dense.getValues<APInt>())
      values.ints.push_back(widen(value));
  return values;
}

/// Builds a constant of `type` whose element i is the Scalar `get(i)`,
/// rounding once to the element type.
template <typename Fn>
static Attribute buildConstant(RankedTensorType type, Fn get) {
  std::optional<int64_t> count = getElementCount(type.getShape());
  if (!count || *count > kMaxFoldElements)
    return {};
  Type element = type.getElementType();
  if (auto floatType = dyn_cast<FloatType>(element)) {
    SmallVector<APFloat> values;
    values.reserve(*count);
    for (int64_t i = 0; i < *count; ++i) {
      APFloat value(get(i).asDouble());
      bool lost;
      value.convert(floatType.getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &lost);
      values.push_back(value);
    }
    return DenseElementsAttr::get(type, values);
  }
  auto integer = cast<IntegerType>(element);
  if (integer.getWidth() == 1) {
    SmallVector<bool> values;
    for (int64_t i = 0; i < *count; ++i)
      values.push_back(get(i).asDouble() != 0);
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<APInt> values;
  values.reserve(*count);
  for (int64_t i = 0; i < *count; ++i)
    values.push_back(APInt(integer.getWidth(),
                           static_cast<uint64_t>(get(i).asInt()),
                           /*isSigned=*/true, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, values);
}

/// For each element of `resultShape`, the linear index of the element of an
/// operand of `operandShape` that numpy broadcasting reads.
static SmallVector<int64_t> broadcastIndices(ArrayRef<int64_t> operandShape,
                                             ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  int64_t lead = rank - operandShape.size();
  SmallVector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (int64_t d = operandShape.size() - 1; d >= 0; --d) {
    if (operandShape[d] != 1)
      strides[lead + d] = stride;
    stride *= operandShape[d];
  }
  int64_t count = *getElementCount(resultShape);
  SmallVector<int64_t> indices(count);
  SmallVector<int64_t> position(rank, 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < count; ++i) {
    indices[i] = offset;
    for (int64_t d = rank - 1; d >= 0; --d) {
      offset += strides[d];
      if (++position[d] < resultShape[d])
        break;
      offset -= strides[d] * resultShape[d];
      position[d] = 0;
    }
  }
  return indices;
}

/// Folds an elementwise op over constant operands with broadcasting.
/// `compute` gets the operands' values at one result element.
template <typename Fn>
static Attribute foldElementwise(ArrayRef<Attribute> operands,
                                 ArrayRef<Value> values, Type resultType,
                                 Fn compute) {
  auto type = cast<RankedTensorType>(resultType);
  if (!type.hasStaticShape())
    return {};
  SmallVector<ConstantValues> constants;
  SmallVector<SmallVector<int64_t>> indices;
  for (auto [attr, value] : llvm::zip(operands, values)) {
    std::optional<ConstantValues> constant = readConstant(attr);
    if (!constant)
      return {};
    indices.push_back(broadcastIndices(
        cast<RankedTensorType>(value.getType()).getShape(), type.getShape()));
    constants.push_back(std::move(*constant));
  }
  return buildConstant(type, [&](int64_t i) {
    SmallVector<const ConstantValues *> args;
    SmallVector<int64_t> at;
    for (auto [constant, map] : llvm::zip(constants, indices)) {
      args.push_back(&constant);
      at.push_back(map[i]);
    }
    return compute(args, at);
  });
}

/// Folds a binary arithmetic op; `intFn` returns std::nullopt where the
/// integer result is undefined (division by zero), which stops the fold.
template <typename IntFn, typename FloatFn>
static Attribute foldBinary(Operation *op, ArrayRef<Attribute> operands,
                            IntFn intFn, FloatFn floatFn) {
  bool undefined = false;
  bool isFloat =
      isa<FloatType>(getElementTypeOrSelf(op->getOperand(0).getType()));
  Attribute folded = foldElementwise(
      operands, llvm::to_vector(op->getOperands()), op->getResult(0).getType(),
      [&](ArrayRef<const ConstantValues *> args, ArrayRef<int64_t> at) {
        if (isFloat)
          return Scalar::ofFloat(floatFn(args[0]->get(at[0]).asDouble(),
                                         args[1]->get(at[1]).asDouble()));
        std::optional<int64_t> value =
            intFn(args[0]->getInt(at[0]), args[1]->getInt(at[1]));
        undefined |= !value;
        return Scalar::ofInt(value.value_or(0));
      });
  return undefined ? Attribute() : folded;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// Wraps an always-defined integer operation for foldBinary.
template <typename Fn>
static auto exactInt(Fn fn) {
  return [fn](int64_t a, int64_t b) -> std::optional<int64_t> {
    return fn(a, b);
  };
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (Attribute folded = foldBinary(
          *this, adaptor.getOperands(),
          exactInt([](int64_t a, int64_t b) { return a + b; }),
          [](double a, double b) { return a + b; }))
    return folded;
  if (OpFoldResult folded =
          foldIdentityOperand(getRhs(), getLhs(), 0, getType()))
    return folded;
  return foldIdentityOperand(getLhs(), getRhs(), 0, getType());
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (Attribute folded = foldBinary(
          *this, adaptor.getOperands(),
          exactInt([](int64_t a, int64_t b) { return a - b; }),
          [](double a, double b) { return a - b; }))
    return folded;
  return foldIdentityOperand(getRhs(), getLhs(), 0, getType());
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (Attribute folded = foldBinary(
          *this, adaptor.getOperands(),
          exactInt([](int64_t a, int64_t b) { return a * b; }),
          [](double a, double b) { return a * b; }))
    return folded;
  if (OpFoldResult folded =
          foldIdentityOperand(getRhs(), getLhs(), 1, getType()))
    return folded;
  return foldIdentityOperand(getLhs(), getRhs(), 1, getType());
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (Attribute folded = foldBinary(
          *this, adaptor.getOperands(),
          [](int64_t a, int64_t b) -> std::optional<int64_t> {
            if (b == 0 || (a == INT64_MIN && b == -1))
              return std::nullopt;
            return a / b;
          },
          [](double a, double b) { return a / b; }))
    return folded;
  return foldIdentityOperand(getRhs(), getLhs(), 1, getType());
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  // Integer powers overflow too easily to be worth folding.
  return foldBinary(
      *this, adaptor.getOperands(),
      [](int64_t, int64_t) -> std::optional<int64_t> { return std::nullopt; },
      [](double a, double b) { return std::pow(a, b); });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      exactInt([](int64_t a, int64_t b) { return std::max(a, b); }),
      [](double a, double b) {
        return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      exactInt([](int64_t a, int64_t b) { return std::min(a, b); }),
      [](double a, double b) {
        return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
      });
}

OpFoldResult CmpOp::fold(FoldAdaptor adaptor) {
  ComparisonPredicate predicate = getPredicate();
  return foldElementwise(
      adaptor.getOperands(), {getLhs(), getRhs()}, getType(),
      [&](ArrayRef<const ConstantValues *> args, ArrayRef<int64_t> at) {
        // Compare exactly: ints as ints, floats as doubles (ordered, so any
        // NaN is unequal to everything).
        auto order = [&]() -> std::optional<int> {
          if (args[0]->isFloat) {
            double a = args[0]->getFloat(at[0]), b = args[1]->getFloat(at[1]);
            if (std::isnan(a) || std::isnan(b))
              return std::nullopt;
            return a < b ? -1 : (a > b ? 1 : 0);
          }
          int64_t a = args[0]->getInt(at[0]), b = args[1]->getInt(at[1]);
          return a < b ? -1 : (a > b ? 1 : 0);
        }();
        auto result = [&]() {
          if (!order)
            return predicate == ComparisonPredicate::NE;
          switch (predicate) {
          case ComparisonPredicate::EQ:
            return *order == 0;
          case ComparisonPredicate::NE:
            return *order != 0;
          case ComparisonPredicate::LT:
            return *order < 0;
          case ComparisonPredicate::LE:
            return *order <= 0;
          case ComparisonPredicate::GT:
            return *order > 0;
          case ComparisonPredicate::GE:
            return *order >= 0;
          }
          llvm_unreachable("unknown predicate");
        }();
        return Scalar::ofInt(result);
      });
}

/// Folds a unary float op on a constant.
template <typename Fn>
static Attribute foldUnaryFloat(Attribute operand, Value input, Type type,
                                Fn fn) {
  return foldElementwise({operand}, {input}, type,
                         [&](ArrayRef<const ConstantValues *> args,
                             ArrayRef<int64_t> at) {
                           return Scalar::ofFloat(fn(args[0]->get(at[0]).asDouble()));
                         });
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getInput(), getType(),
                        [](double x) { return std::sqrt(x); });
}

OpFoldResult RoundOp::fold(FoldAdaptor adaptor) {
  // nearbyint in the default rounding mode: ties to even.
  return foldUnaryFloat(adaptor.getInput(), getInput(), getType(),
                        [](double x) { return std::nearbyint(x); });
}

OpFoldResult ReciprocalOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getInput(), getType(),
                        [](double x) { return 1.0 / x; });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  // neg(neg(x)) -> x
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return foldElementwise(
      {adaptor.getInput()}, {getInput()}, getType(),
      [](ArrayRef<const ConstantValues *> args, ArrayRef<int64_t> at) {
        return args[0]->isFloat ? Scalar::ofFloat(-args[0]->getFloat(at[0]))
                                : Scalar::ofInt(-args[0]->getInt(at[0]));
      });
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  if (Attribute folded = foldElementwise(
          adaptor.getOperands(), {getCondition(), getTrueValue(), getFalseValue()},
          getType(),
          [](ArrayRef<const ConstantValues *> args, ArrayRef<int64_t> at) {
            return args[0]->getInt(at[0]) ? args[1]->get(at[1])
                                          : args[2]->get(at[2]);
          }))
    return folded;
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

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
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

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  // Constants: element i of the result comes from the input whose slice of
  // the concatenation axis holds it.
  RankedTensorType type = getType();
  if (!type.hasStaticShape())
    return {};
  SmallVector<ConstantValues> inputs;
  for (Attribute attr : adaptor.getInputs()) {
    std::optional<ConstantValues> values = readConstant(attr);
    if (!values)
      return {};
    inputs.push_back(std::move(*values));
  }
  int64_t axis = *normalizeAxis(getAxis(), type.getRank());
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<int64_t> widths; // each input's extent along axis × inner
  for (Value input : getInputs())
    widths.push_back(cast<RankedTensorType>(input.getType()).getDimSize(axis) *
                     inner);
  int64_t rowWidth = type.getDimSize(axis) * inner;
  return buildConstant(type, [&](int64_t i) {
    int64_t row = i / rowWidth, column = i % rowWidth;
    for (auto [input, width] : llvm::zip(inputs, widths)) {
      if (column < width)
        return input.get(row * width + column);
      column -= width;
    }
    llvm_unreachable("column outside the concatenation");
  });
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType input = getInput().getType();
  if (!input.hasStaticShape())
    return {};
  if (std::optional<ConstantValues> values = readConstant(adaptor.getInput())) {
    // Constant: map each result element back to its input element.
    int64_t rank = input.getRank();
    SmallVector<int64_t> inputStrides(rank, 1);
    for (int64_t d = rank - 2; d >= 0; --d)
      inputStrides[d] = inputStrides[d + 1] * input.getDimSize(d + 1);
    ArrayRef<int64_t> sizes = getSizes();
    return buildConstant(getType(), [&](int64_t i) {
      int64_t offset = 0;
      for (int64_t d = rank - 1; d >= 0; --d) {
        int64_t position = sizes[d] ? i % sizes[d] : 0;
        i = sizes[d] ? i / sizes[d] : 0;
        offset += (getOffsets()[d] + position * getStrides()[d]) *
                  inputStrides[d];
      }
      return values->get(offset);
    });
  }
  if (input != getType())
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

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return SplatElementsAttr::get(getType(),
                                    dense.getSplatValue<Attribute>());
  return foldElementwise(
      {adaptor.getInput()}, {getInput()}, getType(),
      [](ArrayRef<const ConstantValues *> args, ArrayRef<int64_t> at) {
        return args[0]->get(at[0]);
      });
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return foldElementwise(
      {adaptor.getInput()}, {getInput()}, getType(),
      [&](ArrayRef<const ConstantValues *> args, ArrayRef<int64_t> at) {
        // Float to integer truncates toward zero (Scalar::asInt); to i1 is
        // "!= 0" (buildConstant).
        return args[0]->get(at[0]);
      });
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  std::optional<ConstantValues> data = readConstant(adaptor.getInput());
  std::optional<ConstantValues> indices = readConstant(adaptor.getIndices());
  RankedTensorType input = getInput().getType();
  if (!data || !indices || !input.hasStaticShape() ||
      !getType().hasStaticShape())
    return {};
  int64_t axis = *normalizeAxis(getAxis(), input.getRank());
  int64_t axisSize = input.getDimSize(axis);
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < input.getRank(); ++d)
    inner *= input.getDimSize(d);
  int64_t numIndices = *getElementCount(getIndices().getType().getShape());
  // Out-of-range indices are undefined: leave them to the runtime (the
  // frontend rejects constant ones with a message).
  for (int64_t j = 0; j < numIndices; ++j) {
    int64_t index = indices->getInt(j);
    if (index < -axisSize || index >= axisSize)
      return {};
  }
  return buildConstant(getType(), [&](int64_t i) {
    int64_t innerPos = i % inner;
    int64_t rest = i / inner;
    int64_t j = rest % numIndices;
    int64_t outer = rest / numIndices;
    int64_t index = indices->getInt(j);
    if (index < 0)
      index += axisSize;
    return data->get((outer * axisSize + index) * inner + innerPos);
  });
}
