//===- NumpyIO.h - Read and write .npy files --------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The NumPy .npy format (numpy.lib.format), versions 1.0, 2.0 and 3.0:
// little-endian, C order, dtypes f2 f4 f8 i1 u1 i2 i4 i8 b1. Files are
// untrusted: every length and dimension is checked before it is used, and a
// malformed file yields an error that says what is wrong, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_RUNNER_NUMPYIO_H
#define XFC_RUNNER_NUMPYIO_H

#include "xfc/Runner/HostTensor.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace xfc::runner {

/// What the header dictionary of a .npy file says.
struct NumpyHeader {
  /// The dtype string as written, e.g. "<f4".
  std::string descr;
  xfc_dtype dtype = XFC_DTYPE_F32;
  bool fortranOrder = false;
  llvm::SmallVector<int64_t, 4> shape;
};

/// Parses the header dictionary, e.g.
/// "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }". Rejects
/// unsupported, structured and big-endian dtypes and negative dimensions;
/// Fortran order is reported, not rejected.
llvm::Expected<NumpyHeader> parseNumpyHeader(llvm::StringRef dict);

/// Parses a whole .npy file held in memory. Fortran order is accepted only
/// where it is the same layout as C order (at most one dimension above 1).
llvm::Expected<HostTensor> parseNumpy(llvm::StringRef contents);

/// Reads the .npy file at `path`; errors name the file.
llvm::Expected<HostTensor> readNumpyFile(llvm::StringRef path);

/// Writes `tensor` in .npy format (version 1.0, or 2.0 for a header over
/// 64 KiB), its data aligned to 64 bytes as NumPy does. bf16 has no .npy
/// dtype: convert it first.
llvm::Error writeNumpy(llvm::raw_ostream &os, const HostTensor &tensor);

/// Writes `tensor` to `path` through a temporary file in the same directory
/// that is renamed over `path` when complete.
llvm::Error writeNumpyFile(llvm::StringRef path, const HostTensor &tensor);

} // namespace xfc::runner

#endif // XFC_RUNNER_NUMPYIO_H
