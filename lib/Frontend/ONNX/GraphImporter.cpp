//===- GraphImporter.cpp - ONNX graph to an xf function -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Builds `func.func @main` from the model's graph: checks opsets, reads
// initializers, resolves input shapes (with --input-shape), orders the nodes
// topologically (rejecting cycles, undefined inputs and values produced
// twice) and hands each node to its op importer.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "xfc/Dialect/XF/XFTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <deque>

using namespace mlir;

namespace xfc {

std::string parseInputShapeOption(StringRef text, ONNXImportOptions &options) {
  auto [name, dims] = text.rsplit('=');
  if (name.empty() || name.size() == text.size())
    return ("--input-shape '" + text +
            "' must look like NAME=DIMS, for example input_ids=1x128")
        .str();
  SmallVector<int64_t> shape;
  if (!dims.empty()) {
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      int64_t size;
      if (part.getAsInteger(10, size) || size < 0)
        return ("--input-shape '" + text + "': '" + part +
                "' is not a non-negative dimension size")
            .str();
      shape.push_back(size);
    }
  }
  if (!options.inputShapes.try_emplace(name, shape).second)
    return ("--input-shape gives input '" + name + "' twice").str();
  return "";
}

namespace onnx_import {
namespace {

/// "node 'name'" or, for an unnamed node, "node #index" (its position in
/// the graph).
std::string describeNode(const onnx::NodeProto &node, size_t index) {
  if (!node.name().empty())
    return "node '" + node.name() + "'";
  return "node #" + std::to_string(index);
}

class GraphImporter {
public:
  GraphImporter(MLIRContext &context, StringRef path,
                const ONNXImportOptions &options)
      : context(context), path(path.str()), options(options),
        fileLoc(FileLineColLoc::get(&context, path, 0, 0)),
        reader(context, llvm::sys::path::parent_path(path),
               options.resourceThresholdBytes) {
    registerElementwiseImporters(importers);
    registerShapeImporters(importers);
    registerNNImporters(importers);
    registerQuantImporters(importers, microsoftImporters);
  }

  OwningOpRef<ModuleOp> run();

private:
  LogicalResult checkOpsets();
  LogicalResult importInitializers(OpBuilder &builder);
  FailureOr<RankedTensorType> getInputType(const onnx::ValueInfoProto &input);
  FailureOr<SmallVector<size_t>> orderNodes();
  LogicalResult importNode(OpBuilder &builder, size_t index);

