//===- XFToLinalg.h - Lower xf to linalg, tensor, arith, math ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The target-independent lowering of xf that every backend starts from:
// xf ops on tensors become linalg / tensor / arith / math ops on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CONVERSION_XFTOLINALG_H
#define XFC_CONVERSION_XFTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace xfc {

/// The discardable attribute on the linalg.generic an activation (xf.gelu)
/// lowers to, naming it ("gelu_erf", "gelu_tanh"): a backend may apply the
/// loop as a GEMM epilogue instead. Ops that fusion creates carry none.
inline constexpr llvm::StringLiteral kActivationAttrName = "xf.activation";

/// The types xf values have after lowering: every type is kept, except
/// that tensors of unsigned integers (`ui8`, which comparisons, selects and
/// casts accept) become tensors of signless integers of the same width, as
/// `arith` computes on signless integers only. The patterns keep the
/// signedness in the ops they choose (`uitofp`, `extui`, `cmpi ult`).
class XFToLinalgTypeConverter : public mlir::TypeConverter {
public:
  XFToLinalgTypeConverter();
};

/// Adds the patterns that lower every xf op to linalg, tensor, arith and
/// math on tensors (one pattern per op family). The patterns handle static
/// shapes only and fail to match an op with a dynamic dimension.
void populateXFToLinalgConversionPatterns(mlir::TypeConverter &typeConverter,
                                          mlir::RewritePatternSet &patterns);

} // namespace xfc

#endif // XFC_CONVERSION_XFTOLINALG_H
