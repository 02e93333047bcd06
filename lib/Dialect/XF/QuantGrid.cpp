//===- QuantGrid.cpp - Scales of a quantized weight as a grid -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Dialect/XF/QuantGrid.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

FailureOr<xfc::xf::QuantGrid>
xfc::xf::getQuantGrid(quant::QuantizedType type, ArrayRef<int64_t> shape) {
  QuantGrid grid;
  if (auto uniform = dyn_cast<quant::UniformQuantizedType>(type)) {
    grid.scales = {uniform.getScale()};
    grid.zeroPoints = {static_cast<double>(uniform.getZeroPoint())};
    return grid;
  }
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    // quant_linear_c2: per-axis weights are quantized along axis 0.
    if (shape.size() != 2 || perAxis.getQuantizedDimension() != 0)
      return failure();
    grid.shape = {static_cast<int64_t>(perAxis.getScales().size()), 1};
    llvm::append_range(grid.scales, perAxis.getScales());
    for (int64_t zeroPoint : perAxis.getZeroPoints())
      grid.zeroPoints.push_back(static_cast<double>(zeroPoint));
    return grid;
  }
  if (auto subChannel = dyn_cast<quant::UniformQuantizedSubChannelType>(type)) {
    // quant_linear_c2: one scale per (row, group of columns).
    DenseElementsAttr scales = subChannel.getScales();
    DenseElementsAttr zeroPoints = subChannel.getZeroPoints();
    ArrayRef<int64_t> scaleShape = scales.getType().getShape();
    if (shape.size() != 2 || scaleShape.size() != 2 ||
        scaleShape[0] != shape[0] || scaleShape[1] == 0 ||
        shape[1] % scaleShape[1] != 0)
      return failure();
    grid.shape = llvm::SmallVector<int64_t>(scaleShape);
    for (APFloat scale : scales.getValues<APFloat>())
      grid.scales.push_back(scale.convertToDouble());
    for (APInt zeroPoint : zeroPoints.getValues<APInt>())
      grid.zeroPoints.push_back(static_cast<double>(zeroPoint.getSExtValue()));
    return grid;
  }
  return failure();
}
