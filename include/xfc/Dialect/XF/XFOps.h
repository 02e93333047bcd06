//===- XFOps.h - Operations of the xf dialect -------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_DIALECT_XF_XFOPS_H
#define XFC_DIALECT_XF_XFOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "xfc/Dialect/XF/XFDialect.h"
#include "xfc/Dialect/XF/XFTypes.h"

#define GET_OP_CLASSES
#include "xfc/Dialect/XF/XFOps.h.inc"

#endif // XFC_DIALECT_XF_XFOPS_H
