// RUN: xfc-opt %s --split-input-file --xf-prune-heads="ratio=0.5" | FileCheck %s
// RUN: xfc-opt %s --split-input-file --xf-prune-heads="ratio=0.5 gqa=per-group" | FileCheck %s --check-prefix=PERGROUP
// RUN: xfc-opt %s --split-input-file --xf-prune-heads="ratio=0.5 mask-only=true" | FileCheck %s --check-prefix=MASK
// RUN: xfc-opt %s --xf-prune-heads="heads=0:1,1:1,1:3" | FileCheck %s --check-prefix=LISTED
// RUN: xfc-opt %s --split-input-file --xf-prune-heads="ratio=0" | FileCheck %s --check-prefix=IDENTITY

// Packed layout ([B, S, H·D]), two heads of size 2. Importance
// ‖Wv[:, h]‖ · ‖Wo[h, :]‖: Wv is the identity, Wo's rows of head 0 are ten
// times smaller, so head 0 goes: columns 2 and 3 of Wq (and its bias), Wk
// and Wv stay, rows 2 and 3 of Wo. Bias compensation: head 0's mean output
// [1, 1] times its Wo rows adds [0.1, 0.1, 0, 0] as Wo's new bias.
// CHECK-LABEL: func.func @packed_mha
// CHECK: %[[WQ:.*]] = arith.constant dense_resource<xf_pruned_weight> : tensor<4x2xf32>
// CHECK: %[[BQ:.*]] = arith.constant dense_resource<xf_pruned_bias> : tensor<2xf32>
// CHECK: %[[Q0:.*]] = xf.matmul %arg0, %[[WQ]] : (tensor<1x3x4xf32>, tensor<4x2xf32>) -> tensor<1x3x2xf32>
// CHECK: %[[Q:.*]] = xf.add %[[Q0]], %[[BQ]] : (tensor<1x3x2xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
// CHECK: %[[K:.*]] = xf.matmul %arg0, %{{.*}} : (tensor<1x3x4xf32>, tensor<4x2xf32>) -> tensor<1x3x2xf32>
// CHECK: %[[V:.*]] = xf.matmul %arg0, %{{.*}} : (tensor<1x3x4xf32>, tensor<4x2xf32>) -> tensor<1x3x2xf32>
// CHECK: %[[A:.*]] = xf.attention %[[Q]], %[[K]], %[[V]] {num_heads = 1 : i64} : (tensor<1x3x2xf32>, tensor<1x3x2xf32>, tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
// CHECK: %[[B:.*]] = arith.constant dense_resource<xf_compensated_bias> : tensor<4xf32>
// CHECK: %[[Y:.*]] = xf.matmul %[[A]], %{{.*}} {xf.input_channel_mean = array<f32: 0.000000e+00, 0.000000e+00>} : (tensor<1x3x2xf32>, tensor<2x4xf32>) -> tensor<1x3x4xf32>
// CHECK: %[[Z:.*]] = xf.add %[[Y]], %[[B]]
// CHECK: return %[[Z]]
// Wq's columns 2, 3: [[3, 4], [7, 8], [11, 12], [15, 16]]; bq [0.3, 0.4].
// CHECK: xf_pruned_weight: "0x400000000000404000008040
// CHECK-SAME: 0000E0400000004100003041000040410000704100008041"
// CHECK: xf_pruned_bias: "0x400000009A99993ECDCCCC3E"
// CHECK: xf_compensated_bias: "0x40000000CDCCCC3DCDCCCC3D0000000000000000"
// Masking keeps every shape and zeroes Wo's rows 0 and 1.
// MASK-LABEL: func.func @packed_mha
// MASK: xf.attention {{.*}} {num_heads = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
// MASK: xf_masked_weight: "0x40000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000803F
// The explicit list (both functions in one module: layers 0 and 1) removes
// head 1 of the first, heads 1 and 3 (one per group) of the second.
// LISTED-LABEL: func.func @packed_mha
// LISTED: xf.attention {{.*}} {num_heads = 1 : i64}
// LISTED-LABEL: func.func @split_gqa
// LISTED: xf.attention {{.*}} {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64}
// LISTED: xf_pruned_weight: "0x400000000000803F00000040
// LISTED: xf_pruned_weight_4: "0x400000000000003F0000403F0000C03F0000E03F
// IDENTITY-LABEL: func.func @packed_mha
// IDENTITY-NOT: xf_pruned
// IDENTITY: xf.attention {{.*}} {num_heads = 2 : i64}
func.func @packed_mha(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %wq = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %bq = arith.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %wk = arith.constant dense<[[2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0], [2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0]]> : tensor<4x4xf32>
  %wv = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %wo = arith.constant dense<[[0.1, 0.0, 0.0, 0.0], [0.0, 0.1, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %q0 = xf.matmul %x, %wq : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %q = xf.add %q0, %bq : (tensor<1x3x4xf32>, tensor<4xf32>) -> tensor<1x3x4xf32>
  %k = xf.matmul %x, %wk : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %v = xf.matmul %x, %wv : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %a = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = xf.matmul %a, %wo {xf.input_channel_mean = array<f32: 1.0, 1.0, 0.0, 0.0>} : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  return %y : tensor<1x3x4xf32>
}

// -----

// Split layout ([B, H, S, D] after the head-split reshape and transpose),
// grouped-query: 4 query heads share 2 KV heads. A RoPE-like product with a
// table that broadcasts over the heads stays as it is. Wv's KV heads have
// equal norms; Wo's rows weigh the query heads 4, 3, 1, 2. By whole groups
// (the default), group 1 (query heads 2 and 3, 1 + 2 < 4 + 3) goes; per
// group, the weakest query head of each (1 and 2).
// CHECK-LABEL: func.func @split_gqa
// CHECK: xf.matmul %arg0, %{{.*}} : (tensor<1x3x8xf32>, tensor<8x4xf32>) -> tensor<1x3x4xf32>
// CHECK: xf.reshape %{{.*}} : tensor<1x3x4xf32> -> tensor<1x3x2x2xf32>
// CHECK: xf.transpose %{{.*}}, [0, 2, 1, 3] : (tensor<1x3x2x2xf32>) -> tensor<1x2x3x2xf32>
// CHECK: xf.mul %{{.*}}, %arg1 : (tensor<1x2x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x2x3x2xf32>
// CHECK: xf.matmul %arg0, %{{.*}} : (tensor<1x3x8xf32>, tensor<8x2xf32>) -> tensor<1x3x2xf32>
// CHECK: xf.matmul %arg0, %{{.*}} : (tensor<1x3x8xf32>, tensor<8x2xf32>) -> tensor<1x3x2xf32>
// CHECK: xf.attention {{.*}} {causal, num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<1x2x3x2xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x2x3x2xf32>
// CHECK: xf.transpose %{{.*}}, [0, 2, 1, 3] : (tensor<1x2x3x2xf32>) -> tensor<1x3x2x2xf32>
// CHECK: xf.reshape %{{.*}} : tensor<1x3x2x2xf32> -> tensor<1x3x4xf32>
// CHECK: xf.matmul %{{.*}}, %{{.*}} : (tensor<1x3x4xf32>, tensor<4x8xf32>) -> tensor<1x3x8xf32>
// PERGROUP-LABEL: func.func @split_gqa
// PERGROUP: xf.attention {{.*}} {causal, num_heads = 2 : i64, num_kv_heads = 2 : i64} : (tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32>
// Wq keeps columns 0, 1 (head 0) and 6, 7 (head 3): 0.5, 0.75, 2.0, 2.25.
// PERGROUP: xf_pruned_weight: "0x400000000000003F0000403F0000004000001040
func.func @split_gqa(%x: tensor<1x3x8xf32>, %cos: tensor<1x1x3x2xf32>) -> tensor<1x3x8xf32> {
  %wq = arith.constant dense<[[0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25],
 [2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.25],
 [4.5, 4.75, 5.0, 5.25, 5.5, 5.75, 6.0, 6.25],
 [6.5, 6.75, 7.0, 7.25, 7.5, 7.75, 8.0, 8.25],
 [8.5, 8.75, 9.0, 9.25, 9.5, 9.75, 10.0, 10.25],
 [10.5, 10.75, 11.0, 11.25, 11.5, 11.75, 12.0, 12.25],
 [12.5, 12.75, 13.0, 13.25, 13.5, 13.75, 14.0, 14.25],
 [14.5, 14.75, 15.0, 15.25, 15.5, 15.75, 16.0, 16.25]]> : tensor<8x8xf32>
  %wk = arith.constant dense<[[0.25, 0.75, 1.25, 1.75],
 [2.25, 2.75, 3.25, 3.75],
 [4.25, 4.75, 5.25, 5.75],
 [6.25, 6.75, 7.25, 7.75],
 [8.25, 8.75, 9.25, 9.75],
 [10.25, 10.75, 11.25, 11.75],
 [12.25, 12.75, 13.25, 13.75],
 [14.25, 14.75, 15.25, 15.75]]> : tensor<8x4xf32>
  %wv = arith.constant dense<[[1.0, 0.0, 0.0, 0.0],
 [0.0, 1.0, 0.0, 0.0],
 [0.0, 0.0, 1.0, 0.0],
 [0.0, 0.0, 0.0, 1.0],
 [1.0, 0.0, 0.0, 0.0],
 [0.0, 1.0, 0.0, 0.0],
 [0.0, 0.0, 1.0, 0.0],
 [0.0, 0.0, 0.0, 1.0]]> : tensor<8x4xf32>
  %wo = arith.constant dense<[[0.5, 1.0, 0.5, 1.0, 0.5, 1.0, 0.5, 1.0],
 [0.5, 1.0, 0.5, 1.0, 0.5, 1.0, 0.5, 1.0],
 [0.375, 0.75, 0.375, 0.75, 0.375, 0.75, 0.375, 0.75],
 [0.375, 0.75, 0.375, 0.75, 0.375, 0.75, 0.375, 0.75],
 [0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25],
 [0.125, 0.25, 0.125, 0.25, 0.125, 0.25, 0.125, 0.25],
 [0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5],
 [0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5]]> : tensor<8x8xf32>
  %q0 = xf.matmul %x, %wq : (tensor<1x3x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
  %q1 = xf.reshape %q0 : tensor<1x3x8xf32> -> tensor<1x3x4x2xf32>
  %q2 = xf.transpose %q1, [0, 2, 1, 3] : (tensor<1x3x4x2xf32>) -> tensor<1x4x3x2xf32>
  %q = xf.mul %q2, %cos : (tensor<1x4x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x4x3x2xf32>
  %k0 = xf.matmul %x, %wk : (tensor<1x3x8xf32>, tensor<8x4xf32>) -> tensor<1x3x4xf32>
  %k1 = xf.reshape %k0 : tensor<1x3x4xf32> -> tensor<1x3x2x2xf32>
  %k = xf.transpose %k1, [0, 2, 1, 3] : (tensor<1x3x2x2xf32>) -> tensor<1x2x3x2xf32>
  %v0 = xf.matmul %x, %wv : (tensor<1x3x8xf32>, tensor<8x4xf32>) -> tensor<1x3x4xf32>
  %v1 = xf.reshape %v0 : tensor<1x3x4xf32> -> tensor<1x3x2x2xf32>
  %v = xf.transpose %v1, [0, 2, 1, 3] : (tensor<1x3x2x2xf32>) -> tensor<1x2x3x2xf32>
  %a = xf.attention %q, %k, %v {num_heads = 4 : i64, num_kv_heads = 2 : i64, causal} : (tensor<1x4x3x2xf32>, tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>) -> tensor<1x4x3x2xf32>
  %a1 = xf.transpose %a, [0, 2, 1, 3] : (tensor<1x4x3x2xf32>) -> tensor<1x3x4x2xf32>
  %a2 = xf.reshape %a1 : tensor<1x3x4x2xf32> -> tensor<1x3x8xf32>
  %y = xf.matmul %a2, %wo : (tensor<1x3x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8xf32>
  return %y : tensor<1x3x8xf32>
}
