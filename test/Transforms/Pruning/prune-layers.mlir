// RUN: xfc-opt %s --xf-prune-layers="remove=attention:0" | FileCheck %s --check-prefix=ATTN
// RUN: xfc-opt %s --xf-prune-layers="remove=ffn:0" | FileCheck %s --check-prefix=FFN
// RUN: xfc-opt %s --xf-prune-layers="remove=attention:0,ffn:0" | FileCheck %s --check-prefix=BOTH
// RUN: xfc-opt %s --xf-prune-layers | FileCheck %s --check-prefix=IDENTITY
// RUN: xfc-opt %s --xf-prune-layers="remove=ffn:0 mask-only=true" | FileCheck %s --check-prefix=MASK
// RUN: not xfc-opt %s --xf-prune-layers="remove=ffn:1" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not xfc-opt %s --xf-prune-layers="remove=mlp:0" 2>&1 | FileCheck %s --check-prefix=SYNTAX

// One post-LN layer (BERT): LN(x + attention(x)), then LN(h + FFN(h)).
// Removing the attention sublayer leaves LN(x): the LayerNorm stays.
// ATTN-LABEL: func.func @post_ln
// ATTN-NOT: xf.attention
// ATTN: %[[H:.*]] = xf.layer_norm %arg0
// ATTN: xf.matmul %[[H]]
// Removing the FFN leaves LN(h) on the attention's output.
// FFN-LABEL: func.func @post_ln
// FFN: xf.attention
// FFN: %[[S:.*]] = xf.add
// FFN: %[[H:.*]] = xf.layer_norm %[[S]]
// FFN-NOT: xf.gelu
// FFN: %[[Y:.*]] = xf.layer_norm %[[H]]
// FFN: xf.matmul %[[Y]]
// BOTH-LABEL: func.func @post_ln
// BOTH-NOT: xf.attention
// BOTH: %[[H:.*]] = xf.layer_norm %arg0
// BOTH: %[[Y:.*]] = xf.layer_norm %[[H]]
// BOTH: xf.matmul %[[Y]]
// IDENTITY-COUNT-6: xf.matmul
// Masking keeps the branch and multiplies it by zero before the sum.
// MASK-LABEL: func.func @post_ln
// MASK: xf.gelu
// MASK: %[[D:.*]] = xf.matmul %{{.*}}, %{{.*}} : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
// MASK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<f32>
// MASK: %[[M:.*]] = xf.mul %[[D]], %[[Z]] : (tensor<1x3x4xf32>, tensor<f32>) -> tensor<1x3x4xf32>
// MASK: xf.add %[[M]], %{{.*}} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
// The sum that is also returned (a near-miss: its branch is read twice)
// and the embedding-like sum of two unrelated inputs are not sublayers.
// MISSING: error: xf-prune-layers: remove names ffn:1, but the model has 1 ffn sublayers (0..0)
// SYNTAX: error: xf-prune-layers: remove entry 'mlp:0' is not attention:INDEX or ffn:INDEX
func.func @post_ln(%x: tensor<1x3x4xf32>, %other: tensor<1x3x4xf32>) -> (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %gamma = arith.constant dense<1.0> : tensor<4xf32>
  %q = xf.matmul %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %k = xf.matmul %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %v = xf.matmul %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %a = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %o = xf.matmul %a, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %s1 = xf.add %o, %x : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %h = xf.layer_norm %s1 scale(%gamma) : (tensor<1x3x4xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  %u = xf.matmul %h, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %g = xf.gelu %u : tensor<1x3x4xf32>
  %d = xf.matmul %g, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %s2 = xf.add %d, %h : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = xf.layer_norm %s2 scale(%gamma) : (tensor<1x3x4xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  %r = xf.matmul %y, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %s3 = xf.add %r, %y : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %e = xf.add %x, %other : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  return %s3, %r, %e : tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>
}
