//===- RuntimeCalls.cpp - Passing buffers to the runtime ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "RuntimeCalls.h"

#include "xfc/Backends/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

FailureOr<SmallVector<int64_t>> xfc::cpu::getStaticStrides(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || !type.hasStaticShape())
    return failure();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return failure();
  return strides;
}

Value xfc::cpu::getElementAddress(OpBuilder &b, Location loc, Value memref) {
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  auto type = cast<MemRefType>(memref.getType());
  // i1 elements take a byte each in memory, as LLVM stores them.
  Value elementBytes = arith::ConstantIndexOp::create(
      b, loc, (type.getElementTypeBitWidth() + 7) / 8);
  Value offsetBytes =
      arith::MulIOp::create(b, loc, metadata.getOffset(), elementBytes);
  return arith::AddIOp::create(b, loc, base, offsetBytes);
}

std::optional<int64_t> xfc::cpu::getWeightOffset(Value value,
                                                 Value weightsRegion) {
  while (Operation *def = value.getDefiningOp()) {
    if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(def)) {
      value = def->getOperand(0);
      continue;
    }
    auto view = dyn_cast<memref::ViewOp>(def);
    if (!view || view.getSource() != weightsRegion)
      return std::nullopt;
    APInt offset;
    if (!matchPattern(view.getByteShift(), m_ConstantInt(&offset)))
      return std::nullopt;
    return offset.getSExtValue();
  }
  return std::nullopt;
}

std::optional<NamedAttribute>
xfc::cpu::getKernelAttr(func::CallOp call, SymbolTable &symbols) {
  auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
  if (!callee)
    return std::nullopt;
  for (StringRef name : {kAttentionKernelAttrName, kQuantMatmulKernelAttrName})
    if (auto attrs = callee->getAttrOfType<DictionaryAttr>(name))
      return NamedAttribute(StringAttr::get(call.getContext(), name), attrs);
  return std::nullopt;
}

SmallVector<func::CallOp> xfc::cpu::getKernelCalls(ModuleOp module,
                                                   SymbolTable &symbols,
                                                   StringRef attrName,
                                                   unsigned numResults) {
  SmallVector<func::CallOp> calls;
  module.walk([&](func::CallOp call) {
    if (call.getNumResults() != numResults)
      return;
    std::optional<NamedAttribute> attr = getKernelAttr(call, symbols);
    if (attr && (attrName.empty() || attr->getName() == attrName))
      calls.push_back(call);
  });
  return calls;
}

func::FuncOp xfc::cpu::declareKernel(ModuleOp module, SymbolTable &symbols,
                                     StringRef name, FunctionType type,
                                     NamedAttribute kernelAttr,
                                     unsigned writable) {
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto decl = func::FuncOp::create(b, module.getLoc(), name, type);
  decl.setPrivate();
  decl->setAttr(kernelAttr.getName(), kernelAttr.getValue());
  for (unsigned i = 0, e = type.getNumInputs(); i + writable < e; ++i)
    decl.setArgAttr(i, bufferization::BufferizationDialect::kBufferAccessAttrName,
                    b.getStringAttr("read"));
  symbols.insert(decl);
  return decl;
}

FailureOr<func::FuncOp> xfc::cpu::getBoundEntryFunction(ModuleOp module) {
  FailureOr<func::FuncOp> entry = getEntryFunction(module);
  if (failed(entry))
    return failure();
  if (entry->getNumArguments() < 2 ||
      !isa<LLVM::LLVMPointerType>(entry->getArgument(0).getType()))
    return module.emitError("no entry function with the runtime context "
                            "argument: run --xfc-cpu-bind-weights first");
  return entry;
}

void xfc::cpu::createRuntimeCall(OpBuilder &b, Location loc,
                                 func::FuncOp entry, StringRef callee,
                                 int64_t id, ArrayRef<Value> buffers) {
  Value none = arith::ConstantIndexOp::create(b, loc, 0);
  SmallVector<Value> args = {
      entry.getArgument(0),
      arith::ConstantIntOp::create(b, loc, b.getI64Type(), id)};
  for (Value buffer : buffers)
    args.push_back(buffer ? getElementAddress(b, loc, buffer) : none);
  func::CallOp::create(b, loc, callee, TypeRange(), args);

  auto module = entry->getParentOfType<ModuleOp>();
  if (SymbolTable::lookupSymbolIn(module, callee))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(module.getBody());
  SmallVector<Type> types = {LLVM::LLVMPointerType::get(b.getContext()),
                             b.getI64Type()};
  types.append(buffers.size(), b.getIndexType());
  func::FuncOp::create(b, module.getLoc(), callee,
                       b.getFunctionType(types, {}))
      .setPrivate();
}

void xfc::cpu::eraseUnusedDeclarations(ModuleOp module, SymbolTable &symbols,
                                       ArrayRef<StringAttr> names) {
  for (StringAttr name : names)
    if (Operation *decl = symbols.lookup(name);
        decl && SymbolTable::symbolKnownUseEmpty(decl, module))
      symbols.erase(decl);
}
