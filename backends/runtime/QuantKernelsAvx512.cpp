//===- QuantKernelsAvx512.cpp - The quantized kernels for AVX-512 ---------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Only functions carrying XFC_QUANT_TARGET use AVX-512; the file is built
// without -mavx512f and its kernels run only where QuantKernels.cpp found
// the CPU supports it.
//
// The weight-only GEMM works on one 64-channel panel of the repacked
// weight (four zmm vectors of channels per k) at a time:
//  * up to kQuantDirectRows rows of A: the accumulators stay in registers
//    over all of K and each weight byte is loaded once, converted and
//    scaled in registers, and used for every row (decoding streams W);
//  * more rows: a K-block of the panel is dequantized into a 32 KB f32
//    block, then 6-row register tiles of A multiply it from L1, adding
//    into an accumulator tile in the workspace; the epilogue then writes C.
//
//===----------------------------------------------------------------------===//

#include "QuantKernel.h"

#if defined(__x86_64__) || defined(__i386__)

// GCC 12's avx512fintrin.h makes its undefined vectors as `__m512 __Y =
// __Y`, which -Wmaybe-uninitialized reports wherever they are inlined (GCC
// bug 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <limits>

#define XFC_QUANT_TARGET __attribute__((target("avx512f,avx2,fma")))
#define XFC_QUANT_INLINE XFC_QUANT_TARGET inline __attribute__((always_inline))

namespace xfc::runtime::detail {
namespace avx512 {
namespace {

constexpr int64_t kLanes = 16;
constexpr int64_t kWidth = kQuantPanelWidth;
constexpr int64_t kVecs = kWidth / kLanes;
static_assert(kVecs == 4, "the unroll pragmas below assume 4 vectors");
/// Rows of A per register tile of the buffered GEMM: 6 × 4 accumulators,
/// 4 weight vectors and a broadcast of the 32 zmm registers.
constexpr int kRowTile = 6;

XFC_QUANT_INLINE __mmask16 laneMask(int64_t lanes) {
  if (lanes >= kLanes)
    return static_cast<__mmask16>(0xFFFF);
  return lanes <= 0 ? 0 : static_cast<__mmask16>((1u << lanes) - 1);
}

XFC_QUANT_INLINE __m512 roundHalfEven(__m512 x) {
  return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT |
                                     _MM_FROUND_NO_EXC);
}

/// min(maxNum(x, low), high): VMAXPS returns its second operand when the
/// first is NaN, so a NaN becomes `low`, as the compiler's arith.maxnumf
/// makes it.
XFC_QUANT_INLINE __m512 clampNum(__m512 x, __m512 low, __m512 high) {
  return _mm512_min_ps(_mm512_max_ps(x, low), high);
}

XFC_QUANT_TARGET void quantizeRowU8(const float *a, int64_t cols, float scale,
                                    float zeroPoint, uint8_t *out) {
  const __m512 divisor = _mm512_set1_ps(scale);
  const __m512 shift = _mm512_set1_ps(zeroPoint);
  const __m512 low = _mm512_setzero_ps(), high = _mm512_set1_ps(255.0f);
  for (int64_t c = 0; c < cols; c += kLanes) {
    __mmask16 mask = laneMask(cols - c);
    __m512 x = _mm512_maskz_loadu_ps(mask, a + c);
    // A true division, as the reference: x · (1/S) rounds differently.
    __m512 q = _mm512_add_ps(roundHalfEven(_mm512_div_ps(x, divisor)), shift);
    _mm512_mask_cvtepi32_storeu_epi8(
        out + c, mask, _mm512_cvtps_epi32(clampNum(q, low, high)));
  }
}

XFC_QUANT_TARGET float quantizeRowS8(const float *a, int64_t cols,
                                     int8_t *out) {
  __m512 absMax = _mm512_setzero_ps();
  __mmask16 hasNan = 0;
  for (int64_t c = 0; c < cols; c += kLanes) {
    __m512 x = _mm512_maskz_loadu_ps(laneMask(cols - c), a + c);
    hasNan |= _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
    // NaNs drop out here (the second operand wins) and are caught above.
    absMax = _mm512_max_ps(_mm512_abs_ps(x), absMax);
  }
  float rowMax = _mm512_reduce_max_ps(absMax);
  float r = hasNan            ? std::numeric_limits<float>::quiet_NaN()
            : rowMax == 0.0f ? 1.0f
                             : rowMax / 127.0f;
  const __m512 divisor = _mm512_set1_ps(r);
  const __m512 low = _mm512_set1_ps(-127.0f), high = _mm512_set1_ps(127.0f);
  for (int64_t c = 0; c < cols; c += kLanes) {
    __mmask16 mask = laneMask(cols - c);
    __m512 q = roundHalfEven(
        _mm512_div_ps(_mm512_maskz_loadu_ps(mask, a + c), divisor));
    _mm512_mask_cvtepi32_storeu_epi8(
        out + c, mask, _mm512_cvtps_epi32(clampNum(q, low, high)));
  }
  return r;
}

/// exp(x) as the attention kernel computes it (relative error 7e-8; 0 below
/// exp(-87)), also clamped from above so that any input, however large,
/// gives +inf rather than a wrong finite value.
XFC_QUANT_INLINE __m512 vexp(__m512 x) {
  const __m512 lowest = _mm512_set1_ps(-87.0f);
  __mmask16 normal = _mm512_cmp_ps_mask(x, lowest, _CMP_GE_OQ);
  x = _mm512_min_ps(_mm512_max_ps(x, lowest), _mm512_set1_ps(89.0f));
  const __m512 shifter = _mm512_set1_ps(12582912.0f);
  __m512 n = _mm512_sub_ps(
      _mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504f), shifter), shifter);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.383679337e-3f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.374856785e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.166822881e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.666641980e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.999999106e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_maskz_scalef_ps(normal, p, n);
}

