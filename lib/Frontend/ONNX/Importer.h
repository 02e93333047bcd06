//===- Importer.h - Internals of the ONNX frontend --------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Shared by the pieces of the ONNX frontend: the model loader (parsing and
// validating the protobuf, reading tensors), the graph importer (values,
// topological order, inputs and outputs) and the op importers (one function
// per ONNX operator, grouped by family in Ops*.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef XFC_LIB_FRONTEND_ONNX_IMPORTER_H
#define XFC_LIB_FRONTEND_ONNX_IMPORTER_H

#include "xfc/Dialect/XF/XFOps.h"
#include "xfc/Frontend/ONNX.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

#include <memory>
#include <optional>

namespace xfc::onnx_import {

/// The opsets of the default domain xfc imports. Opset 24 changed none of
/// the supported operators except for types xfc rejects anyway and
/// Attention's new nonpad_kv_seqlen input, which its importer refuses.
constexpr int64_t kMinOpset = 13;
constexpr int64_t kMaxOpset = 24;

/// Names an ONNX TensorProto data type ("FLOAT", "INT64", ...).
llvm::StringRef dataTypeName(int32_t dataType);

//===----------------------------------------------------------------------===//
// Model loading
//===----------------------------------------------------------------------===//

/// Parses the file at `path` (binary ModelProto; ONNX text syntax when the
/// name ends in .onnxtxt). Emits an error at `loc` and returns null on
/// failure.
std::unique_ptr<onnx::ModelProto> parseModelFile(llvm::StringRef path,
                                                 mlir::Location loc);

/// Reads TensorProtos (initializers, Constant values) into attributes,
/// validating everything an attacker controls: data type, dimensions, sizes,
/// external data paths. Large tensors become dense_resource blobs that own
/// the protobuf's bytes or an mmapped window of the external file.
class TensorReader {
public:
  TensorReader(mlir::MLIRContext &context, llvm::StringRef modelDir,
               int64_t resourceThresholdBytes);
  ~TensorReader();

  /// Converts `tensor` (which may be modified: its raw bytes are moved into
  /// the blob). `what` names it in errors, e.g. "initializer 'W'".
  mlir::FailureOr<mlir::ElementsAttr> read(onnx::TensorProto &tensor,
                                           llvm::StringRef what,
                                           mlir::Location loc);

  /// Maps an ONNX data type to an MLIR element type; null if unsupported.
  static mlir::Type getElementType(mlir::MLIRContext &context,
                                   int32_t dataType);

private:
  struct MappedFile;
  mlir::FailureOr<llvm::ArrayRef<char>>
  readExternal(const onnx::TensorProto &tensor, int64_t byteSize,
               llvm::StringRef what, mlir::Location loc,
               std::shared_ptr<MappedFile> &owner);

  mlir::MLIRContext &context;
  std::string modelDir;
  int64_t resourceThresholdBytes;
  llvm::StringMap<std::shared_ptr<MappedFile>> mappedFiles;
};

//===----------------------------------------------------------------------===//
// Op importers
//===----------------------------------------------------------------------===//

/// What an op importer sees of one node: its inputs as values, typed
/// attribute access, constants, and where to put results. Attribute type
/// errors are recorded and reported once; the importer's result is then
/// discarded.
class NodeContext {
public:
  NodeContext(const onnx::NodeProto &node, mlir::OpBuilder &builder,
              mlir::Location loc, llvm::StringRef label, int64_t opset,
              TensorReader &tensors,
              llvm::SmallVectorImpl<mlir::Value> &inputs,
              llvm::SmallVectorImpl<mlir::Value> &results);

  const onnx::NodeProto &node;
  mlir::OpBuilder &builder;
  mlir::Location loc;
  /// How errors name the node: "node 'name'", or "node #index" unnamed.
  std::string label;
  /// The opset version of the node's domain.
  int64_t opset;
  /// Reads tensor attributes (Constant, ConstantOfShape) like initializers.
  TensorReader &tensors;

  /// Reads the TENSOR attribute `name` (a copy: the node stays intact).
  mlir::FailureOr<mlir::ElementsAttr> readTensorAttr(llvm::StringRef name);

  mlir::MLIRContext *getContext() { return builder.getContext(); }

  /// Number of inputs, counting empty (omitted optional) ones.
  unsigned getNumInputs() const { return inputs.size(); }
  /// The i-th input, or null when absent or empty.
  mlir::Value input(unsigned i) const {
    return i < inputs.size() ? inputs[i] : mlir::Value();
  }
  /// The i-th input, with an error when it is missing.
  mlir::FailureOr<mlir::Value> requiredInput(unsigned i);
  /// The ranked tensor type of a value (every imported value has one).
  static mlir::RankedTensorType typeOf(mlir::Value value);

