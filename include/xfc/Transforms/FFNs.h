//===- FFNs.h - The feed-forward blocks of a Transformer --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A Transformer FFN is up-projection(s), an elementwise activation and a
// down-projection: act(x·W1 + b1)·W2 + b2 (SwiGLU: silu(x·Wg)·(x·Wu)·Wd).
// Intermediate neuron j is column j of the up-projections, lane j of every
// elementwise op in between and row j of the down-projection. Shared by
// xf-prune-ffn and the driver's budgeted pruning, so that both rank the
// neurons the same way.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_TRANSFORMS_FFNS_H
#define XFC_TRANSFORMS_FFNS_H

#include "xfc/Transforms/WeightedGemms.h"

#include "llvm/ADT/SetVector.h"

namespace xfc {

struct FFN {
  llvm::SmallVector<WeightedGemm> ups;
  WeightedGemm down;
  /// The elementwise ops between the up- and down-projections.
  llvm::SetVector<mlir::Operation *> between;
  /// The number of intermediate neurons.
  int64_t width = 0;
};

/// The FFNs under `root` in program order: a down-projection whose input
/// is computed from up-projections by elementwise ops only (with per-neuron
/// or scalar constants), none of them read from outside.
llvm::SmallVector<FFN> findFFNs(mlir::Operation *root);

/// Neuron j's importance: Σn |W2[j, n]|, times the calibrated norm of the
/// down-projection's input channel j (`xf.input_channel_norm`) with
/// `wanda`. The caller checks that the norms are there.
std::vector<double> getNeuronImportance(const FFN &ffn, bool wanda);

} // namespace xfc

#endif // XFC_TRANSFORMS_FFNS_H
