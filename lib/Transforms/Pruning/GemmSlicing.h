//===- GemmSlicing.h - Shrinking a constant-weight GEMM ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What structured pruning does to the GEMMs on either side of the units it
// removes (FFN neurons, attention heads): keep some output columns of the
// producing GEMM (and its bias), keep the matching input rows of the
// consuming GEMM (and its calibration statistics), and move what the removed
// units contributed on average into the consuming GEMM's bias.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_LIB_TRANSFORMS_PRUNING_GEMMSLICING_H
#define XFC_LIB_TRANSFORMS_PRUNING_GEMMSLICING_H

#include "xfc/Transforms/WeightedGemms.h"

namespace xfc::pruning {

/// The calibration statistics of a GEMM's input channels that slicing its
/// input must keep in step.
inline constexpr llvm::StringLiteral kInputNormAttrName =
    "xf.input_channel_norm";
inline constexpr llvm::StringLiteral kInputMeanAttrName =
    "xf.input_channel_mean";

/// Keeps output columns `keep` (sorted) of `gemm`'s weight and bias; the
/// GEMM's result types narrow accordingly.
void keepOutputColumns(const WeightedGemm &gemm, llvm::ArrayRef<int64_t> keep);

/// Keeps input rows `keep` (sorted) of `gemm`'s weight, and the same lanes
/// of its input statistics. The input's producer must be narrowed by the
/// caller.
void keepInputRows(const WeightedGemm &gemm, llvm::ArrayRef<int64_t> keep);

/// Zeroes input rows `rows` of `gemm`'s weight (shapes unchanged): what
/// removing them must equal.
void zeroInputRows(const WeightedGemm &gemm, llvm::ArrayRef<int64_t> rows);

/// What input rows `rows` of `gemm` add to its output on average, from the
/// calibrated input means (`xf.input_channel_mean`): `Σj mean_j · W[j, :]`.
/// Empty when the GEMM carries no means.
std::vector<float> getMeanContribution(const WeightedGemm &gemm,
                                       llvm::ArrayRef<int64_t> rows);

/// Adds `extra` ([N]) to `gemm`'s result: into its bias when it has one,
/// else as a new bias add.
void addToBias(const WeightedGemm &gemm, llvm::ArrayRef<float> extra);

} // namespace xfc::pruning

#endif // XFC_LIB_TRANSFORMS_PRUNING_GEMMSLICING_H