  // Attributes: the default is returned when absent; a present attribute of
  // the wrong type records an error.
  bool hasAttr(llvm::StringRef name) const;
  int64_t getInt(llvm::StringRef name, int64_t defaultValue);
  float getFloat(llvm::StringRef name, float defaultValue);
  std::string getString(llvm::StringRef name, llvm::StringRef defaultValue);
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name);
  const onnx::TensorProto *getTensor(llvm::StringRef name);

  /// Reports "node 'N' (Op): <message>" at the node and returns failure.
  mlir::InFlightDiagnostic emitError();
  bool hasFailed() const { return hadError; }

  /// The constant value of `value` when it is defined by a constant with
  /// inline (non-resource) data, as constant folding leaves shape values.
  static mlir::DenseElementsAttr getConstant(mlir::Value value);
  /// The constant integer elements of `value`, if known.
  static std::optional<llvm::SmallVector<int64_t>>
  getConstantInts(mlir::Value value);
  /// An input that must be a constant integer tensor (shapes, axes, sizes).
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  requireConstantInts(unsigned i, llvm::StringRef what);

  /// `name = value : i64`, for building ops.
  mlir::NamedAttribute namedInt(llvm::StringRef name, int64_t value) {
    return builder.getNamedAttr(name, builder.getI64IntegerAttr(value));
  }

  /// An arith.constant of `value`.
  mlir::Value constant(mlir::Attribute value);
  /// A scalar constant tensor<elementType> holding `value`.
  mlir::Value scalar(mlir::Type elementType, double value);

  /// Creates an op whose result types xf infers; reports a type error at the
  /// node instead of asserting.
  template <typename OpTy>
  mlir::FailureOr<OpTy> create(mlir::ValueRange operands,
                               llvm::ArrayRef<mlir::NamedAttribute> attrs = {},
                               unsigned numResults = 1) {
    auto placeholder = mlir::RankedTensorType::get({}, builder.getF32Type());
    llvm::SmallVector<mlir::Type> placeholders(numResults, placeholder);
    auto op = OpTy::create(builder, loc, placeholders, operands, attrs);
    llvm::SmallVector<mlir::Type> types;
    if (mlir::failed(OpTy::inferReturnTypes(
            getContext(), loc, op->getOperands(),
            op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
            op->getRegions(), types))) {
      op->erase();
      return mlir::failure();
    }
    for (auto [result, type] : llvm::zip(op->getResults(), types))
      result.setType(type);
    return op;
  }

  /// As create, folding the op when its operands are constants.
  template <typename OpTy>
  mlir::FailureOr<mlir::Value>
  createValue(mlir::ValueRange operands,
              llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    mlir::FailureOr<OpTy> op = create<OpTy>(operands, attrs);
    if (mlir::failed(op))
      return mlir::failure();
    return foldValue(op->getOperation());
  }

  /// Folds `op` (single result) if its folder can; returns its result value.
  mlir::Value foldValue(mlir::Operation *op);

  /// Sets the i-th output.
  void setResult(unsigned i, mlir::Value value);
  unsigned getNumOutputs() const { return node.output_size(); }

private:
  const onnx::AttributeProto *findAttr(llvm::StringRef name,
                                       onnx::AttributeProto::AttributeType type,
                                       llvm::StringRef typeName);

  llvm::SmallVectorImpl<mlir::Value> &inputs;
  llvm::SmallVectorImpl<mlir::Value> &results;
  bool hadError = false;
};

/// Imports one node; on failure, an error has been emitted.
using OpImporter = mlir::LogicalResult (*)(NodeContext &);

/// Registers the importers of one family into `table` (by op type).
void registerElementwiseImporters(llvm::StringMap<OpImporter> &table);
void registerShapeImporters(llvm::StringMap<OpImporter> &table);
void registerNNImporters(llvm::StringMap<OpImporter> &table);
void registerQuantImporters(llvm::StringMap<OpImporter> &table,
                            llvm::StringMap<OpImporter> &microsoftTable);

/// Shared helpers of the op importers.
/// Normalizes `axis` against `rank`, reporting an out-of-range axis.
mlir::FailureOr<int64_t> normalizeAxisOrError(NodeContext &ctx, int64_t axis,
                                              int64_t rank,
                                              llvm::StringRef what = "axis");
/// xf.transpose by `permutation` (folded when the value is constant).
mlir::FailureOr<mlir::Value> transposeTo(NodeContext &ctx, mlir::Value value,
                                         llvm::ArrayRef<int64_t> permutation);
/// xf.reshape to a static shape.
mlir::FailureOr<mlir::Value> reshapeTo(NodeContext &ctx, mlir::Value value,
                                       llvm::ArrayRef<int64_t> shape);

} // namespace xfc::onnx_import

#endif // XFC_LIB_FRONTEND_ONNX_IMPORTER_H