/// 0.5·x·(1 + erf(x/√2)). With z = |x|/√2, erfc(z) = t·exp(-z² + P(t)),
/// t = 1/(1 + z/2) (Numerical Recipes' erfcc: relative error below 1.2e-7
/// for every z >= 0), and 1 + erf(x/√2) is erfc(z) for negative x (no
/// cancellation in the tail), 2 - erfc(z) otherwise.
XFC_QUANT_INLINE __m512 geluErf(__m512 x) {
  const __m512 one = _mm512_set1_ps(1.0f);
  __m512 z = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(0.70710678f));
  __m512 t = _mm512_div_ps(one, _mm512_fmadd_ps(z, _mm512_set1_ps(0.5f), one));
  __m512 p = _mm512_set1_ps(0.17087277f);
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.82215223f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.48851587f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.13520398f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.27886807f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.18628806f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.09678418f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.37409196f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.00002368f));
  p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.26551223f));
  __m512 erfc = _mm512_mul_ps(t, vexp(_mm512_fnmadd_ps(z, z, p)));
  __mmask16 negative =
      _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
  __m512 onePlusErf = _mm512_mask_blend_ps(
      negative, _mm512_sub_ps(_mm512_set1_ps(2.0f), erfc), erfc);
  return _mm512_mul_ps(_mm512_mul_ps(x, _mm512_set1_ps(0.5f)), onePlusErf);
}

/// 0.5·x·(1 + tanh(y)) = x / (1 + exp(-2y)), y = √(2/π)·(x + 0.044715·x³):
/// no cancellation, and ±inf (far tails) give x or -0 instead of NaN.
XFC_QUANT_INLINE __m512 geluTanh(__m512 x) {
  const __m512 one = _mm512_set1_ps(1.0f);
  __m512 y = _mm512_mul_ps(
      _mm512_mul_ps(x, _mm512_set1_ps(0.79788456f)),
      _mm512_fmadd_ps(_mm512_mul_ps(x, x), _mm512_set1_ps(0.044715f), one));
  __m512 e = vexp(_mm512_mul_ps(y, _mm512_set1_ps(-2.0f)));
  return _mm512_div_ps(x, _mm512_add_ps(one, e));
}

/// 16 s8 weights as floats.
XFC_QUANT_INLINE __m512 loadInt8(const uint8_t *p) {
  return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(
      _mm_loadu_si128(reinterpret_cast<const __m128i *>(p))));
}

