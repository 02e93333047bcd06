// RUN: xfc-opt %s --xf-fuse-attention --split-input-file --verify-diagnostics | FileCheck %s
// RUN: xfc-opt %s --xf-fuse-attention --split-input-file --verify-diagnostics --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// BERT (torch eager): heads split by Reshape + Transpose(0,2,1,3), the key
// by the merged Transpose(0,2,3,1), Div(√d), the additive padding mask,
// heads merged back. Q, K, V are the [B, S, H·D] projections themselves:
// the packed layout, no transposes left.
// CHECK-LABEL: func.func @bert
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x4x16xf32>, %[[K:[^:]*]]: tensor<1x4x16xf32>, %[[V:[^:]*]]: tensor<1x4x16xf32>, %[[M:[^:]*]]: tensor<1x1x1x4xf32>)
// CHECK-NEXT: %[[A:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] mask(%[[M]]) {num_heads = 2 : i64, scale = 0.353553385 : f32} : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x1x1x4xf32>) -> tensor<1x4x16xf32>
// CHECK-NEXT: return %[[A]]
// LOC-LABEL: func.func @bert
// LOC: xf.attention {{.*}} loc(fused["scores", "scale", "mask", "softmax", "context", "merge.transpose", "merge"])
func.func @bert(%q: tensor<1x4x16xf32>, %k: tensor<1x4x16xf32>, %v: tensor<1x4x16xf32>, %mask: tensor<1x1x1x4xf32>) -> tensor<1x4x16xf32> {
  %sqrt_d = arith.constant dense<2.82842708> : tensor<f32>
  %q4 = xf.reshape %q : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %k4 = xf.reshape %k : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %v4 = xf.reshape %v : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %qh = xf.transpose %q4, [0, 2, 1, 3] : (tensor<1x4x2x8xf32>) -> tensor<1x2x4x8xf32>
  %kt = xf.transpose %k4, [0, 2, 3, 1] : (tensor<1x4x2x8xf32>) -> tensor<1x2x8x4xf32>
  %vh = xf.transpose %v4, [0, 2, 1, 3] : (tensor<1x4x2x8xf32>) -> tensor<1x2x4x8xf32>
  %s = xf.matmul %qh, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32> loc("scores")
  %d = xf.div %s, %sqrt_d : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32> loc("scale")
  %m = xf.add %d, %mask : (tensor<1x2x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x4x4xf32> loc("mask")
  %p = xf.softmax %m : tensor<1x2x4x4xf32> loc("softmax")
  %o = xf.matmul %p, %vh : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> loc("context")
  %ot = xf.transpose %o, [0, 2, 1, 3] : (tensor<1x2x4x8xf32>) -> tensor<1x4x2x8xf32> loc("merge.transpose")
  %r = xf.reshape %ot : tensor<1x4x2x8xf32> -> tensor<1x4x16xf32> loc("merge")
  return %r : tensor<1x4x16xf32>
}

// -----

// Separate key transposes (Transpose(0,2,1,3) then Transpose(0,1,3,2)),
// Mul(1/√d), and a head merge to [B·S, H·D] for a Gemm (GPT-2): still the
// packed layout, then the merge's reshape.
// CHECK-LABEL: func.func @separate_key_transpose
// CHECK: %[[A:.*]] = xf.attention %arg0, %arg1, %arg2 {num_heads = 2 : i64, scale = 0.353553385 : f32}
// CHECK-NEXT: %[[R:.*]] = xf.reshape %[[A]] : tensor<1x4x16xf32> -> tensor<4x16xf32>
// CHECK-NEXT: return %[[R]]
func.func @separate_key_transpose(%q: tensor<1x4x16xf32>, %k: tensor<1x4x16xf32>, %v: tensor<1x4x16xf32>) -> tensor<4x16xf32> {
  %inv_sqrt_d = arith.constant dense<0.353553385> : tensor<f32>
  %q4 = xf.reshape %q : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %k4 = xf.reshape %k : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %v4 = xf.reshape %v : tensor<1x4x16xf32> -> tensor<1x4x2x8xf32>
  %qh = xf.transpose %q4, [0, 2, 1, 3] : (tensor<1x4x2x8xf32>) -> tensor<1x2x4x8xf32>
  %kh = xf.transpose %k4, [0, 2, 1, 3] : (tensor<1x4x2x8xf32>) -> tensor<1x2x4x8xf32>
  %kt = xf.transpose %kh, [0, 1, 3, 2] : (tensor<1x2x4x8xf32>) -> tensor<1x2x8x4xf32>
  %vh = xf.transpose %v4, [0, 2, 1, 3] : (tensor<1x4x2x8xf32>) -> tensor<1x2x4x8xf32>
  %s = xf.matmul %qh, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %d = xf.mul %inv_sqrt_d, %s : (tensor<f32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = xf.softmax %d : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %vh : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %ot = xf.transpose %o, [0, 2, 1, 3] : (tensor<1x2x4x8xf32>) -> tensor<1x4x2x8xf32>
  %r = xf.reshape %ot : tensor<1x4x2x8xf32> -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// PyTorch SDPA: Q and Kᵀ each multiplied by √scale; heads in [B, H, S, D]
// with no merge after: the rank-4 layout, the key's transpose undone.
// CHECK-LABEL: func.func @sdpa_split_scale
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x2x4x8xf32>, %[[KT:[^:]*]]: tensor<1x2x8x4xf32>, %[[V:[^:]*]]: tensor<1x2x4x8xf32>)
// CHECK: %[[K:.*]] = xf.transpose %[[KT]], [0, 1, 3, 2]
// CHECK: xf.attention %[[Q]], %[[K]], %[[V]] {num_heads = 2 : i64, scale = 0.353553{{[0-9]*}} : f32}
// CHECK-NOT: xf.softmax
func.func @sdpa_split_scale(%q: tensor<1x2x4x8xf32>, %kt: tensor<1x2x8x4xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %root = arith.constant dense<0.594603539> : tensor<1xf32>
  %qs = xf.mul %q, %root : (tensor<1x2x4x8xf32>, tensor<1xf32>) -> tensor<1x2x4x8xf32>
  %ks = xf.mul %kt, %root : (tensor<1x2x8x4xf32>, tensor<1xf32>) -> tensor<1x2x8x4xf32>
  %s = xf.matmul %qs, %ks : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %p = xf.softmax %s : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// transpose_rhs and no scale at all: scale 1, not the 1/√d default.
// CHECK-LABEL: func.func @transposed_rhs_unscaled
// CHECK: xf.attention %arg0, %arg1, %arg2 {num_heads = 2 : i64, scale = 1.000000e+00 : f32}
func.func @transposed_rhs_unscaled(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %p = xf.softmax %s {axis = 3 : i64} : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// DistilBERT-style Where(keep, scores, -inf) through an Expand: the i1
// condition itself, broadcast by xf.attention.
// CHECK-LABEL: func.func @where_keep_neg_inf
// CHECK-SAME: %[[KEEP:[^:]*]]: tensor<1x1x1x4xi1>
// CHECK: xf.attention %arg0, %arg1, %arg2 mask(%[[KEEP]]) {num_heads = 2 : i64, scale = 1.000000e+00 : f32}
// CHECK-NOT: xf.expand
func.func @where_keep_neg_inf(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %keep: tensor<1x1x1x4xi1>) -> tensor<1x2x4x8xf32> {
  %ninf = arith.constant dense<0xFF800000> : tensor<f32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %e = xf.expand %keep : tensor<1x1x1x4xi1> -> tensor<1x2x4x4xi1>
  %m = xf.select %e, %s, %ninf : (tensor<1x2x4x4xi1>, tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %p = xf.softmax %m : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Where(drop, finfo.min, scores) and an additive mask: one additive mask,
// the sum of both (finfo.min swamps any score, as replacing it does).
// CHECK-LABEL: func.func @where_drop_and_additive
// CHECK-SAME: %[[DROP:[^:]*]]: tensor<1x1x4x4xi1>, %[[PAD:[^:]*]]: tensor<1x1x1x4xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<f32>
// CHECK-DAG: %[[MIN:.*]] = arith.constant dense<-3.40282347E+38> : tensor<f32>
// CHECK: %[[BIAS:.*]] = xf.select %[[DROP]], %[[MIN]], %[[ZERO]]
// CHECK: %[[SUM:.*]] = xf.add %[[BIAS]], %[[PAD]]
// CHECK: xf.attention %arg0, %arg1, %arg2 mask(%[[SUM]])
func.func @where_drop_and_additive(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %drop: tensor<1x1x4x4xi1>, %pad: tensor<1x1x1x4xf32>) -> tensor<1x2x4x8xf32> {
  %min = arith.constant dense<-3.40282347E+38> : tensor<f32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %a = xf.add %s, %pad : (tensor<1x2x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x4x4xf32>
  %m = xf.select %drop, %min, %a : (tensor<1x1x4x4xi1>, tensor<f32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = xf.softmax %m : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// GPT-2: the causal bias buffer (a folded Slice of a bool lower triangle)
// in Where(keep, scores, finfo.min) becomes `causal`; the padding mask
// (1 - m) · finfo.min stays. Sq < Skv: aligned bottom-right.
// CHECK-LABEL: func.func @causal_bool_constant
// CHECK: %[[PAD:.*]] = xf.mul
// CHECK: xf.attention %arg0, %arg1, %arg2 mask(%[[PAD]]) {causal, num_heads = 2 : i64, scale = 1.000000e+00 : f32}
// CHECK-NOT: xf.select
func.func @causal_bool_constant(%q: tensor<1x2x2x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>, %m: tensor<1x1x1x3xf32>) -> tensor<1x2x2x8xf32> {
  %min = arith.constant dense<-3.40282347E+38> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %causal = arith.constant dense<[[[[true, true, false], [true, true, true]]]]> : tensor<1x1x2x3xi1>
  %inv = xf.sub %one, %m : (tensor<f32>, tensor<1x1x1x3xf32>) -> tensor<1x1x1x3xf32>
  %pad = xf.mul %inv, %min : (tensor<1x1x1x3xf32>, tensor<f32>) -> tensor<1x1x1x3xf32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x2x8xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x2x3xf32>
  %c = xf.select %causal, %s, %min : (tensor<1x1x2x3xi1>, tensor<1x2x2x3xf32>, tensor<f32>) -> tensor<1x2x2x3xf32>
  %a = xf.add %c, %pad : (tensor<1x2x2x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x2x2x3xf32>
  %p = xf.softmax %a : tensor<1x2x2x3xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x2x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x2x8xf32>
  return %o : tensor<1x2x2x8xf32>
}

// -----

// SDPA's is_causal: an additive 0 / -inf lower-triangle constant.
// CHECK-LABEL: func.func @causal_additive_constant
// CHECK: xf.attention %arg0, %arg1, %arg2 {causal, num_heads = 2 : i64, scale = 1.000000e+00 : f32}
func.func @causal_additive_constant(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  %bias = arith.constant dense<[[0.0, 0xFF800000, 0xFF800000], [0.0, 0.0, 0xFF800000], [0.0, 0.0, 0.0]]> : tensor<3x3xf32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x3xf32>
  %a = xf.add %s, %bias : (tensor<1x2x3x3xf32>, tensor<3x3xf32>) -> tensor<1x2x3x3xf32>
  %p = xf.softmax %a : tensor<1x2x3x3xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x3x3xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}

// -----

// Near-miss: a constant mask that is not exactly causal (the diagonal is
// masked too) stays a mask.
// CHECK-LABEL: func.func @almost_causal_constant
// CHECK: %[[BIAS:.*]] = arith.constant
// CHECK: xf.attention %arg0, %arg1, %arg2 mask(%[[BIAS]]) {num_heads = 2 : i64, scale = 1.000000e+00 : f32}
func.func @almost_causal_constant(%q: tensor<1x2x2x8xf32>, %k: tensor<1x2x2x8xf32>, %v: tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32> {
  %bias = arith.constant dense<[[0xFF800000, 0xFF800000], [0.0, 0xFF800000]]> : tensor<2x2xf32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x2x8xf32>, tensor<1x2x2x8xf32>) -> tensor<1x2x2x2xf32>
  %a = xf.add %s, %bias : (tensor<1x2x2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2x2xf32>
  %p = xf.softmax %a : tensor<1x2x2x2xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x2x2xf32>, tensor<1x2x2x8xf32>) -> tensor<1x2x2x8xf32>
  return %o : tensor<1x2x2x8xf32>
}

// -----

// LLaMA: repeat_kv (Reshape/Expand/Reshape) of 2 key/value heads for 4
// query heads becomes num_kv_heads; no copy of the heads is made.
// CHECK-LABEL: func.func @grouped_query
// CHECK-SAME: (%[[Q:[^:]*]]: tensor<1x4x3x8xf32>, %[[K:[^:]*]]: tensor<1x2x3x8xf32>, %[[V:[^:]*]]: tensor<1x2x3x8xf32>)
// CHECK-NEXT: %[[A:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 0.353553385 : f32} : (tensor<1x4x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>) -> tensor<1x4x3x8xf32>
// CHECK-NEXT: return %[[A]]
func.func @grouped_query(%q: tensor<1x4x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x4x3x8xf32> {
  %sqrt_d = arith.constant dense<2.82842708> : tensor<f32>
  %k5 = xf.reshape %k : tensor<1x2x3x8xf32> -> tensor<1x2x1x3x8xf32>
  %ke = xf.expand %k5 : tensor<1x2x1x3x8xf32> -> tensor<1x2x2x3x8xf32>
  %kr = xf.reshape %ke : tensor<1x2x2x3x8xf32> -> tensor<1x4x3x8xf32>
  %v5 = xf.reshape %v : tensor<1x2x3x8xf32> -> tensor<1x2x1x3x8xf32>
  %ve = xf.expand %v5 : tensor<1x2x1x3x8xf32> -> tensor<1x2x2x3x8xf32>
  %vr = xf.reshape %ve : tensor<1x2x2x3x8xf32> -> tensor<1x4x3x8xf32>
  %kt = xf.transpose %kr, [0, 1, 3, 2] : (tensor<1x4x3x8xf32>) -> tensor<1x4x8x3xf32>
  %s = xf.matmul %q, %kt : (tensor<1x4x3x8xf32>, tensor<1x4x8x3xf32>) -> tensor<1x4x3x3xf32>
  %d = xf.div %s, %sqrt_d : (tensor<1x4x3x3xf32>, tensor<f32>) -> tensor<1x4x3x3xf32>
  %p = xf.softmax %d : tensor<1x4x3x3xf32>
  %o = xf.matmul %p, %vr : (tensor<1x4x3x3xf32>, tensor<1x4x3x8xf32>) -> tensor<1x4x3x8xf32>
  return %o : tensor<1x4x3x8xf32>
}

// -----

// Single-head [B, S, S] scores: the packed layout with one head; a rank-3
// mask gains the head dimension.
// CHECK-LABEL: func.func @single_head
// CHECK: %[[M:.*]] = xf.reshape %arg3 : tensor<2x3x3xf32> -> tensor<2x1x3x3xf32>
// CHECK: xf.attention %arg0, %arg1, %arg2 mask(%[[M]]) {num_heads = 1 : i64, scale = 1.000000e+00 : f32} : (tensor<2x3x8xf32>, tensor<2x3x8xf32>, tensor<2x3x4xf32>, tensor<2x1x3x3xf32>) -> tensor<2x3x4xf32>
func.func @single_head(%q: tensor<2x3x8xf32>, %k: tensor<2x3x8xf32>, %v: tensor<2x3x4xf32>, %mask: tensor<2x3x3xf32>) -> tensor<2x3x4xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<2x3x8xf32>, tensor<2x3x8xf32>) -> tensor<2x3x3xf32>
  %a = xf.add %mask, %s : (tensor<2x3x3xf32>, tensor<2x3x3xf32>) -> tensor<2x3x3xf32>
  %p = xf.softmax %a : tensor<2x3x3xf32>
  %o = xf.matmul %p, %v : (tensor<2x3x3xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %o : tensor<2x3x4xf32>
}

// -----

// Near-miss: softmax over the query axis.
// CHECK-LABEL: func.func @softmax_wrong_axis
// CHECK-NOT: xf.attention
func.func @softmax_wrong_axis(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark @+1 {{attention not fused: blocked by 'xf.softmax' at}}
  %p = xf.softmax %s {axis = 2 : i64} : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Near-miss: the scale is a run-time value.
// CHECK-LABEL: func.func @scale_not_constant
// CHECK-NOT: xf.attention
func.func @scale_not_constant(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %c: tensor<f32>) -> tensor<1x2x4x8xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %d = xf.div %s, %c : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32> loc("scaled")
  // expected-remark @+1 {{attention not fused: blocked by 'xf.div' at loc("scaled"): the scale is not a constant}}
  %p = xf.softmax %d : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Near-miss: the masked scores are also used elsewhere.
// CHECK-LABEL: func.func @masked_scores_used_elsewhere
// CHECK-NOT: xf.attention
func.func @masked_scores_used_elsewhere(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %mask: tensor<1x1x1x4xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>) {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %a = xf.add %s, %mask : (tensor<1x2x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x4x4xf32> loc("masked")
  // expected-remark @+1 {{attention not fused: blocked by 'xf.add' at loc("masked"): its result is also used elsewhere}}
  %p = xf.softmax %a : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %e = xf.exp %a : tensor<1x2x4x4xf32>
  return %o, %e : tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
}

// -----

// Near-miss: the scores are also a result of the function.
// CHECK-LABEL: func.func @scores_are_an_output
// CHECK-NOT: xf.attention
func.func @scores_are_an_output(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>) {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32> loc("scores")
  // expected-remark @+1 {{attention not fused: blocked by 'xf.matmul' at loc("scores"): its result is also used elsewhere}}
  %p = xf.softmax %s : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o, %s : tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
}

// -----

// Near-miss: the attention probabilities are an output too.
// CHECK-LABEL: func.func @probabilities_are_an_output
// CHECK-NOT: xf.attention
func.func @probabilities_are_an_output(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> (tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>) {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  // expected-remark @+1 {{attention not fused: blocked by 'xf.softmax'}}
  %p = xf.softmax %s : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o, %p : tensor<1x2x4x8xf32>, tensor<1x2x4x4xf32>
}

// -----

// Near-miss: the scale comes after the additive mask, so it scales the
// mask as well.
// CHECK-LABEL: func.func @scale_after_mask
// CHECK-NOT: xf.attention
func.func @scale_after_mask(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %mask: tensor<1x1x1x4xf32>) -> tensor<1x2x4x8xf32> {
  %c = arith.constant dense<8.0> : tensor<f32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %a = xf.add %s, %mask : (tensor<1x2x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x4x4xf32>
  %d = xf.div %a, %c : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32> loc("late_scale")
  // expected-remark @+1 {{attention not fused: blocked by 'xf.div' at loc("late_scale"): the scale applies to the mask too}}
  %p = xf.softmax %d : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Near-miss: Where replaces scores by 0, which is not masking.
// CHECK-LABEL: func.func @where_fill_zero
// CHECK-NOT: xf.attention
func.func @where_fill_zero(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %keep: tensor<1x1x1x4xi1>) -> tensor<1x2x4x8xf32> {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %m = xf.select %keep, %s, %zero : (tensor<1x1x1x4xi1>, tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  // expected-remark @+1 {{attention not fused: blocked by 'xf.select'}}
  %p = xf.softmax %m : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Near-miss: an op that is neither scale nor mask between the scores and
// the softmax (a softcap's tanh).
// CHECK-LABEL: func.func @softcap
// CHECK-NOT: xf.attention
func.func @softcap(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %t = xf.tanh %s : tensor<1x2x4x4xf32>
  // expected-remark @+1 {{attention not fused: blocked by 'xf.tanh'}}
  %p = xf.softmax %t : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Not attention at all: a classifier's softmax over logits gets no remark.
// CHECK-LABEL: func.func @classifier
// CHECK: xf.softmax
func.func @classifier(%x: tensor<1x8xf32>, %w: tensor<8x3xf32>) -> tensor<1x3xf32> {
  %l = xf.matmul %x, %w : (tensor<1x8xf32>, tensor<8x3xf32>) -> tensor<1x3xf32>
  %p = xf.softmax %l : tensor<1x3xf32>
  return %p : tensor<1x3xf32>
}

// -----

// A constant multiplying V scales the output, not the scores: it stays,
// and the scale is that of Q·Kᵀ alone.
// CHECK-LABEL: func.func @scaled_value
// CHECK: %[[VS:.*]] = xf.mul %arg2, %{{.*}}
// CHECK: xf.attention %arg0, %arg1, %[[VS]] {num_heads = 2 : i64, scale = 1.000000e+00 : f32}
func.func @scaled_value(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %c = arith.constant dense<3.0> : tensor<f32>
  %vs = xf.mul %v, %c : (tensor<1x2x4x8xf32>, tensor<f32>) -> tensor<1x2x4x8xf32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %p = xf.softmax %s : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %vs : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Multi-query attention written as a broadcasting matmul (one key/value
// head for every query head): num_kv_heads = 1.
// CHECK-LABEL: func.func @multi_query_broadcast
// CHECK: xf.attention %arg0, %arg1, %arg2 {num_heads = 4 : i64, num_kv_heads = 1 : i64, scale = 1.000000e+00 : f32} : (tensor<1x4x3x8xf32>, tensor<1x1x3x8xf32>, tensor<1x1x3x8xf32>) -> tensor<1x4x3x8xf32>
func.func @multi_query_broadcast(%q: tensor<1x4x3x8xf32>, %k: tensor<1x1x3x8xf32>, %v: tensor<1x1x3x8xf32>) -> tensor<1x4x3x8xf32> {
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x4x3x8xf32>, tensor<1x1x3x8xf32>) -> tensor<1x4x3x3xf32>
  %p = xf.softmax %s : tensor<1x4x3x3xf32>
  %o = xf.matmul %p, %v : (tensor<1x4x3x3xf32>, tensor<1x1x3x8xf32>) -> tensor<1x4x3x8xf32>
  return %o : tensor<1x4x3x8xf32>
}
