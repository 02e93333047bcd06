//===- Pipelines.cpp - The CPU backend's pass pipelines -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Everything between graph-opt and LLVM IR is upstream MLIR plus four small
// passes of ours: fusion control, weights binding, oneDNN outlining, math
// approximation. The loops that remain vectorize in LLVM (the artifact
// writer runs LLVM's O3 pipeline for the target CPU).
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Codegen.h"
#include "xfc/Backends/CPU/Passes.h"
#include "xfc/Conversion/Passes.h"
#include "xfc/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Quant/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace xfc::cpu {

void buildCPULinalgPipeline(OpPassManager &pm,
                            const CPUPipelineOptions &options) {
  // Graph fusions: norms first (the residual fusion needs xf.layer_norm),
  // attention after RoPE, QKV packing last (it packs what attention reads).
  if (options.fuseNorms) {
    pm.addPass(createFuseLayerNormPass());
    pm.addPass(createFuseResidualLayerNormPass());
    pm.addPass(createFuseRMSNormPass());
  }
  if (options.fuseActivations) {
    pm.addPass(createFuseGeluPass());
    pm.addPass(createFuseSiluPass());
  }
  if (options.fuseRope)
    pm.addPass(createFuseRopePass());
  if (options.fuseAttention)
    pm.addPass(createFuseAttentionPass());
  if (options.fuseQKV)
    pm.addPass(createFuseQKVPass());
  // Before the conversion, which would lower xf.attention to its reference
  // decomposition.
  if (options.attention == "flash")
    pm.addPass(createCPUOutlineAttentionPass());
  if (options.gemm == "onednn")
    pm.addPass(createCPUOutlineQuantMatmulsPass());
  pm.addPass(createConvertXFToLinalgPass());
  pm.addNestedPass<func::FuncOp>(quant::createLowerQuantOps());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCPUFuseElementwisePass());
  // No CSE here: it would merge the zero fills of different GEMMs into one
  // buffer that bufferization then copies, hiding them from
  // xfc-cpu-outline-matmuls (graph-opt already CSE'd the model).
  pm.addPass(createCanonicalizerPass());
}

void buildCPULLVMPipeline(OpPassManager &pm,
                          const CPUPipelineOptions &options) {
  CPUBindWeightsPassOptions bindWeights;
  bindWeights.sparse = options.sparseWeights;
  pm.addPass(createCPUBindWeightsPass(bindWeights));

  // Buffers: one allocation per intermediate, inputs and outputs are the
  // caller's (static results are written straight into the out-params).
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCPUKernelOutParamsPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);

  // After deallocation is placed: the calls hide which buffers they use.
  if (options.gemm == "onednn")
    pm.addPass(createCPUOutlineMatmulsPass());
  pm.addPass(createCPUCallAttentionPass());
  pm.addPass(createCPUCallQuantMatmulsPass());

  pm.addPass(createCPUOutlineKernelsPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createCPUApproximateMathPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // Integer powers become small functions (LLVM has no intrinsic); then
  // intrinsics; what LLVM has no intrinsic for becomes a libm call.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void registerCPUPipelines() {
  registerXFCCPUPasses();
  PassPipelineRegistration<CPUPipelineOptions>(
      "xfc-cpu-linalg-pipeline",
      "The linalg phase of xfc's CPU backend: xf → fused linalg on tensors",
      buildCPULinalgPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "xfc-cpu-llvm-pipeline",
      "The llvm-mlir phase of xfc's CPU backend: linalg on tensors → "
      "buffers, oneDNN calls and loops → the LLVM dialect",
      buildCPULLVMPipeline);
}

} // namespace xfc::cpu