/// 16 bytes of nibble pairs, one per 32-bit lane.
XFC_QUANT_INLINE __m512i loadNibblePairs(const uint8_t *p) {
  return _mm512_cvtepu8_epi32(
      _mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
}
XFC_QUANT_INLINE __m512 lowNibbles(__m512i pairs) {
  return _mm512_cvtepi32_ps(_mm512_and_si512(pairs, _mm512_set1_epi32(15)));
}
XFC_QUANT_INLINE __m512 highNibbles(__m512i pairs) {
  return _mm512_cvtepi32_ps(_mm512_srli_epi32(pairs, 4));
}

/// Prefetches the `rows` 64-byte panel rows 16 rows past `row`. The panel
/// streams from memory once when decoding; the hardware prefetcher alone
/// leaves one core ~20% short of what the instructions allow.
XFC_QUANT_INLINE void prefetchAhead(const uint8_t *row, int rows) {
  constexpr int64_t kDistance = 16 * kWidth;
  for (int r = 0; r < rows; ++r)
    _mm_prefetch(reinterpret_cast<const char *>(row + kDistance + r * kWidth),
                 _MM_HINT_T0);
}

/// Writes C[m0 + m][panel's channels] = epilogue(tile[m] + bias) for
/// `rows` rows of the accumulator tile (row stride 64).
XFC_QUANT_TARGET void storeTile(const WeightOnlyGemm &gemm, int64_t panel,
                                int64_t m0, int64_t rows, const float *tile) {
  const int64_t n0 = panel * kWidth;
  const int64_t width = std::min(kWidth, gemm.weights->getN() - n0);
  __mmask16 masks[kVecs];
  __m512 bias[kVecs];
  for (int64_t v = 0; v < kVecs; ++v) {
    masks[v] = laneMask(width - v * kLanes);
    bias[v] = gemm.bias ? _mm512_maskz_loadu_ps(masks[v],
                                                gemm.bias + n0 + v * kLanes)
                        : _mm512_setzero_ps();
  }
  for (int64_t m = 0; m < rows; ++m) {
    const int64_t cOffset = (m0 + m) * gemm.cRowStride + n0;
    for (int64_t v = 0; v < kVecs && masks[v]; ++v) {
      __m512 x = _mm512_load_ps(tile + m * kWidth + v * kLanes);
      if (gemm.bias)
        x = _mm512_add_ps(x, bias[v]);
      switch (gemm.epilogue) {
      case GemmEpilogue::GeluErf:
        x = geluErf(x);
        break;
      case GemmEpilogue::GeluTanh:
        x = geluTanh(x);
        break;
      case GemmEpilogue::Add:
        // Read before C is written: the residual may be C itself.
        x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(
                                 masks[v],
                                 gemm.residual + cOffset + v * kLanes));
        break;
      case GemmEpilogue::None:
        break;
      }
      _mm512_mask_storeu_ps(gemm.c + cOffset + v * kLanes, masks[v], x);
    }
  }
}

