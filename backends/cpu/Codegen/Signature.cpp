//===- Signature.cpp - The model's inputs and outputs for the artifact ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Codegen.h"
#include "xfc/Backends/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;

namespace xfc::cpu {

/// The runtime's spelling of an element type (xfc_dtype_name), or "".
static std::string getDtypeName(Type type) {
  if (type.isF32())
    return "f32";
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  if (type.isF64())
    return "f64";
  if (type.isInteger(1))
    return "bool";
  if (auto integer = dyn_cast<IntegerType>(type)) {
    if (integer.isUnsigned())
      return integer.getWidth() == 8 ? "u8" : "";
    switch (integer.getWidth()) {
    case 8:
      return "i8";
    case 16:
      return "i16";
    case 32:
      return "i32";
    case 64:
      return "i64";
    }
  }
  return "";
}

/// One entry of the signature, or an error naming it.
static FailureOr<TensorSignature> getTensorSignature(func::FuncOp func,
                                                     Type type,
                                                     DictionaryAttr attrs,
                                                     StringRef kind,
                                                     unsigned index) {
  TensorSignature signature;
  auto name = attrs ? attrs.getAs<StringAttr>("xf.name") : StringAttr();
  signature.name = name ? name.str() : (kind + std::to_string(index)).str();
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return func.emitError() << kind << " '" << signature.name << "' has type "
                            << type
                            << "; the CPU backend compiles static shapes: "
                               "fix it with --input-shape NAME=DIMS";
  signature.dtype = getDtypeName(tensor.getElementType());
  if (signature.dtype.empty())
    return func.emitError() << kind << " '" << signature.name
                            << "' has element type " << tensor.getElementType()
                            << ", which artifacts cannot carry yet";
  signature.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return signature;
}

FailureOr<func::FuncOp> getEntryFunction(ModuleOp module) {
  func::FuncOp entry;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    if (entry)
      return module.emitError("the CPU backend compiles one entry function, "
                              "found '")
             << entry.getSymName() << "' and '" << func.getSymName()
             << "': make all but one private";
    entry = func;
  }
  if (!entry)
    return module.emitError(
        "no public function to compile as the model's entry");
  return entry;
}

FailureOr<std::pair<std::vector<TensorSignature>, std::vector<TensorSignature>>>
getEntrySignature(ModuleOp module) {
  FailureOr<func::FuncOp> entryOr = getEntryFunction(module);
  if (failed(entryOr))
    return failure();
  func::FuncOp entry = *entryOr;
  std::vector<TensorSignature> inputs, outputs;
  FunctionType type = entry.getFunctionType();
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    FailureOr<TensorSignature> input = getTensorSignature(
        entry, type.getInput(i), entry.getArgAttrDict(i), "input", i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    FailureOr<TensorSignature> output = getTensorSignature(
        entry, type.getResult(i), entry.getResultAttrDict(i), "output", i);
    if (failed(output))
      return failure();
    outputs.push_back(*output);
  }
  return std::make_pair(std::move(inputs), std::move(outputs));
}

} // namespace xfc::cpu