  MLIRContext &context;
  std::string path;
  const ONNXImportOptions &options;
  Location fileLoc;
  TensorReader reader;
  std::unique_ptr<onnx::ModelProto> model;
  int64_t defaultOpset = 0;
  int64_t microsoftOpset = 0;
  llvm::StringMap<OpImporter> importers;
  llvm::StringMap<OpImporter> microsoftImporters;
  /// Every value defined so far, by ONNX name.
  llvm::StringMap<Value> values;
};

LogicalResult GraphImporter::checkOpsets() {
  bool hasDefault = false;
  for (const onnx::OperatorSetIdProto &opset : model->opset_import()) {
    if (opset.domain().empty() || opset.domain() == "ai.onnx") {
      hasDefault = true;
      defaultOpset = opset.version();
    } else if (opset.domain() == "com.microsoft") {
      microsoftOpset = opset.version();
    }
  }
  if (!hasDefault)
    return emitError(fileLoc)
           << "model imports no opset of the default ONNX domain; re-export "
              "it with an opset from "
           << kMinOpset << " to " << kMaxOpset;
  if (defaultOpset < kMinOpset || defaultOpset > kMaxOpset)
    return emitError(fileLoc)
           << "default ONNX domain opset " << defaultOpset
           << " is not supported (supported: " << kMinOpset << " to "
           << kMaxOpset
           << "); convert the model with onnx.version_converter or re-export "
              "it";
  return success();
}

LogicalResult GraphImporter::importInitializers(OpBuilder &builder) {
  onnx::GraphProto &graph = *model->mutable_graph();
  for (onnx::TensorProto &tensor : *graph.mutable_initializer()) {
    std::string name = tensor.name();
    if (name.empty())
      return emitError(fileLoc) << "an initializer has no name";
    if (values.count(name))
      return emitError(fileLoc) << "initializer '" << name
                                << "' is defined twice";
    Location loc = NameLoc::get(builder.getStringAttr(name), fileLoc);
    FailureOr<ElementsAttr> value =
        reader.read(tensor, "initializer '" + name + "'", loc);
    if (failed(value))
      return failure();
    values[name] = arith::ConstantOp::create(builder, loc, *value);
  }
  return success();
}

FailureOr<RankedTensorType>
GraphImporter::getInputType(const onnx::ValueInfoProto &input) {
  const std::string &name = input.name();
  if (!input.type().has_tensor_type())
    return emitError(fileLoc) << "graph input '" << name
                              << "' is not a tensor; xfc imports tensor "
                                 "inputs only";
  const onnx::TypeProto::Tensor &tensorType = input.type().tensor_type();
  Type elementType =
      TensorReader::getElementType(context, tensorType.elem_type());
  if (!elementType)
    return emitError(fileLoc)
           << "graph input '" << name << "' has unsupported element type "
           << tensorType.elem_type() << " ("
           << dataTypeName(tensorType.elem_type()) << ")";

  auto given = options.inputShapes.find(name);
  if (!tensorType.has_shape()) {
    if (given == options.inputShapes.end())
      return emitError(fileLoc)
             << "input '" << name
             << "' has no shape; give it with --input-shape " << name
             << "=<dims>";
    return RankedTensorType::get(given->second, elementType);
  }
  SmallVector<int64_t> shape;
  const onnx::TensorShapeProto &proto = tensorType.shape();
  if (given != options.inputShapes.end() &&
      static_cast<int>(given->second.size()) != proto.dim_size())
    return emitError(fileLoc)
           << "--input-shape gives input '" << name << "' rank "
           << given->second.size() << " but the model declares rank "
           << proto.dim_size();
  for (int i = 0; i < proto.dim_size(); ++i) {
    const onnx::TensorShapeProto::Dimension &dim = proto.dim(i);
    if (given != options.inputShapes.end()) {
      int64_t size = given->second[i];
      if (dim.has_dim_value() && dim.dim_value() != size)
        return emitError(fileLoc)
               << "--input-shape gives input '" << name << "' size " << size
               << " in dimension " << i << " but the model fixes it to "
               << dim.dim_value();
      shape.push_back(size);
      continue;
    }
    if (dim.has_dim_value() && dim.dim_value() >= 0) {
      shape.push_back(dim.dim_value());
      continue;
    }
    std::string symbol = dim.has_dim_param() ? dim.dim_param() : "?";
    return emitError(fileLoc)
           << "input '" << name << "' has symbolic dimension '" << symbol
           << "' (dimension " << i << "); give its size with --input-shape "
           << name << "=<dims>";
  }
  return RankedTensorType::get(shape, elementType);
}

FailureOr<SmallVector<size_t>> GraphImporter::orderNodes() {
  const onnx::GraphProto &graph = model->graph();
  // Who produces each value: graph inputs and initializers first.
  llvm::StringMap<std::string> producers;
  for (const auto &entry : values)
    producers[entry.getKey()] = "initializer or graph input";
  llvm::StringMap<size_t> producerNode;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    for (const std::string &output : node.output()) {
      if (output.empty())
        continue;
      auto [it, inserted] =
          producers.try_emplace(output, describeNode(node, index));
      if (!inserted)
        return emitError(fileLoc)
               << "value '" << output << "' is produced by both "
               << it->second << " and " << describeNode(node, index)
               << "; ONNX values must have exactly one producer";
      producerNode[output] = index;
    }
  }
  // Kahn's algorithm over node indices; ties keep file order.
  size_t numNodes = graph.node_size();
  SmallVector<unsigned> pending(numNodes, 0);
  SmallVector<SmallVector<size_t>> users(numNodes);
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    for (const std::string &input : node.input()) {
      if (input.empty())
        continue;
      if (!producers.count(input))
        return emitError(fileLoc)
               << "input '" << input << "' of " << describeNode(node, index)
               << " (" << node.op_type()
               << ") is not produced by any node, initializer or graph input";
      auto producer = producerNode.find(input);
      if (producer == producerNode.end())
        continue;
      ++pending[index];
      users[producer->second].push_back(index);
    }
  }
  std::deque<size_t> ready;
  for (size_t index = 0; index < numNodes; ++index)
    if (pending[index] == 0)
      ready.push_back(index);
  SmallVector<size_t> order;
  while (!ready.empty()) {
    size_t index = ready.front();
    ready.pop_front();
    order.push_back(index);
    for (size_t user : users[index])
      if (--pending[user] == 0)
        ready.push_back(user);
  }
  if (order.size() != numNodes) {
    for (size_t index = 0; index < numNodes; ++index)
      if (pending[index] != 0)
        return emitError(fileLoc)
               << "graph has a cycle through "
               << describeNode(graph.node(index), index);
  }
  return order;
}

