//===- Codegen.h - The CPU backend: pipelines and artifact writer -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// xf (after graph-opt) → linalg → buffers + oneDNN calls → LLVM dialect →
// LLVM IR → object → PATH.so + PATH.weights. The two MLIR halves are named
// pipelines, so `xfc-opt` replays exactly what the driver runs; the last
// step (LLVM and the linker) is `writeCPUArtifact`.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_CPU_CODEGEN_H
#define XFC_BACKENDS_CPU_CODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>
#include <vector>

namespace xfc::cpu {

/// Options of the CPU pipelines.
struct CPUPipelineOptions : public mlir::PassPipelineOptions<CPUPipelineOptions> {
  Option<std::string> gemm{
      *this, "gemm",
      llvm::cl::desc("How GEMM-class contractions run: 'onednn' (calls "
                     "into the runtime's oneDNN primitives) or 'codegen' "
                     "(compiled loops, the structure GPU backends use)"),
      llvm::cl::init("onednn")};
  Option<bool> fuseAttention{
      *this, "fuse-attention",
      llvm::cl::desc("Rewrite decomposed attention to xf.attention first "
                     "(xf-fuse-attention)"),
      llvm::cl::init(true)};
  Option<bool> fuseNorms{
      *this, "fuse-norms",
      llvm::cl::desc("Rewrite decomposed LayerNorm and RMSNorm to their ops, "
                     "with residual adds folded into LayerNorm "
                     "(xf-fuse-layer-norm, xf-fuse-residual-layer-norm, "
                     "xf-fuse-rms-norm)"),
      llvm::cl::init(true)};
  Option<bool> fuseActivations{
      *this, "fuse-activations",
      llvm::cl::desc("Rewrite decomposed GELU (erf and tanh) and SiLU to "
                     "their ops (xf-fuse-gelu, xf-fuse-silu)"),
      llvm::cl::init(true)};
  Option<bool> fuseRope{
      *this, "fuse-rope",
      llvm::cl::desc("Rewrite rotate-half RoPE to xf.rope (xf-fuse-rope)"),
      llvm::cl::init(true)};
  Option<std::string> attention{
      *this, "attention",
      llvm::cl::desc("How xf.attention runs: 'flash' (the runtime's tiled "
                     "kernel, no sequence x sequence buffer) or "
                     "'reference' (its linalg decomposition)"),
      llvm::cl::init("flash")};
  Option<bool> sparseWeights{
      *this, "sparse-weights",
      llvm::cl::desc("Store weights that are at least half zeros (pruned) "
                     "compressed in the weights file; the runtime expands "
                     "them at load (xfc-cpu-bind-weights sparse)"),
      llvm::cl::init(true)};
  Option<bool> fuseQKV{
      *this, "fuse-qkv",
      llvm::cl::desc("Pack GEMMs sharing their input (attention's Q, K, V "
                     "projections) into one first (xf-fuse-qkv)"),
      llvm::cl::init(true)};
};

/// xf → linalg on tensors, fused: the graph fusions (norms, activations,
/// RoPE, attention, QKV packing; each unless switched off), attention to
/// the runtime's flash kernel (attention=flash), convert-xf-to-linalg, lower-quant-ops, canonicalize,
/// xfc-cpu-fuse-elementwise, canonicalize.
void buildCPULinalgPipeline(mlir::OpPassManager &pm,
                            const CPUPipelineOptions &options);
/// linalg on tensors → LLVM dialect: weights binding, bufferization,
/// deallocation, matmul outlining, loops, math approximations, LLVM.
void buildCPULLVMPipeline(mlir::OpPassManager &pm,
                          const CPUPipelineOptions &options);
/// Registers the two pipelines (`xfc-cpu-linalg-pipeline`,
/// `xfc-cpu-llvm-pipeline`) and the CPU passes.
void registerCPUPipelines();

/// One input or output of the model as the artifact describes it.
struct TensorSignature {
  std::string name;
  std::string dtype; // "f32", "i64", ... (xfc_dtype_name spellings)
  std::vector<int64_t> shape;
};

/// The model's inputs and outputs, read from the xf-level entry function
/// (its `xf.name` argument and result attributes) before lowering.
mlir::FailureOr<std::pair<std::vector<TensorSignature>,
                          std::vector<TensorSignature>>>
getEntrySignature(mlir::ModuleOp module);

/// What the artifact writer produces.
enum class CPUOutputKind { LLVMIR, Assembly, Object, Artifact };

struct CPUTargetOptions {
  /// LLVM CPU name: "host" (this machine), "x86-64-v3", "skylake-avx512", ...
  std::string cpu = "host";
  /// Extra LLVM features ("+avx512f,-avx512bw").
  std::string features;
  /// "fp32", or "bf16": the f32 GEMMs may multiply in bf16 (AVX512-BF16;
  /// the `fpmath` metadata line).
  std::string precision = "fp32";
};

/// Checks an LLVM CPU name for --cpu ("host" or one LLVM knows for this
/// machine's target) before anything is compiled: "" when it is valid,
/// else the error message.
std::string checkCPUName(llvm::StringRef cpu);

/// Translates a module lowered by the LLVM pipeline to LLVM IR, adds the
/// entry wrapper, the runtime trampolines and the metadata, optimizes for
/// the target CPU and writes `kind` to `outputPath` — for an artifact,
/// `outputPath.so` and `outputPath.weights`, each through a temporary file
/// renamed into place only when both are complete. Errors are emitted on
/// the module.
mlir::LogicalResult writeCPUOutput(mlir::ModuleOp module,
                                   llvm::StringRef outputPath,
                                   CPUOutputKind kind,
                                   const CPUTargetOptions &target,
                                   llvm::ArrayRef<TensorSignature> inputs,
                                   llvm::ArrayRef<TensorSignature> outputs);

} // namespace xfc::cpu

#endif // XFC_BACKENDS_CPU_CODEGEN_H
