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

def FuseAttentionPass : Pass<"xf-fuse-attention"> {
  let summary = "Recognize decomposed scaled dot-product attention and "
                "rewrite it to xf.attention";
  let description = [{
    Exporters write attention as `MatMul(Q, Kᵀ) → scale → mask → Softmax →
    MatMul(·, V)`, surrounded by the head split (`Reshape` + `Transpose`)
    and merge, in as many spellings as there are model families and
    exporter versions. This pass matches them all from their softmax and
    rewrites each to one `xf.attention`, which backends lower without the
    sequence × sequence score matrix. It normalizes on the way:
    * the scale: `Div(c)`, `Mul(c)` on the scores, or `Mul(√c)` on both Q
      and Kᵀ (PyTorch's SDPA) become one `scale` (constant splats only;
      none at all is scale 1);
    * the key: a merged `Transpose(0,2,3,1)`, a separate `Transpose(…,3,2)`
      or `transpose_rhs`, and grouped-query `repeat_kv`
      (`Reshape/Expand/Reshape` of the key/value heads) become
      `num_kv_heads`, with no copy of the key/value heads;
    * masks: additive masks (`Add`, also `(1 - m) · min` padding masks),
      `Where(keep, scores, fill)` and `Where(drop, fill, scores)` (an `i1`
      mask for a `-inf` fill, an additive one for a finite fill — equal but
      for rows whose keys are all masked), `Expand`ed masks (broadcast
      implicitly); a constant mask that is exactly the bottom-right causal
      pattern (a folded `Trilu`/`Where` or the SDPA causal bias) becomes
      `causal`; several masks are summed into one additive mask;
    * layouts: when Q, K and V are all `Transpose(0,2,1,3)` of a
      `[B, S, H·D]` projection reshaped to heads, and the result is merged
      back the same way, the packed rank-3 form is used and all those
      transposes disappear.

    Nothing is rewritten when the softmax is not over the last axis, a
    scale is not a constant, an intermediate (scores, masked scores,
    probabilities) has another use (including being a function result),
    or the shapes do not fit `xf.attention`; a softmax that feeds a matmul
    but does not fuse gets a remark naming the first op that blocked it.
    The new op carries the fused location of every op it replaces.

    Before:
    ```mlir
    %s = xf.matmul %q, %kt : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
    %d = xf.div %s, %c8 : (tensor<1x12x128x128xf32>, tensor<f32>) -> tensor<1x12x128x128xf32>
    %m = xf.add %d, %mask : (tensor<1x12x128x128xf32>, tensor<1x1x1x128xf32>) -> tensor<1x12x128x128xf32>
    %p = xf.softmax %m : tensor<1x12x128x128xf32>
    %o = xf.matmul %p, %v : (tensor<1x12x128x128xf32>, tensor<1x12x128x64xf32>) -> tensor<1x12x128x64xf32>
    ```
    After:
    ```mlir
    %o = xf.attention %q, %k, %v mask(%mask) {num_heads = 12 : i64, scale = 1.250000e-01 : f32}
           : (...) -> tensor<1x12x128x64xf32>
    ```
  }];
}

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
