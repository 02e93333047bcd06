//===- QuantizeModel.h - Calibrate, quantize, gate, report ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What `xfc --quantize=MODE` does between graph-opt and the backend:
// calibrate on the fitting samples (twice with SmoothQuant: before and
// after the smoothing), run xf-smooth-quant and xf-quantize, evaluate the
// result against the float model on the held-out samples, fall back to
// float for GEMMs that fail the per-layer gate and then, worst first, until
// the output gate holds, and report all of it.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CALIBRATION_QUANTIZEMODEL_H
#define XFC_CALIBRATION_QUANTIZEMODEL_H

#include "xfc/Execution/Executor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

#include "xfc/Calibration/PruneModel.h"

namespace xfc::calibration {

struct QuantizeModelOptions {
  /// w8a8 | w8a8-dynamic | w8 | w4 | "" (SmoothQuant alone, or nothing).
  std::string mode;
  int64_t groupSize = 128;
  bool symmetric = true;
  /// xf-smooth-quant's alpha, when SmoothQuant runs.
  std::optional<double> smoothQuantAlpha;
  /// Structured pruning before quantizing (PruneModel.h); the defaults
  /// prune nothing.
  PruneModelOptions prune;
  /// Calibration data: a directory, or a number of synthetic samples.
  std::string calibrationDir;
  int64_t calibrationSamples = 0;
  uint64_t seed = 0;
  std::string calibrator = "minmax";
  double percentile = 99.99;
  double heldOutFraction = 0.25;
  /// Gates; unset means the mode's default.
  std::optional<double> minCosine, minArgmaxAgreement, minLayerSqnrDb;
  /// The outputs the argmax gate applies to; empty: those whose name
  /// contains "logits" (argmax over a hidden state is not a prediction, so
  /// it is reported for every output but gated only for these).
  std::vector<std::string> argmaxOutputs;
  /// JSON report (and PATH.html beside it); empty: the summary only.
  std::string reportPath;
  /// The float model's: the reference the candidates are compared with.
  ExecutorOptions executor;
  /// "fp32", or "bf16": the compressed model's float GEMMs (kept in float
  /// or not quantized at all) multiply in bf16 (`--precision=bf16`).
  std::string precision = "fp32";
};

/// Rewrites `module` (xf after graph-opt) in place. Errors are reported as
/// diagnostics on the module; the summary goes to `log`.
mlir::LogicalResult quantizeModel(mlir::ModuleOp module,
                                  const QuantizeModelOptions &options,
                                  llvm::raw_ostream &log);

} // namespace xfc::calibration

#endif // XFC_CALIBRATION_QUANTIZEMODEL_H
