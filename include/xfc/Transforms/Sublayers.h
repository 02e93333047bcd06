//===- Sublayers.h - The residual branches of a Transformer -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A Transformer layer is two sublayers, each a residual branch added back to
// the stream it was computed from: x + attention(x) and x + FFN(x), with the
// LayerNorm before the branch (pre-LN: LLaMA, GPT-2) or after the sum
// (post-LN: BERT). Removing a sublayer is replacing the sum by x; the
// LayerNorm stays where it is either way, which is what makes the same
// rewrite right for both. Shared by xf-prune-layers and the driver's
// layer-removal search.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_TRANSFORMS_SUBLAYERS_H
#define XFC_TRANSFORMS_SUBLAYERS_H

#include "xfc/Dialect/XF/XFOps.h"

#include "llvm/ADT/SmallVector.h"

namespace xfc {

struct Sublayer {
  enum class Kind { Attention, FFN };
  Kind kind;
  /// The residual sum, `branch + skip`.
  xf::AddOp residualAdd;
  /// What the sublayer computes from `skip`, read only by the sum.
  mlir::Value branch;
  mlir::Value skip;
};

/// "attention" or "ffn".
llvm::StringRef getSublayerKindName(Sublayer::Kind kind);

/// The residual sublayers under `root`, in program order: sums of two
/// same-shaped values where one (the branch, used only there) is computed
/// from the other through an xf.attention (attention) or, without one,
/// through a GEMM with a constant weight (FFN).
llvm::SmallVector<Sublayer> findSublayers(mlir::Operation *root);

} // namespace xfc

#endif // XFC_TRANSFORMS_SUBLAYERS_H
