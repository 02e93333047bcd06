//===- KernelOutParams.cpp - Destinations for runtime kernel calls --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The second of the three steps that take an op to a runtime kernel
// (OutlineAttention.cpp, OutlineQuantMatmuls.cpp): after bufferization,
// the kernel call writes into a buffer allocated at the call site.
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Passes.h"

#include "RuntimeCalls.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

namespace xfc::cpu {
#define GEN_PASS_DEF_CPUKERNELOUTPARAMSPASS
#include "xfc/Backends/CPU/Passes.h.inc"
} // namespace xfc::cpu

using namespace mlir;
using namespace xfc::cpu;

namespace {

/// The source of a buffer that bufferization allocated only to copy
/// `value` into it (giving it the callee's identity layout) just for
/// `call`, when nothing in between may write memory.
Value getCopiedView(Value operand, func::CallOp call) {
  auto alloc = operand.getDefiningOp<memref::AllocOp>();
  if (!alloc || alloc->getBlock() != call->getBlock())
    return {};
  memref::CopyOp copy;
  for (Operation *user : alloc->getUsers()) {
    if (user == call)
      continue;
    auto userCopy = dyn_cast<memref::CopyOp>(user);
    if (!userCopy || userCopy.getTarget() != operand || copy)
      return {};
    copy = userCopy;
  }
  if (!copy || copy->getBlock() != call->getBlock() ||
      !copy->isBeforeInBlock(call))
    return {};
  for (Operation *op = copy->getNextNode(); op != call; op = op->getNextNode()) {
    // The copies of the other operands write fresh buffers only.
    if (auto other = dyn_cast<memref::CopyOp>(op);
        other && other.getTarget().getDefiningOp<memref::AllocOp>())
      continue;
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects || effects.hasEffect<MemoryEffects::Write>())
      return {};
  }
  Value source = copy.getSource();
  FailureOr<SmallVector<int64_t>> strides = getStaticStrides(source);
  if (failed(strides) || strides->empty() || strides->back() != 1)
    return {};
  return source;
}

struct CPUKernelOutParamsPass
    : xfc::cpu::impl::CPUKernelOutParamsPassBase<CPUKernelOutParamsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    llvm::SetVector<StringAttr> oldCallees;
    for (func::CallOp call : getKernelCalls(module, symbols, "", 1)) {
      auto resultType = dyn_cast<MemRefType>(call.getResult(0).getType());
      if (!resultType) {
        call.emitError("runtime kernel call not bufferized: run "
                       "one-shot-bufferize first");
        return signalPassFailure();
      }
      OpBuilder b(call);
      SmallVector<Value> operands;
      for (Value operand : call.getOperands()) {
        Value view = getCopiedView(operand, call);
        if (!view) {
          operands.push_back(operand);
          continue;
        }
        auto copy = *llvm::find_if(operand.getUsers(), [&](Operation *user) {
          return user != call.getOperation();
        });
        operands.push_back(view);
        // The call still uses the buffer; it goes when the call does.
        copy->erase();
      }
      auto alloc = memref::AllocOp::create(b, call.getLoc(), resultType,
                                           b.getI64IntegerAttr(64));
      operands.push_back(alloc);
      auto type = b.getFunctionType(ValueRange(operands).getTypes(), {});
      func::FuncOp decl =
          declareKernel(module, symbols, call.getCallee(), type,
                        *getKernelAttr(call, symbols), /*writable=*/1);
      func::CallOp::create(b, call.getLoc(), decl, operands);
      call.getResult(0).replaceAllUsesWith(alloc);
      oldCallees.insert(call.getCalleeAttr().getAttr());
      SmallVector<Value> oldOperands(call.getOperands());
      call.erase();
      for (Value operand : oldOperands)
        if (auto oldAlloc = operand.getDefiningOp<memref::AllocOp>();
            oldAlloc && oldAlloc->use_empty())
          oldAlloc.erase();
    }
    eraseUnusedDeclarations(module, symbols, oldCallees.getArrayRef());
  }
};

} // namespace
