//===- Runner.h - Load, run, check and time an xfc model --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The logic of xfc-run (tools/xfc-run is a one-line main): loads a compiled
// artifact through the runtime C API (or, later, compiles a model file
// in-process), feeds it inputs from .npy/.pb files or seeded random values,
// writes the outputs as .npy files, compares them with expected ones and
// measures latency. docs/xfc-run.md describes the command line.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_RUNNER_RUNNER_H
#define XFC_RUNNER_RUNNER_H

#include "xfc/Runner/HostTensor.h"
#include "xfc/Runner/RunnerUtils.h"

#include "llvm/ADT/StringMap.h"

#include <functional>
#include <string>
#include <vector>

namespace xfc::runner {

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

/// How to load a model or an artifact.
struct ModelLoadOptions {
  /// xfc_load_options.num_threads: 0 keeps the runtime's default
  /// (OMP_NUM_THREADS, else all cores).
  int32_t numThreads = 0;
  /// Concrete input shapes by input name (`--input-shape NAME=1x128`), in
  /// the form ONNXImportOptions::inputShapes takes. A model file is compiled
  /// with them; an artifact's shapes are fixed, so they must agree with it.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// The same as given on the command line ("NAME=1x128"), in order, for
  /// ExecutorOptions::inputShapes.
  std::vector<std::string> inputShapeArguments;
};

/// Owns a loaded xfc_model (freed with xfc_model_free) and, optionally, a
/// callback run after it is freed that releases what the model needed alive
/// (e.g. the temporary artifact of a model compiled in-process).
class ModelHandle {
public:
  ModelHandle() = default;
  explicit ModelHandle(xfc_model *model,
                       std::function<void()> releaseAfterFree = {})
      : model(model), releaseAfterFree(std::move(releaseAfterFree)) {}
  ModelHandle(ModelHandle &&other) noexcept { *this = std::move(other); }
  ModelHandle &operator=(ModelHandle &&other) noexcept;
  ModelHandle(const ModelHandle &) = delete;
  ModelHandle &operator=(const ModelHandle &) = delete;
  ~ModelHandle() { reset(); }

  xfc_model *get() const { return model; }
  explicit operator bool() const { return model != nullptr; }
  void reset();

private:
  xfc_model *model = nullptr;
  std::function<void()> releaseAfterFree;
};

/// Loads the artifact at `path` (what was given to `xfc -o`, or PATH.so) or
/// compiles the model file at `path` in-process.
llvm::Expected<ModelHandle>
loadModelOrArtifact(llvm::StringRef path, const ModelLoadOptions &options);

/// The whole tool: parses the command line and returns the exit code
/// (0: done, 1: an output is out of tolerance, 2: an error).
int runRunnerMain(int argc, char **argv);

} // namespace xfc::runner

#endif // XFC_RUNNER_RUNNER_H
