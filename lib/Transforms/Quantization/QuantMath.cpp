//===- QuantMath.cpp - How quantization parameters are chosen -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "QuantMath.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace xfc::quantization;

std::optional<QuantMode> xfc::quantization::parseQuantMode(StringRef mode) {
  return llvm::StringSwitch<std::optional<QuantMode>>(mode)
      .Case("w8a8", QuantMode::W8A8)
      .Case("w8a8-dynamic", QuantMode::W8A8Dynamic)
      .Case("w8", QuantMode::W8)
      .Case("w4", QuantMode::W4)
      .Default(std::nullopt);
}

WeightScheme xfc::quantization::getWeightScheme(QuantMode mode,
                                                int64_t groupSize,
                                                bool symmetric) {
  switch (mode) {
  case QuantMode::W8A8:
  case QuantMode::W8A8Dynamic:
    // The integer GEMM needs symmetric weights (no zero point to
    // compensate per output), and ±127 keeps -128 out so that negating a
    // weight never overflows.
    return {-127, 127, true, true, false, 0};
  case QuantMode::W8:
    return symmetric ? WeightScheme{-127, 127, true, true, true, groupSize}
                     : WeightScheme{-128, 127, true, false, true, groupSize};
  case QuantMode::W4:
    return symmetric ? WeightScheme{-7, 7, true, true, true, groupSize}
                     : WeightScheme{0, 15, false, false, true, groupSize};
  }
  llvm_unreachable("unknown quantization mode");
}

/// The parameters for the range [lo, hi] (which contains 0).
static AffineParams getRangeParams(double lo, double hi,
                                   const WeightScheme &scheme) {
  if (scheme.symmetric) {
    double absMax = std::max(-lo, hi);
    return {absMax > 0 ? absMax / static_cast<double>(scheme.qmax) : 1.0, 0};
  }
  if (hi == lo)
    return {1.0, 0};
  double scale = (hi - lo) / static_cast<double>(scheme.qmax - scheme.qmin);
  auto zeroPoint = static_cast<int64_t>(
      std::nearbyint(static_cast<double>(scheme.qmin) - lo / scale));
  return {scale, std::clamp(zeroPoint, scheme.qmin, scheme.qmax)};
}

AffineParams xfc::quantization::chooseWeightParams(ArrayRef<float> values,
                                                   const WeightScheme &scheme) {
  double lo = 0, hi = 0;
  for (float value : values) {
    lo = std::min<double>(lo, value);
    hi = std::max<double>(hi, value);
  }
  AffineParams best = getRangeParams(lo, hi, scheme);
  if (!scheme.grouped)
    return best;
  // Weight-only groups: a slightly narrower range often represents the
  // bulk of the group better than the full one costs at its extremes
  // (round-to-nearest with clipping search, as AWQ and llama.cpp do): keep
  // the range with the least squared reconstruction error.
  auto getError = [&](const AffineParams &params) {
    double error = 0;
    for (float value : values) {
      int64_t q = quantizeValue(value, params, scheme.qmin, scheme.qmax);
      double restored = params.scale * static_cast<double>(q - params.zeroPoint);
      error += (restored - value) * (restored - value);
    }
    return error;
  };
  double bestError = getError(best);
  for (double shrink : {0.95, 0.9, 0.85, 0.8, 0.75}) {
    AffineParams candidate = getRangeParams(lo * shrink, hi * shrink, scheme);
    double error = getError(candidate);
    if (error < bestError) {
      best = candidate;
      bestError = error;
    }
  }
  return best;
}

AffineParams xfc::quantization::chooseActivationParams(double lo, double hi) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (hi == lo)
    return {1.0, 0};
  double scale = (hi - lo) / 255.0;
  auto zeroPoint = static_cast<int64_t>(std::nearbyint(-lo / scale));
  return {scale, std::clamp<int64_t>(zeroPoint, 0, 255)};
}

int64_t xfc::quantization::quantizeValue(float x, const AffineParams &params,
                                         int64_t qmin, int64_t qmax) {
  // In float, as the generated code and the runtime quantize: the scale
  // the IR carries is what they divide by.
  float scaled = x / static_cast<float>(params.scale);
  auto q = static_cast<int64_t>(std::nearbyint(scaled)) + params.zeroPoint;
  return std::clamp(q, qmin, qmax);
}

std::optional<std::pair<double, double>>
xfc::quantization::getInputRange(Operation *op) {
  auto range = op->getAttrOfType<DenseF64ArrayAttr>(kInputRangeAttrName);
  if (!range || range.size() != 2 || !std::isfinite(range[0]) ||
      !std::isfinite(range[1]) || range[0] > range[1])
    return std::nullopt;
  return std::make_pair(range[0], range[1]);
}
