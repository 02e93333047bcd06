//===- AtomicFile.h - Write a file completely or not at all -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_SUPPORT_ATOMICFILE_H
#define XFC_SUPPORT_ATOMICFILE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/LogicalResult.h"
#include "llvm/Support/raw_ostream.h"

namespace xfc {

/// Writes `path` ("-": standard output) with `write`, through a temporary
/// file in the same directory that is renamed into place only when `write`
/// succeeded and everything reached the disk; otherwise the temporary is
/// removed and nothing is left behind. The error names the path.
llvm::Error writeFileAtomically(
    llvm::StringRef path,
    llvm::function_ref<llvm::LogicalResult(llvm::raw_fd_ostream &)> write);

} // namespace xfc

#endif // XFC_SUPPORT_ATOMICFILE_H
