//===- OpsShape.cpp - Shape and data-movement ONNX operators --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Reshape, Transpose, (Un)Squeeze, Flatten, Concat, Slice, Split, Gather,
// Expand, and the shape-computing operators (Shape, ConstantOfShape, Range,
// Constant, Trilu). With static input shapes every shape operand is a
// constant by the time it is used: Shape yields a constant, and the xf
// folders evaluate the arithmetic exporters build on it.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "xfc/Dialect/XF/XFTypes.h"

using namespace mlir;

namespace xfc::onnx_import {
namespace {

std::string formatList(ArrayRef<int64_t> values) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(values, os);
  os << "]";
  return text;
}

LogicalResult importReshape(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  FailureOr<SmallVector<int64_t>> requested =
      ctx.requireConstantInts(1, "shape");
  if (failed(input) || failed(requested))
    return failure();
  RankedTensorType type = NodeContext::typeOf(*input);
  bool allowZero = ctx.getInt("allowzero", 0) != 0;
  SmallVector<int64_t> shape;
  std::optional<size_t> inferred;
  for (auto [i, size] : llvm::enumerate(*requested)) {
    if (size == -1) {
      if (inferred)
        return ctx.emitError() << "shape " << formatList(*requested)
                               << " has more than one -1";
      inferred = i;
      shape.push_back(1);
    } else if (size == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= type.getRank())
        return ctx.emitError() << "shape " << formatList(*requested)
                               << " copies dimension " << i
                               << " (0) but the input has rank "
                               << type.getRank();
      shape.push_back(type.getDimSize(i));
    } else if (size < 0) {
      return ctx.emitError() << "shape " << formatList(*requested)
                             << " has invalid size " << size;
    } else {
      shape.push_back(size);
    }
  }
  std::optional<int64_t> total = xf::getElementCount(type.getShape());
  std::optional<int64_t> known = xf::getElementCount(shape);
  if (!total || !known)
    return ctx.emitError() << "shape " << formatList(*requested)
                           << " overflows int64";
  if (inferred) {
    if (*known == 0 || *total % *known != 0)
      return ctx.emitError()
             << "cannot infer the -1 in shape " << formatList(*requested)
             << " for an input of shape " << xf::formatShape(type.getShape());
    shape[*inferred] = *total / *known;
  }
  FailureOr<Value> result = reshapeTo(ctx, *input, shape);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importTranspose(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t rank = NodeContext::typeOf(*input).getRank();
  SmallVector<int64_t> perm;
  if (std::optional<SmallVector<int64_t>> given = ctx.getInts("perm"))
    perm = *given;
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  FailureOr<Value> result = transposeTo(ctx, *input, perm);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// The axes of Squeeze/Unsqueeze/Reduce*: an input from opset 13 (18 for
/// some reductions), an attribute before.
FailureOr<std::optional<SmallVector<int64_t>>>
getAxes(NodeContext &ctx, unsigned inputIndex, bool fromInput) {
  if (fromInput) {
    if (!ctx.input(inputIndex))
      return std::optional<SmallVector<int64_t>>();
    FailureOr<SmallVector<int64_t>> axes =
        ctx.requireConstantInts(inputIndex, "axes");
    if (failed(axes))
      return failure();
    return std::optional<SmallVector<int64_t>>(*axes);
  }
  return ctx.getInts("axes");
}

LogicalResult importUnsqueeze(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  auto axes = getAxes(ctx, 1, ctx.opset >= 13);
  if (failed(input) || failed(axes))
    return failure();
  if (!*axes)
    return ctx.emitError() << "axes are required";
  ArrayRef<int64_t> inShape = NodeContext::typeOf(*input).getShape();
  int64_t rank = inShape.size() + (*axes)->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : **axes) {
    FailureOr<int64_t> normalized = normalizeAxisOrError(ctx, axis, rank);
    if (failed(normalized))
      return failure();
    if (inserted[*normalized])
      return ctx.emitError() << "axis " << axis << " is given twice";
    inserted[*normalized] = true;
  }
  SmallVector<int64_t> shape;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(inserted[d] ? 1 : inShape[next++]);
  FailureOr<Value> result = reshapeTo(ctx, *input, shape);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importSqueeze(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  auto axes = getAxes(ctx, 1, ctx.opset >= 13);
  if (failed(input) || failed(axes))
    return failure();
  ArrayRef<int64_t> inShape = NodeContext::typeOf(*input).getShape();
  int64_t rank = inShape.size();
  SmallVector<bool> removed(rank, false);
  if (*axes) {
    for (int64_t axis : **axes) {
      FailureOr<int64_t> normalized = normalizeAxisOrError(ctx, axis, rank);
      if (failed(normalized))
        return failure();
      if (inShape[*normalized] != 1)
        return ctx.emitError() << "cannot squeeze axis " << axis
                               << " of size " << inShape[*normalized];
      removed[*normalized] = true;
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      removed[d] = inShape[d] == 1;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!removed[d])
      shape.push_back(inShape[d]);
  FailureOr<Value> result = reshapeTo(ctx, *input, shape);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importFlatten(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> inShape = NodeContext::typeOf(*input).getShape();
  int64_t rank = inShape.size();
  int64_t axis = ctx.getInt("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return ctx.emitError() << "axis " << ctx.getInt("axis", 1)
                           << " is out of range for rank " << rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < axis ? outer : inner) *= inShape[d];
  FailureOr<Value> result = reshapeTo(ctx, *input, {outer, inner});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importConcat(NodeContext &ctx) {
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < ctx.getNumInputs(); ++i) {
    FailureOr<Value> input = ctx.requiredInput(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  if (!ctx.hasAttr("axis"))
    return ctx.emitError() << "attribute 'axis' is required";
  FailureOr<Value> result = ctx.createValue<xf::ConcatOp>(
      inputs, {ctx.builder.getNamedAttr(
                  "axis", ctx.builder.getI64IntegerAttr(ctx.getInt("axis", 0)))});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importSlice(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  FailureOr<SmallVector<int64_t>> starts = ctx.requireConstantInts(1, "starts");
  FailureOr<SmallVector<int64_t>> ends = ctx.requireConstantInts(2, "ends");
  if (failed(input) || failed(starts) || failed(ends))
    return failure();
  ArrayRef<int64_t> shape = NodeContext::typeOf(*input).getShape();
  int64_t rank = shape.size();
  SmallVector<int64_t> axes, steps;
  if (ctx.input(3)) {
    FailureOr<SmallVector<int64_t>> given = ctx.requireConstantInts(3, "axes");
    if (failed(given))
      return failure();
    axes = *given;
  } else {
    for (size_t i = 0; i < starts->size(); ++i)
      axes.push_back(i);
  }
  if (ctx.input(4)) {
    FailureOr<SmallVector<int64_t>> given = ctx.requireConstantInts(4, "steps");
    if (failed(given))
      return failure();
    steps = *given;
  } else {
    steps.assign(starts->size(), 1);
  }
  if (ends->size() != starts->size() || axes.size() != starts->size() ||
      steps.size() != starts->size())
    return ctx.emitError() << "starts, ends, axes and steps have different "
                              "lengths";

  SmallVector<int64_t> offsets(rank, 0), sizes(shape), strides(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < starts->size(); ++i) {
    FailureOr<int64_t> axis = normalizeAxisOrError(ctx, axes[i], rank);
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return ctx.emitError() << "axis " << axes[i] << " is sliced twice";
    seen[*axis] = true;
    int64_t dim = shape[*axis], step = steps[i];
    if (step == 0)
      return ctx.emitError() << "step 0 is invalid";
    if (step < 0)
      return ctx.emitError() << "step " << step
                             << " is not supported (xfc slices forward only)";
    // Clamp as ONNX does: negative values count from the end, then into
    // [0, dim]. Saturating arithmetic: exporters write INT64_MAX for "end".
    auto clamp = [&](int64_t value) {
      if (value < 0)
        value = value < -dim ? 0 : value + dim;
      return std::min(value, dim);
    };
    int64_t start = clamp((*starts)[i]), end = clamp((*ends)[i]);
    offsets[*axis] = start;
    sizes[*axis] = end > start ? (end - start + step - 1) / step : 0;
    strides[*axis] = step;
    if (sizes[*axis] == 0)
      offsets[*axis] = 0;
  }
  FailureOr<Value> result = ctx.createValue<xf::SliceOp>(
      {*input}, {ctx.builder.getNamedAttr(
                     "offsets", ctx.builder.getDenseI64ArrayAttr(offsets)),
                 ctx.builder.getNamedAttr(
                     "sizes", ctx.builder.getDenseI64ArrayAttr(sizes)),
                 ctx.builder.getNamedAttr(
                     "strides", ctx.builder.getDenseI64ArrayAttr(strides))});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importSplit(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> shape = NodeContext::typeOf(*input).getShape();
  FailureOr<int64_t> axis =
      normalizeAxisOrError(ctx, ctx.getInt("axis", 0), shape.size());
  if (failed(axis))
    return failure();
  int64_t numOutputs = ctx.getNumOutputs();
  SmallVector<int64_t> sizes;
  if (ctx.input(1)) {
    FailureOr<SmallVector<int64_t>> given = ctx.requireConstantInts(1, "split");
    if (failed(given))
      return failure();
    sizes = *given;
  } else if (std::optional<SmallVector<int64_t>> given = ctx.getInts("split")) {
    sizes = *given;
  } else {
    // Equal parts. Before opset 18 they must divide the dimension; from 18
    // num_outputs is required and the last part may be smaller.
    if (ctx.opset >= 18 && !ctx.hasAttr("num_outputs"))
      return ctx.emitError() << "needs the 'split' input or the "
                                "'num_outputs' attribute (opset 18)";
    int64_t parts = ctx.getInt("num_outputs", numOutputs);
    if (parts <= 0)
      return ctx.emitError() << "num_outputs must be positive";
    int64_t dim = shape[*axis];
    if (ctx.opset < 18 && dim % parts != 0)
      return ctx.emitError() << "cannot split dimension " << *axis
                             << " of size " << dim << " into " << parts
                             << " equal parts";
    int64_t chunk = (dim + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, dim - i * chunk)));
  }
  if (static_cast<int64_t>(sizes.size()) != numOutputs)
    return ctx.emitError() << "splits into " << sizes.size()
                           << " parts but has " << numOutputs << " outputs";
  FailureOr<xf::SplitOp> op = ctx.create<xf::SplitOp>(
      {*input},
      {ctx.builder.getNamedAttr("axis", ctx.builder.getI64IntegerAttr(*axis)),
       ctx.builder.getNamedAttr("sizes",
                                ctx.builder.getDenseI64ArrayAttr(sizes))},
      sizes.size());
  if (failed(op))
    return failure();
  for (auto [i, result] : llvm::enumerate(op->getResults()))
    ctx.setResult(i, result);
  return success();
}

LogicalResult importGather(NodeContext &ctx) {
  FailureOr<Value> data = ctx.requiredInput(0);
  FailureOr<Value> indices = ctx.requiredInput(1);
  if (failed(data) || failed(indices))
    return failure();
  RankedTensorType dataType = NodeContext::typeOf(*data);
  int64_t axis = ctx.getInt("axis", 0);
  FailureOr<int64_t> normalized =
      normalizeAxisOrError(ctx, axis, dataType.getRank());
  if (failed(normalized))
    return failure();
  // Constant indices are checked here, where the node can be named.
  if (std::optional<SmallVector<int64_t>> constant =
          NodeContext::getConstantInts(*indices)) {
    int64_t size = dataType.getDimSize(*normalized);
    for (int64_t index : *constant)
      if (index < -size || index >= size)
        return ctx.emitError() << "index " << index
                               << " is out of range for axis " << *normalized
                               << " of size " << size;
  }
  FailureOr<Value> result = ctx.createValue<xf::GatherOp>(
      {*data, *indices},
      {ctx.builder.getNamedAttr("axis", ctx.builder.getI64IntegerAttr(axis))});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

LogicalResult importShape(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  ArrayRef<int64_t> shape = NodeContext::typeOf(*input).getShape();
  int64_t rank = shape.size();
  // Opset 15: start/end select a range of dimensions, clamped.
  auto clamp = [&](int64_t value) {
    if (value < 0)
      value += rank;
    return std::clamp<int64_t>(value, 0, rank);
  };
  int64_t start = clamp(ctx.getInt("start", 0));
  int64_t end = clamp(ctx.getInt("end", rank));
  SmallVector<int64_t> dims;
  for (int64_t d = start; d < end; ++d)
    dims.push_back(shape[d]);
  auto type = RankedTensorType::get({static_cast<int64_t>(dims.size())},
                                    ctx.builder.getI64Type());
  ctx.setResult(0, ctx.constant(DenseElementsAttr::get(type, ArrayRef(dims))));
  return success();
}

LogicalResult importConstantOfShape(NodeContext &ctx) {
  FailureOr<SmallVector<int64_t>> shape = ctx.requireConstantInts(0, "shape");
  if (failed(shape))
    return failure();
  for (int64_t size : *shape)
    if (size < 0)
      return ctx.emitError() << "shape " << formatList(*shape)
                             << " has a negative size";
  Attribute fill;
  if (ctx.hasAttr("value")) {
    FailureOr<ElementsAttr> attr = ctx.readTensorAttr("value");
    if (failed(attr))
      return failure();
    auto dense = dyn_cast<DenseElementsAttr>(*attr);
    if (!dense || dense.getNumElements() != 1)
      return ctx.emitError() << "attribute 'value' must hold one element";
    fill = dense.getValues<Attribute>()[0];
  } else if (ctx.hasFailed()) {
    return failure();
  } else {
    fill = ctx.builder.getF32FloatAttr(0);
  }
  auto type =
      RankedTensorType::get(*shape, cast<TypedAttr>(fill).getType());
  ctx.setResult(0, ctx.constant(SplatElementsAttr::get(type, fill)));
  return success();
}

LogicalResult importExpand(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  FailureOr<SmallVector<int64_t>> shape = ctx.requireConstantInts(1, "shape");
  if (failed(input) || failed(shape))
    return failure();
  RankedTensorType type = NodeContext::typeOf(*input);
  // ONNX Expand broadcasts both ways: the result is broadcast(input, shape).
  std::optional<SmallVector<int64_t>> resultShape =
      xf::broadcastShapes(type.getShape(), *shape);
  if (!resultShape)
    return ctx.emitError() << "input shape " << xf::formatShape(type.getShape())
                           << " does not broadcast with shape "
                           << formatList(*shape);
  auto op = xf::ExpandOp::create(ctx.builder, 
      ctx.loc, type.clone(*resultShape), *input);
  ctx.setResult(0, ctx.foldValue(op));
  return success();
}

LogicalResult importRange(NodeContext &ctx) {
  SmallVector<DenseElementsAttr> args;
  for (unsigned i = 0; i < 3; ++i) {
    DenseElementsAttr arg = NodeContext::getConstant(ctx.input(i));
    if (!arg || arg.getNumElements() != 1)
      return ctx.emitError() << "start, limit and delta must be constant "
                                "scalars once input shapes are fixed";
    args.push_back(arg);
  }
  Type elementType = args[0].getElementType();
  auto get = [&](int i) -> double {
    if (isa<FloatType>(elementType))
      return args[i].getSplatValue<APFloat>().convertToDouble();
    return static_cast<double>(args[i].getSplatValue<APInt>().getSExtValue());
  };
  double start = get(0), limit = get(1), delta = get(2);
  if (delta == 0)
    return ctx.emitError() << "delta must not be 0";
  // Integers count exactly (doubles lose int64 values past 2^53).
  bool isInteger = isa<IntegerType>(elementType);
  int64_t intStart = 0, intDelta = 0, count = 0;
  if (isInteger) {
    intStart = args[0].getSplatValue<APInt>().getSExtValue();
    int64_t intLimit = args[1].getSplatValue<APInt>().getSExtValue();
    intDelta = args[2].getSplatValue<APInt>().getSExtValue();
    // ceil((limit - start) / delta) in 128 bits' worth: both signs.
    __int128 span = (__int128)intLimit - intStart;
    __int128 steps = span / intDelta + ((span % intDelta != 0) &&
                                        ((span > 0) == (intDelta > 0)));
    count = steps > 0 ? (steps > (int64_t(1) << 40) ? (int64_t(1) << 40)
                                                    : (int64_t)steps)
                      : 0;
  } else {
    double steps = std::ceil((limit - start) / delta);
    count = steps > 0 ? static_cast<int64_t>(
                            std::min(steps, double(int64_t(1) << 40)))
                      : 0;
  }
  constexpr int64_t kMaxRange = int64_t(1) << 24;
  if (count > kMaxRange)
    return ctx.emitError() << "range of " << count << " elements is too large";
  auto type = RankedTensorType::get({count}, elementType);
  Attribute attr;
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < count; ++i) {
      APFloat value(start + i * delta);
      bool lost;
      value.convert(floatType.getFloatSemantics(),
                    APFloat::rmNearestTiesToEven, &lost);
      values.push_back(value);
    }
    attr = DenseElementsAttr::get(type, values);
  } else {
    unsigned width = elementType.getIntOrFloatBitWidth();
    SmallVector<APInt> values;
    for (int64_t i = 0; i < count; ++i)
      values.push_back(APInt(width, intStart + i * intDelta,
                             /*isSigned=*/true, /*implicitTrunc=*/true));
    attr = DenseElementsAttr::get(type, values);
  }
  ctx.setResult(0, ctx.constant(attr));
  return success();
}

LogicalResult importConstant(NodeContext &ctx) {
  Builder &b = ctx.builder;
  Attribute attr;
  if (ctx.hasAttr("value")) {
    FailureOr<ElementsAttr> value = ctx.readTensorAttr("value");
    if (failed(value))
      return failure();
    attr = *value;
  } else if (ctx.hasAttr("value_float")) {
    attr = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                                  ctx.getFloat("value_float", 0));
  } else if (ctx.hasAttr("value_int")) {
    attr = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()),
                                  ctx.getInt("value_int", 0));
  } else if (std::optional<SmallVector<int64_t>> ints =
                 ctx.getInts("value_ints")) {
    attr = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(ints->size())},
                              b.getI64Type()),
        ArrayRef(*ints));
  } else if (ctx.hasAttr("value_floats")) {
    SmallVector<float> floats;
    for (const onnx::AttributeProto &a : ctx.node.attribute())
      if (a.name() == "value_floats")
        floats.assign(a.floats().begin(), a.floats().end());
    attr = DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(floats.size())},
                              b.getF32Type()),
        ArrayRef(floats));
  } else {
    if (ctx.hasFailed())
      return failure();
    return ctx.emitError() << "only 'value', 'value_float(s)' and "
                              "'value_int(s)' constants are supported";
  }
  if (ctx.hasFailed())
    return failure();
  ctx.setResult(0, ctx.constant(attr));
  return success();
}

