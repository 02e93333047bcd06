//===- QuantKernelsGeneric.cpp - The quantized kernels in portable C++ ----===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// For CPUs without AVX-512 (and other architectures), and the reference
// the AVX-512 variant is tested against. The weight-only GEMM always goes
// through the per-thread f32 block; the compiler vectorizes its
// 64-channel loops with the baseline ISA.
//
//===----------------------------------------------------------------------===//

#include "QuantKernel.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace xfc::runtime::detail {
namespace generic {
namespace {

/// max(x, low) as IEEE maxNum: `low` when x is NaN, as the compiler's
/// arith.maxnumf, so a NaN input saturates to the lower bound.
inline float maxNum(float x, float low) { return x > low ? x : low; }
inline float minNum(float x, float high) { return x < high ? x : high; }

void quantizeRowU8(const float *a, int64_t cols, float scale, float zeroPoint,
                   uint8_t *out) {
  for (int64_t c = 0; c < cols; ++c) {
    // nearbyint rounds half to even in the default rounding mode.
    float q = std::nearbyint(a[c] / scale) + zeroPoint;
    out[c] = static_cast<uint8_t>(minNum(maxNum(q, 0.0f), 255.0f));
  }
}

float quantizeRowS8(const float *a, int64_t cols, int8_t *out) {
  float absMax = 0.0f;
  bool hasNan = false;
  for (int64_t c = 0; c < cols; ++c) {
    hasNan |= std::isnan(a[c]);
    absMax = std::max(absMax, std::fabs(a[c]));
  }
  float r = hasNan            ? std::numeric_limits<float>::quiet_NaN()
            : absMax == 0.0f ? 1.0f
                             : absMax / 127.0f;
  for (int64_t c = 0; c < cols; ++c) {
    float q = std::nearbyint(a[c] / r);
    out[c] = static_cast<int8_t>(minNum(maxNum(q, -127.0f), 127.0f));
  }
  return r;
}

float applyActivation(float x, GemmEpilogue epilogue) {
  switch (epilogue) {
  case GemmEpilogue::GeluErf:
    // 1 + erf(z) as erfc(-z): no cancellation for negative x.
    return 0.5f * x * std::erfc(-x * 0.70710678118654752f);
  case GemmEpilogue::GeluTanh: {
    // 0.5·x·(1 + tanh(y)) = x / (1 + exp(-2y)), which neither cancels nor
    // overflows to NaN.
    float y = 0.79788456080286536f * x * (1.0f + 0.044715f * x * x);
    return x / (1.0f + std::exp(-2.0f * y));
  }
  default:
    return x;
  }
}

/// Rows [k0, k0 + kLen) of `panel`, dequantized into block[kLen][64].
void dequantizeBlock(const PackedWeightOnly &weights, int64_t panel,
                     int64_t k0, int64_t kLen, float *block) {
  constexpr int64_t kWidth = kQuantPanelWidth;
  const uint8_t *bytes = weights.getPanel(panel);
  const int64_t n0 = panel * kWidth;
  for (int64_t k = k0; k < k0 + kLen; ++k) {
    int64_t g = k / weights.getGroup();
    const float *scales = weights.getScales(g) + n0;
    const float *offsets = weights.getOffsets(g) + n0;
    float *out = block + (k - k0) * kWidth;
    if (weights.isInt4()) {
      const uint8_t *row = bytes + (k / 2) * kWidth;
      int shift = static_cast<int>(k % 2) * 4;
      for (int64_t c = 0; c < kWidth; ++c)
        out[c] = static_cast<float>((row[c] >> shift) & 15) * scales[c] +
                 offsets[c];
    } else {
      const int8_t *row = reinterpret_cast<const int8_t *>(bytes) + k * kWidth;
      for (int64_t c = 0; c < kWidth; ++c)
        out[c] = static_cast<float>(row[c]) * scales[c] + offsets[c];
    }
  }
}

void runWeightOnlyTask(const WeightOnlyGemm &gemm, int64_t panel, int64_t m0,
                       int64_t m1, float *workspace) {
  constexpr int64_t kWidth = kQuantPanelWidth;
  const PackedWeightOnly &weights = *gemm.weights;
  const int64_t k = weights.getK();
  float *block = workspace;
  float *tile = workspace + kQuantKBlock * kWidth;
  std::fill(tile, tile + (m1 - m0) * kWidth, 0.0f);
  for (int64_t k0 = 0; k0 < k; k0 += kQuantKBlock) {
    int64_t kLen = std::min(kQuantKBlock, k - k0);
    dequantizeBlock(weights, panel, k0, kLen, block);
    for (int64_t m = m0; m < m1; ++m) {
      const float *a = gemm.a + m * gemm.aRowStride + k0;
      float *acc = tile + (m - m0) * kWidth;
      for (int64_t kk = 0; kk < kLen; ++kk)
        for (int64_t c = 0; c < kWidth; ++c)
          acc[c] += a[kk] * block[kk * kWidth + c];
    }
  }

  const int64_t n0 = panel * kWidth;
  const int64_t width = std::min(kWidth, weights.getN() - n0);
  for (int64_t m = m0; m < m1; ++m) {
    const float *acc = tile + (m - m0) * kWidth;
    float *c = gemm.c + m * gemm.cRowStride + n0;
    const float *residual = gemm.epilogue == GemmEpilogue::Add
                                ? gemm.residual + m * gemm.cRowStride + n0
                                : nullptr;
    for (int64_t j = 0; j < width; ++j) {
      float x = gemm.bias ? acc[j] + gemm.bias[n0 + j] : acc[j];
      x = applyActivation(x, gemm.epilogue);
      if (gemm.epilogue == GemmEpilogue::Add)
        x += residual[j];
      c[j] = x;
    }
  }
}

} // namespace
} // namespace generic

const QuantKernel genericQuantKernel = {
    generic::quantizeRowU8,
    generic::quantizeRowS8,
    generic::runWeightOnlyTask,
};

} // namespace xfc::runtime::detail
