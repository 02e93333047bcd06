//===- Error.h - How the runtime reports failures internally ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Inside the runtime a failure is a thrown RuntimeError carrying the C API
// status. oneDNN's C++ API already reports by throwing dnnl::error, so one
// catch at the C boundary (Runtime.cpp) turns both into an xfc_error; no
// exception ever reaches the caller or the generated code.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_ERROR_H
#define XFC_BACKENDS_RUNTIME_ERROR_H

#include "xfc-c/runtime.h"

#include <stdexcept>
#include <string>

namespace xfc::runtime {

class RuntimeError : public std::runtime_error {
public:
  RuntimeError(xfc_status status, const std::string &message)
      : std::runtime_error(message), status(status) {}

  xfc_status getStatus() const { return status; }

private:
  xfc_status status;
};

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_ERROR_H
