//===- XFPatterns.td - Canonicalization patterns of xf ------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Declarative rewrites registered as canonicalization patterns (see
// XFFolds.cpp). Single-op simplifications are folders instead.
//
//===----------------------------------------------------------------------===//

#ifndef XF_PATTERNS_TD
#define XF_PATTERNS_TD

include "mlir/IR/PatternBase.td"
include "XF/XFOps.td"

// reshape(reshape(x)) -> reshape(x): only the final shape matters.
def ComposeReshapes : Pat<(XF_ReshapeOp (XF_ReshapeOp $x)), (XF_ReshapeOp $x)>;

// transpose(transpose(x, p), q) -> transpose(x, p∘q).
def ComposePermutations : NativeCodeCall<
    "::xfc::xf::composePermutations($_builder, $0, $1)">;
def ComposeTransposes : Pat<
    (XF_TransposeOp (XF_TransposeOp $x, $inner), $outer),
    (XF_TransposeOp $x, (ComposePermutations $inner, $outer))>;

#endif // XF_PATTERNS_TD
