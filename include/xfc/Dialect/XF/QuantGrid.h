//===- QuantGrid.h - Scales of a quantized weight as a grid -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// xf.quant.linear weights come in three upstream quant types (per tensor,
// per output channel, per group of input features). Everything that reads
// their scales — the reference lowering, the quantization passes, the CPU
// backend packing weights for the runtime — sees them one way: a grid.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_DIALECT_XF_QUANTGRID_H
#define XFC_DIALECT_XF_QUANTGRID_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

namespace xfc::xf {

/// The scales and zero points of a uniform quantized [N, K] tensor as an
/// [N', G'] grid, row-major: N' is N (per channel) or 1, G' the number of
/// groups along K (sub-channel) or 1. Element (n, g) describes the columns
/// [g·K/G', (g+1)·K/G') of row n.
struct QuantGrid {
  llvm::SmallVector<int64_t> shape = {1, 1};
  llvm::SmallVector<double> scales;
  llvm::SmallVector<double> zeroPoints;

  /// Columns per group for a weight with `k` columns.
  int64_t getGroupSize(int64_t k) const { return k / shape[1]; }
  /// The grid index of weight element (n, k) of an [N, K] weight.
  int64_t getIndex(int64_t n, int64_t k, int64_t numColumns) const {
    return (shape[0] == 1 ? 0 : n) * shape[1] + k / getGroupSize(numColumns);
  }
};

/// The grid of `type` for a tensor of `shape`; failure for other types or
/// shapes (per-axis not along axis 0, groups not dividing K, rank != 2 for
/// non-per-tensor types).
mlir::FailureOr<QuantGrid> getQuantGrid(mlir::quant::QuantizedType type,
                                        llvm::ArrayRef<int64_t> shape);

} // namespace xfc::xf

#endif // XFC_DIALECT_XF_QUANTGRID_H
