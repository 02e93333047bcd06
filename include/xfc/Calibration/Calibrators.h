//===- Calibrators.h - Activation ranges from statistics --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What an activation tensor looked like on the calibration data, and the
// clipping range each calibrator derives from it.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CALIBRATION_CALIBRATORS_H
#define XFC_CALIBRATION_CALIBRATORS_H

#include "llvm/ADT/StringRef.h"

#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace xfc::calibration {

enum class Calibrator {
  /// The observed [min, max].
  MinMax,
  /// Clip |x| at a percentile of its distribution (default 99.99).
  Percentile,
  /// Clip |x| where the KL divergence between the clipped distribution and
  /// its 128-level quantized form is smallest (TensorRT's entropy
  /// calibration).
  Entropy,
};
std::optional<Calibrator> parseCalibrator(llvm::StringRef name);
llvm::StringRef getCalibratorName(Calibrator calibrator);

/// Statistics of one activation tensor over all fitting samples.
struct TensorStats {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  /// max |x| per index of the last dimension (the GEMM's input features).
  std::vector<float> channelAbsMax;
  /// Σ x and Σ x² per index of the last dimension, over `rows` rows: the
  /// channel means and L2 norms pruning ranks neurons by.
  std::vector<double> channelSum, channelSumSquares;
  int64_t rows = 0;
  /// Counts of |x| in kHistogramBins equal bins over [0, histogramLimit]
  /// (empty when no histogram was asked for).
  std::vector<double> histogram;
  double histogramLimit = 0;

  double getAbsMax() const { return std::max(-min, max); }
  /// Adds `values`, whose last dimension has `channels` elements.
  void addRange(const float *values, int64_t count, int64_t channels);
  void addToHistogram(const float *values, int64_t count);
};

inline constexpr int kHistogramBins = 2048;

/// The clipping range [lo, hi] of `stats` for `calibrator`; `percentile` is
/// the Percentile calibrator's, in (0, 100].
std::pair<double, double> chooseRange(const TensorStats &stats,
                                      Calibrator calibrator,
                                      double percentile = 99.99);

/// The |x| threshold at which the entropy calibrator clips `histogram`
/// (bins over [0, limit]).
double findEntropyThreshold(const std::vector<double> &histogram,
                            double limit);

} // namespace xfc::calibration

#endif // XFC_CALIBRATION_CALIBRATORS_H
