//===- Passes.td - xfc graph passes -------------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The xf → xf passes, one banner per family, alphabetical within each.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_TRANSFORMS_PASSES_TD
#define XFC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Fusion
//===----------------------------------------------------------------------===//

def FuseQKVPass : Pass<"xf-fuse-qkv"> {
  let summary = "Pack GEMMs that share their input and have constant weights "
                "into one";
  let description = [{
    Attention's Q, K and V projections read the same input: three
    `[M, K] × [K, N_i]` GEMMs, each followed by its bias add, as ONNX
    exporters write them. One `[M, K] × [K, ΣN_i]` GEMM does the same work
    with a third of the passes over the input and a wider N, which GEMM
    libraries run more efficiently. This pass finds two or more `xf.matmul`
    ops with the same left operand, no transposes, and 2-D constant right
    operands of one element type, concatenates the weights (and, when every
    one is followed by a single `xf.add` of a 1-D constant bias, the biases)
    into new `dense_resource` constants, and replaces them with one
    `xf.matmul` (+ `xf.add`) and an `xf.split` along the last axis. The
    packed ops carry the fused location of the ops they replace.

    Before:
    ```mlir
    %q = xf.matmul %x, %wq : (tensor<128x768xf32>, tensor<768x768xf32>) -> tensor<128x768xf32>
    %k = xf.matmul %x, %wk : (tensor<128x768xf32>, tensor<768x768xf32>) -> tensor<128x768xf32>
    ```
    After:
    ```mlir
    %w = arith.constant dense_resource<xf_qkv> : tensor<768x1536xf32>
    %qk = xf.matmul %x, %w : (tensor<128x768xf32>, tensor<768x1536xf32>) -> tensor<128x1536xf32>
    %q, %k = xf.split %qk axis = 1 sizes = [768, 768] : ...
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def ExternalizeConstantsPass
    : Pass<"xf-externalize-constants", "mlir::ModuleOp"> {
  let summary = "Move large inline tensor constants into dense_resource blobs";
  let description = [{
    Weights must never travel as IR text: a dense constant with thousands of
    elements makes printing, parsing and every pattern that looks at
    attributes slow, and is duplicated by each uniquing step. This pass
    rewrites every `arith.constant` holding a non-splat dense tensor of at
    least `min-bytes` bytes into a `dense_resource` blob, which the printer
    writes once, as hex, in the file's `dialect_resources` section (elide it
    with `--mlir-elide-resource-strings-if-larger`) and bytecode stores
    aligned and mmappable. Splats stay inline: they are one value. Element
    types narrower than a byte (i1, i4) stay inline, as their packed layout
    differs between the two attribute kinds.

    Before:
    ```mlir
    %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    ```
    After (`--xf-externalize-constants=min-bytes=16`):
    ```mlir
    %w = arith.constant dense_resource<xf_weight> : tensor<2x2xf32>
    ...
    {-#
      dialect_resources: {
        builtin: {
          xf_weight: "0x040000000000803F000000400000404000008040"
        }
      }
    #-}
    ```
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"1024",
           "Externalize constants of at least this many bytes">
  ];
}

#endif // XFC_TRANSFORMS_PASSES_TD