/// Rows [m0, m0 + R) of a panel over all of K with the accumulators in
/// registers, dequantizing each weight in registers once for all R rows.
/// For one or two rows, even and odd k feed separate accumulator sets,
/// doubling the independent FMA chains that hide the FMA latency. w4
/// needs an even group, so that a byte's two nibbles share it.
template <int R>
XFC_QUANT_TARGET void multiplyDirect(const WeightOnlyGemm &gemm,
                                     int64_t panel, int64_t m0, float *tile) {
  constexpr int kSets = R <= 2 ? 2 : 1;
  const PackedWeightOnly &weights = *gemm.weights;
  const uint8_t *bytes = weights.getPanel(panel);
  const int64_t n0 = panel * kWidth, group = weights.getGroup();
  const float *rows[R];
  for (int m = 0; m < R; ++m)
    rows[m] = gemm.a + (m0 + m) * gemm.aRowStride;
  __m512 acc[kSets][R][kVecs];
#pragma GCC unroll 2
  for (int s = 0; s < kSets; ++s)
#pragma GCC unroll 4
    for (int m = 0; m < R; ++m)
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v)
        acc[s][m][v] = _mm512_setzero_ps();

  for (int64_t g = 0; g < weights.getNumGroups(); ++g) {
    __m512 scale[kVecs], offset[kVecs];
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v) {
      scale[v] = _mm512_load_ps(weights.getScales(g) + n0 + v * kLanes);
      offset[v] = _mm512_load_ps(weights.getOffsets(g) + n0 + v * kLanes);
    }
    const int64_t kBegin = g * group, kEnd = kBegin + group;
    if (weights.isInt4()) {
      for (int64_t k = kBegin; k < kEnd; k += 2) {
        const uint8_t *row = bytes + (k / 2) * kWidth;
        prefetchAhead(row, 1);
#pragma GCC unroll 4
        for (int v = 0; v < kVecs; ++v) {
          __m512i pairs = loadNibblePairs(row + v * kLanes);
          __m512 even = _mm512_fmadd_ps(lowNibbles(pairs), scale[v], offset[v]);
          __m512 odd = _mm512_fmadd_ps(highNibbles(pairs), scale[v], offset[v]);
#pragma GCC unroll 4
          for (int m = 0; m < R; ++m) {
            acc[0][m][v] = _mm512_fmadd_ps(_mm512_set1_ps(rows[m][k]), even,
                                           acc[0][m][v]);
            acc[kSets - 1][m][v] = _mm512_fmadd_ps(
                _mm512_set1_ps(rows[m][k + 1]), odd, acc[kSets - 1][m][v]);
          }
        }
      }
      continue;
    }
    int64_t k = kBegin;
    for (; k + 1 < kEnd; k += 2) {
      const uint8_t *row = bytes + k * kWidth;
      prefetchAhead(row, 2);
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v) {
        __m512 even =
            _mm512_fmadd_ps(loadInt8(row + v * kLanes), scale[v], offset[v]);
        __m512 odd = _mm512_fmadd_ps(loadInt8(row + kWidth + v * kLanes),
                                     scale[v], offset[v]);
#pragma GCC unroll 4
        for (int m = 0; m < R; ++m) {
          acc[0][m][v] = _mm512_fmadd_ps(_mm512_set1_ps(rows[m][k]), even,
                                         acc[0][m][v]);
          acc[kSets - 1][m][v] = _mm512_fmadd_ps(
              _mm512_set1_ps(rows[m][k + 1]), odd, acc[kSets - 1][m][v]);
        }
      }
    }
    if (k < kEnd) {
      const uint8_t *row = bytes + k * kWidth;
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v) {
        __m512 w =
            _mm512_fmadd_ps(loadInt8(row + v * kLanes), scale[v], offset[v]);
#pragma GCC unroll 4
        for (int m = 0; m < R; ++m)
          acc[0][m][v] =
              _mm512_fmadd_ps(_mm512_set1_ps(rows[m][k]), w, acc[0][m][v]);
      }
    }
  }

#pragma GCC unroll 4
  for (int m = 0; m < R; ++m)
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v) {
      __m512 sum = acc[0][m][v];
      if (kSets == 2)
        sum = _mm512_add_ps(sum, acc[kSets - 1][m][v]);
      _mm512_store_ps(tile + m * kWidth + v * kLanes, sum);
    }
}

