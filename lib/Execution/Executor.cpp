//===- Executor.cpp - Run xf modules in-process on this CPU ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Execution/Executor.h"

#include "xfc/Backends/CPU/Codegen.h"
#include "xfc/Frontend/ONNX.h"
#include "xfc/InitAllDialects.h"
#include "xfc/Pipelines/Pipelines.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace xfc {

FailureOr<std::unique_ptr<Executor>>
Executor::create(ModuleOp module, const ExecutorOptions &options) {
  FailureOr<std::pair<std::vector<cpu::TensorSignature>,
                      std::vector<cpu::TensorSignature>>>
      signature = cpu::getEntrySignature(module);
  if (failed(signature))
    return failure();
  cpu::CPUPipelineOptions pipelineOptions;
  pipelineOptions.gemm = options.gemm;
  PassManager pm(module->getContext());
  cpu::buildCPULinalgPipeline(pm, pipelineOptions);
  cpu::buildCPULLVMPipeline(pm, pipelineOptions);
  if (failed(pm.run(module)))
    return failure();

  SmallString<128> directory;
  if (std::error_code error =
          llvm::sys::fs::createUniqueDirectory("xfc-executor", directory))
    return module.emitError("cannot create a temporary directory: ")
           << error.message();
  llvm::scope_exit removeDirectory(
      [&] { llvm::sys::fs::remove_directories(directory); });
  SmallString<128> path = directory;
  llvm::sys::path::append(path, "model");
  cpu::CPUTargetOptions target;
  target.cpu = options.cpu;
  target.precision = options.precision;
  if (failed(cpu::writeCPUOutput(module, path, cpu::CPUOutputKind::Artifact,
                                 target, signature->first, signature->second)))
    return failure();

  xfc_load_options loadOptions = {};
  loadOptions.num_threads = options.numThreads;
  xfc_model *model = nullptr;
  xfc_error *error = nullptr;
  if (xfc_model_load(path.c_str(), &loadOptions, &model, &error) != XFC_OK) {
    InFlightDiagnostic diag = module.emitError("the compiled model does not "
                                               "load: ")
                              << (error ? xfc_error_message(error) : "");
    xfc_error_free(error);
    return diag;
  }
  return std::unique_ptr<Executor>(new Executor(model));
}

llvm::Expected<std::unique_ptr<Executor>>
Executor::createFromFile(StringRef path, const ExecutorOptions &options) {
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  std::string messages;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error) {
      if (!messages.empty())
        messages += "\n";
      messages += diag.str();
    }
    return success();
  });
  auto fail = [&]() {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot compile '" + path + "': " +
                                       messages);
  };

  ONNXImportOptions importOptions;
  for (const std::string &shape : options.inputShapes) {
    std::string error = parseInputShapeOption(shape, importOptions);
    if (!error.empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
  }
  // Parse errors too reach the collecting handler above.
  OwningOpRef<ModuleOp> module = loadModelFile(context, path, importOptions);
  if (!module)
    return fail();
  PassManager pm(&context);
  buildGraphOptPipeline(pm, GraphOptPipelineOptions());
  if (failed(pm.run(*module)))
    return fail();
  FailureOr<std::unique_ptr<Executor>> executor = create(*module, options);
  if (failed(executor))
    return fail();
  return std::move(*executor);
}

Executor::~Executor() {
  if (model)
    xfc_model_free(model);
}

} // namespace xfc
