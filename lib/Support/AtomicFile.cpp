//===- AtomicFile.cpp - Write a file completely or not at all -------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Support/AtomicFile.h"

#include "llvm/Support/FileSystem.h"

using namespace llvm;

Error xfc::writeFileAtomically(
    StringRef path, function_ref<LogicalResult(raw_fd_ostream &)> write) {
  auto fail = [&](const Twine &what) {
    return createStringError(inconvertibleErrorCode(),
                             what + " '" + path + "'");
  };
  if (path == "-") {
    LogicalResult result = write(outs());
    outs().flush();
    return succeeded(result) ? Error::success() : fail("failed writing");
  }
  Expected<sys::fs::TempFile> temp =
      sys::fs::TempFile::create(path + ".tmp-%%%%%%");
  if (!temp)
    return createStringError(inconvertibleErrorCode(),
                             "cannot write '" + path +
                                 "': " + toString(temp.takeError()));
  bool ok;
  {
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    ok = succeeded(write(os));
    os.flush();
    ok = ok && !os.has_error();
    if (os.has_error())
      os.clear_error();
  }
  if (!ok) {
    consumeError(temp->discard());
    return fail("failed writing");
  }
  if (Error error = temp->keep(path))
    return createStringError(inconvertibleErrorCode(),
                             "cannot write '" + path +
                                 "': " + toString(std::move(error)));
  return Error::success();
}
