//===- Report.h - The compression report ------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What a compression changed and how far the outputs moved, written three
// ways: a summary on stderr, JSON for scripts, and an HTML page with the
// per-layer SQNR plotted.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CALIBRATION_REPORT_H
#define XFC_CALIBRATION_REPORT_H

#include "xfc/Calibration/Evaluator.h"
#include "xfc/Calibration/PruneModel.h"
#include "xfc/Calibration/Samples.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/MapVector.h"

#include <optional>
#include <string>
#include <vector>

namespace xfc::calibration {

struct Report {
  std::string mode;
  /// The float GEMMs' precision: "fp32" or "bf16".
  std::string precision = "fp32";
  const SampleSplit *samples = nullptr;
  std::string calibrator;
  std::optional<double> smoothQuantAlpha;
  /// Structured pruning, when it ran: what changed, the GEMMs' parameters
  /// and FLOPs (per run) before and after, and the measured latency of one
  /// run before and after everything (pruning and quantization).
  std::optional<PruningSummary> pruning;
  std::optional<double> latencyBeforeMs, latencyAfterMs;
  /// Per GEMM number: its name and [K, N].
  std::vector<std::string> names;
  std::vector<std::pair<int64_t, int64_t>> shapes;
  double minCosine = 0, minArgmax = 0, minLayerSqnr = 0;
  /// The outputs the argmax gate names; empty: "*logits*".
  std::vector<std::string> argmaxGateOutputs;
  /// GEMMs kept in float, with the reason.
  llvm::MapVector<int64_t, std::string> fallbacks;
  std::optional<Evaluation> evaluation;
  /// Per GEMM number, the SQNR of the GEMM quantized alone (fed float
  /// activations); +inf when not measured.
  std::vector<double> ownSqnr;
  int rounds = 0;
  bool gatePassed = false;
  std::string gateFailure;
};

llvm::json::Value toJSON(const Report &report);

/// Prints the summary to `log`; with a path, writes the JSON there and the
/// HTML page to PATH.html (each atomically).
mlir::LogicalResult writeReport(const Report &report, llvm::StringRef path,
                                llvm::raw_ostream &log);

} // namespace xfc::calibration

#endif // XFC_CALIBRATION_REPORT_H
