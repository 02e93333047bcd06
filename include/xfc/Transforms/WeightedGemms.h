//===- WeightedGemms.h - GEMMs with constant weights ------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What quantization, SmoothQuant, calibration and pruning work on: the
// GEMMs of a model whose weight is a constant — xf.linear, and xf.matmul
// with a constant 2-D right operand, as ONNX MatMul + Add arrive — with the
// bias add that follows them. One finder, so that the calibration collector
// instruments exactly the ops the passes later rewrite.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_TRANSFORMS_WEIGHTEDGEMMS_H
#define XFC_TRANSFORMS_WEIGHTEDGEMMS_H

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace xfc {

/// The bytes of a constant's dense, non-splat data (dense or
/// dense_resource), if it has some.
std::optional<llvm::ArrayRef<char>> getConstantBytes(mlir::Value value);

/// The f32 values of a static constant (dense, splat or dense_resource).
std::optional<std::vector<float>> getConstantFloats(mlir::Value value);

/// An f32 `dense_resource` constant of `shape` holding `values`: what the
/// compression passes write new weights, biases and scales as.
mlir::Value createF32Constant(mlir::OpBuilder &b, mlir::Location loc,
                              llvm::ArrayRef<int64_t> shape,
                              llvm::ArrayRef<float> values,
                              llvm::StringRef name);

/// One GEMM `y = x · W (+ bias)` with an f32 constant weight.
struct WeightedGemm {
  /// xf.linear or xf.matmul.
  mlir::Operation *op;
  mlir::Value input;
  /// The weight's f32 values, [N, K] when `weightIsNK` (xf.linear, or
  /// xf.matmul with transpose_rhs), [K, N] otherwise.
  llvm::ArrayRef<float> weight;
  bool weightIsNK;
  int64_t k, n;
  /// xf.linear's bias operand, or the xf.add of a constant [N] bias that is
  /// the matmul's only user; null when there is none.
  mlir::Value bias;
  mlir::Operation *biasAdd = nullptr;

  /// W[n, k] whatever the layout.
  float getWeight(int64_t row, int64_t column) const {
    return weightIsNK ? weight[row * k + column] : weight[column * n + row];
  }
  /// The value the GEMM (with its bias) produces.
  mlir::Value getResult() const {
    return biasAdd ? biasAdd->getResult(0) : op->getResult(0);
  }
};

/// The GEMMs with f32 constant weights under `root`, in program order.
llvm::SmallVector<WeightedGemm> findWeightedGemms(mlir::Operation *root);

/// A name for a GEMM in reports: its location's name, or "gemm#i".
std::string getGemmName(mlir::Operation *op, unsigned index);

} // namespace xfc

#endif // XFC_TRANSFORMS_WEIGHTEDGEMMS_H
