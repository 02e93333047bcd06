//===- XFOps.cpp - Type inference and verification of xf ops -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Result-type inference doubles as verification: MLIR checks every op that
// implements InferTypeOpInterface by inferring its result types, so each
// rule is written once and reports through emitOptionalError (silent when a
// builder only asks). Ops whose result type is given, not derived (reshape,
// expand, cast), have a verifier instead. Numbered comments (`// matmul_c2`)
// tie a check to the constraint of that number in the op's description and
// to its test in test/Dialect/XF/invalid.mlir.
//
//===----------------------------------------------------------------------===//

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>

using namespace mlir;
using namespace xfc::xf;

//===----------------------------------------------------------------------===//
// Diagnostics helpers
//===----------------------------------------------------------------------===//

/// Emits "'xf.<op>' op <message>" at `loc` when there is one, as
/// emitOpError would, so inference and verifiers speak alike.
template <typename OpTy, typename... Args>
static LogicalResult emitXFError(std::optional<Location> loc, Args &&...args) {
  return emitOptionalError(loc, "'", OpTy::getOperationName(), "' op ",
                           std::forward<Args>(args)...);
}

template <typename OpTy>
static LogicalResult emitAxisOutOfRangeError(std::optional<Location> loc,
                                             StringRef name, int64_t axis,
                                             int64_t rank) {
  return emitXFError<OpTy>(loc, name, " ", axis, " is out of range [",
                           -rank, ", ", rank, ") for rank ", rank);
}

static RankedTensorType getRanked(Value value) {
  return value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
}

