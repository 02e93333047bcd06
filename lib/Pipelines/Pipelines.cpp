//===- Pipelines.cpp - xfc's named compilation phases ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Pipelines/Pipelines.h"

#include "xfc/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace xfc {

StringRef getPhaseName(Phase phase) {
  switch (phase) {
  case Phase::Import:
    return "import";
  case Phase::GraphOpt:
    return "graph-opt";
  }
  llvm_unreachable("unknown phase");
}

std::optional<Phase> parsePhase(StringRef name) {
  for (Phase phase : {Phase::Import, Phase::GraphOpt})
    if (getPhaseName(phase) == name)
      return phase;
  return std::nullopt;
}

void buildGraphOptPipeline(OpPassManager &pm,
                           const GraphOptPipelineOptions &options) {
  // Before canonicalization, which folds QDQ pairs into plain floats.
  pm.addPass(createLiftQDQGemmsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

//===----------------------------------------------------------------------===//
// Pipeline Registration
//===----------------------------------------------------------------------===//

void registerPipelines() {
  PassPipelineRegistration<GraphOptPipelineOptions>(
      "xfc-graph-opt-pipeline",
      "The graph-opt phase of xfc: canonicalize and CSE the xf module",
      buildGraphOptPipeline);
}

} // namespace xfc
