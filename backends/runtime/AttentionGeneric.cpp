//===- AttentionGeneric.cpp - The attention kernel in portable C++ --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// AttentionKernel.inc on 4-float arrays, for CPUs without AVX2 + FMA (and
// other architectures). The compiler vectorizes the lane loops with
// whatever the baseline ISA has (SSE2 on x86-64).
//
//===----------------------------------------------------------------------===//

#include "AttentionKernel.h"

#include <algorithm>
#include <cmath>

#define XFC_ATTENTION_TARGET
#define XFC_ATTENTION_INLINE inline __attribute__((always_inline))

namespace xfc::runtime::detail {
namespace generic {
namespace {

struct Vec {
  float lane[4];
};
/// How many leading lanes to touch.
using LaneMask = int64_t;

constexpr int64_t kLanes = 4;
constexpr int64_t kRowVecs = 4;
constexpr int64_t kKeyRows = 2;
constexpr int64_t kPvRows = 2;
constexpr int64_t kPvVecs = 4;
constexpr int64_t kKeyBlock = 128;

#define XFC_LANEWISE(EXPR)                                                     \
  Vec result;                                                                  \
  for (int64_t i = 0; i < kLanes; ++i)                                         \
    result.lane[i] = (EXPR);                                                   \
  return result

XFC_ATTENTION_INLINE Vec vbroadcast(float x) { XFC_LANEWISE(x); }
XFC_ATTENTION_INLINE Vec vzero() { return vbroadcast(0.0f); }
XFC_ATTENTION_INLINE Vec vload(const float *p) { XFC_LANEWISE(p[i]); }
XFC_ATTENTION_INLINE void vstore(float *p, Vec x) {
  for (int64_t i = 0; i < kLanes; ++i)
    p[i] = x.lane[i];
}
XFC_ATTENTION_INLINE LaneMask laneMask(int64_t lanes) { return lanes; }
XFC_ATTENTION_INLINE Vec vloadMasked(const float *p, LaneMask lanes) {
  XFC_LANEWISE(i < lanes ? p[i] : 0.0f);
}
XFC_ATTENTION_INLINE void vstoreMasked(float *p, Vec x, LaneMask lanes) {
  for (int64_t i = 0; i < lanes; ++i)
    p[i] = x.lane[i];
}
XFC_ATTENTION_INLINE Vec vadd(Vec a, Vec b) {
  XFC_LANEWISE(a.lane[i] + b.lane[i]);
}
XFC_ATTENTION_INLINE Vec vsub(Vec a, Vec b) {
  XFC_LANEWISE(a.lane[i] - b.lane[i]);
}
XFC_ATTENTION_INLINE Vec vmul(Vec a, Vec b) {
  XFC_LANEWISE(a.lane[i] * b.lane[i]);
}
XFC_ATTENTION_INLINE Vec vfma(Vec a, Vec b, Vec c) {
  XFC_LANEWISE(a.lane[i] * b.lane[i] + c.lane[i]);
}
XFC_ATTENTION_INLINE Vec vmax(Vec a, Vec b) {
  XFC_LANEWISE(a.lane[i] > b.lane[i] ? a.lane[i] : b.lane[i]);
}
XFC_ATTENTION_INLINE Vec vexp(Vec x) { XFC_LANEWISE(std::exp(x.lane[i])); }
XFC_ATTENTION_INLINE Vec vzeroIfNegInf(Vec x) {
  XFC_LANEWISE(x.lane[i] == -INFINITY ? 0.0f : x.lane[i]);
}
XFC_ATTENTION_INLINE Vec vmaskAfter(Vec s, const int32_t *limits, int32_t key) {
  XFC_LANEWISE(limits[i] < key ? -INFINITY : s.lane[i]);
}
XFC_ATTENTION_INLINE Vec vgather(const float *base, const int32_t *indices) {
  XFC_LANEWISE(base[indices[i]]);
}

#undef XFC_LANEWISE

#include "AttentionKernel.inc"

} // namespace
} // namespace generic

const AttentionKernel genericAttentionKernel = {
    generic::kBlockRows, generic::kLanes,     generic::getWorkspaceSize,
    generic::runTask,    generic::computeExp,
};

} // namespace xfc::runtime::detail
