//===- WeightSparsity.h - Zeroing single GEMM weights -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What the two weight-sparsity passes (xf-prune-unstructured, xf-prune-nm)
// share: which GEMMs they may touch, the importance of each weight
// (magnitude |W[n, k]|, or Wanda's |W[n, k]| · ‖X_k‖₂ with the calibrated
// input-channel norms), and writing the zeroed weight back with the
// `xf.sparsity` / `xf.sparsity_pattern` annotations. Shapes never change:
// these passes save storage (the CPU artifact compresses mostly-zero
// weights), not time, until a sparse GEMM kernel exists.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_LIB_TRANSFORMS_PRUNING_WEIGHTSPARSITY_H
#define XFC_LIB_TRANSFORMS_PRUNING_WEIGHTSPARSITY_H

#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Support/LLVM.h"

#include <vector>

namespace xfc::pruning {

/// `xf.prune = false` on a GEMM keeps its weight as it is.
inline constexpr llvm::StringLiteral kPruneAttrName = "xf.prune";
/// The fraction of zeros in a rewritten weight (f32), and how they were
/// chosen ("unstructured", "2:4", ...).
inline constexpr llvm::StringLiteral kSparsityAttrName = "xf.sparsity";
inline constexpr llvm::StringLiteral kSparsityPatternAttrName =
    "xf.sparsity_pattern";

/// The GEMMs with constant f32 weights under `root` that the pass may
/// rewrite (those without `xf.prune = false`). Emits an error naming
/// `pass` and fails when `root` has no GEMM with a constant weight at all.
mlir::FailureOr<llvm::SmallVector<WeightedGemm>>
getPrunableGemms(mlir::Operation *root, llvm::StringRef pass);

/// Checks `importance` (magnitude or wanda) and, for wanda, that every GEMM
/// carries K calibrated input norms; emits the errors. Returns whether
/// Wanda scoring applies.
mlir::FailureOr<bool> checkImportance(mlir::Operation *root,
                                      llvm::ArrayRef<WeightedGemm> gemms,
                                      llvm::StringRef pass,
                                      llvm::StringRef importance);

/// Each weight's importance in [N, K] order (row n = output channel n):
/// |W[n, k]|, times the input norm ‖X_k‖ when `wanda`.
std::vector<double> getWeightImportance(const WeightedGemm &gemm, bool wanda);

/// Indices of `scores[begin, end)` (absolute), the `count` lowest first;
/// ties go to the lower index, so the choice is deterministic.
std::vector<int64_t> getLowest(llvm::ArrayRef<double> scores, int64_t begin,
                               int64_t end, int64_t count);

/// Replaces `gemm`'s weight by a copy with the entries `zero` ([N, K]
/// order, nonzero = zeroed) set to 0, in the constant's own form (dense or
/// dense_resource), and annotates the GEMM with the achieved sparsity and
/// `pattern`.
void applyZeroMask(const WeightedGemm &gemm, llvm::ArrayRef<char> zero,
                   llvm::StringRef pattern);

} // namespace xfc::pruning

#endif // XFC_LIB_TRANSFORMS_PRUNING_WEIGHTSPARSITY_H
