//===- Pipelines.h - xfc's named compilation phases -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The driver compiles in named phases, as IREE's --compile-to does; each
// phase after import is a pass pipeline registered by name, so
// `xfc-opt --xfc-graph-opt-pipeline` replays exactly what `xfc` runs.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_PIPELINES_PIPELINES_H
#define XFC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace xfc {

/// The phases of a compilation, in order.
enum class Phase {
  /// The model as the frontend imports it (ONNX → xf), nothing more.
  Import,
  /// Graph-level cleanup on xf: canonicalization (folds, compositions) and
  /// common-subexpression elimination.
  GraphOpt,
};

/// The phase's name as `--compile-to` spells it.
llvm::StringRef getPhaseName(Phase phase);
/// Parses a `--compile-to` value; std::nullopt if unknown.
std::optional<Phase> parsePhase(llvm::StringRef name);

/// Options of the graph-optimization pipeline.
struct GraphOptPipelineOptions
    : public mlir::PassPipelineOptions<GraphOptPipelineOptions> {};

/// Adds the passes of the graph-opt phase to `pm`.
void buildGraphOptPipeline(mlir::OpPassManager &pm,
                           const GraphOptPipelineOptions &options);

/// Registers every named pipeline (xfc-graph-opt-pipeline, ...).
void registerPipelines();

} // namespace xfc

#endif // XFC_PIPELINES_PIPELINES_H
