//===- CalibratorsTest.cpp - Activation ranges from statistics ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Calibration/Calibrators.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <vector>

using namespace xfc::calibration;

namespace {

TensorStats collect(const std::vector<float> &values, int64_t channels) {
  TensorStats stats;
  stats.addRange(values.data(), values.size(), channels);
  stats.addToHistogram(values.data(), values.size());
  return stats;
}

TEST(Calibrators, MinMaxIsTheObservedRange) {
  TensorStats stats = collect({-1.5f, 0.25f, 3.0f, -0.5f}, 2);
  EXPECT_EQ(stats.min, -1.5);
  EXPECT_EQ(stats.max, 3.0);
  // Channel 0 saw -1.5 and 3; channel 1 saw 0.25 and -0.5.
  ASSERT_EQ(stats.channelAbsMax.size(), 2u);
  EXPECT_EQ(stats.channelAbsMax[0], 3.0f);
  EXPECT_EQ(stats.channelAbsMax[1], 0.5f);
  auto [lo, hi] = chooseRange(stats, Calibrator::MinMax);
  EXPECT_EQ(lo, -1.5);
  EXPECT_EQ(hi, 3.0);
}

TEST(Calibrators, PercentileClipsTheTail) {
  // 9999 values in [0, 1) and one outlier at 100: 99.9% of |x| lies below
  // 1, so the 99.9th percentile clips at the first bin edge past 1
  // (100 / 2048 per bin).
  std::vector<float> values;
  for (int i = 0; i < 9999; ++i)
    values.push_back(static_cast<float>(i) / 9999.0f);
  values.push_back(100.0f);
  TensorStats stats = collect(values, 1);
  auto [lo, hi] = chooseRange(stats, Calibrator::Percentile, 99.9);
  EXPECT_EQ(lo, 0.0);
  EXPECT_NEAR(hi, 100.0 * 21 / kHistogramBins, 1e-9);
  // 100% keeps everything.
  EXPECT_EQ(chooseRange(stats, Calibrator::Percentile, 100.0).second, 100.0);
}

TEST(Calibrators, EntropyClipsRareOutliersButNotTheBulk) {
  std::mt19937 random(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values;
  for (int i = 0; i < 200000; ++i)
    values.push_back(normal(random));
  for (int i = 0; i < 5; ++i)
    values.push_back(40.0f);
  TensorStats stats = collect(values, 1);
  auto [lo, hi] = chooseRange(stats, Calibrator::Entropy);
  // The bulk (|x| < ~4.5) is kept, the 40s are clipped away.
  EXPECT_GT(hi, 3.0);
  EXPECT_LT(hi, 20.0);
  EXPECT_LT(lo, -3.0);
  EXPECT_EQ(lo, -hi);
}

TEST(Calibrators, RangesStayInsideTheObservedOne) {
  // All positive (post-ReLU-like): no calibrator invents negative values.
  std::vector<float> values;
  for (int i = 1; i <= 1000; ++i)
    values.push_back(static_cast<float>(i) / 100.0f);
  TensorStats stats = collect(values, 4);
  for (Calibrator calibrator :
       {Calibrator::MinMax, Calibrator::Percentile, Calibrator::Entropy}) {
    auto [lo, hi] = chooseRange(stats, calibrator);
    EXPECT_GE(lo, stats.min) << getCalibratorName(calibrator).str();
    EXPECT_LE(hi, stats.max) << getCalibratorName(calibrator).str();
    EXPECT_LT(lo, hi);
  }
}

TEST(Calibrators, AllZeroTensor) {
  TensorStats stats = collect(std::vector<float>(64, 0.0f), 8);
  for (Calibrator calibrator :
       {Calibrator::MinMax, Calibrator::Percentile, Calibrator::Entropy}) {
    auto [lo, hi] = chooseRange(stats, calibrator);
    EXPECT_EQ(lo, 0.0);
    EXPECT_EQ(hi, 0.0);
  }
}

TEST(Calibrators, Names) {
  for (const char *name : {"minmax", "percentile", "entropy"})
    EXPECT_EQ(getCalibratorName(*parseCalibrator(name)), name);
  EXPECT_FALSE(parseCalibrator("kl"));
}

} // namespace
