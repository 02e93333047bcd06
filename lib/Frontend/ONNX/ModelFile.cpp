//===- ModelFile.cpp - Load any model file the tools accept ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Frontend/ONNX.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Path.h"

#include <optional>

using namespace mlir;

OwningOpRef<ModuleOp> xfc::loadModelFile(MLIRContext &context,
                                         llvm::StringRef path,
                                         const ONNXImportOptions &options,
                                         llvm::raw_ostream *parseErrors) {
  StringRef extension = llvm::sys::path::extension(path);
  if (extension != ".mlir" && extension != ".mlirbc")
    return importONNXModel(context, path, options);
  llvm::SourceMgr sourceMgr;
  std::optional<SourceMgrDiagnosticHandler> handler;
  if (parseErrors)
    handler.emplace(sourceMgr, &context, *parseErrors);
  return parseSourceFile<ModuleOp>(path, sourceMgr, ParserConfig(&context));
}
