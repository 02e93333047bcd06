//===- RuntimeCalls.h - Passing buffers to the runtime ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The passes that replace ops by calls into the runtime (oneDNN matmuls,
// flash attention, quantized matmuls) pass each buffer as the address of
// its first element and describe its layout with static strides in the
// artifact's metadata. Ops that become runtime kernels first become calls
// to private "kernel declarations" on tensors, which bufferization handles
// like any call; the declaration carries one attribute saying which kernel
// and with what parameters.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_CPU_CODEGEN_RUNTIMECALLS_H
#define XFC_BACKENDS_CPU_CODEGEN_RUNTIMECALLS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace xfc::cpu {

/// The static strides (in elements) of a statically shaped memref, or
/// failure.
mlir::FailureOr<llvm::SmallVector<int64_t>> getStaticStrides(mlir::Value value);

/// The address of `memref`'s first element as an index.
mlir::Value getElementAddress(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value memref);

/// The byte offset of `value` in the weights region when it is a view of
/// it (possibly reshaped): then the runtime can pre-pack it.
std::optional<int64_t> getWeightOffset(mlir::Value value,
                                       mlir::Value weightsRegion);

/// The kernel attributes of declarations: flash attention (num_heads,
/// num_kv_heads, scale, causal) and quantized matmuls (see
/// OutlineQuantMatmuls.cpp).
inline constexpr llvm::StringLiteral kAttentionKernelAttrName =
    "xfc.attention";
inline constexpr llvm::StringLiteral kQuantMatmulKernelAttrName =
    "xfc.qmatmul";

/// The kernel attribute of `call`'s callee, if it is a kernel declaration.
std::optional<mlir::NamedAttribute> getKernelAttr(mlir::func::CallOp call,
                                                  mlir::SymbolTable &symbols);

/// The calls to kernel declarations (of the kernel `attrName`, or any when
/// empty) with `numResults` results (1: returning their result, 0:
/// destination-passing).
llvm::SmallVector<mlir::func::CallOp>
getKernelCalls(mlir::ModuleOp module, mlir::SymbolTable &symbols,
               llvm::StringRef attrName, unsigned numResults);

/// A private declaration `name` of `type` carrying `kernelAttr`; its
/// arguments are read-only, except `writable` trailing ones.
mlir::func::FuncOp declareKernel(mlir::ModuleOp module,
                                 mlir::SymbolTable &symbols,
                                 llvm::StringRef name, mlir::FunctionType type,
                                 mlir::NamedAttribute kernelAttr,
                                 unsigned writable = 0);

/// The model's entry function once xfc-cpu-bind-weights gave it the runtime
/// context (argument 0) and the weights region (argument 1); emits an
/// error naming the missing pass otherwise.
mlir::FailureOr<mlir::func::FuncOp> getBoundEntryFunction(mlir::ModuleOp module);

/// Replaces a destination-passing kernel call by a call of the runtime
/// trampoline `callee(ctx, id, addresses...)` at the builder's insertion
/// point: each buffer passed as the address of its first element, a null
/// one as 0. Declares `callee` (at the end of the module) on first use.
void createRuntimeCall(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::func::FuncOp entry, llvm::StringRef callee,
                       int64_t id, llvm::ArrayRef<mlir::Value> buffers);

/// Erases the declarations named `names` that nothing calls any more.
void eraseUnusedDeclarations(mlir::ModuleOp module, mlir::SymbolTable &symbols,
                             llvm::ArrayRef<mlir::StringAttr> names);

} // namespace xfc::cpu

#endif // XFC_BACKENDS_CPU_CODEGEN_RUNTIMECALLS_H