/// Trilu: keeps the lower (or upper) triangle of the last two dimensions,
/// as a select against a constant mask (folded when the input is constant).
LogicalResult importTrilu(NodeContext &ctx) {
  FailureOr<Value> input = ctx.requiredInput(0);
  if (failed(input))
    return failure();
  int64_t k = 0;
  if (ctx.input(1)) {
    FailureOr<SmallVector<int64_t>> given = ctx.requireConstantInts(1, "k");
    if (failed(given))
      return failure();
    if (given->size() != 1)
      return ctx.emitError() << "k must be a scalar";
    k = given->front();
  }
  bool upper = ctx.getInt("upper", 1) != 0;
  RankedTensorType type = NodeContext::typeOf(*input);
  if (type.getRank() < 2)
    return ctx.emitError() << "input must have rank >= 2";
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  if (rows * cols > (int64_t(1) << 26))
    return ctx.emitError() << "a " << rows << "x" << cols
                           << " triangle is too large";
  SmallVector<bool> keep;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      keep.push_back(upper ? j - i >= k : j - i <= k);
  Value mask = ctx.constant(DenseElementsAttr::get(
      RankedTensorType::get({rows, cols}, ctx.builder.getI1Type()), keep));
  Value zero = ctx.constant(DenseElementsAttr::get(
      RankedTensorType::get({}, type.getElementType()),
      ctx.builder.getZeroAttr(type.getElementType())));
  FailureOr<Value> result =
      ctx.createValue<xf::SelectOp>({mask, *input, zero});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

} // namespace

void registerShapeImporters(llvm::StringMap<OpImporter> &table) {
  table["Reshape"] = importReshape;
  table["Transpose"] = importTranspose;
  table["Unsqueeze"] = importUnsqueeze;
  table["Squeeze"] = importSqueeze;
  table["Flatten"] = importFlatten;
  table["Concat"] = importConcat;
  table["Slice"] = importSlice;
  table["Split"] = importSplit;
  table["Gather"] = importGather;
  table["Shape"] = importShape;
  table["ConstantOfShape"] = importConstantOfShape;
  table["Expand"] = importExpand;
  table["Range"] = importRange;
  table["Constant"] = importConstant;
  table["Trilu"] = importTrilu;
}

} // namespace xfc::onnx_import
