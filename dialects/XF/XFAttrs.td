//===- XFAttrs.td - Attributes of the xf dialect ------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XF_ATTRS_TD
#define XF_ATTRS_TD

include "XF/XFDialect.td"
include "mlir/IR/EnumAttr.td"

// Enums are plain integer attributes (as arith.cmpi's predicate), printed as
// their keyword in the custom form.

//===----------------------------------------------------------------------===//
// GELU approximation
//===----------------------------------------------------------------------===//

def XF_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "how xf.gelu evaluates the Gaussian CDF", [
      I32EnumAttrCase<"None", 0, "none">,
      I32EnumAttrCase<"Tanh", 1, "tanh">
    ]> {
  let cppNamespace = "::xfc::xf";
}

//===----------------------------------------------------------------------===//
// Comparison predicate
//===----------------------------------------------------------------------===//

def XF_ComparisonPredicate : I32EnumAttr<"ComparisonPredicate",
    "the relation xf.cmp tests", [
      I32EnumAttrCase<"EQ", 0, "eq">,
      I32EnumAttrCase<"NE", 1, "ne">,
      I32EnumAttrCase<"LT", 2, "lt">,
      I32EnumAttrCase<"LE", 3, "le">,
      I32EnumAttrCase<"GT", 4, "gt">,
      I32EnumAttrCase<"GE", 5, "ge">
    ]> {
  let cppNamespace = "::xfc::xf";
}

#endif // XF_ATTRS_TD
