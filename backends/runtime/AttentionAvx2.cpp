//===- AttentionAvx2.cpp - The attention kernel for AVX2 + FMA ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// AttentionKernel.inc on 8-float ymm vectors. Only functions carrying
// XFC_ATTENTION_TARGET use AVX2; the file is built without -mavx2 and its
// kernel runs only where Attention.cpp found the CPU supports it.
//
//===----------------------------------------------------------------------===//

#include "AttentionKernel.h"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <algorithm>
#include <cmath>

#define XFC_ATTENTION_TARGET __attribute__((target("avx2,fma")))
#define XFC_ATTENTION_INLINE                                                   \
  XFC_ATTENTION_TARGET inline __attribute__((always_inline))

namespace xfc::runtime::detail {
namespace avx2 {
namespace {

using Vec = __m256;
using LaneMask = __m256i;

constexpr int64_t kLanes = 8;
/// Query rows per task: 4 vectors = 32 rows.
constexpr int64_t kRowVecs = 4;
/// Keys per score tile: 3 × 4 accumulators, a broadcast and 3 Qᵀ vectors
/// fill the 16 ymm registers (the 4th Qᵀ vector stays a memory operand of
/// its FMAs); ~15% faster than 2 × 4.
constexpr int64_t kKeyRows = 3;
/// Rows × value vectors per P·V tile: 12 accumulators.
constexpr int64_t kPvRows = 3;
constexpr int64_t kPvVecs = 4;
/// Keys per block (the online softmax step).
constexpr int64_t kKeyBlock = 64;

XFC_ATTENTION_INLINE Vec vzero() { return _mm256_setzero_ps(); }
XFC_ATTENTION_INLINE Vec vbroadcast(float x) { return _mm256_set1_ps(x); }
XFC_ATTENTION_INLINE Vec vload(const float *p) { return _mm256_loadu_ps(p); }
XFC_ATTENTION_INLINE void vstore(float *p, Vec x) { _mm256_storeu_ps(p, x); }
XFC_ATTENTION_INLINE LaneMask laneMask(int64_t lanes) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int32_t>(lanes)),
                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
XFC_ATTENTION_INLINE Vec vloadMasked(const float *p, LaneMask mask) {
  return _mm256_maskload_ps(p, mask);
}
XFC_ATTENTION_INLINE void vstoreMasked(float *p, Vec x, LaneMask mask) {
  _mm256_maskstore_ps(p, mask, x);
}
XFC_ATTENTION_INLINE Vec vadd(Vec a, Vec b) { return _mm256_add_ps(a, b); }
XFC_ATTENTION_INLINE Vec vsub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
XFC_ATTENTION_INLINE Vec vmul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
XFC_ATTENTION_INLINE Vec vfma(Vec a, Vec b, Vec c) {
  return _mm256_fmadd_ps(a, b, c);
}
XFC_ATTENTION_INLINE Vec vmax(Vec a, Vec b) { return _mm256_max_ps(a, b); }

/// exp(x) = 2^n · exp(r): n = round(x·log2 e), r = x - n·ln 2 in two
/// steps (Cody-Waite, so r is exact enough), exp(r) for |r| <= ln2/2 by a
/// degree-6 minimax polynomial (relative error 7e-8 evaluated in float).
/// 2^n is built in the exponent field, so x is clamped to where 2^n and
/// the result are normal floats (an underflowing result costs a microcode
/// assist of ~100 cycles, and masked scores are -inf), and results below
/// exp(-87) flush to 0.
XFC_ATTENTION_INLINE Vec vexp(Vec x) {
  const Vec lowest = _mm256_set1_ps(-87.0f);
  Vec underflow = _mm256_cmp_ps(x, lowest, _CMP_LT_OQ);
  x = _mm256_max_ps(x, lowest);
  x = _mm256_min_ps(x, _mm256_set1_ps(88.3f));
  Vec n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504f)),
                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  Vec r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
  Vec p = _mm256_set1_ps(1.383679337e-3f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.374856785e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.166822881e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.666641980e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.999999106e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  __m256i exponent = _mm256_slli_epi32(
      _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  Vec result = _mm256_mul_ps(p, _mm256_castsi256_ps(exponent));
  return _mm256_andnot_ps(underflow, result);
}

XFC_ATTENTION_INLINE Vec vzeroIfNegInf(Vec x) {
  Vec isNegInf = _mm256_cmp_ps(x, _mm256_set1_ps(-INFINITY), _CMP_EQ_OQ);
  return _mm256_andnot_ps(isNegInf, x);
}

XFC_ATTENTION_INLINE Vec vmaskAfter(Vec s, const int32_t *limits, int32_t key) {
  __m256i after = _mm256_cmpgt_epi32(
      _mm256_set1_epi32(key),
      _mm256_loadu_si256(reinterpret_cast<const __m256i *>(limits)));
  return _mm256_blendv_ps(s, _mm256_set1_ps(-INFINITY),
                          _mm256_castsi256_ps(after));
}

XFC_ATTENTION_INLINE Vec vgather(const float *base, const int32_t *indices) {
  return _mm256_i32gather_ps(
      base, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(indices)), 4);
}

#include "AttentionKernel.inc"

} // namespace
} // namespace avx2

const AttentionKernel avx2AttentionKernel = {
    avx2::kBlockRows, avx2::kLanes,     avx2::getWorkspaceSize,
    avx2::runTask,    avx2::computeExp,
};

} // namespace xfc::runtime::detail

#endif
