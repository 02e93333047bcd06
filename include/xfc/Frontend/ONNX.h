//===- ONNX.h - Import ONNX models into the xf dialect ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The ONNX frontend: reads an untrusted ONNX model (binary ModelProto, or the
// ONNX text syntax for tests), validates it, and builds a module with one
// function, @main, in the xf dialect. Weights become dense_resource blobs
// that alias the parsed protobuf or the mmapped external data, never IR text.
// Every problem is reported as an error diagnostic on the MLIRContext that
// names the model, the node or tensor, what is wrong and what to do.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_FRONTEND_ONNX_H
#define XFC_FRONTEND_ONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace xfc {

/// Options of the ONNX importer.
struct ONNXImportOptions {
  /// Concrete shapes for graph inputs, by input name (`--input-shape`). They
  /// replace symbolic dimensions; a static dimension must agree.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Initializers of at least this many bytes become dense_resource blobs;
  /// smaller ones stay inline, where constant folding can read them.
  int64_t resourceThresholdBytes = 256;
};

/// Parses "NAME=1x128" (dims separated by 'x'; an empty list "NAME=" is a
/// scalar) into `options.inputShapes`. Returns an error message on failure.
std::string parseInputShapeOption(llvm::StringRef text,
                                  ONNXImportOptions &options);

/// The operators the importer supports, as "Domain:OpType" ("" is the
/// default ONNX domain), sorted.
std::vector<std::string> getSupportedONNXOperators();

/// Imports the model at `path`. Errors are emitted on `context` (use a
/// diagnostic handler to print them) and yield nullptr.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXModel(mlir::MLIRContext &context, llvm::StringRef path,
                const ONNXImportOptions &options);

/// Any model file xfc and xfc-run take: ONNX (.onnx, .onnxtxt) through the
/// importer, xf MLIR (.mlir text, .mlirbc bytecode) parsed. MLIR parse
/// errors are printed to `parseErrors` with their source line when it is
/// given, else they go to the context's diagnostic handlers like every
/// other error. Null after a diagnosed error.
mlir::OwningOpRef<mlir::ModuleOp>
loadModelFile(mlir::MLIRContext &context, llvm::StringRef path,
              const ONNXImportOptions &options,
              llvm::raw_ostream *parseErrors = nullptr);

} // namespace xfc

#endif // XFC_FRONTEND_ONNX_H
