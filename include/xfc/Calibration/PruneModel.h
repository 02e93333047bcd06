//===- PruneModel.h - Measure, choose and remove structure ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The driver's pruning: what the xf-prune-* passes remove is chosen on
// calibration data. Whole sublayers go FinerCut-style (greedily, the one
// whose removal moves the output least), heads by how much the output
// moves when each alone is removed, FFN neurons by Wanda. Removal is
// measured without recompiling: one copy of the model is compiled with a
// multiplicative gate on every head and sublayer as extra inputs, and
// "removing" is running it with gates at zero.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CALIBRATION_PRUNEMODEL_H
#define XFC_CALIBRATION_PRUNEMODEL_H

#include "xfc/Calibration/Samples.h"
#include "xfc/Execution/Executor.h"

#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace xfc::calibration {

struct PruneModelOptions {
  /// Fraction of each attention's heads (xf-prune-heads).
  std::optional<double> headsRatio;
  /// Fraction of each FFN's neurons (xf-prune-ffn).
  std::optional<double> ffnRatio;
  /// Whole sublayers to remove (xf-prune-layers), chosen greedily.
  int64_t numLayers = 0;
  /// Budgeted mode: the fraction of the GEMM FLOPs to keep; heads (KV
  /// groups under GQA) and groups of FFN neurons are removed in order of
  /// output change per FLOP until the model fits.
  std::optional<double> flopBudget;
  /// Budgeted mode's per-layer gate: a layer whose chosen removals alone
  /// move the output more than this (relative squared error) is left
  /// unpruned.
  double maxLayerChange = 0.05;
  /// Fraction of every GEMM's weights to zero (xf-prune-unstructured).
  std::optional<double> unstructuredSparsity;
  /// N:M sparsity of every GEMM's weights (xf-prune-nm): keep `first` of
  /// every `second`.
  std::optional<std::pair<int64_t, int64_t>> nm;
  /// wanda or magnitude, for FFN neurons and single weights alike.
  std::string ffnImportance = "wanda";
  /// calibrated (measured removal) or weights (xf-prune-heads importance).
  std::string headImportance = "calibrated";
  std::string gqa = "groups";
};

/// What pruning did, for the report.
struct PruningSummary {
  /// One line per change, e.g. "layer 3 attention: heads 12 -> 8".
  std::vector<std::string> changes;
  int64_t paramsBefore = 0, paramsAfter = 0;
  int64_t flopsBefore = 0, flopsAfter = 0;
  /// GEMM weights zeroed in place by unstructured or N:M sparsity (counted
  /// in paramsAfter: the shapes do not change).
  int64_t zeroWeights = 0;
};

/// The GEMM parameters and FLOPs per run of `module`.
void countGemms(mlir::ModuleOp module, int64_t &params, int64_t &flops);

/// Prunes `module` as `options` ask, measuring on `samples`; `calibrate`
/// refreshes the activation statistics the FFN importance reads.
mlir::LogicalResult
pruneModel(mlir::ModuleOp module, const PruneModelOptions &options,
           llvm::ArrayRef<Sample> samples, const ExecutorOptions &executor,
           llvm::function_ref<mlir::LogicalResult()> calibrate,
           PruningSummary &summary, llvm::raw_ostream &log);

/// The median time of one run of `module`, compiled alone, over `samples`
/// (each run `repeats` times), in milliseconds.
llvm::Expected<double> measureLatency(mlir::ModuleOp module,
                                      llvm::ArrayRef<Sample> samples,
                                      const ExecutorOptions &executor,
                                      int repeats = 3);

} // namespace xfc::calibration

#endif // XFC_CALIBRATION_PRUNEMODEL_H
