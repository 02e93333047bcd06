//===- Passes.h - The CPU backend's passes ----------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_CPU_PASSES_H
#define XFC_BACKENDS_CPU_PASSES_H

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace xfc::cpu {

#define GEN_PASS_DECL
#include "xfc/Backends/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "xfc/Backends/CPU/Passes.h.inc"

/// The model's entry: the module's one public function with a body (errors
/// are emitted on the module when there is none or more than one).
mlir::FailureOr<mlir::func::FuncOp> getEntryFunction(mlir::ModuleOp module);

/// Module attributes through which the passes hand the weights layout and
/// the matmul descriptors to the artifact writer.
inline constexpr llvm::StringLiteral kWeightsAttrName = "xfc.cpu.weights";
inline constexpr llvm::StringLiteral kWeightsSizeAttrName =
    "xfc.cpu.weights_size";
/// Where the weights at least half zeros start (a multiple of 4096): the
/// artifact writer stores the region from there compressed. Absent when
/// there are none or compression is off.
inline constexpr llvm::StringLiteral kWeightsSparseOffsetAttrName =
    "xfc.cpu.weights_sparse_offset";
inline constexpr llvm::StringLiteral kMatmulsAttrName = "xfc.cpu.matmuls";
/// The runtime function every outlined matmul calls.
inline constexpr llvm::StringLiteral kMatmulFunctionName = "xfc_rt_matmul";
inline constexpr llvm::StringLiteral kAttentionsAttrName =
    "xfc.cpu.attentions";
/// The runtime function every attention calls.
inline constexpr llvm::StringLiteral kAttentionFunctionName =
    "xfc_rt_attention";
inline constexpr llvm::StringLiteral kQuantMatmulsAttrName =
    "xfc.cpu.qmatmuls";
/// The runtime function every quantized matmul calls.
inline constexpr llvm::StringLiteral kQuantMatmulFunctionName =
    "xfc_rt_qmatmul";

} // namespace xfc::cpu

#endif // XFC_BACKENDS_CPU_PASSES_H
