//===- QuantMatmul.h - One quantized GEMM of a model -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The primitive for one `qmatmul` metadata line, built at load. The w8a8
// kinds run oneDNN's int8 matmul on A quantized by the runtime's kernel
// (QuantKernels.h); the weight-only kinds run the runtime's own GEMM.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_QUANTMATMUL_H
#define XFC_BACKENDS_RUNTIME_QUANTMATMUL_H

#include "Metadata.h"
#include "QuantKernels.h"

#include "dnnl.hpp"

#include <memory>
#include <string>

namespace xfc::runtime {

/// Immutable once built, so any number of runs may execute it at once, each
/// with its own stream and scratchpad.
class QuantMatmulPrimitive {
public:
  /// Builds the primitive from `weights` (the mapped data region; the
  /// parser has checked that every operand lies inside it): the w8a8 kinds
  /// reorder W once into oneDNN's preferred layout, the weight-only kinds
  /// repack it into the kernel's panels. Sizes its work for the calling
  /// thread's omp_get_max_threads(), which bounds the threads of every
  /// execute. Throws RuntimeError with XFC_ERROR_FORMAT naming the
  /// metadata line when oneDNN refuses the description.
  QuantMatmulPrimitive(const dnnl::engine &engine, const QuantMatmulDesc &desc,
                       const void *weights, const std::string &source);

  /// Bytes of 64-byte-aligned scratchpad `execute` needs: oneDNN's, then
  /// the quantized A and its row scales (w8a8 kinds), or the weight-only
  /// kernel's per-thread buffers.
  size_t getScratchpadSize() const { return scratchpadSize; }

  /// C = act(A · dequantize(W)ᵀ + bias) (+ residual), laid out as the line
  /// says (`residual` as C, read only when the activation is `add`; it may
  /// be C itself). Throws RuntimeError or dnnl::error.
  void execute(dnnl::stream &stream, const void *a, const void *residual,
               void *c, void *scratchpad) const;

private:
  void createIntegerMatmul(const dnnl::engine &engine,
                           const QuantMatmulDesc &desc, const char *weights);
  void executeIntegerMatmul(dnnl::stream &stream, const float *a,
                            const void *residual, void *c,
                            char *scratchpad) const;

  int64_t id;
  QuantMatmulKind kind;
  int64_t m, n, k, aRowStride, cRowStride;
  GemmEpilogue epilogue;
  /// The OpenMP threads the work is sized for.
  int maxThreads;
  size_t scratchpadSize = 0;

  // The w8a8 kinds.
  float inputScale = 0.0f;
  int32_t inputZeroPoint = 0;
  dnnl::matmul primitive;
  dnnl::memory::desc srcDesc, dstDesc, rowScalesDesc, dnnlScratchpadDesc;
  /// W reordered, the weights' scales and the bias: constants, wrapped once.
  dnnl::memory packedWeights, weightScales, bias;
  /// Where the quantized A and the row scales start in the scratchpad.
  size_t quantizedOffset = 0, rowScalesOffset = 0;
  /// The post-op indices of the operands passed per call (-1: none).
  int rowScalesPostOp = -1, biasPostOp = -1, residualPostOp = -1;

  // The weight-only kinds.
  std::unique_ptr<PackedWeightOnly> weightOnly;
  const float *weightOnlyBias = nullptr;
};

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_QUANTMATMUL_H
