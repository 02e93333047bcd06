//===- RunnerUtils.h - Pieces of xfc-run that need no runtime ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The parts of xfc-run that do not call the runtime (command-line values,
// generated inputs, output file names, latency statistics), in the
// XFCRunnerSupport library with the tensor I/O so that unit tests need no
// runtime.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_RUNNER_RUNNERUTILS_H
#define XFC_RUNNER_RUNNERUTILS_H

#include "xfc/Runner/HostTensor.h"

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace xfc::runner {

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

/// True when `path` names a model to compile (.onnx, .onnxtxt, .mlir,
/// .mlirbc) rather than an artifact.
bool isModelFile(llvm::StringRef path);


//===----------------------------------------------------------------------===//
// Inputs, outputs and timing
//===----------------------------------------------------------------------===//

/// An input xfc-run made up, and how (for the message on stderr).
struct GeneratedInput {
  HostTensor tensor;
  std::string how;
};

/// Fills an input of the given description from a generator seeded with
/// `seed` and the input's position, so that giving another input from a file
/// does not change this one. Floats: uniform in [-1, 1). Integers: all ones
/// when the name contains "mask", zeros for "token_type"/"segment", 0, 1, 2,
/// ... along the last axis for "position", else uniform in [0, 100). Bool:
/// true.
llvm::Expected<GeneratedInput> generateInput(const xfc_tensor &description,
                                             uint64_t seed, size_t position);

/// The file names (without directory and ".npy") of outputs with these
/// names: characters other than letters, digits, '.', '-' and '_' become
/// '_', a leading '.' becomes '_', and names that collide get "_2", "_3", ...
std::vector<std::string>
getOutputFileStems(llvm::ArrayRef<std::string> outputNames);

/// Latency statistics over per-run samples in milliseconds (percentiles
/// interpolated as numpy.percentile does).
struct LatencyStats {
  double medianMs = 0;
  double p90Ms = 0;
  double minMs = 0;
  double meanMs = 0;
  size_t iterations = 0;
};
LatencyStats computeLatencyStats(llvm::ArrayRef<double> samplesMs);

} // namespace xfc::runner

#endif // XFC_RUNNER_RUNNERUTILS_H