LogicalResult GraphImporter::importNode(OpBuilder &builder, size_t index) {
  const onnx::NodeProto &node = model->graph().node(index);
  std::string label = describeNode(node, index);
  std::string locName =
      node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                          : node.name();
  Location loc = NameLoc::get(builder.getStringAttr(locName), fileLoc);

  const llvm::StringMap<OpImporter> *table = nullptr;
  int64_t opset = 0;
  if (node.domain().empty() || node.domain() == "ai.onnx") {
    table = &importers;
    opset = defaultOpset;
  } else if (node.domain() == "com.microsoft") {
    table = &microsoftImporters;
    opset = microsoftOpset ? microsoftOpset : 1;
  } else {
    return emitError(fileLoc) << label << ": operator domain '"
                              << node.domain() << "' is not supported";
  }
  auto importer = table->find(node.op_type());
  if (importer == table->end())
    return emitError(fileLoc)
           << label << ": operator '" << node.op_type()
           << "' is not supported" << (node.domain().empty() ? "" : " in ")
           << node.domain()
           << "; the list of supported operators is in docs/frontend.md";

  SmallVector<Value> inputs;
  for (const std::string &input : node.input())
    inputs.push_back(input.empty() ? Value() : values.lookup(input));
  SmallVector<Value> results(node.output_size());
  NodeContext ctx(node, builder, loc, label, opset, reader, inputs, results);
  if (failed(importer->second(ctx)) || ctx.hasFailed())
    return failure();
  for (auto [output, result] : llvm::zip(node.output(), results)) {
    if (output.empty())
      continue;
    if (!result)
      return emitError(fileLoc)
             << label << " (" << node.op_type() << "): output '" << output
             << "' is not supported by xfc's import of this operator";
    values[output] = result;
  }
  return success();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  model = parseModelFile(path, fileLoc);
  if (!model || failed(checkOpsets()))
    return nullptr;
  const onnx::GraphProto &graph = model->graph();
  if (graph.output_size() == 0)
    return emitError(fileLoc) << "graph has no outputs; nothing to compute",
           nullptr;

  OpBuilder builder(&context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());

  // Graph inputs that are not initializers are the function's arguments.
  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &tensor : graph.initializer())
    initializerNames.insert(tensor.name());
  llvm::StringSet<> inputNames;
  SmallVector<std::string> argumentNames;
  SmallVector<Type> argumentTypes;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (!inputNames.insert(input.name()).second)
      return emitError(fileLoc) << "graph input '" << input.name()
                                << "' is declared twice",
             nullptr;
    if (initializerNames.contains(input.name()))
      continue;
    FailureOr<RankedTensorType> type = getInputType(input);
    if (failed(type))
      return nullptr;
    argumentNames.push_back(input.name());
    argumentTypes.push_back(*type);
  }
  for (const auto &given : options.inputShapes)
    if (!inputNames.contains(given.getKey()) ||
        initializerNames.contains(given.getKey()))
      return emitError(fileLoc)
                 << "--input-shape names '" << given.getKey()
                 << "', which is not an input of the model",
             nullptr;

  auto function = func::FuncOp::create(builder, 
      fileLoc, "main", builder.getFunctionType(argumentTypes, {}));
  Block *entry = function.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  for (auto [name, argument] : llvm::zip(argumentNames, entry->getArguments()))
    values[name] = argument;
  if (failed(importInitializers(builder)))
    return nullptr;

  // An input that is also an initializer (IR < 4 style) is the constant;
  // its declared shape must agree.
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (!initializerNames.contains(input.name()) ||
        !input.type().tensor_type().has_shape())
      continue;
    auto constantType = cast<RankedTensorType>(values[input.name()].getType());
    const onnx::TensorShapeProto &shape = input.type().tensor_type().shape();
    bool matches = shape.dim_size() == constantType.getRank();
    SmallVector<int64_t> declared;
    for (int i = 0; i < shape.dim_size(); ++i) {
      int64_t size = shape.dim(i).has_dim_value() ? shape.dim(i).dim_value()
                                                  : ShapedType::kDynamic;
      declared.push_back(size);
      if (matches && !ShapedType::isDynamic(size) &&
          size != constantType.getDimSize(i))
        matches = false;
    }
    if (!matches)
      return emitError(fileLoc)
                 << "graph input '" << input.name() << "' has shape "
                 << xf::formatShape(declared)
                 << " but its initializer has shape "
                 << xf::formatShape(constantType.getShape()),
             nullptr;
  }

  FailureOr<SmallVector<size_t>> order = orderNodes();
  if (failed(order))
    return nullptr;
  for (size_t index : *order)
    if (failed(importNode(builder, index)))
      return nullptr;

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  SmallVector<Attribute> resultNames;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Value value = values.lookup(output.name());
    if (!value)
      return emitError(fileLoc) << "graph output '" << output.name()
                                << "' is not produced by any node, "
                                   "initializer or graph input",
             nullptr;
    results.push_back(value);
    resultTypes.push_back(value.getType());
    resultNames.push_back(builder.getStringAttr(output.name()));
  }
  func::ReturnOp::create(builder, fileLoc, results);
  function.setFunctionType(builder.getFunctionType(argumentTypes, resultTypes));

  // Keep the ONNX names: the runtime and xfc-run address tensors by them.
  for (auto [index, name] : llvm::enumerate(argumentNames))
    function.setArgAttr(index, "xf.name", builder.getStringAttr(name));
  for (auto [index, name] : llvm::enumerate(resultNames))
    function.setResultAttr(index, "xf.name", name);
  if (!model->graph().name().empty())
    (*module)->setAttr("xf.model_name",
                       builder.getStringAttr(model->graph().name()));

  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace
} // namespace onnx_import

std::vector<std::string> getSupportedONNXOperators() {
  llvm::StringMap<onnx_import::OpImporter> defaultDomain, microsoft;
  onnx_import::registerElementwiseImporters(defaultDomain);
  onnx_import::registerShapeImporters(defaultDomain);
  onnx_import::registerNNImporters(defaultDomain);
  onnx_import::registerQuantImporters(defaultDomain, microsoft);
  std::vector<std::string> names;
  for (const auto &entry : defaultDomain)
    names.push_back(":" + entry.getKey().str());
  for (const auto &entry : microsoft)
    names.push_back("com.microsoft:" + entry.getKey().str());
  llvm::sort(names);
  return names;
}

OwningOpRef<ModuleOp> importONNXModel(MLIRContext &context, StringRef path,
                                      const ONNXImportOptions &options) {
  context.loadDialect<xf::XFDialect, func::FuncDialect, arith::ArithDialect,
                      quant::QuantDialect>();
  return onnx_import::GraphImporter(context, path, options).run();
}

} // namespace xfc
