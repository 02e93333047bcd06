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

def FuseGeluPass : Pass<"xf-fuse-gelu"> {
  let summary = "Fuse decomposed GELU (exact and tanh) into xf.gelu";
  let description = [{
    Exporters write GELU as five to nine elementwise ops. This pass matches
    the product of `x`, `0.5` and either `1 + erf(x / √2)` (exact; the
    division may be `x · 0.70710678`) or
    `1 + tanh(√(2/π) · (x + 0.044715 · x³))` (GPT-2's `gelu_new`, `x³` as
    `pow(x, 3)`), the two multiplications in any association and every
    commutative op in either operand order, and replaces it by `xf.gelu`
    (`approximate = tanh` for the second form). Constants are splats equal
    to the expected value within 1e-6 relative (or the element type's
    precision, when coarser); no constant may broadcast `x`, and every
    intermediate value must have no other use. The result carries the fused
    location of the ops it replaces.

    Before:
    ```mlir
    %d = xf.div %x, %sqrt2 : (tensor<2x8x3072xf32>, tensor<f32>) -> tensor<2x8x3072xf32>
    %e = xf.erf %d : tensor<2x8x3072xf32>
    %p = xf.add %e, %one : (tensor<2x8x3072xf32>, tensor<f32>) -> tensor<2x8x3072xf32>
    %m = xf.mul %x, %p : (tensor<2x8x3072xf32>, tensor<2x8x3072xf32>) -> tensor<2x8x3072xf32>
    %y = xf.mul %m, %half : (tensor<2x8x3072xf32>, tensor<f32>) -> tensor<2x8x3072xf32>
    ```
    After:
    ```mlir
    %y = xf.gelu %x : tensor<2x8x3072xf32>
    ```
  }];
}