/// multiplyDirect for one or two rows of A and weights without offsets:
/// Σk a·(s·q) = s·Σk a·q over each group, so a weight costs a conversion
/// and one FMA instead of two (one core decoding is bound by exactly these
/// per-weight instructions: about 25% faster). With offsets the same
/// folding would add o·Σa, which cancels against s·Σa·q (w4's symmetric
/// weights are q + 8 with offsets -8s), so those keep multiplyDirect.
template <int R>
XFC_QUANT_TARGET void multiplyDirectScaled(const WeightOnlyGemm &gemm,
                                           int64_t panel, int64_t m0,
                                           float *tile) {
  static_assert(R <= 2, "acc and two partial sets must fit the registers");
  const PackedWeightOnly &weights = *gemm.weights;
  const uint8_t *bytes = weights.getPanel(panel);
  const int64_t n0 = panel * kWidth, group = weights.getGroup();
  const float *rows[R];
  for (int m = 0; m < R; ++m)
    rows[m] = gemm.a + (m0 + m) * gemm.aRowStride;
  __m512 acc[R][kVecs];
#pragma GCC unroll 2
  for (int m = 0; m < R; ++m)
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v)
      acc[m][v] = _mm512_setzero_ps();

  for (int64_t g = 0; g < weights.getNumGroups(); ++g) {
    // Even and odd k in separate sets: twice the independent FMA chains.
    __m512 part[2][R][kVecs];
#pragma GCC unroll 2
    for (int s = 0; s < 2; ++s)
#pragma GCC unroll 2
      for (int m = 0; m < R; ++m)
#pragma GCC unroll 4
        for (int v = 0; v < kVecs; ++v)
          part[s][m][v] = _mm512_setzero_ps();
    const int64_t kBegin = g * group, kEnd = kBegin + group;
    int64_t k = kBegin;
    for (; k + 1 < kEnd; k += 2) {
      prefetchAhead(bytes + (weights.isInt4() ? k / 2 : k) * kWidth,
                    weights.isInt4() ? 1 : 2);
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v) {
        __m512 even, odd;
        if (weights.isInt4()) {
          __m512i pairs =
              loadNibblePairs(bytes + (k / 2) * kWidth + v * kLanes);
          even = lowNibbles(pairs);
          odd = highNibbles(pairs);
        } else {
          even = loadInt8(bytes + k * kWidth + v * kLanes);
          odd = loadInt8(bytes + (k + 1) * kWidth + v * kLanes);
        }
#pragma GCC unroll 2
        for (int m = 0; m < R; ++m) {
          part[0][m][v] = _mm512_fmadd_ps(_mm512_set1_ps(rows[m][k]), even,
                                          part[0][m][v]);
          part[1][m][v] = _mm512_fmadd_ps(_mm512_set1_ps(rows[m][k + 1]),
                                          odd, part[1][m][v]);
        }
      }
    }
    // An odd group of w8 leaves one k (w4 groups here are even).
    if (k < kEnd) {
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v) {
        __m512 w = loadInt8(bytes + k * kWidth + v * kLanes);
#pragma GCC unroll 2
        for (int m = 0; m < R; ++m)
          part[0][m][v] =
              _mm512_fmadd_ps(_mm512_set1_ps(rows[m][k]), w, part[0][m][v]);
      }
    }
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v) {
      __m512 scale = _mm512_load_ps(weights.getScales(g) + n0 + v * kLanes);
#pragma GCC unroll 2
      for (int m = 0; m < R; ++m)
        acc[m][v] = _mm512_fmadd_ps(
            _mm512_add_ps(part[0][m][v], part[1][m][v]), scale, acc[m][v]);
    }
  }

#pragma GCC unroll 2
  for (int m = 0; m < R; ++m)
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v)
      _mm512_store_ps(tile + m * kWidth + v * kLanes, acc[m][v]);
}

/// Rows [k0, k0 + kLen) of `panel`, dequantized into block[kLen][64].
XFC_QUANT_TARGET void dequantizeBlock(const PackedWeightOnly &weights,
                                      int64_t panel, int64_t k0, int64_t kLen,
                                      float *block) {
  const uint8_t *bytes = weights.getPanel(panel);
  const int64_t n0 = panel * kWidth, group = weights.getGroup();
  // Tracks the group by its end, not by dividing every k.
  int64_t g = k0 / group, groupEnd = (g + 1) * group;
  const float *scales = weights.getScales(g) + n0;
  const float *offsets = weights.getOffsets(g) + n0;
  for (int64_t k = k0; k < k0 + kLen; ++k) {
    if (k == groupEnd) {
      ++g;
      groupEnd += group;
      scales = weights.getScales(g) + n0;
      offsets = weights.getOffsets(g) + n0;
    }
    float *out = block + (k - k0) * kWidth;
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v) {
      __m512 q;
      if (weights.isInt4()) {
        __m512i pairs = loadNibblePairs(bytes + (k / 2) * kWidth + v * kLanes);
        q = k % 2 ? highNibbles(pairs) : lowNibbles(pairs);
      } else {
        q = loadInt8(bytes + k * kWidth + v * kLanes);
      }
      _mm512_store_ps(out + v * kLanes,
                      _mm512_fmadd_ps(q, _mm512_load_ps(scales + v * kLanes),
                                      _mm512_load_ps(offsets + v * kLanes)));
    }
  }
}