/// Returns the ranked tensor types of `values`, or an error when any is not
/// one (only reachable through builders: ODS checks parsed operands first).
template <typename OpTy>
static LogicalResult getRankedTypes(std::optional<Location> loc,
                                    ValueRange values,
                                    SmallVectorImpl<RankedTensorType> &types) {
  for (Value value : values) {
    auto type = getRanked(value);
    if (!type)
      return emitXFError<OpTy>(loc, "expects ranked tensor operands, got ",
                               value.getType());
    types.push_back(type);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops, comparison, select
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult inferBroadcast(std::optional<Location> loc,
                                    ValueRange operands, Type resultElementType,
                                    SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> types;
  if (failed(getRankedTypes<OpTy>(loc, operands, types)))
    return failure();
  SmallVector<int64_t> shape(types.front().getShape());
  for (RankedTensorType type : ArrayRef(types).drop_front()) {
    auto broadcast = broadcastShapes(shape, type.getShape());
    if (!broadcast) {
      std::string shapes;
      llvm::raw_string_ostream os(shapes);
      llvm::interleaveComma(types, os, [&](RankedTensorType t) {
        os << formatShape(t.getShape());
      });
      return emitXFError<OpTy>(loc, "operand shapes (", shapes,
                               ") do not broadcast");
    }
    shape = *broadcast;
  }
  inferred.push_back(RankedTensorType::get(shape, resultElementType));
  return success();
}

template <typename OpTy>
static LogicalResult inferBinary(std::optional<Location> loc, Value lhs,
                                 Value rhs, SmallVectorImpl<Type> &inferred,
                                 Type resultElementType = {}) {
  auto lhsType = getRanked(lhs), rhsType = getRanked(rhs);
  if (lhsType && rhsType &&
      lhsType.getElementType() != rhsType.getElementType())
    return emitXFError<OpTy>(loc, "lhs element type ",
                             lhsType.getElementType(),
                             " does not match rhs element type ",
                             rhsType.getElementType());
  if (!resultElementType && lhsType)
    resultElementType = lhsType.getElementType();
  return inferBroadcast<OpTy>(loc, {lhs, rhs}, resultElementType, inferred);
}

#define XF_BINARY_INFERENCE(OpTy)                                              \
  LogicalResult OpTy::inferReturnTypes(                                        \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &inferred) {                                       \
    return inferBinary<OpTy>(loc, adaptor.getLhs(), adaptor.getRhs(),          \
                             inferred);                                        \
  }
XF_BINARY_INFERENCE(AddOp)
XF_BINARY_INFERENCE(SubOp)
XF_BINARY_INFERENCE(MulOp)
XF_BINARY_INFERENCE(DivOp)
XF_BINARY_INFERENCE(PowOp)
XF_BINARY_INFERENCE(MaxOp)
XF_BINARY_INFERENCE(MinOp)
#undef XF_BINARY_INFERENCE

LogicalResult CmpOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  return inferBinary<CmpOp>(loc, adaptor.getLhs(), adaptor.getRhs(), inferred,
                            IntegerType::get(context, 1));
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto trueType = getRanked(adaptor.getTrueValue());
  auto falseType = getRanked(adaptor.getFalseValue());
  if (!trueType || !falseType)
    return emitXFError<SelectOp>(loc, "expects ranked tensor operands");
  if (trueType.getElementType() != falseType.getElementType())
    return emitXFError<SelectOp>(loc, "true_value element type ",
                                 trueType.getElementType(),
                                 " does not match false_value element type ",
                                 falseType.getElementType());
  return inferBroadcast<SelectOp>(loc, adaptor.getOperands(),
                                  trueType.getElementType(), inferred);
}

//===----------------------------------------------------------------------===//
// GEMM-class ops
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> types;
  if (failed(getRankedTypes<MatmulOp>(loc, adaptor.getOperands(), types)))
    return failure();
  RankedTensorType lhs = types[0], rhs = types[1];
  // matmul_c1
  for (auto [name, type] : {std::pair{"lhs", lhs}, std::pair{"rhs", rhs}})
    if (type.getRank() < 2)
      return emitXFError<MatmulOp>(loc, name, " has rank ", type.getRank(),
                                   " but matmul needs rank >= 2");
  if (lhs.getElementType() != rhs.getElementType())
    return emitXFError<MatmulOp>(loc, "lhs element type ",
                                 lhs.getElementType(),
                                 " does not match rhs element type ",
                                 rhs.getElementType());
  ArrayRef<int64_t> l = lhs.getShape(), r = rhs.getShape();
  int64_t rowsL = l[l.size() - 2], colsL = l.back();
  int64_t rowsR = r[r.size() - 2], colsR = r.back();
  int64_t m = adaptor.getTransposeLhs() ? colsL : rowsL;
  int64_t kLhs = adaptor.getTransposeLhs() ? rowsL : colsL;
  int64_t kRhs = adaptor.getTransposeRhs() ? colsR : rowsR;
  int64_t n = adaptor.getTransposeRhs() ? rowsR : colsR;
  // matmul_c2
  if (!areCompatibleSizes(kLhs, kRhs))
    return emitXFError<MatmulOp>(
        loc, "contraction size of lhs (", kLhs,
        ") does not match contraction size of rhs (", kRhs, ")");
  // matmul_c3
  auto batch = broadcastShapes(l.drop_back(2), r.drop_back(2));
  if (!batch)
    return emitXFError<MatmulOp>(loc, "batch dimensions of lhs (",
                                 formatShape(l.drop_back(2)), ") and rhs (",
                                 formatShape(r.drop_back(2)),
                                 ") do not broadcast");
  SmallVector<int64_t> shape = *batch;
  shape.append({m, n});
  inferred.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

/// The checks `linear` and `quant.linear` share: input [..., K] against a
/// [N, K] weight, an optional [N] bias, result [..., N] of `elementType`.
template <typename OpTy>
static LogicalResult inferLinear(std::optional<Location> loc,
                                 RankedTensorType input,
                                 RankedTensorType weight, Value bias,
                                 Type elementType,
                                 SmallVectorImpl<Type> &inferred) {
  // linear_c1
  if (input.getRank() < 1)
    return emitXFError<OpTy>(loc, "input must have rank >= 1");
  // linear_c2
  if (weight.getRank() != 2)
    return emitXFError<OpTy>(loc, "weight must have rank 2 ([N, K]) but has "
                                  "rank ",
                             weight.getRank());
  int64_t n = weight.getDimSize(0), k = weight.getDimSize(1);
  if (!areCompatibleSizes(input.getShape().back(), k))
    return emitXFError<OpTy>(loc, "input feature size ",
                             input.getShape().back(),
                             " does not match weight in_features ", k);
  // linear_c3
  if (bias) {
    auto biasType = getRanked(bias);
    if (!biasType || biasType.getElementType() != elementType)
      return emitXFError<OpTy>(loc, "bias element type ",
                               biasType ? biasType.getElementType() : Type(),
                               " does not match the result element type ",
                               elementType);
    if (biasType.getRank() != 1 ||
        !areCompatibleSizes(biasType.getDimSize(0), n))
      return emitXFError<OpTy>(loc, "bias shape ",
                               formatShape(biasType.getShape()),
                               " does not match weight out_features [", n,
                               "]");
  }
  SmallVector<int64_t> shape(input.getShape().drop_back());
  shape.push_back(n);
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(adaptor.getInput());
  auto weight = getRanked(adaptor.getWeight());
  if (!input || !weight)
    return emitXFError<LinearOp>(loc, "expects ranked tensor operands");
  // linear_c1
  if (input.getElementType() != weight.getElementType())
    return emitXFError<LinearOp>(loc, "input element type ",
                                 input.getElementType(),
                                 " does not match weight element type ",
                                 weight.getElementType());
  return inferLinear<LinearOp>(loc, input, weight, adaptor.getBias(),
                               input.getElementType(), inferred);
}

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

/// Checks a normalization op: axis in range, epsilon positive, and each
/// present parameter of the normalized shape input.shape[axis:].
template <typename OpTy>
static LogicalResult inferNorm(std::optional<Location> loc, Value inputValue,
                               int64_t axis, APFloat epsilon,
                               ArrayRef<std::pair<StringRef, Value>> params,
                               SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(inputValue);
  if (!input)
    return emitXFError<OpTy>(loc, "expects a ranked tensor input");
  // layer_norm_c1, rms_norm_c1
  auto normalized = normalizeAxis(axis, input.getRank());
  if (!normalized)
    return emitAxisOutOfRangeError<OpTy>(loc, "axis", axis, input.getRank());
  // layer_norm_c3, rms_norm_c3
  if (!epsilon.isFiniteNonZero() || epsilon.isNegative())
    return emitXFError<OpTy>(loc, "epsilon must be positive and finite, got ",
                             epsilon.convertToDouble());
  // layer_norm_c2, rms_norm_c2
  ArrayRef<int64_t> normShape = input.getShape().drop_front(*normalized);
  for (auto [name, value] : params) {
    if (!value)
      continue;
    auto type = getRanked(value);
    if (!type || type.getElementType() != input.getElementType())
      return emitXFError<OpTy>(loc, name, " element type must match input "
                                          "element type ",
                               input.getElementType());
    if (type.getRank() != static_cast<int64_t>(normShape.size()) ||
        !llvm::all_of(llvm::zip(type.getShape(), normShape), [](auto pair) {
          return areCompatibleSizes(std::get<0>(pair), std::get<1>(pair));
        }))
      return emitXFError<OpTy>(loc, name, " shape ",
                               formatShape(type.getShape()),
                               " does not match the normalized shape ",
                               formatShape(normShape));
  }
  inferred.push_back(input);
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  // layer_norm_c4
  if (Value residual = adaptor.getResidual()) {
    Type inputType = adaptor.getInput().getType();
    if (residual.getType() != inputType)
      return emitXFError<LayerNormOp>(loc, "residual type ", residual.getType(),
                                      " does not match input type ", inputType);
  }
  return inferNorm<LayerNormOp>(
      loc, adaptor.getInput(), adaptor.getAxis(), adaptor.getEpsilon(),
      {{"scale", adaptor.getScale()}, {"bias", adaptor.getBias()}}, inferred);
}

LogicalResult RMSNormOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferNorm<RMSNormOp>(loc, adaptor.getInput(), adaptor.getAxis(),
                              adaptor.getEpsilon(),
                              {{"scale", adaptor.getScale()}}, inferred);
}

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getInput().getType().getRank();
  if (!normalizeAxis(getAxis(), rank))
    return emitAxisOutOfRangeError<SoftmaxOp>(getLoc(), "axis", getAxis(),
                                              rank);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult inferReduce(std::optional<Location> loc, Value inputValue,
                                 ArrayRef<int64_t> axes, bool keepDims,
                                 SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(inputValue);
  if (!input)
    return emitXFError<OpTy>(loc, "expects a ranked tensor input");
  if (axes.empty())
    return emitXFError<OpTy>(loc, "axes must not be empty");
  int64_t rank = input.getRank();
  // The axis as written that first named each dimension, to report aliases
  // such as -1 and rank-1.
  SmallVector<std::optional<int64_t>> reducedBy(rank);
  for (int64_t axis : axes) {
    auto normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return emitAxisOutOfRangeError<OpTy>(loc, "axis", axis, rank);
    if (std::optional<int64_t> first = reducedBy[*normalized])
      return emitXFError<OpTy>(loc, "axes ", *first, " and ", axis,
                               " both name dimension ", *normalized);
    reducedBy[*normalized] = axis;
  }
  SmallVector<int64_t> shape;
  for (auto [dim, size] : llvm::enumerate(input.getShape())) {
    if (!reducedBy[dim])
      shape.push_back(size);
    else if (keepDims)
      shape.push_back(1);
  }
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

#define XF_REDUCE_INFERENCE(OpTy)                                              \
  LogicalResult OpTy::inferReturnTypes(                                        \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &inferred) {                                       \
    return inferReduce<OpTy>(loc, adaptor.getInput(), adaptor.getAxes(),       \
                             adaptor.getKeepDims(), inferred);                 \
  }
XF_REDUCE_INFERENCE(ReduceSumOp)
XF_REDUCE_INFERENCE(ReduceMeanOp)
XF_REDUCE_INFERENCE(ReduceMaxOp)
#undef XF_REDUCE_INFERENCE

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = getInput().getType(), result = getType();
  if (input.getElementType() != result.getElementType())
    return emitOpError("result element type ")
           << result.getElementType() << " does not match input element type "
           << input.getElementType();
  if (input.hasStaticShape() && result.hasStaticShape()) {
    std::optional<int64_t> inputCount = getElementCount(input.getShape());
    std::optional<int64_t> resultCount = getElementCount(result.getShape());
    if (!inputCount || !resultCount)
      return emitOpError("element count of ")
             << (inputCount ? "the result type " : "the input type ")
             << (inputCount ? result : input) << " overflows int64";
    if (*inputCount != *resultCount)
      return emitOpError("input has ")
             << *inputCount << " elements but the result type " << result
             << " has " << *resultCount;
  }
  if (input.hasStaticShape() && !result.hasStaticShape())
    return emitOpError("result type ")
           << result << " has dynamic dimensions but the input shape "
           << formatShape(input.getShape()) << " is static";
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(adaptor.getInput());
  if (!input)
    return emitXFError<TransposeOp>(loc, "expects a ranked tensor input");
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  if (static_cast<int64_t>(perm.size()) != input.getRank())
    return emitXFError<TransposeOp>(loc, "permutation length ", perm.size(),
                                    " does not match the input rank ",
                                    input.getRank());
  if (!isPermutation(perm))
    return emitXFError<TransposeOp>(
        loc, "permutation is not a permutation of [0, ", input.getRank(), ")");
  SmallVector<int64_t> shape;
  for (int64_t dim : perm)
    shape.push_back(input.getDimSize(dim));
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> types;
  if (failed(getRankedTypes<ConcatOp>(loc, adaptor.getInputs(), types)))
    return failure();
  if (types.empty())
    return emitXFError<ConcatOp>(loc, "needs at least one input");
  RankedTensorType first = types.front();
  auto axis = normalizeAxis(adaptor.getAxis(), first.getRank());
  if (!axis)
    return emitAxisOutOfRangeError<ConcatOp>(loc, "axis", adaptor.getAxis(),
                                             first.getRank());
  SmallVector<int64_t> shape(first.getShape());
  for (auto [index, type] : llvm::enumerate(ArrayRef(types).drop_front())) {
    if (type.getElementType() != first.getElementType())
      return emitXFError<ConcatOp>(loc, "input #", index + 1,
                                   " element type ", type.getElementType(),
                                   " does not match input #0 element type ",
                                   first.getElementType());
    if (type.getRank() != first.getRank())
      return emitXFError<ConcatOp>(loc, "input #", index + 1, " has rank ",
                                   type.getRank(), " but input #0 has rank ",
                                   first.getRank());
    for (int64_t dim = 0; dim < first.getRank(); ++dim) {
      int64_t size = type.getDimSize(dim);
      if (dim == *axis) {
        if (ShapedType::isDynamic(shape[dim]) || ShapedType::isDynamic(size)) {
          shape[dim] = ShapedType::kDynamic;
          continue;
        }
        std::optional<int64_t> sum = llvm::checkedAdd(shape[dim], size);
        if (!sum)
          return emitXFError<ConcatOp>(loc, "concatenated size along axis ",
                                       dim, " overflows int64");
        shape[dim] = *sum;
        continue;
      }
      if (!areCompatibleSizes(size, shape[dim]))
        return emitXFError<ConcatOp>(
            loc, "input #", index + 1, " has size ", size, " in dimension ",
            dim, " but input #0 has ", shape[dim],
            " (only the concatenation axis may differ)");
      if (ShapedType::isDynamic(shape[dim]))
        shape[dim] = size;
    }
  }
  inferred.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(adaptor.getInput());
  if (!input)
    return emitXFError<SliceOp>(loc, "expects a ranked tensor input");
  ArrayRef<int64_t> offsets = adaptor.getOffsets(), sizes = adaptor.getSizes(),
                    strides = adaptor.getStrides();
  int64_t rank = input.getRank();
  // slice_c1
  for (auto [name, list] : {std::pair{"offsets", offsets},
                            std::pair{"sizes", sizes},
                            std::pair{"strides", strides}})
    if (static_cast<int64_t>(list.size()) != rank)
      return emitXFError<SliceOp>(loc, name, " length ", list.size(),
                                  " does not match the input rank ", rank);
  for (int64_t dim = 0; dim < rank; ++dim) {
    // slice_c2
    if (offsets[dim] < 0 || sizes[dim] < 0)
      return emitXFError<SliceOp>(loc, "offset ", offsets[dim], " and size ",
                                  sizes[dim], " in dimension ", dim,
                                  " must be non-negative");
    if (strides[dim] <= 0)
      return emitXFError<SliceOp>(loc, "stride ", strides[dim],
                                  " in dimension ", dim, " must be positive");
    // slice_c3: (sizes - 1) * strides <= size - 1 - offset, divided through
    // so that large attributes cannot overflow.
    int64_t size = input.getDimSize(dim);
    if (sizes[dim] == 0 || ShapedType::isDynamic(size))
      continue;
    bool inBounds = offsets[dim] < size &&
                    (sizes[dim] - 1) <= (size - 1 - offsets[dim]) / strides[dim];
    if (!inBounds)
      return emitXFError<SliceOp>(loc, "slice (offset ", offsets[dim],
                                  ", size ", sizes[dim], ", stride ",
                                  strides[dim], ") exceeds dimension ", dim,
                                  " of size ", size);
  }
  inferred.push_back(RankedTensorType::get(sizes, input.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(adaptor.getInput());
  auto indices = getRanked(adaptor.getIndices());
  if (!input || !indices)
    return emitXFError<GatherOp>(loc, "expects ranked tensor operands");
  if (input.getRank() < 1)
    return emitXFError<GatherOp>(loc, "input must have rank >= 1");
  auto axis = normalizeAxis(adaptor.getAxis(), input.getRank());
  if (!axis)
    return emitAxisOutOfRangeError<GatherOp>(loc, "axis", adaptor.getAxis(),
                                             input.getRank());
  SmallVector<int64_t> shape(input.getShape().take_front(*axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, input.getShape().drop_front(*axis + 1));
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(adaptor.getInput());
  if (!input)
    return emitXFError<TopKOp>(loc, "expects a ranked tensor input");
  // top_k_c1
  if (input.getRank() < 1)
    return emitXFError<TopKOp>(loc, "input must have rank >= 1");
  // top_k_c2
  int64_t k = adaptor.getK();
  int64_t n = input.getShape().back();
  if (k < 1)
    return emitXFError<TopKOp>(loc, "k must be >= 1, got ", k);
  if (!ShapedType::isDynamic(n) && k > n)
    return emitXFError<TopKOp>(loc, "k ", k,
                               " exceeds the last dimension's size ", n);
  SmallVector<int64_t> shape(input.getShape().drop_back());
  shape.push_back(k);
  inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  inferred.push_back(
      RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(adaptor.getInput());
  if (!input)
    return emitXFError<SplitOp>(loc, "expects a ranked tensor input");
  auto axis = normalizeAxis(adaptor.getAxis(), input.getRank());
  if (!axis)
    return emitAxisOutOfRangeError<SplitOp>(loc, "axis", adaptor.getAxis(),
                                            input.getRank());
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (sizes.empty())
    return emitXFError<SplitOp>(loc, "sizes must not be empty");
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0)
      return emitXFError<SplitOp>(loc, "size ", size, " must be non-negative");
    if (total > std::numeric_limits<int64_t>::max() - size)
      return emitXFError<SplitOp>(loc, "sizes overflow int64");
    total += size;
  }
  int64_t dimSize = input.getDimSize(*axis);
  if (!areCompatibleSizes(total, dimSize))
    return emitXFError<SplitOp>(loc, "sizes add up to ", total,
                                " but dimension ", *axis, " has size ",
                                dimSize);
  for (int64_t size : sizes) {
    SmallVector<int64_t> shape(input.getShape());
    shape[*axis] = size;
    inferred.push_back(RankedTensorType::get(shape, input.getElementType()));
  }
  return success();
}

LogicalResult ExpandOp::verify() {
  RankedTensorType input = getInput().getType(), result = getType();
  if (input.getElementType() != result.getElementType())
    return emitOpError("result element type ")
           << result.getElementType() << " does not match input element type "
           << input.getElementType();
  if (!broadcastsTo(input.getShape(), result.getShape()))
    return emitOpError("input shape ")
           << formatShape(input.getShape())
           << " does not broadcast to the result shape "
           << formatShape(result.getShape());
  return success();
}

LogicalResult CastOp::verify() {
  RankedTensorType input = getInput().getType(), result = getType();
  if (input.getRank() != result.getRank() ||
      !llvm::all_of(llvm::zip(input.getShape(), result.getShape()),
                    [](auto pair) {
                      return areCompatibleSizes(std::get<0>(pair),
                                                std::get<1>(pair));
                    }))
    return emitOpError("result shape ")
           << formatShape(result.getShape()) << " does not match input shape "
           << formatShape(input.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> types;
  if (failed(getRankedTypes<AttentionOp>(
          loc, {adaptor.getQuery(), adaptor.getKey(), adaptor.getValue()},
          types)))
    return failure();
  RankedTensorType query = types[0], key = types[1], value = types[2];
  // attention_c1
  int64_t rank = query.getRank();
  if (rank != 3 && rank != 4)
    return emitXFError<AttentionOp>(
        loc, "query has rank ", rank,
        " but attention takes rank 4 [B, H, S, D] or rank 3 [B, S, H*D]");
  for (auto [name, type] : {std::pair{"key", key}, std::pair{"value", value}}) {
    if (type.getRank() != rank)
      return emitXFError<AttentionOp>(loc, name, " has rank ", type.getRank(),
                                      " but query has rank ", rank);
    if (type.getElementType() != query.getElementType())
      return emitXFError<AttentionOp>(loc, name, " element type ",
                                      type.getElementType(),
                                      " does not match query element type ",
                                      query.getElementType());
  }
  // attention_c2
  int64_t numHeads = adaptor.getNumHeads();
  int64_t numKvHeads = adaptor.getNumKvHeads().value_or(numHeads);
  if (numHeads < 1 || numKvHeads < 1)
    return emitXFError<AttentionOp>(loc, "num_heads (", numHeads,
                                    ") and num_kv_heads (", numKvHeads,
                                    ") must be positive");
  if (numHeads % numKvHeads != 0)
    return emitXFError<AttentionOp>(loc, "num_kv_heads (", numKvHeads,
                                    ") must divide num_heads (", numHeads,
                                    ")");
  // attention_c3
  int64_t batch = query.getDimSize(0);
  for (auto [name, type] : {std::pair{"key", key}, std::pair{"value", value}})
    if (!areCompatibleSizes(type.getDimSize(0), batch))
      return emitXFError<AttentionOp>(loc, name, " batch size ",
                                      type.getDimSize(0),
                                      " does not match query batch size ",
                                      batch);

  // Splits a layout into (sequence, head size) for `heads` heads, checking
  // attention_c4 on the way. Rank 4 is [B, H, S, D]; rank 3 is [B, S, H*D].
  int64_t seqQ = 0, headDim = 0, seqK = 0, keyDim = 0, seqV = 0, valueDim = 0;
  auto split = [&](StringRef name, RankedTensorType type, int64_t heads,
                   StringRef headsName, int64_t &seq,
                   int64_t &dim) -> LogicalResult {
    if (rank == 4) {
      if (!areCompatibleSizes(type.getDimSize(1), heads))
        return emitXFError<AttentionOp>(
            loc, name, " dimension 1 (heads) is ", type.getDimSize(1),
            " but ", headsName, " is ", heads);
      seq = type.getDimSize(2);
      dim = type.getDimSize(3);
      return success();
    }
    seq = type.getDimSize(1);
    int64_t hidden = type.getDimSize(2);
    if (ShapedType::isDynamic(hidden)) {
      dim = ShapedType::kDynamic;
      return success();
    }
    if (hidden % heads != 0)
      return emitXFError<AttentionOp>(loc, headsName, " (", heads,
                                      ") does not divide the ", name,
                                      " hidden size ", hidden);
    dim = hidden / heads;
    return success();
  };
  if (failed(split("query", query, numHeads, "num_heads", seqQ, headDim)) ||
      failed(split("key", key, numKvHeads, "num_kv_heads", seqK, keyDim)) ||
      failed(split("value", value, numKvHeads, "num_kv_heads", seqV,
                   valueDim)))
    return failure();
  // attention_c5
  if (!areCompatibleSizes(headDim, keyDim))
    return emitXFError<AttentionOp>(loc, "key head size ", keyDim,
                                    " does not match query head size ",
                                    headDim);
  // attention_c6
  if (!areCompatibleSizes(seqK, seqV))
    return emitXFError<AttentionOp>(loc, "key sequence length ", seqK,
                                    " does not match value sequence length ",
                                    seqV);
  int64_t seqKv = ShapedType::isDynamic(seqK) ? seqV : seqK;
  // attention_c7
  if (Value maskValue = adaptor.getMask()) {
    auto mask = getRanked(maskValue);
    if (!mask)
      return emitXFError<AttentionOp>(loc, "mask must be a ranked tensor");
    Type maskElement = mask.getElementType();
    if (!maskElement.isInteger(1) && maskElement != query.getElementType())
      return emitXFError<AttentionOp>(
          loc, "mask element type ", maskElement,
          " must be i1 (true = attend) or the query element type ",
          query.getElementType());
    SmallVector<int64_t> scores = {batch, numHeads, seqQ, seqKv};
    if (!broadcastsTo(mask.getShape(), scores))
      return emitXFError<AttentionOp>(
          loc, "mask shape ", formatShape(mask.getShape()),
          " does not broadcast to the score shape [B, Hq, Sq, Skv] = ",
          formatShape(scores));
  }
  // attention_c8
  if (std::optional<APFloat> scale = adaptor.getScale()) {
    if (!scale->isFiniteNonZero() || scale->isNegative())
      return emitXFError<AttentionOp>(
          loc, "scale must be positive and finite, got ",
          scale->convertToDouble());
  }

  SmallVector<int64_t> shape;
  if (rank == 4) {
    shape = {batch, numHeads, seqQ, valueDim};
  } else {
    int64_t hidden = ShapedType::kDynamic;
    if (!ShapedType::isDynamic(valueDim)) {
      std::optional<int64_t> product = llvm::checkedMul(numHeads, valueDim);
      if (!product)
        return emitXFError<AttentionOp>(
            loc, "result hidden size num_heads * value head size overflows "
                 "int64");
      hidden = *product;
    }
    shape = {batch, seqQ, hidden};
  }
  inferred.push_back(RankedTensorType::get(shape, query.getElementType()));
  return success();
}

LogicalResult RopeOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> types;
  if (failed(getRankedTypes<RopeOp>(loc, adaptor.getOperands(), types)))
    return failure();
  RankedTensorType input = types[0], cos = types[1], sin = types[2];
  // rope_c1
  if (input.getRank() < 2)
    return emitXFError<RopeOp>(loc, "input has rank ", input.getRank(),
                               " but rope needs rank >= 2 ([..., S, D])");
  if (cos != sin)
    return emitXFError<RopeOp>(loc, "cos type ", cos,
                               " does not match sin type ", sin);
  if (cos.getRank() < 1)
    return emitXFError<RopeOp>(loc, "cos and sin must have rank >= 1");
  if (cos.getElementType() != input.getElementType())
    return emitXFError<RopeOp>(loc, "cos element type ", cos.getElementType(),
                               " does not match input element type ",
                               input.getElementType());
  // rope_c2
  int64_t half = cos.getShape().back();
  int64_t features = input.getShape().back();
  if (!ShapedType::isDynamic(half) && !ShapedType::isDynamic(features) &&
      half > features / 2)
    return emitXFError<RopeOp>(loc, "cos and sin describe ", half,
                               " rotary pairs but the input's ", features,
                               " features hold only ", features / 2);
  // rope_c3
  if (!broadcastsTo(cos.getShape().drop_back(), input.getShape().drop_back()))
    return emitXFError<RopeOp>(
        loc, "cos and sin leading shape ",
        formatShape(cos.getShape().drop_back()),
        " does not broadcast to the input's ",
        formatShape(input.getShape().drop_back()));
  inferred.push_back(input);
  return success();
}

//===----------------------------------------------------------------------===//
// Quantized ops
//===----------------------------------------------------------------------===//

LogicalResult QuantLinearOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = getRanked(adaptor.getInput());
  auto weight = getRanked(adaptor.getWeight());
  if (!input || !weight)
    return emitXFError<QuantLinearOp>(loc, "expects ranked tensor operands");
  // quant_linear_c1: the uniform family carries scales (calibrated and
  // `any` types do not), so only it describes a weight that can be used.
  auto weightType = dyn_cast<quant::QuantizedType>(weight.getElementType());
  if (!isa_and_present<quant::UniformQuantizedType,
                       quant::UniformQuantizedPerAxisType,
                       quant::UniformQuantizedSubChannelType>(weightType))
    return emitXFError<QuantLinearOp>(
        loc, "weight element type ", weight.getElementType(),
        " is not a uniform quantized type (!quant.uniform with scales)");
  if (weightType.getStorageTypeIntegralWidth() > 8)
    return emitXFError<QuantLinearOp>(
        loc, "weight storage type ", weightType.getStorageType(),
        " is wider than 8 bits");
  Type expressed = weightType.getExpressedType();
  // quant_linear_c2
  if (weight.getRank() == 2) {
    if (auto perAxis =
            dyn_cast<quant::UniformQuantizedPerAxisType>(weightType)) {
      if (perAxis.getQuantizedDimension() != 0)
        return emitXFError<QuantLinearOp>(
            loc, "per-axis weight must be quantized along axis 0 (output "
                 "channels), not axis ",
            perAxis.getQuantizedDimension());
      int64_t n = weight.getDimSize(0);
      int64_t numScales = perAxis.getScales().size();
      if (!areCompatibleSizes(numScales, n))
        return emitXFError<QuantLinearOp>(
            loc, "per-axis weight has ", numScales,
            " scales but out_features is ", n);
    } else if (auto subChannel =
                   dyn_cast<quant::UniformQuantizedSubChannelType>(
                       weightType)) {
      SmallVector<std::pair<int32_t, int64_t>> blocks =
          subChannel.getBlockSizeInfo();
      // An axis without a block size is one block (the quant dialect's
      // rule), so per-row groups need an explicit {0:1, 1:G}.
      int64_t rowBlock = weight.getDimSize(0), columnBlock = weight.getDimSize(1);
      for (auto [dim, size] : blocks) {
        if (dim == 0)
          rowBlock = size;
        else if (dim == 1)
          columnBlock = size;
        else
          return emitXFError<QuantLinearOp>(
              loc, "sub-channel weight has a block size on axis ", dim,
              " but the weight has rank 2");
      }
      int64_t k = weight.getDimSize(1);
      if (rowBlock != 1)
        return emitXFError<QuantLinearOp>(
            loc, "sub-channel weight must have block size 1 along axis 0, "
                 "got ",
            rowBlock);
      if (!ShapedType::isDynamic(k) && k % columnBlock != 0)
        return emitXFError<QuantLinearOp>(loc, "group size ", columnBlock,
                                          " does not divide in_features ", k);
      // One scale per (output channel, group).
      ArrayRef<int64_t> scales = subChannel.getScales().getType().getShape();
      SmallVector<int64_t> expected = {
          weight.getDimSize(0),
          ShapedType::isDynamic(k) ? ShapedType::kDynamic : k / columnBlock};
      if (scales.size() != 2 || !areCompatibleSizes(scales[0], expected[0]) ||
          !areCompatibleSizes(scales[1], expected[1]))
        return emitXFError<QuantLinearOp>(
            loc, "sub-channel weight has scales of shape ",
            formatShape(scales), " but [out_features, in_features / group] "
                                 "is ",
            formatShape(expected));
    }
  }
  // quant_linear_c3
  Type inputElement = input.getElementType();
  if (auto inputQuant = dyn_cast<quant::QuantizedType>(inputElement)) {
    if (!isa<quant::UniformQuantizedType>(inputQuant))
      return emitXFError<QuantLinearOp>(
          loc, "quantized input must be per-tensor (!quant.uniform with one "
               "scale), got ",
          inputElement);
    inputElement = inputQuant.getExpressedType();
  }
  if (inputElement != expressed)
    return emitXFError<QuantLinearOp>(loc, "input element type ",
                                      input.getElementType(),
                                      " does not express weight type ",
                                      expressed);
  // quant_linear_c4, quant_linear_c5
  return inferLinear<QuantLinearOp>(loc, input, weight, adaptor.getBias(),
                                    expressed, inferred);
}

LogicalResult QuantLinearOp::verify() {
  // quant_linear_c6
  if (getDynamicInput() &&
      isa<quant::QuantizedType>(getInput().getType().getElementType()))
    return emitOpError("dynamic_input needs a floating-point input, got ")
           << getInput().getType().getElementType();
  return success();
}

#define GET_OP_CLASSES
#include "xfc/Dialect/XF/XFOps.cpp.inc"
