//===- XFDialect.td - The xf dialect ------------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XF_DIALECT_TD
#define XF_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

//===----------------------------------------------------------------------===//
// Dialect
//===----------------------------------------------------------------------===//

def XF_Dialect : Dialect {
  let name = "xf";
  let cppNamespace = "::xfc::xf";
  let summary = "Tensor-level vocabulary of Transformer models";
  let description = [{
    The `xf` dialect states a Transformer graph at tensor level: value
    semantics, ranked tensors, static dimensions with room for dynamic ones
    (`?`). It is what the ONNX frontend produces and what the fusion, pruning
    and quantization passes rewrite; backends lower it through
    `linalg`/`tensor`/`arith`/`math`.

    Conventions shared by every op:

    * Operands and results are ranked tensors. A dynamic dimension is
      compatible with any size; verifiers check only what is known.
    * Elementwise binary ops, comparisons and `xf.select` broadcast their
      operands with numpy rules (right-aligned, size 1 stretches).
    * An `axis` attribute may be negative and counts from the back, as in
      ONNX; verifiers reject axes outside `[-rank, rank)`.
    * Weights are ordinary `arith.constant` ops whose value is a
      `dense_resource` blob, so large constants never appear inline in IR
      text. Quantized values use the upstream `quant` dialect's types
      (`!quant.uniform<...>`).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::quant::QuantDialect"
  ];
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

// Every xf op works on ranked tensors; the operand constraints in
// XFTypes.td say so per operand, so the base class adds no trait yet.
class XF_Op<string mnemonic, list<Trait> traits = []>
    : Op<XF_Dialect, mnemonic, traits>;

#endif // XF_DIALECT_TD