/// tile[R][64] (+)= A[R rows from a, lda apart][kLen] · block[kLen][64].
template <int R>
XFC_QUANT_TARGET void multiplyBlock(const float *a, int64_t lda,
                                    const float *block, int64_t kLen,
                                    float *tile, bool accumulate) {
  __m512 acc[R][kVecs];
  const float *rows[R];
#pragma GCC unroll 6
  for (int m = 0; m < R; ++m) {
    rows[m] = a + m * lda;
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v)
      acc[m][v] = accumulate ? _mm512_load_ps(tile + m * kWidth + v * kLanes)
                             : _mm512_setzero_ps();
  }
  for (int64_t k = 0; k < kLen; ++k) {
    __m512 w[kVecs];
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v)
      w[v] = _mm512_load_ps(block + k * kWidth + v * kLanes);
#pragma GCC unroll 6
    for (int m = 0; m < R; ++m) {
      __m512 x = _mm512_set1_ps(rows[m][k]);
#pragma GCC unroll 4
      for (int v = 0; v < kVecs; ++v)
        acc[m][v] = _mm512_fmadd_ps(x, w[v], acc[m][v]);
    }
  }
#pragma GCC unroll 6
  for (int m = 0; m < R; ++m)
#pragma GCC unroll 4
    for (int v = 0; v < kVecs; ++v)
      _mm512_store_ps(tile + m * kWidth + v * kLanes, acc[m][v]);
}

XFC_QUANT_TARGET void runWeightOnlyTask(const WeightOnlyGemm &gemm,
                                        int64_t panel, int64_t m0, int64_t m1,
                                        float *workspace) {
  const PackedWeightOnly &weights = *gemm.weights;
  const int64_t rows = m1 - m0;
  if (rows <= kQuantDirectRows &&
      (!weights.isInt4() || weights.getGroup() % 2 == 0)) {
    alignas(64) float tile[kQuantDirectRows * kWidth];
    if (rows <= 2 && !weights.hasOffsets()) {
      if (rows == 1)
        multiplyDirectScaled<1>(gemm, panel, m0, tile);
      else
        multiplyDirectScaled<2>(gemm, panel, m0, tile);
      storeTile(gemm, panel, m0, rows, tile);
      return;
    }
    switch (rows) {
    case 1:
      multiplyDirect<1>(gemm, panel, m0, tile);
      break;
    case 2:
      multiplyDirect<2>(gemm, panel, m0, tile);
      break;
    case 3:
      multiplyDirect<3>(gemm, panel, m0, tile);
      break;
    default:
      multiplyDirect<4>(gemm, panel, m0, tile);
      break;
    }
    storeTile(gemm, panel, m0, rows, tile);
    return;
  }

  float *block = workspace;
  float *tile = workspace + kQuantKBlock * kWidth;
  const int64_t k = weights.getK();
  for (int64_t k0 = 0; k0 < k; k0 += kQuantKBlock) {
    const int64_t kLen = std::min(kQuantKBlock, k - k0);
    dequantizeBlock(weights, panel, k0, kLen, block);
    for (int64_t m = m0; m < m1; m += kRowTile) {
      const float *a = gemm.a + m * gemm.aRowStride + k0;
      float *rowTile = tile + (m - m0) * kWidth;
      const bool accumulate = k0 > 0;
      switch (std::min<int64_t>(kRowTile, m1 - m)) {
      case 1:
        multiplyBlock<1>(a, gemm.aRowStride, block, kLen, rowTile, accumulate);
        break;
      case 2:
        multiplyBlock<2>(a, gemm.aRowStride, block, kLen, rowTile, accumulate);
        break;
      case 3:
        multiplyBlock<3>(a, gemm.aRowStride, block, kLen, rowTile, accumulate);
        break;
      case 4:
        multiplyBlock<4>(a, gemm.aRowStride, block, kLen, rowTile, accumulate);
        break;
      case 5:
        multiplyBlock<5>(a, gemm.aRowStride, block, kLen, rowTile, accumulate);
        break;
      default:
        multiplyBlock<6>(a, gemm.aRowStride, block, kLen, rowTile, accumulate);
        break;
      }
    }
  }
  storeTile(gemm, panel, m0, rows, tile);
}

} // namespace
} // namespace avx512

const QuantKernel avx512QuantKernel = {
    avx512::quantizeRowU8,
    avx512::quantizeRowS8,
    avx512::runWeightOnlyTask,
};

} // namespace xfc::runtime::detail

#endif
