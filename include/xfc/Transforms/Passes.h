//===- Passes.h - xfc graph passes ------------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_TRANSFORMS_PASSES_H
#define XFC_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace xfc {

#define GEN_PASS_DECL
#include "xfc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "xfc/Transforms/Passes.h.inc"

} // namespace xfc

#endif // XFC_TRANSFORMS_PASSES_H
