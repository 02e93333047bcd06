//===- InitAllPasses.h - Register every pass xfc offers ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_INITALLPASSES_H
#define XFC_INITALLPASSES_H

#include "mlir/Dialect/Quant/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

#include "xfc/Conversion/Passes.h"
#include "xfc/Transforms/Passes.h"

namespace xfc {

/// Registers xfc's passes and the upstream ones its pipelines are scripted
/// with (canonicalize, cse, inline, ...; the quant lowering passes).
inline void registerAllPasses() {
  mlir::registerTransformsPasses();
  mlir::quant::registerQuantPasses();
  registerXFCPasses();
  registerXFCConversionPasses();
}

} // namespace xfc

#endif // XFC_INITALLPASSES_H
