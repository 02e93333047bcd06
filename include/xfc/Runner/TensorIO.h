//===- TensorIO.h - Read and write tensor files -----------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Tensor files xfc-run reads and writes: NumPy .npy (NumpyIO.h) and
// serialized ONNX TensorProto .pb files, the format of the ONNX test data
// sets (test_data_set_0/input_0.pb). Like .npy files, .pb files are
// untrusted: sizes are checked against the shape before anything is copied.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_RUNNER_TENSORIO_H
#define XFC_RUNNER_TENSORIO_H

#include "xfc/Runner/HostTensor.h"

#include <string>

namespace xfc::runner {

/// Parses a serialized onnx.TensorProto. Reads raw_data and the typed fields
/// float_data, double_data, int64_data and int32_data (which holds every
/// narrower type, f16/bf16 as bit patterns). Stores the proto's name in
/// `name` when given.
llvm::Expected<HostTensor> parseTensorProto(llvm::StringRef contents,
                                            std::string *name = nullptr);

/// Serializes `tensor` as an onnx.TensorProto with raw_data.
llvm::Expected<std::string> serializeTensorProto(const HostTensor &tensor,
                                                 llvm::StringRef name);

/// Reads a .npy file (recognized by its magic string, whatever its name) or a
/// TensorProto file (a name ending in .pb). Errors name the file.
llvm::Expected<HostTensor> readTensorFile(llvm::StringRef path);

/// Writes `tensor` as a TensorProto named `name` when `path` ends in .pb and
/// as .npy otherwise, through a temporary file renamed over `path`.
llvm::Error writeTensorFile(llvm::StringRef path, const HostTensor &tensor,
                            llvm::StringRef name = "");

} // namespace xfc::runner

#endif // XFC_RUNNER_TENSORIO_H
