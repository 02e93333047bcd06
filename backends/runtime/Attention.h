//===- Attention.h - Fused fp32 attention kernel ---------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// softmax(scale·Q·Kᵀ + mask)·V for compiled models, computed flash-style:
// per block of query rows, an online softmax over blocks of keys, so no
// querySeq × keySeq buffer exists and a thread's memory does not grow with
// the sequence length.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_ATTENTION_H
#define XFC_BACKENDS_RUNTIME_ATTENTION_H

#include <cstdint>
#include <string>

namespace xfc::runtime {

enum class AttentionMaskKind { None, Bool, Additive };

struct AttentionShape {
  /// numKvHeads divides numHeads (GQA/MQA): query head h reads kv head
  /// h / (numHeads / numKvHeads).
  int64_t batch, numHeads, numKvHeads;
  int64_t querySeq, keySeq, headDim, valueHeadDim;
  /// Element strides of the [batch, head, seq] dimensions of each tensor;
  /// the innermost (feature) dimension is always contiguous (stride 1).
  /// q: [B,Hq,Sq,D], k: [B,Hkv,Skv,D], v: [B,Hkv,Skv,Dv], out: [B,Hq,Sq,Dv].
  /// Strides can be anything (e.g. heads packed as [B,S,H*D] gives head
  /// stride D and seq stride H*D).
  int64_t queryStrides[3], keyStrides[3], valueStrides[3], outputStrides[3];
  AttentionMaskKind maskKind = AttentionMaskKind::None;
  /// Element strides of the mask over [b, h (query head), i, j]; 0 on
  /// broadcast dims. Bool masks are one byte per element (nonzero =
  /// attend); additive masks are float.
  int64_t maskStrides[4] = {0, 0, 0, 0};
  float scale;
  /// Query i attends key j only when j <= i + (keySeq - querySeq) (bottom-
  /// right aligned).
  bool causal;
};

/// Checks the shape (positive sizes, heads divide, ...) and returns an
/// empty string or a message saying what is wrong.
std::string checkAttentionShape(const AttentionShape &shape);

/// Computes `output`. `shape` must pass checkAttentionShape, and `mask` must
/// be non-null unless shape.maskKind is None. Runs its own OpenMP parallel
/// loop (the pool oneDNN uses, sized by omp_get_max_threads() of the calling
/// thread) over batch × query heads × query blocks (the query heads of one
/// kv head share blocks, so GQA decoding reads K and V once per group).
/// Allocates a small per-thread workspace; throws std::bad_alloc if that
/// fails. Safe to call from several threads at once.
///
/// As softmax of only -inf does, a query row that may attend no key (all
/// masked, or none left by causality) gives NaN in every output element.
void runAttention(const AttentionShape &shape, const float *query,
                  const float *key, const float *value, const void *mask,
                  float *output);

/// The instruction sets the kernel has a variant for. The runtime picks the
/// widest this CPU runs; tests and benchmarks name one to cover them all.
enum class AttentionIsa { Generic, Avx2, Avx512 };

/// Whether this CPU (and OS) runs `isa`'s variant.
bool isAttentionIsaSupported(AttentionIsa isa);

/// The widest variant this CPU runs; what runAttention uses.
AttentionIsa getBestAttentionIsa();

/// runAttention with a given variant, which must be supported.
void runAttention(const AttentionShape &shape, const float *query,
                  const float *key, const float *value, const void *mask,
                  float *output, AttentionIsa isa);

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_ATTENTION_H
