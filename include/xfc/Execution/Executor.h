//===- Executor.h - Run xf modules in-process on this CPU -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The compiler's own way to run a model (calibration, pruning sensitivity,
// `xfc-run model.onnx`): the module goes through exactly the CPU backend
// that `xfc --target=cpu` runs, into a temporary artifact that the runtime
// loads. The temporary files are deleted as soon as the model is loaded
// (the runtime keeps its mappings), so nothing is left behind.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_EXECUTION_EXECUTOR_H
#define XFC_EXECUTION_EXECUTOR_H

#include "xfc-c/runtime.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace xfc {

struct ExecutorOptions {
  /// `--cpu-gemm`: "onednn" or "codegen".
  std::string gemm = "onednn";
  /// `--cpu`: "host" or an LLVM CPU name.
  std::string cpu = "host";
  /// Threads for oneDNN (0: the runtime's default).
  int numThreads = 0;
  /// `--precision`: "fp32" or "bf16".
  std::string precision = "fp32";
  /// `--input-shape` values for model files with symbolic dimensions.
  std::vector<std::string> inputShapes;
};

class Executor {
public:
  /// Compiles `module` — xf, after graph-opt; it is lowered in place —
  /// and loads it. Errors are emitted as diagnostics on the module.
  static mlir::FailureOr<std::unique_ptr<Executor>>
  create(mlir::ModuleOp module, const ExecutorOptions &options);

  /// Imports a model file (.onnx, .onnxtxt, .mlir, .mlirbc), runs
  /// graph-opt, compiles and loads it; diagnostics become the error.
  static llvm::Expected<std::unique_ptr<Executor>>
  createFromFile(llvm::StringRef path, const ExecutorOptions &options);

  ~Executor();
  Executor(const Executor &) = delete;
  Executor &operator=(const Executor &) = delete;

  /// The loaded model: describe and run it with the runtime's C API.
  const xfc_model *getModel() const { return model; }
  /// Hands the model to the caller, who frees it with xfc_model_free.
  xfc_model *release() { return std::exchange(model, nullptr); }

private:
  explicit Executor(xfc_model *model) : model(model) {}
  xfc_model *model;
};

} // namespace xfc

#endif // XFC_EXECUTION_EXECUTOR_H
