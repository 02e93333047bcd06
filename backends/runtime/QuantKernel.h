//===- QuantKernel.h - One ISA variant of the quantized kernels -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What QuantKernels.cpp (repacking, threading, dispatch) needs from each
// instruction-set variant (QuantKernelsAvx512.cpp, QuantKernelsGeneric.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_QUANTKERNEL_H
#define XFC_BACKENDS_RUNTIME_QUANTKERNEL_H

#include "QuantKernels.h"

#include <cstdint>

namespace xfc::runtime::detail {

/// K elements a buffered weight-only task dequantizes at a time: 128 rows
/// of a 64-channel panel are 32 KB of f32, which stay in L1 (48 KB and
/// more on AVX-512 cores) while every row block of A reads them.
constexpr int64_t kQuantKBlock = 128;
/// The most rows of A one weight-only task computes: its accumulator tile
/// is this many rows of a panel (64 KB).
constexpr int64_t kQuantMaxTaskRows = 256;
/// Up to this many rows a task keeps its accumulators in registers and
/// dequantizes W there, reading each weight byte once (decoding).
constexpr int64_t kQuantDirectRows = 4;

struct QuantKernel {
  /// One row of quantizeRowsU8 (zeroPoint as a float).
  void (*quantizeRowU8)(const float *a, int64_t cols, float scale,
                        float zeroPoint, uint8_t *out);
  /// One row of quantizeRowsS8; returns its scale.
  float (*quantizeRowS8)(const float *a, int64_t cols, int8_t *out);
  /// Rows [m0, m1) of panel `panel` of `gemm`, m1 - m0 <= kQuantMaxTaskRows,
  /// with kQuantKBlock · 64 + (m1 - m0) · 64 floats of `workspace`
  /// (64-byte aligned; unused when the variant computes in registers).
  void (*runWeightOnlyTask)(const WeightOnlyGemm &gemm, int64_t panel,
                            int64_t m0, int64_t m1, float *workspace);
};

extern const QuantKernel genericQuantKernel;
#if defined(__x86_64__) || defined(__i386__)
extern const QuantKernel avx512QuantKernel;
#endif

/// The variant for `isa`, which must be supported.
const QuantKernel &getQuantKernel(QuantIsa isa);

} // namespace xfc::runtime::detail

#endif // XFC_BACKENDS_RUNTIME_QUANTKERNEL_H
