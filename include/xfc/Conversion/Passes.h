//===- Passes.h - xfc conversion passes -------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CONVERSION_PASSES_H
#define XFC_CONVERSION_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include "xfc/Conversion/XFToLinalg.h"

namespace xfc {

#define GEN_PASS_DECL
#include "xfc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "xfc/Conversion/Passes.h.inc"

} // namespace xfc

#endif // XFC_CONVERSION_PASSES_H
