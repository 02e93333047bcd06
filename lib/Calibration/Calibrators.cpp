//===- Calibrators.cpp - Activation ranges from statistics ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Calibration/Calibrators.h"

#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace xfc::calibration;

std::optional<Calibrator> xfc::calibration::parseCalibrator(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Calibrator>>(name)
      .Case("minmax", Calibrator::MinMax)
      .Case("percentile", Calibrator::Percentile)
      .Case("entropy", Calibrator::Entropy)
      .Default(std::nullopt);
}

llvm::StringRef xfc::calibration::getCalibratorName(Calibrator calibrator) {
  switch (calibrator) {
  case Calibrator::MinMax:
    return "minmax";
  case Calibrator::Percentile:
    return "percentile";
  case Calibrator::Entropy:
    return "entropy";
  }
  return "";
}

void TensorStats::addRange(const float *values, int64_t count,
                           int64_t channels) {
  if (channelAbsMax.empty()) {
    channelAbsMax.assign(channels, 0.0f);
    channelSum.assign(channels, 0.0);
    channelSumSquares.assign(channels, 0.0);
  }
  for (int64_t i = 0; i < count; ++i) {
    float value = values[i];
    min = std::min<double>(min, value);
    max = std::max<double>(max, value);
    int64_t c = i % channels;
    channelAbsMax[c] = std::max(channelAbsMax[c], std::fabs(value));
    channelSum[c] += value;
    channelSumSquares[c] += static_cast<double>(value) * value;
  }
  rows += count / channels;
}

void TensorStats::addToHistogram(const float *values, int64_t count) {
  if (histogram.empty()) {
    histogram.assign(kHistogramBins, 0.0);
    histogramLimit = getAbsMax();
  }
  if (histogramLimit <= 0) {
    histogram[0] += count;
    return;
  }
  double binsPerUnit = kHistogramBins / histogramLimit;
  for (int64_t i = 0; i < count; ++i) {
    auto bin = static_cast<int64_t>(std::fabs(values[i]) * binsPerUnit);
    histogram[std::min<int64_t>(bin, kHistogramBins - 1)] += 1;
  }
}

/// Σ p·log(p/q) over bins where p > 0 (q is smoothed to be positive there).
static double klDivergence(const std::vector<double> &p,
                           const std::vector<double> &q) {
  double pSum = std::accumulate(p.begin(), p.end(), 0.0);
  double qSum = std::accumulate(q.begin(), q.end(), 0.0);
  if (pSum == 0 || qSum == 0)
    return std::numeric_limits<double>::infinity();
  double divergence = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == 0)
      continue;
    double pi = p[i] / pSum, qi = std::max(q[i] / qSum, 1e-12);
    divergence += pi * std::log(pi / qi);
  }
  return divergence;
}

double xfc::calibration::findEntropyThreshold(
    const std::vector<double> &histogram, double limit) {
  constexpr int kLevels = 128;
  int bins = histogram.size();
  if (bins <= kLevels || limit <= 0)
    return limit;
  double bestDivergence = std::numeric_limits<double>::infinity();
  int bestBins = bins;
  for (int clip = kLevels; clip <= bins; clip += 16) {
    // The reference: the first `clip` bins, with everything beyond folded
    // into the last (what clipping does to the outliers).
    std::vector<double> reference(histogram.begin(), histogram.begin() + clip);
    reference.back() += std::accumulate(histogram.begin() + clip,
                                        histogram.end(), 0.0);
    // Its quantized form: `clip` bins merged into kLevels levels, each
    // level spread evenly back over the bins it merged that were nonzero.
    std::vector<double> candidate(clip, 0.0);
    for (int level = 0; level < kLevels; ++level) {
      int begin = static_cast<int64_t>(level) * clip / kLevels;
      int end = static_cast<int64_t>(level + 1) * clip / kLevels;
      double total = 0;
      int nonzero = 0;
      for (int i = begin; i < end; ++i) {
        total += histogram[i];
        nonzero += histogram[i] != 0;
      }
      for (int i = begin; i < end && nonzero > 0; ++i)
        if (histogram[i] != 0)
          candidate[i] = total / nonzero;
    }
    double divergence = klDivergence(reference, candidate);
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      bestBins = clip;
    }
  }
  return limit * bestBins / bins;
}

std::pair<double, double>
xfc::calibration::chooseRange(const TensorStats &stats, Calibrator calibrator,
                              double percentile) {
  if (calibrator == Calibrator::MinMax || stats.histogram.empty())
    return {stats.min, stats.max};
  double threshold = stats.histogramLimit;
  if (calibrator == Calibrator::Percentile) {
    double total =
        std::accumulate(stats.histogram.begin(), stats.histogram.end(), 0.0);
    double wanted = total * percentile / 100.0, seen = 0;
    for (size_t bin = 0; bin < stats.histogram.size(); ++bin) {
      seen += stats.histogram[bin];
      if (seen >= wanted) {
        threshold = stats.histogramLimit * (bin + 1) / stats.histogram.size();
        break;
      }
    }
  } else {
    threshold = findEntropyThreshold(stats.histogram, stats.histogramLimit);
  }
  return {std::max(stats.min, -threshold), std::min(stats.max, threshold)};
}
