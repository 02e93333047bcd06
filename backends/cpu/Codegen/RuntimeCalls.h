//===- RuntimeCalls.h - Passing buffers to the runtime ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The passes that replace ops by calls into the runtime (oneDNN matmuls,
// flash attention) pass each buffer as the address of its first element
// and describe its layout with static strides in the artifact's metadata.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_CPU_CODEGEN_RUNTIMECALLS_H
#define XFC_BACKENDS_CPU_CODEGEN_RUNTIMECALLS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

namespace xfc::cpu {

/// The static strides (in elements) of a statically shaped memref, or
/// failure.
mlir::FailureOr<llvm::SmallVector<int64_t>> getStaticStrides(mlir::Value value);

/// The address of `memref`'s first element as an index.
mlir::Value getElementAddress(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value memref);

} // namespace xfc::cpu

#endif // XFC_BACKENDS_CPU_CODEGEN_RUNTIMECALLS_H