def FuseLayerNormPass : Pass<"xf-fuse-layer-norm"> {
  let summary = "Fuse decomposed LayerNorm into xf.layer_norm";
  let description = [{
    Before opset 17, torch.onnx.export writes LayerNorm as
    `d = x - mean(x); y = d / sqrt(mean(d²) + ε) · γ + β`. This pass matches
    that chain, with `d²` as `pow(d, 2)` or `d · d` and the division also as
    `d · reciprocal(sqrt(...))`, `d · (1 / sqrt(...))` or `d · rsqrt(...)`,
    and replaces it by one `xf.layer_norm`.

    Requirements: both means are `reduce_mean` with `keep_dims` over the
    same trailing suffix of axes `[k, rank)` (the norm's `axis` is `k`);
    `ε` is a positive splat constant that broadcasts nothing; the mean, `d`
    and the other intermediates have no uses outside the chain. `· γ` and
    then `+ β` are absorbed when each is the only use of the value before
    it (either operand order) and has the normalized shape
    `x.shape[k:]`, possibly with leading 1s (then reshaped); otherwise the
    norm is fused without them and they stay. The result carries the fused
    location of the ops it replaces.

    Run it before `xf-fuse-rms-norm` (which leaves LayerNorm's tail alone
    in any case) and before `xf-fuse-residual-layer-norm`.

    Before:
    ```mlir
    %m = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<2x8x768xf32>) -> tensor<2x8x1xf32>
    %d = xf.sub %x, %m : (tensor<2x8x768xf32>, tensor<2x8x1xf32>) -> tensor<2x8x768xf32>
    %p = xf.pow %d, %two : (tensor<2x8x768xf32>, tensor<f32>) -> tensor<2x8x768xf32>
    %v = xf.reduce_mean %p axes = [-1] keep_dims : (tensor<2x8x768xf32>) -> tensor<2x8x1xf32>
    %a = xf.add %v, %eps : (tensor<2x8x1xf32>, tensor<f32>) -> tensor<2x8x1xf32>
    %s = xf.sqrt %a : tensor<2x8x1xf32>
    %n = xf.div %d, %s : (tensor<2x8x768xf32>, tensor<2x8x1xf32>) -> tensor<2x8x768xf32>
    %g = xf.mul %n, %gamma : (tensor<2x8x768xf32>, tensor<768xf32>) -> tensor<2x8x768xf32>
    %y = xf.add %g, %beta : (tensor<2x8x768xf32>, tensor<768xf32>) -> tensor<2x8x768xf32>
    ```
    After:
    ```mlir
    %y = xf.layer_norm %x scale(%gamma) bias(%beta) {epsilon = 9.99999996E-13 : f32}
           : (tensor<2x8x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<2x8x768xf32>
    ```
  }];
}

def FuseResidualLayerNormPass : Pass<"xf-fuse-residual-layer-norm"> {
  let summary = "Fold a residual add into the xf.layer_norm that reads it";
  let description = [{
    Post-LN Transformers (BERT) normalize `sublayer(x) + x` and use the sum
    nowhere else. This pass rewrites `xf.layer_norm(xf.add(a, b))` into
    `xf.layer_norm a residual(b)` when the add has no other use and `a` and
    `b` both have the norm input's type (no broadcasting), so that backends
    add inside the normalization's loops instead of writing and reading
    back the sum. Pre-LN models (GPT-2, LLaMA) keep their residual sums: each
    also feeds the next residual add, so only their final norm, if its
    input is a single-use add, qualifies. The result carries the fused
    location of the add and the norm. Run it after `xf-fuse-layer-norm`.

    Before:
    ```mlir
    %s = xf.add %h, %x : (tensor<2x8x768xf32>, tensor<2x8x768xf32>) -> tensor<2x8x768xf32>
    %y = xf.layer_norm %s scale(%g) bias(%b)
           : (tensor<2x8x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<2x8x768xf32>
    ```
    After:
    ```mlir
    %y = xf.layer_norm %h residual(%x) scale(%g) bias(%b)
           : (tensor<2x8x768xf32>, tensor<2x8x768xf32>, tensor<768xf32>, tensor<768xf32>)
             -> tensor<2x8x768xf32>
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

def FuseRMSNormPass : Pass<"xf-fuse-rms-norm"> {
  let summary = "Fuse decomposed RMSNorm into xf.rms_norm";
  let description = [{
    LLaMA's RMSNorm exports as `x · reciprocal(sqrt(mean(x²) + ε)) · w`.
    This pass matches `x / sqrt(mean(x²) + ε)` spelled as
    `x · reciprocal(sqrt(...))`, `x · (1 / sqrt(...))`, `x / sqrt(...)` or
    `x · rsqrt(...)`, with `x²` as `pow(x, 2)` or `x · x`, and replaces it,
    with a following `· w` of the normalized shape (possibly with leading
    1s) when that is its only use, by one `xf.rms_norm`.

    Requirements as for `xf-fuse-layer-norm`: a `reduce_mean` with
    `keep_dims` over a trailing suffix of axes, a positive splat `ε` that
    broadcasts nothing, no other uses of the intermediates. A chain whose
    `x` is itself `y - mean(y)` is the tail of a LayerNorm and is left to
    `xf-fuse-layer-norm`. The result carries the fused location of the ops
    it replaces.

    Before:
    ```mlir
    %p = xf.pow %x, %two : (tensor<2x8x2048xf32>, tensor<f32>) -> tensor<2x8x2048xf32>
    %m = xf.reduce_mean %p axes = [-1] keep_dims : (tensor<2x8x2048xf32>) -> tensor<2x8x1xf32>
    %a = xf.add %m, %eps : (tensor<2x8x1xf32>, tensor<f32>) -> tensor<2x8x1xf32>
    %s = xf.sqrt %a : tensor<2x8x1xf32>
    %r = xf.reciprocal %s : tensor<2x8x1xf32>
    %n = xf.mul %x, %r : (tensor<2x8x2048xf32>, tensor<2x8x1xf32>) -> tensor<2x8x2048xf32>
    %y = xf.mul %n, %w : (tensor<2x8x2048xf32>, tensor<2048xf32>) -> tensor<2x8x2048xf32>
    ```
    After:
    ```mlir
    %y = xf.rms_norm %x scale(%w) {epsilon = 9.99999974E-6 : f32}
           : (tensor<2x8x2048xf32>, tensor<2048xf32>) -> tensor<2x8x2048xf32>
    ```
  }];
}

def FuseRopePass : Pass<"xf-fuse-rope"> {
  let summary = "Fuse rotate-half rotary embeddings into xf.rope";
  let description = [{
    Hugging Face's LLaMA (and GPT-NeoX) apply RoPE as
    `x · cos + rotate_half(x) · sin` with
    `rotate_half(x) = concat(-x[..., D/2:], x[..., :D/2])` and `cos`, `sin`
    of shape `[..., S, D]` built as `cat(freqs, freqs)`. `xf.rope` takes
    only the first halves, `[..., S, D/2]`, so this pass fuses only where it
    can prove the two halves of every row of both tables equal: back
    through gathers, slices and transposes that leave the last axis alone,
    reshapes, expands and casts that keep it, to `concat(t, t)` along it or
    to a constant whose data shows it. It then slices the tables' first
    halves (once per table, shared by every rope that reads it) and
    replaces the subgraph by `xf.rope`.

    The slices, negation, concatenation and products must have no other
    use; the tables must have one static type whose last dimension is `D`
    and must not broadcast `x`. Partial rotary,
    `concat(rope(x[..., :R]), x[..., R:])`, becomes one `xf.rope` on all of
    `x` with the same tables. Results carry the fused location of the ops
    they replace.

    Before:
    ```mlir
    %lo = xf.slice %q offsets = [0, 0, 0, 0] sizes = [1, 32, 8, 32] strides = [1, 1, 1, 1]
           : (tensor<1x32x8x64xf32>) -> tensor<1x32x8x32xf32>
    %hi = xf.slice %q offsets = [0, 0, 0, 32] sizes = [1, 32, 8, 32] strides = [1, 1, 1, 1]
           : (tensor<1x32x8x64xf32>) -> tensor<1x32x8x32xf32>
    %n = xf.neg %hi : tensor<1x32x8x32xf32>
    %r = xf.concat %n, %lo axis = -1 : (tensor<1x32x8x32xf32>, tensor<1x32x8x32xf32>) -> tensor<1x32x8x64xf32>
    %a = xf.mul %q, %cos : (tensor<1x32x8x64xf32>, tensor<1x1x8x64xf32>) -> tensor<1x32x8x64xf32>
    %b = xf.mul %r, %sin : (tensor<1x32x8x64xf32>, tensor<1x1x8x64xf32>) -> tensor<1x32x8x64xf32>
    %y = xf.add %a, %b : (tensor<1x32x8x64xf32>, tensor<1x32x8x64xf32>) -> tensor<1x32x8x64xf32>
    ```
    After:
    ```mlir
    %c = xf.slice %cos offsets = [0, 0, 0, 0] sizes = [1, 1, 8, 32] strides = [1, 1, 1, 1]
           : (tensor<1x1x8x64xf32>) -> tensor<1x1x8x32xf32>
    %s = xf.slice %sin offsets = [0, 0, 0, 0] sizes = [1, 1, 8, 32] strides = [1, 1, 1, 1]
           : (tensor<1x1x8x64xf32>) -> tensor<1x1x8x32xf32>
    %y = xf.rope %q, %c, %s
           : (tensor<1x32x8x64xf32>, tensor<1x1x8x32xf32>, tensor<1x1x8x32xf32>) -> tensor<1x32x8x64xf32>
    ```
  }];
}

def FuseSiluPass : Pass<"xf-fuse-silu"> {
  let summary = "Fuse x · sigmoid(x) into xf.silu";
  let description = [{
    Replaces `xf.mul(x, xf.sigmoid(x))`, either operand order, by
    `xf.silu(x)` when the sigmoid has no other use; the result carries the
    fused location of both ops.

    LLaMA's SwiGLU MLP, `silu(gate) · up`, then is `xf.mul(xf.silu(%gate),
    %up)`: there is no fused SwiGLU op, because the CPU backend already
    fuses these two elementwise ops into one loop.

    Before:
    ```mlir
    %s = xf.sigmoid %gate : tensor<2x8x5632xf32>
    %y = xf.mul %gate, %s : (tensor<2x8x5632xf32>, tensor<2x8x5632xf32>) -> tensor<2x8x5632xf32>
    ```
    After:
    ```mlir
    %y = xf.silu %gate : tensor<2x8x5632xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Pruning
//===----------------------------------------------------------------------===//

def PruneFFNPass : Pass<"xf-prune-ffn"> {
  let summary = "Remove the least important FFN intermediate neurons";
  let description = [{
    Finds every FFN — up-projection GEMM(s) with constant weights, then only
    elementwise ops (activation, SwiGLU's gate product, bias adds), then a
    down-projection GEMM with a constant weight, with nothing else reading
    the intermediate values — and removes `ratio` of its intermediate
    neurons: column j of every up-projection (and its bias), lane j of
    every per-neuron constant in between, row j of the down-projection.
    The GEMMs really shrink.

    Neuron j's importance is `Σn |W2[j, n]|`, times `‖X_j‖₂` with
    `importance=wanda` (Wanda: X is the down-projection's input, whose
    calibrated channel norms are its `xf.input_channel_norm`), and the
    lowest go. With `bias-compensation` (default), what the removed neurons
    contributed on average (`xf.input_channel_mean[j] · W2[j, :]`) is added
    to the down-projection's bias, so the output keeps its mean.
    `ratios` gives each FFN its own fraction (the driver's budgeted mode
    writes it). `ratio=0` changes nothing.
  }];
  let options = [
    Option<"ratio", "ratio", "double", /*default=*/"0.0",
           "Fraction of each FFN's intermediate neurons to remove, in [0, 1)">,
    ListOption<"ratios", "ratios", "double",
               "One fraction per FFN, in program order, instead of ratio">,
    Option<"importance", "importance", "std::string", /*default=*/"\"wanda\"",
           "wanda (|W2 row| · calibrated activation norm) or magnitude">,
    Option<"biasCompensation", "bias-compensation", "bool", /*default=*/"true",
           "Fold the removed neurons' mean contribution into the bias">,
    Option<"maskOnly", "mask-only", "bool", /*default=*/"false",
           "Zero the chosen neurons' down-projection rows instead of removing "
           "them (shapes unchanged): the reference slicing must equal">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def PruneHeadsPass : Pass<"xf-prune-heads"> {
  let summary = "Remove attention heads, slicing their projections";
  let description = [{
    Works on fused attention (`xf.attention`; run `xf-fuse-attention`
    first). For each attention it follows the query, key and value back to
    their projection GEMMs with constant weights (through bias adds, the
    head-split reshape and transposes, RoPE, and elementwise ops that
    broadcast over the heads) and the result forward to the output
    projection. Removing head `h` slices its `D` columns out of Wq (and its
    bias), its key/value head's columns out of Wk and Wv when no remaining
    query head reads them, and its `D` rows out of Wo, retypes everything in
    between and updates `num_heads` / `num_kv_heads`: the GEMMs and the
    attention really shrink.

    What goes: `ratio` of each attention's heads (the nearest whole number,
    at least one head kept), the least important first,
    or the explicit `heads` list of `LAYER:HEAD` entries (LAYER counts the
    `xf.attention` ops in program order from 0, HEAD a query head).
    Importance of query head `h`: `‖Wv[:, kv(h)]‖_F · ‖Wo[h, :]‖_F`
    (`importance=weights`), or the `xf.head_importance` array on the
    attention (`importance=calibrated`; `xfc --prune-heads` measures it as
    how much the model's output moves when the head alone is removed).

    Grouped-query attention (`num_kv_heads < num_heads`) keeps the groups
    equal: `gqa=groups` removes whole KV groups (a KV head and the query
    heads that read it), `gqa=per-group` the same number of query heads
    from every group. An explicit list must fit one of the two.

    With `bias-compensation` (default), the removed heads' mean output
    (the calibrated `xf.input_channel_mean` of Wo's input) times their Wo
    rows is added to Wo's bias. `mask-only=true` zeroes the removed heads'
    Wo rows instead (shapes unchanged), which slicing must equal exactly.
    An attention whose heads cannot be followed (a mask that differs per
    head, an op the pass does not know in between) is left as is, with a
    remark; naming one of its heads in `heads` is an error.
  }];
  let options = [
    Option<"ratio", "ratio", "double", /*default=*/"0.0",
           "Fraction of each attention's query heads to remove, in [0, 1)">,
    ListOption<"heads", "heads", "std::string",
               "Heads to remove, as LAYER:HEAD (instead of ratio)">,
    Option<"importance", "importance", "std::string",
           /*default=*/"\"weights\"",
           "weights (projection norms) or calibrated (xf.head_importance)">,
    Option<"gqa", "gqa", "std::string", /*default=*/"\"groups\"",
           "Grouped-query attention: remove whole KV groups (groups) or the "
           "same number of query heads from each group (per-group)">,
    Option<"biasCompensation", "bias-compensation", "bool", /*default=*/"true",
           "Fold the removed heads' mean output into Wo's bias">,
    Option<"maskOnly", "mask-only", "bool", /*default=*/"false",
           "Zero the removed heads' Wo rows instead of slicing (shapes "
           "unchanged): the reference slicing must equal">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def PruneLayersPass : Pass<"xf-prune-layers"> {
  let summary = "Remove whole attention or FFN sublayers (their residual "
                "branches)";
  let description = [{
    A sublayer is a residual branch: `x + attention(x)` or `x + FFN(x)`,
    with the LayerNorm before the branch (pre-LN) or after the sum
    (post-LN, BERT). Removing it replaces the sum by `x`, so in a post-LN
    model the LayerNorm after the sum still normalizes the stream; the
    branch's ops become dead and are erased.

    `remove` lists the sublayers as `KIND:INDEX`, KIND `attention` or
    `ffn`, INDEX counting that kind's sublayers in program order from 0
    (`xfc --prune-layers=N` chooses them FinerCut-style: greedily, the one
    whose removal moves the model's output least on calibration data).
    The sublayers are sums of two same-shaped values where one, read only
    by the sum, is computed from the other through attention (fused or
    not) or, without attention, through a GEMM with a constant weight.
  }];
  let options = [
    ListOption<"remove", "remove", "std::string",
               "Sublayers to remove, as attention:INDEX or ffn:INDEX">,
    Option<"maskOnly", "mask-only", "bool", /*default=*/"false",
           "Multiply the branches by zero instead of removing them: the "
           "reference removal must equal">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def PruneNMPass : Pass<"xf-prune-nm"> {
  let summary = "N:M semi-structured sparsity (2:4) of GEMM weights";
  let description = [{
    For every GEMM with a constant f32 weight (`xf.linear`, `xf.matmul`
    with a constant 2-D right operand), in each group of `m` consecutive
    weights along the reduction (input) dimension of one output channel,
    keeps the `n` most important and zeroes the rest in place. Importance
    is `|W[n, k]|` (`importance=magnitude`, default) or Wanda's
    `|W[n, k]| · ‖X_k‖₂` (`importance=wanda`, from the calibrated
    `xf.input_channel_norm`); ties go to the lower index. Rewritten GEMMs
    get `xf.sparsity` (the fraction of zeros in the weight) and
    `xf.sparsity_pattern = "N:M"`. A GEMM with `xf.prune = false` is left
    alone; one whose reduction dimension `m` does not divide is left dense
    with a warning.

    Shapes do not change and no backend has an N:M kernel yet, so this
    saves storage (the CPU artifact compresses mostly-zero weights), not
    time.

    Before (`n=2 m=4`):
    ```mlir
    %w = arith.constant dense<[[1.0, -4.0, 2.0, 3.0]]> : tensor<1x4xf32>
    %y = xf.linear %x, %w : (tensor<5x4xf32>, tensor<1x4xf32>) -> tensor<5x1xf32>
    ```
    After:
    ```mlir
    %w = arith.constant dense<[[0.0, -4.0, 0.0, 3.0]]> : tensor<1x4xf32>
    %y = xf.linear %x, %w {xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "2:4"} : ...
    ```
  }];
  let options = [
    Option<"n", "n", "int64_t", /*default=*/"2",
           "Weights kept in each group, 0 < n < m">,
    Option<"m", "m", "int64_t", /*default=*/"4",
           "Group size along the reduction dimension">,
    Option<"importance", "importance", "std::string",
           /*default=*/"\"magnitude\"",
           "magnitude (|W|) or wanda (|W| · calibrated input norm)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def PruneUnstructuredPass : Pass<"xf-prune-unstructured"> {
  let summary = "Zero the least important single GEMM weights";
  let description = [{
    For every GEMM with a constant f32 weight (`xf.linear`, `xf.matmul`
    with a constant 2-D right operand), zeroes `sparsity` of its weights in
    place (rounded down), training-free:

    - `importance=magnitude` (default): per weight tensor, the entries
      with the smallest `|W|`;
    - `importance=wanda`: per output channel (row of `W` as `[N, K]`), as
      in the Wanda paper, the entries with the smallest
      `|W[n, k]| · ‖X_k‖₂`, X the GEMM's input with its calibrated channel
      norms (`xf.input_channel_norm`).

    Ties go to the lower index. Rewritten GEMMs get `xf.sparsity` (the
    fraction of zeros in the weight) and `xf.sparsity_pattern =
    "unstructured"`; `xf.prune = false` on a GEMM leaves it alone.
    `sparsity=0` changes nothing.

    Shapes do not change and no backend has a sparse GEMM kernel yet, so
    this saves storage (the CPU artifact compresses weights that are at
    least half zeros), not time.

    Before (`sparsity=0.5`):
    ```mlir
    %w = arith.constant dense<[[1.0, -4.0], [2.0, 3.0]]> : tensor<2x2xf32>
    %y = xf.matmul %x, %w : (tensor<5x2xf32>, tensor<2x2xf32>) -> tensor<5x2xf32>
    ```
    After:
    ```mlir
    %w = arith.constant dense<[[0.0, -4.0], [0.0, 3.0]]> : tensor<2x2xf32>
    %y = xf.matmul %x, %w {xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "unstructured"} : ...
    ```
  }];
  let options = [
    Option<"sparsity", "sparsity", "double", /*default=*/"0.0",
           "Fraction of each GEMM's weights to zero, in [0, 1)">,
    Option<"importance", "importance", "std::string",
           /*default=*/"\"magnitude\"",
           "magnitude (|W|, per tensor) or wanda (|W| · calibrated input "
           "norm, per output channel)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def PruneTokensPass : Pass<"xf-prune-tokens"> {
  let summary = "Keep only the most important tokens after chosen layers "
                "(Zero-TPrune)";
  let description = [{
    After the attention sublayer of each layer in `layers` (attention
    sublayers counted in program order from 0, as `xf-prune-layers` counts
    them), keeps the `k = round(keep · S)` most important of the `S` tokens
    (at least one) and gathers the residual stream at them, so every later
    layer runs on `k` tokens. Importance is Zero-TPrune's weighted PageRank
    over that layer's attention graph: the attention probabilities
    `A = softmax(scale · Q·Kᵀ + mask)` are recomputed from the fused
    `xf.attention`'s query, key and mask and averaged over the heads, and
    `s ← s·A` (token j gets the attention its queries pay it, weighted by
    their own importance) runs `iterations` times from the uniform `s`.
    `xf.top_k index_order` picks the tokens, kept in their original order;
    with `keep-first` (default) token 0 (BERT's CLS, read by the pooler) is
    always kept. Later attentions' masks are gathered at the kept keys (and
    queries, when the mask has them).

    The function gets one more result, `xf_kept_tokens` (`[B, k]`, i64):
    for every row of the pruned outputs, the position of its token in the
    input. Outputs that carry the sequence dimension shrink to `k` rows.
    A layer where `k = S` (`keep=1`) is left unchanged, and with nothing
    pruned no result is added.

    Before (layer 0 of a two-token model, keep=0.5):
    ```mlir
    %a = xf.attention %q, %k, %v mask(%m) {num_heads = 2 : i64}
    %h = xf.add %o, %x : (tensor<1x2x4xf32>, tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
    ```
    After:
    ```mlir
    %scores = ... xf.softmax ... xf.reduce_mean ... xf.matmul (PageRank) ...
    %values, %kept = xf.top_k %importance k = 1 index_order
    %g = xf.gather %flat[%kept_rows] axis = 0
           : (tensor<2x4xf32>, tensor<1x1xi64>) -> tensor<1x1x4xf32>
    ```
    Static shapes only; attention must be fused (`xf-fuse-attention`),
    self-attention, not causal.
  }];
  let options = [
    ListOption<"layers", "layers", "int64_t",
               "Attention sublayers after which tokens are pruned (from 0)">,
    Option<"keep", "keep", "double", /*default=*/"0.7",
           "Fraction of the tokens kept at each listed layer, in (0, 1]">,
    Option<"iterations", "iterations", "int64_t", /*default=*/"10",
           "PageRank power iterations (>= 1)">,
    Option<"keepFirst", "keep-first", "bool", /*default=*/"true",
           "Always keep token 0 (CLS)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def LiftQDQGemmsPass : Pass<"xf-lift-qdq-gemms"> {
  let summary = "Turn ONNX QDQ GEMMs (DequantizeLinear → MatMul) into "
                "xf.quant.linear";
  let description = [{
    Models quantized outside xfc (ONNX Runtime's `quantize_static` in QDQ
    format, other QDQ exporters) spell an int8 GEMM as a float `MatMul`
    whose constant weight comes from `DequantizeLinear(W_q)` (per tensor, or
    per output channel: axis 1 of the `[K, N]` weight) and whose input
    passes through `QuantizeLinear → DequantizeLinear` (per tensor). After
    import that is `xf.matmul(quant.dcast(quant.qcast(x)),
    quant.dcast(quant.scast(W_q)))`. This pass, which graph-opt runs before
    canonicalization folds the QDQ pair away, rewrites it to the
    `xf.quant.linear` that `xf-quantize` produces (the weight transposed to
    `[N, K]`, a following constant bias add folded in), so it lowers the
    same way: on the CPU, oneDNN's int8 GEMM. Without the input pair (a
    weight-only QDQ model) the input stays float. MatMuls whose weight or
    input is quantized otherwise are left alone.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::quant::QuantDialect"];
}

def QuantizePass : Pass<"xf-quantize"> {
  let summary = "Quantize the GEMMs with constant weights to int8 or int4";
  let description = [{
    Rewrites every GEMM whose weight is a 2-D f32 constant — `xf.linear`,
    and `xf.matmul` with a constant right operand (with the single `xf.add`
    of a constant `[N]` bias that follows it folded in) — into
    `xf.quant.linear` with a weight of an upstream `!quant.uniform` type:
    * `w8a8`: per-output-channel symmetric int8 weights
      (`scale = max|w| / 127`, values in [-127, 127]) and per-tensor
      asymmetric uint8 activations (`quant.qcast` before the GEMM) whose
      range is the op's calibrated `xf.input_range = array<f64: lo, hi>`
      (widened to contain 0; `scale = (hi - lo) / 255`,
      `zero_point = round(-lo / scale)`). An op without one is an error:
      calibrate first (`xfc --calibration=DIR` does).
    * `w8a8-dynamic`: the same weights, activations quantized per token at
      run time (`dynamic_input`): no calibration needed.
    * `w8`, `w4`: weight-only, group-wise along the input features
      (`group-size`, which must divide every quantized op's K; 0 is one
      group per output channel), symmetric (`scale = max|w| / 127` or
      `/ 7`) or, with `symmetric=false`, asymmetric (range widened to
      contain 0, `zero_point = round(qmin - lo / scale)`).
    Rounding is half to even, as ONNX QuantizeLinear does. An op with
    `xf.quantize = false` is left in float: the accuracy gate's fallback.

    Before (`--xf-quantize=mode=w8a8`):
    ```mlir
    %y = xf.matmul %x, %w {xf.input_range = array<f64: -1.0, 3.0>}
           : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
    ```
    After:
    ```mlir
    %q = quant.qcast %x : tensor<4x8xf32> to tensor<4x8x!quant.uniform<u8:f32, 0.0156862745:64>>
    %wq = quant.scast %c : tensor<2x8xi8> to tensor<2x8x!quant.uniform<i8<-127:127>:f32:0, {...}>>
    %y = xf.quant.linear %q, %wq : (...) -> tensor<4x2xf32>
    ```
  }];
  let options = [
    Option<"mode", "mode", "std::string", /*default=*/"\"w8a8\"",
           "w8a8 | w8a8-dynamic | w8 | w4">,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"128",
           "Input features per scale for w8/w4 (0: per output channel)">,
    Option<"symmetric", "symmetric", "bool", /*default=*/"true",
           "Symmetric weight-only quantization (asymmetric with a zero "
           "point per group otherwise)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::quant::QuantDialect"];
}

def SmoothQuantPass : Pass<"xf-smooth-quant"> {
  let summary = "Move activation outliers into the weights (SmoothQuant)";
  let description = [{
    Per-tensor int8 activations lose most of their precision to a few
    input channels with large values. SmoothQuant (Xiao et al., 2023)
    divides input channel k by `s_k = max|X_k|^α / max|W_k|^(1-α)` and
    multiplies row k of the weight by it, which leaves `X·W` unchanged in
    exact arithmetic and evens out the activation ranges. `max|X_k|` is the
    op's calibrated `xf.input_channel_absmax = array<f32: ...>` (K values);
    GEMMs that read the same input (Q, K, V) share one `s`, from the largest
    of their weights. The division happens once per input: folded into the
    scale and shift of a LayerNorm (`x·γ + β`) when the GEMMs are its only
    readers, an `xf.mul` by `1/s` otherwise — as in post-LayerNorm models
    (BERT), whose LayerNorm output is also the residual stream. The stored
    channel statistics are rescaled and `xf.input_range` is dropped: the
    activations changed, so calibrate again before `xf-quantize`.
  }];
  let options = [
    Option<"alpha", "alpha", "double", /*default=*/"0.5",
           "Migration strength in [0, 1]: 0 leaves the activations, 1 moves "
           "all of their range into the weights">,
  ];
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
