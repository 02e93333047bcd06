// RUN: xfc-opt %s --split-input-file --xf-prune-ffn="ratio=0.5" | FileCheck %s
// RUN: xfc-opt %s --split-input-file --xf-prune-ffn="ratio=0.5 mask-only=true" | FileCheck %s --check-prefix=MASK
// RUN: xfc-opt %s --split-input-file --xf-prune-ffn="ratio=0" | FileCheck %s --check-prefix=IDENTITY
// One module, two FFNs (the third function's is not one): per-FFN ratios.
// RUN: xfc-opt %s --xf-prune-ffn="ratios=0.5,0" | FileCheck %s --check-prefix=RATIOS
// RATIOS-LABEL: func.func @bert_ffn
// RATIOS: xf.matmul %arg0, %{{.*}} : (tensor<5x3xf32>, tensor<3x2xf32>) -> tensor<5x2xf32>
// RATIOS-LABEL: func.func @swiglu
// RATIOS: xf.linear %arg0, %{{.*}} : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>

// A BERT FFN: x·W1 + b1 → GELU (with a per-neuron scale) → ·W2 + b2, four
// neurons. Wanda importance Σn|W2[j, n]| · ‖X_j‖: rows of W2 sum to
// [1, 4, 2, 0.5], norms [1, 1, 4, 1] → [1, 4, 8, 0.5]: neurons 1 and 2 stay.
// Bias compensation adds mean_j · W2[j, :] of neurons 0 and 3:
// 0.5 · [1, 0] + 2 · [0.5, 0] = [1.5, 0] to b2 = [1, 2] → [2.5, 2].
// CHECK-LABEL: func.func @bert_ffn
// CHECK: %[[W1:.*]] = arith.constant dense_resource<xf_pruned_weight> : tensor<3x2xf32>
// CHECK: %[[B1:.*]] = arith.constant dense_resource<xf_pruned_bias> : tensor<2xf32>
// CHECK: %[[H:.*]] = xf.matmul %arg0, %[[W1]] : (tensor<5x3xf32>, tensor<3x2xf32>) -> tensor<5x2xf32>
// CHECK: xf.add %[[H]], %[[B1]] : (tensor<5x2xf32>, tensor<2xf32>) -> tensor<5x2xf32>
// CHECK: xf.gelu {{.*}} : tensor<5x2xf32>
// CHECK: %[[S:.*]] = arith.constant dense_resource<xf_pruned_constant> : tensor<2xf32>
// CHECK: xf.mul %{{.*}}, %[[S]] : (tensor<5x2xf32>, tensor<2xf32>) -> tensor<5x2xf32>
// CHECK: %[[W2:.*]] = arith.constant dense_resource<xf_pruned_weight{{.*}}> : tensor<2x2xf32>
// CHECK: %[[B2:.*]] = arith.constant dense_resource<xf_compensated_bias> : tensor<2xf32>
// CHECK: xf.matmul %{{.*}}, %[[W2]] {{{.*}}xf.input_channel_mean = array<f32: 1.000000e+00, 1.000000e+00>, xf.input_channel_norm = array<f32: 1.000000e+00, 4.000000e+00>} : (tensor<5x2xf32>, tensor<2x2xf32>) -> tensor<5x2xf32>
// CHECK: %[[Y:.*]] = xf.add %{{.*}}, %[[B2]]
// CHECK-NEXT: return %[[Y]]
// W1 columns 1, 2 of [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]: [[2, 3], [6, 7], [10, 11]];
// b1 = [0.1, 0.2, 0.3, 0.4] → [0.2, 0.3]; scale [1, 2, 3, 4] → [2, 3];
// W2 rows 1, 2 of [[1, 0], [2, 2], [1, 1], [0.5, 0]].
// CHECK: xf_pruned_weight: "0x4000000000000040000040400000C0400000E0400000204100003041"
// CHECK: xf_pruned_bias: "0x40000000CDCC4C3E9A99993E"
// CHECK: xf_pruned_constant: "0x400000000000004000004040"
// CHECK: xf_pruned_weight_1: "0x4000000000000040000000400000803F0000803F"
// CHECK: xf_compensated_bias: "0x400000000000204000000040"
// Masking keeps the shapes and zeroes rows 0 and 3 of W2.
// MASK-LABEL: func.func @bert_ffn
// MASK: xf.matmul %arg0, %{{.*}} : (tensor<5x3xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
// MASK: xf.matmul %{{.*}}, %{{.*}} : (tensor<5x4xf32>, tensor<4x2xf32>) -> tensor<5x2xf32>
// MASK: xf_masked_weight: "0x4000000000000000000000000000004000000040
// IDENTITY-LABEL: func.func @bert_ffn
// IDENTITY-NOT: xf_pruned
// IDENTITY: tensor<3x4xf32>
func.func @bert_ffn(%x: tensor<5x3xf32>) -> tensor<5x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]> : tensor<3x4xf32>
  %b1 = arith.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %scale = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [2.0, 2.0], [1.0, 1.0], [0.5, 0.0]]> : tensor<4x2xf32>
  %b2 = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %h = xf.matmul %x, %w1 : (tensor<5x3xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  %hb = xf.add %h, %b1 : (tensor<5x4xf32>, tensor<4xf32>) -> tensor<5x4xf32>
  %g = xf.gelu %hb : tensor<5x4xf32>
  %s = xf.mul %g, %scale : (tensor<5x4xf32>, tensor<4xf32>) -> tensor<5x4xf32>
  %y = xf.matmul %s, %w2 {xf.input_channel_norm = array<f32: 1.0, 1.0, 4.0, 1.0>, xf.input_channel_mean = array<f32: 0.5, 1.0, 1.0, 2.0>} : (tensor<5x4xf32>, tensor<4x2xf32>) -> tensor<5x2xf32>
  %z = xf.add %y, %b2 : (tensor<5x2xf32>, tensor<2xf32>) -> tensor<5x2xf32>
  return %z : tensor<5x2xf32>
}

