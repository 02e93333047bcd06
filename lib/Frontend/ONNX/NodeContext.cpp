//===- NodeContext.cpp - What an op importer sees of a node ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace xfc::onnx_import {

NodeContext::NodeContext(const onnx::NodeProto &node, OpBuilder &builder,
                         Location loc, StringRef label, int64_t opset,
                         TensorReader &tensors, SmallVectorImpl<Value> &inputs,
                         SmallVectorImpl<Value> &results)
    : node(node), builder(builder), loc(loc), label(label.str()),
      opset(opset), tensors(tensors), inputs(inputs), results(results) {}

FailureOr<ElementsAttr> NodeContext::readTensorAttr(StringRef name) {
  const onnx::TensorProto *tensor = getTensor(name);
  if (!tensor)
    return failure();
  onnx::TensorProto copy = *tensor;
  return tensors.read(copy, "attribute '" + name.str() + "'", loc);
}

InFlightDiagnostic NodeContext::emitError() {
  hadError = true;
  InFlightDiagnostic diag = mlir::emitError(loc);
  diag << label << " (" << node.op_type() << "): ";
  return diag;
}

FailureOr<Value> NodeContext::requiredInput(unsigned i) {
  if (Value value = input(i))
    return value;
  return emitError() << "input " << i << " is required but missing";
}

RankedTensorType NodeContext::typeOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *
NodeContext::findAttr(StringRef name, onnx::AttributeProto::AttributeType type,
                      StringRef typeName) {
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (attr.name() != name)
      continue;
    if (attr.type() != type) {
      emitError() << "attribute '" << name << "' must be " << typeName
                  << ", got "
                  << onnx::AttributeProto::AttributeType_Name(attr.type());
      return nullptr;
    }
    return &attr;
  }
  return nullptr;
}

bool NodeContext::hasAttr(StringRef name) const {
  return llvm::any_of(node.attribute(), [&](const onnx::AttributeProto &attr) {
    return attr.name() == name;
  });
}

int64_t NodeContext::getInt(StringRef name, int64_t defaultValue) {
  if (auto *attr = findAttr(name, onnx::AttributeProto::INT, "INT"))
    return attr->i();
  return defaultValue;
}

float NodeContext::getFloat(StringRef name, float defaultValue) {
  if (auto *attr = findAttr(name, onnx::AttributeProto::FLOAT, "FLOAT"))
    return attr->f();
  return defaultValue;
}

std::string NodeContext::getString(StringRef name, StringRef defaultValue) {
  if (auto *attr = findAttr(name, onnx::AttributeProto::STRING, "STRING"))
    return attr->s();
  return defaultValue.str();
}

std::optional<SmallVector<int64_t>> NodeContext::getInts(StringRef name) {
  if (auto *attr = findAttr(name, onnx::AttributeProto::INTS, "INTS"))
    return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
  return std::nullopt;
}

const onnx::TensorProto *NodeContext::getTensor(StringRef name) {
  if (auto *attr = findAttr(name, onnx::AttributeProto::TENSOR, "TENSOR"))
    return &attr->t();
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

DenseElementsAttr NodeContext::getConstant(Value value) {
  DenseElementsAttr attr;
  if (value && matchPattern(value, m_Constant(&attr)))
    return attr;
  // Large initializers arrive as dense_resource blobs: quantization scales
  // and zero points (one per channel) and packed weights are read through
  // a dense view of the same bytes.
  DenseResourceElementsAttr resource;
  if (!value || !matchPattern(value, m_Constant(&resource)))
    return {};
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  ShapedType type = resource.getType();
  Type element = type.getElementType();
  if (!blob || !element.isIntOrFloat() ||
      element.getIntOrFloatBitWidth() % 8 != 0 ||
      static_cast<int64_t>(blob->getData().size()) !=
          type.getNumElements() * (element.getIntOrFloatBitWidth() / 8))
    return {};
  return DenseElementsAttr::getFromRawBuffer(type, blob->getData());
}

std::optional<SmallVector<int64_t>> NodeContext::getConstantInts(Value value) {
  DenseElementsAttr attr = getConstant(value);
  if (!attr || !isa<IntegerType>(attr.getElementType()))
    return std::nullopt;
  SmallVector<int64_t> result;
  for (const APInt &element : attr.getValues<APInt>())
    result.push_back(element.getSExtValue());
  return result;
}

FailureOr<SmallVector<int64_t>>
NodeContext::requireConstantInts(unsigned i, StringRef what) {
  Value value = input(i);
  if (!value)
    return emitError() << what << " (input " << i << ") is missing";
  if (std::optional<SmallVector<int64_t>> ints = getConstantInts(value))
    return *ints;
  if (isa<BlockArgument>(value))
    return emitError() << what << " (input " << i
                       << ") is a graph input; xfc compiles static shapes "
                          "and needs it as a constant (an initializer)";
  return emitError() << what << " (input " << i
                     << ") must be a constant integer tensor, but it is "
                        "computed from run-time values; xfc compiles static "
                        "shapes";
}

Value NodeContext::constant(Attribute value) {
  return arith::ConstantOp::create(builder, loc, cast<TypedAttr>(value));
}

Value NodeContext::scalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  if (isa<FloatType>(elementType))
    return constant(DenseElementsAttr::get(
        type, builder.getFloatAttr(elementType, value)));
  return constant(DenseElementsAttr::get(
      type, builder.getIntegerAttr(elementType, static_cast<int64_t>(value))));
}

Value NodeContext::foldValue(Operation *op) {
  SmallVector<OpFoldResult> folded;
  if (op->getNumResults() != 1 || failed(op->fold(folded)) ||
      folded.size() != 1)
    return op->getResult(0);
  if (auto attr = dyn_cast<Attribute>(folded.front())) {
    auto typed = dyn_cast<TypedAttr>(attr);
    if (!typed || typed.getType() != op->getResult(0).getType())
      return op->getResult(0);
    Value value = constant(typed);
    op->erase();
    return value;
  }
  Value value = cast<Value>(folded.front());
  if (value != op->getResult(0))
    op->erase();
  return value;
}

void NodeContext::setResult(unsigned i, Value value) {
  if (i < results.size())
    results[i] = value;
}

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

FailureOr<int64_t> normalizeAxisOrError(NodeContext &ctx, int64_t axis,
                                        int64_t rank, StringRef what) {
  if (std::optional<int64_t> normalized = xf::normalizeAxis(axis, rank))
    return *normalized;
  return ctx.emitError() << what << " " << axis << " is out of range for rank "
                         << rank;
}

FailureOr<Value> transposeTo(NodeContext &ctx, Value value,
                             ArrayRef<int64_t> permutation) {
  return ctx.createValue<xf::TransposeOp>(
      {value}, {ctx.builder.getNamedAttr(
                   "permutation",
                   ctx.builder.getDenseI64ArrayAttr(permutation))});
}

FailureOr<Value> reshapeTo(NodeContext &ctx, Value value,
                           ArrayRef<int64_t> shape) {
  RankedTensorType type = NodeContext::typeOf(value);
  if (type.getShape() == shape)
    return value;
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  std::optional<int64_t> from = xf::getElementCount(type.getShape());
  std::optional<int64_t> to = xf::getElementCount(shape);
  if (!from || !to || *from != *to)
    return ctx.emitError() << "cannot reshape " << xf::formatShape(type.getShape())
                           << " to " << xf::formatShape(shape)
                           << ": element counts differ";
  auto op = xf::ReshapeOp::create(ctx.builder, ctx.loc, resultType, value);
  return ctx.foldValue(op);
}

} // namespace xfc::onnx_import
