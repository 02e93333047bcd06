//===- XFDialect.h - The xf dialect -----------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_DIALECT_XF_XFDIALECT_H
#define XFC_DIALECT_XF_XFDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"

#include "xfc/Dialect/XF/XFOpsDialect.h.inc"

#include "xfc/Dialect/XF/XFEnums.h.inc"

#endif // XFC_DIALECT_XF_XFDIALECT_H
