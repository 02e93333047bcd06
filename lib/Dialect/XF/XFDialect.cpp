//===- XFDialect.cpp - The xf dialect -------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Dialect/XF/XFDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include "xfc/Dialect/XF/XFOps.h"

using namespace mlir;
using namespace xfc::xf;

#include "xfc/Dialect/XF/XFOpsDialect.cpp.inc"

#include "xfc/Dialect/XF/XFEnums.cpp.inc"

void XFDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "xfc/Dialect/XF/XFOps.cpp.inc"
      >();
}

Operation *XFDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  // Folded values are plain constants: arith.constant is the one op that
  // holds them, so other dialects' folders and CSE see them too.
  return arith::ConstantOp::materialize(builder, value, type, loc);
}
