//===- QuantMath.h - How quantization parameters are chosen -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Scale and zero-point arithmetic of xf-quantize, apart from the IR so the
// choice of each parameter reads in one place. Private to
// lib/Transforms/Quantization.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_LIB_TRANSFORMS_QUANTIZATION_QUANTMATH_H
#define XFC_LIB_TRANSFORMS_QUANTIZATION_QUANTMATH_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <utility>

namespace xfc::quantization {

/// Discardable attributes the calibration collector puts on GEMMs and the
/// passes read (documented in Passes.td).
inline constexpr llvm::StringLiteral kInputRangeAttrName = "xf.input_range";
inline constexpr llvm::StringLiteral kInputChannelAbsMaxAttrName =
    "xf.input_channel_absmax";
inline constexpr llvm::StringLiteral kQuantizeAttrName = "xf.quantize";

enum class QuantMode { W8A8, W8A8Dynamic, W8, W4 };
std::optional<QuantMode> parseQuantMode(llvm::StringRef mode);

/// How weights are stored: integer range, signedness, grouping.
struct WeightScheme {
  int64_t qmin, qmax;
  bool isSigned;
  bool symmetric;
  /// Sub-channel groups along K (w8/w4) rather than one scale per channel.
  bool grouped;
  /// Columns per group when grouped; 0 is all of K.
  int64_t groupSize;
};
WeightScheme getWeightScheme(QuantMode mode, int64_t groupSize, bool symmetric);

/// `real = scale · (q - zeroPoint)`.
struct AffineParams {
  double scale;
  int64_t zeroPoint;
};

/// Symmetric: scale = max|w| / qmax, zero point 0. Asymmetric: the range
/// [min(w, 0), max(w, 0)] spread over [qmin, qmax]. A group of zeros gets
/// scale 1 (any scale represents it exactly). Weight-only groups may use
/// that range narrowed by up to 25%, whichever reconstructs the group with
/// the least squared error.
AffineParams chooseWeightParams(llvm::ArrayRef<float> values,
                                const WeightScheme &scheme);

/// uint8 activations for a calibrated range [lo, hi], widened to contain 0
/// (so that 0, e.g. padding, is exact).
AffineParams chooseActivationParams(double lo, double hi);

/// saturate(round_half_even(x / scale) + zeroPoint), as QuantizeLinear.
int64_t quantizeValue(float x, const AffineParams &params, int64_t qmin,
                      int64_t qmax);

/// The op's calibrated `xf.input_range`, if it has a valid one.
std::optional<std::pair<double, double>> getInputRange(mlir::Operation *op);

} // namespace xfc::quantization

#endif // XFC_LIB_TRANSFORMS_QUANTIZATION_QUANTMATH_H