// -----

// SwiGLU (LLaMA): silu(x·Wg) · (x·Wu) · Wd with [N, K] weights (xf.linear):
// both up-projections lose the same neurons; no bias, so the compensation
// becomes a new add.
// CHECK-LABEL: func.func @swiglu
// CHECK: xf.linear %arg0, %{{.*}} : (tensor<5x3xf32>, tensor<2x3xf32>) -> tensor<5x2xf32>
// CHECK: xf.silu %{{.*}} : tensor<5x2xf32>
// CHECK: xf.linear %arg0, %{{.*}} : (tensor<5x3xf32>, tensor<2x3xf32>) -> tensor<5x2xf32>
// CHECK: xf.mul {{.*}} -> tensor<5x2xf32>
// CHECK: %[[D:.*]] = xf.linear %{{.*}}, %{{.*}} {{.*}}: (tensor<5x2xf32>, tensor<2x2xf32>) -> tensor<5x2xf32>
// CHECK: xf.add %[[D]], %{{.*}} : (tensor<5x2xf32>, tensor<2xf32>) -> tensor<5x2xf32>
func.func @swiglu(%x: tensor<5x3xf32>) -> tensor<5x2xf32> {
  %wg = arith.constant dense<[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0]]> : tensor<4x3xf32>
  %wu = arith.constant dense<[[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [3.0, 3.0, 3.0], [4.0, 4.0, 4.0]]> : tensor<4x3xf32>
  %wd = arith.constant dense<[[1.0, 0.0, 4.0, 0.5], [0.0, 2.0, 4.0, 0.0]]> : tensor<2x4xf32>
  %g = xf.linear %x, %wg : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>
  %a = xf.silu %g : tensor<5x4xf32>
  %u = xf.linear %x, %wu : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>
  %m = xf.mul %a, %u : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  %y = xf.linear %m, %wd {xf.input_channel_norm = array<f32: 1.0, 1.0, 1.0, 1.0>, xf.input_channel_mean = array<f32: 1.0, 1.0, 1.0, 1.0>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// Near-miss: the activation is also returned, so its width cannot change.
// CHECK-LABEL: func.func @intermediate_escapes
// CHECK-NOT: xf_pruned
// CHECK: tensor<4x2xf32>
func.func @intermediate_escapes(%x: tensor<5x3xf32>) -> (tensor<5x2xf32>, tensor<5x4xf32>) {
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]> : tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [2.0, 2.0], [1.0, 1.0], [0.5, 0.0]]> : tensor<4x2xf32>
  %h = xf.matmul %x, %w1 : (tensor<5x3xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  %g = xf.gelu %h : tensor<5x4xf32>
  %y = xf.matmul %g, %w2 {xf.input_channel_norm = array<f32: 1.0, 1.0, 4.0, 1.0>} : (tensor<5x4xf32>, tensor<4x2xf32>) -> tensor<5x2xf32>
  return %y, %g : tensor<5x2xf32>, tensor<5x4xf32>
}
