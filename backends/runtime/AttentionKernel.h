//===- AttentionKernel.h - One ISA variant of attention ---------*- C++ -*-===//
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What Attention.cpp (shape checks, threading, dispatch) needs from each
// instruction-set variant of the blocked kernel (AttentionKernel.inc, built
// by AttentionAvx512.cpp, AttentionAvx2.cpp and AttentionGeneric.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_ATTENTIONKERNEL_H
#define XFC_BACKENDS_RUNTIME_ATTENTIONKERNEL_H

#include "Attention.h"

#include <cstddef>
#include <cstdint>

namespace xfc::runtime::detail {

/// One runAttention call: what every task reads and writes.
struct AttentionProblem {
  const AttentionShape *shape;
  const float *query, *key, *value;
  const void *mask;
  float *output;
};

/// The rows of one kv head's group are its numHeads / numKvHeads query
/// heads' query positions, head-major: row r is position r % querySeq of
/// query head kvHead · groupSize + r / querySeq. Grouping them lets one
/// pass over a block of K and V serve every query head that reads it, which
/// is what makes decoding (querySeq 1) with GQA or MQA efficient.
struct AttentionKernel {
  /// The most rows one task may have: the kernel's query block.
  int64_t maxBlockRows;
  /// Floats per vector register; tasks of fewer rows than this waste lanes.
  int64_t vectorLanes;
  /// Floats of workspace (64-byte aligned) one thread needs for `shape`.
  size_t (*getWorkspaceSize)(const AttentionShape &shape);
  /// Computes rows [firstRow, firstRow + numRows) of the group of kv head
  /// `kvHead` in batch `batch`; numRows <= maxBlockRows.
  void (*runTask)(const AttentionProblem &problem, int64_t batch,
                  int64_t kvHead, int64_t firstRow, int64_t numRows,
                  float *workspace);
  /// Elementwise exp as the kernel computes it (exposed for tests).
  void (*computeExp)(const float *input, float *output, int64_t size);
};

extern const AttentionKernel genericAttentionKernel;
#if defined(__x86_64__) || defined(__i386__)
extern const AttentionKernel avx2AttentionKernel;
extern const AttentionKernel avx512AttentionKernel;
#endif

/// The variant for `isa`, which must be supported.
const AttentionKernel &getAttentionKernel(AttentionIsa isa);

} // namespace xfc::runtime::detail

#endif // XFC_BACKENDS_RUNTIME_ATTENTIONKERNEL_H
