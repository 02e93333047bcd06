//===- AttentionAvx512.cpp - The attention kernel for AVX-512 -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// AttentionKernel.inc on 16-float zmm vectors. Only functions carrying
// XFC_ATTENTION_TARGET use AVX-512; the file is built without -mavx512f and
// its kernel runs only where Attention.cpp found the CPU supports it.
//
//===----------------------------------------------------------------------===//

#include "AttentionKernel.h"

#if defined(__x86_64__) || defined(__i386__)

// GCC 12's avx512fintrin.h makes its undefined vectors as `__m512 __Y =
// __Y`, which -Wmaybe-uninitialized reports wherever they are inlined (GCC
// bug 105593, fixed in GCC 13).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#define XFC_ATTENTION_TARGET __attribute__((target("avx512f,avx2,fma")))
#define XFC_ATTENTION_INLINE                                                   \
  XFC_ATTENTION_TARGET inline __attribute__((always_inline))

namespace xfc::runtime::detail {
namespace avx512 {
namespace {

using Vec = __m512;
using LaneMask = __mmask16;

constexpr int64_t kLanes = 16;
/// Query rows per task: 4 vectors = 64 rows.
constexpr int64_t kRowVecs = 4;
/// Keys per score tile: 4 × 4 accumulators, plus 4 Qᵀ vectors and a
/// broadcast, of the 32 zmm registers.
constexpr int64_t kKeyRows = 4;
/// Rows × value vectors per P·V tile: 16 accumulators.
constexpr int64_t kPvRows = 4;
constexpr int64_t kPvVecs = 4;
/// Keys per block (the online softmax step): 64 keeps the 16 KB Sᵀ tile
/// and the block's 16 KB of V (D = 64) in L1 beside Qᵀ while P·V re-reads
/// them for every row tile; 128 measured ~5% slower at S = 2048.
constexpr int64_t kKeyBlock = 64;

XFC_ATTENTION_INLINE Vec vzero() { return _mm512_setzero_ps(); }
XFC_ATTENTION_INLINE Vec vbroadcast(float x) { return _mm512_set1_ps(x); }
XFC_ATTENTION_INLINE Vec vload(const float *p) { return _mm512_loadu_ps(p); }
XFC_ATTENTION_INLINE void vstore(float *p, Vec x) { _mm512_storeu_ps(p, x); }
XFC_ATTENTION_INLINE LaneMask laneMask(int64_t lanes) {
  return static_cast<LaneMask>((1u << lanes) - 1);
}
XFC_ATTENTION_INLINE Vec vloadMasked(const float *p, LaneMask mask) {
  return _mm512_maskz_loadu_ps(mask, p);
}
XFC_ATTENTION_INLINE void vstoreMasked(float *p, Vec x, LaneMask mask) {
  _mm512_mask_storeu_ps(p, mask, x);
}
XFC_ATTENTION_INLINE Vec vadd(Vec a, Vec b) { return _mm512_add_ps(a, b); }
XFC_ATTENTION_INLINE Vec vsub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
XFC_ATTENTION_INLINE Vec vmul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
XFC_ATTENTION_INLINE Vec vfma(Vec a, Vec b, Vec c) {
  return _mm512_fmadd_ps(a, b, c);
}
XFC_ATTENTION_INLINE Vec vmax(Vec a, Vec b) { return _mm512_max_ps(a, b); }

/// exp(x) = 2^n · exp(r): n = round(x·log2 e), r = x - n·ln 2 in two
/// steps (Cody-Waite, so r is exact enough), exp(r) for |r| <= ln2/2 by a
/// degree-6 minimax polynomial (relative error 7e-8 evaluated in float).
/// Results below exp(-87) are 0 instead of (de)normals near 1e-38: an
/// underflowing result costs a microcode assist of ~100 cycles, and masked
/// scores (-inf) are half of a causal diagonal block. Masking the final
/// VSCALEF keeps those lanes from computing anything.
XFC_ATTENTION_INLINE Vec vexp(Vec x) {
  const Vec lowest = _mm512_set1_ps(-87.0f);
  __mmask16 normal = _mm512_cmp_ps_mask(x, lowest, _CMP_GE_OQ);
  x = _mm512_max_ps(x, lowest);
  // round(x·log2 e) by adding and subtracting 1.5·2^23 (exact for |x·log2
  // e| < 2^22): two plain ops, where VRNDSCALE is two uops on port 0,
  // which VSCALEF and the FMAs compete for. Past 88.7, VSCALEF gives inf.
  const Vec shifter = _mm512_set1_ps(12582912.0f);
  Vec n = _mm512_sub_ps(
      _mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504f), shifter), shifter);
  Vec r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  Vec p = _mm512_set1_ps(1.383679337e-3f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.374856785e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.166822881e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.666641980e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.999999106e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_maskz_scalef_ps(normal, p, n);
}

XFC_ATTENTION_INLINE Vec vzeroIfNegInf(Vec x) {
  __mmask16 isNegInf =
      _mm512_cmp_ps_mask(x, _mm512_set1_ps(-INFINITY), _CMP_EQ_OQ);
  return _mm512_maskz_mov_ps(static_cast<__mmask16>(~isNegInf), x);
}

XFC_ATTENTION_INLINE Vec vmaskAfter(Vec s, const int32_t *limits, int32_t key) {
  __mmask16 after = _mm512_cmplt_epi32_mask(_mm512_loadu_si512(limits),
                                            _mm512_set1_epi32(key));
  return _mm512_mask_mov_ps(s, after, _mm512_set1_ps(-INFINITY));
}

XFC_ATTENTION_INLINE Vec vgather(const float *base, const int32_t *indices) {
  return _mm512_i32gather_ps(_mm512_loadu_si512(indices), base, 4);
}

#include "AttentionKernel.inc"

} // namespace
} // namespace avx512

const AttentionKernel avx512AttentionKernel = {
    avx512::kBlockRows, avx512::kLanes,     avx512::getWorkspaceSize,
    avx512::runTask,    avx512::computeExp,
};

} // namespace xfc::runtime::detail

#endif
