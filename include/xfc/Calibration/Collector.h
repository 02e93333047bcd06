//===- Collector.h - Activation statistics of a model's GEMMs ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The calibration collector, shared by quantization and pruning: it runs
// the float model through the executor (the CPU backend itself, nothing
// hand-written) on the fitting samples, with the tensors of interest made
// extra outputs of a copy of the model, and gathers their statistics.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CALIBRATION_COLLECTOR_H
#define XFC_CALIBRATION_COLLECTOR_H

#include "xfc/Calibration/Calibrators.h"
#include "xfc/Calibration/Samples.h"
#include "xfc/Execution/Executor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace xfc::calibration {

/// The attribute that numbers a model's GEMMs with constant weights
/// (findWeightedGemms order) so that the copies made for calibration and
/// evaluation, and the quantized model, can be matched up.
inline constexpr llvm::StringLiteral kGemmIdAttrName = "xf.gemm_id";

/// Numbers the GEMMs of `module` with kGemmIdAttrName; returns how many.
unsigned numberGemms(mlir::ModuleOp module);

/// The model's function: the first public function with a body.
mlir::func::FuncOp getEntryFunction(mlir::ModuleOp module);

/// Which tensor of each GEMM an instrumented model exposes.
enum class GemmTensor { Input, Output };

/// A compiled copy of a model whose numbered GEMMs' inputs or outputs
/// (values shared by several GEMMs listed once) are extra outputs after
/// the model's own.
struct InstrumentedModel {
  std::unique_ptr<Executor> executor;
  /// How many outputs the model itself has (the extra ones follow).
  size_t numOwnOutputs = 0;
  /// For each GEMM number, the output holding its tensor (-1: none, e.g. a
  /// GEMM the model no longer has); an extra one, or the model's own when
  /// the model returns that tensor anyway.
  llvm::SmallVector<int64_t> outputIndex;
  const xfc_model *getModel() const { return executor->getModel(); }
};

mlir::FailureOr<InstrumentedModel>
instrumentGemms(mlir::ModuleOp module, GemmTensor tensor,
                const ExecutorOptions &options);

/// Compiles `module` itself (a copy the caller made: it is changed) with
/// `values` of it as extra outputs; `outputIndex` follows `values` (a null
/// value gets -1).
mlir::FailureOr<InstrumentedModel>
compileWithExtraOutputs(mlir::ModuleOp module, llvm::ArrayRef<mlir::Value> values,
                        const ExecutorOptions &options);

/// Statistics of every numbered GEMM's instrumented tensor over `samples`,
/// indexed by GEMM number; with histograms when `withHistograms` (a second
/// pass, once the ranges are known).
llvm::Expected<std::vector<TensorStats>>
collectStats(const InstrumentedModel &model, llvm::ArrayRef<Sample> samples,
             bool withHistograms);

/// Writes each numbered GEMM's calibration attributes: `xf.input_range`
/// (chosen by `calibrator`) and `xf.input_channel_absmax`.
void annotateGemms(mlir::ModuleOp module, llvm::ArrayRef<TensorStats> stats,
                   Calibrator calibrator, double percentile);

} // namespace xfc::calibration

#endif // XFC_CALIBRATION_COLLECTOR_H
