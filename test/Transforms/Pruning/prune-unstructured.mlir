// RUN: xfc-opt %s --split-input-file --xf-prune-unstructured="sparsity=0.5" | FileCheck %s
// RUN: xfc-opt %s --split-input-file --xf-prune-unstructured="sparsity=0.5 importance=wanda" | FileCheck %s --check-prefix=WANDA
// RUN: xfc-opt %s --split-input-file --xf-prune-unstructured="sparsity=0" | FileCheck %s --check-prefix=IDENTITY
// RUN: xfc-opt %s --split-input-file --xf-prune-unstructured="sparsity=0.6" | FileCheck %s --check-prefix=SIXTY

// Magnitude is per tensor: the 3 smallest |W| of 6 (0.25, 0.5, 1) go.
// Wanda is per output column of this [K, N] weight (1 of 2 per output):
// scores |W[k, n]| · ‖X_k‖ with norms [1, 8]: column 0 [1, 16] → W[0, 0]
// goes, column 1 [4, 24] → W[0, 1], column 2 [0.5, 2] → W[0, 2].
// At 60%, floor(3.6) = 3 weights go, as at 50%.
// CHECK-LABEL: func.func @matmul$magnitude_per_tensor
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, -4.000000e+00, 0.000000e+00], [2.000000e+00, 3.000000e+00, 0.000000e+00]]> : tensor<2x3xf32>
// CHECK: xf.matmul %arg0, %[[W]] {{{.*}}xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "unstructured"}
// WANDA-LABEL: func.func @matmul$magnitude_per_tensor
// WANDA: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 0.000000e+00], [2.000000e+00, 3.000000e+00, -2.500000e-01]]> : tensor<2x3xf32>
// WANDA: xf.matmul %arg0, %[[W]] {{{.*}}xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "unstructured"}
// IDENTITY-LABEL: func.func @matmul$magnitude_per_tensor
// IDENTITY: arith.constant dense<{{\[}}[1.000000e+00, -4.000000e+00, 5.000000e-01], [2.000000e+00, 3.000000e+00, -2.500000e-01]]>
// IDENTITY-NOT: xf.sparsity
// SIXTY-LABEL: func.func @matmul$magnitude_per_tensor
// SIXTY: arith.constant dense<{{\[}}[0.000000e+00, -4.000000e+00, 0.000000e+00], [2.000000e+00, 3.000000e+00, 0.000000e+00]]>
func.func @matmul$magnitude_per_tensor(%x: tensor<5x2xf32>) -> tensor<5x3xf32> {
  %w = arith.constant dense<[[1.0, -4.0, 0.5], [2.0, 3.0, -0.25]]> : tensor<2x3xf32>
  %y = xf.matmul %x, %w {xf.input_channel_norm = array<f32: 1.0, 8.0>} : (tensor<5x2xf32>, tensor<2x3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// -----

// An [N, K] weight (xf.linear), ties included. Magnitude, per tensor, of
// [1, 2, 3, 4, 4, 3, 2, 1]: the four smallest, ties to the lower index:
// (0,0), (1,3), (0,1), (1,2). Wanda with norms [4, 1, 1, 1], per row (2 of
// 4): row 0 scores [4, 2, 3, 4] → k 1, 2; row 1 [16, 3, 2, 1] → k 3, 2.
// CHECK-LABEL: func.func @linear$ties
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00, 3.000000e+00, 4.000000e+00], [4.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// CHECK: xf.linear %arg0, %[[W]] {{{.*}}xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "unstructured"}
// WANDA-LABEL: func.func @linear$ties
// WANDA: %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 0.000000e+00, 0.000000e+00, 4.000000e+00], [4.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00]]> : tensor<2x4xf32>
// WANDA: xf.linear %arg0, %[[W]]
func.func @linear$ties(%x: tensor<5x4xf32>) -> tensor<5x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]]> : tensor<2x4xf32>
  %y = xf.linear %x, %w {xf.input_channel_norm = array<f32: 4.0, 1.0, 1.0, 1.0>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// `xf.prune = false` keeps a weight; a matmul of two activations and a
// batched constant (rank 3) are no GEMM weights: all three untouched, the
// plain GEMM beside them pruned.
// CHECK-LABEL: func.func @opt_out_and_near_misses
// CHECK: %[[KEEP:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[B:.*]] = arith.constant dense<1.000000e+00> : tensor<3x2x2xf32>
// CHECK: xf.matmul %arg0, %[[KEEP]] {xf.prune = false} :
// CHECK-NEXT: xf.matmul %arg0, %arg0 :
// CHECK-NEXT: xf.matmul %arg1, %[[B]] :
// CHECK-NEXT: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 0.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: xf.matmul %arg0, %[[W]] {{{.*}}xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "unstructured"}
func.func @opt_out_and_near_misses(%x: tensor<2x2xf32>, %z: tensor<3x2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<3x2x2xf32>, tensor<2x2xf32>) {
  %keep = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<1.0> : tensor<3x2x2xf32>
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %0 = xf.matmul %x, %keep {xf.prune = false} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %1 = xf.matmul %x, %x : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %2 = xf.matmul %z, %b : (tensor<3x2x2xf32>, tensor<3x2x2xf32>) -> tensor<3x2x2xf32>
  %3 = xf.matmul %x, %w {xf.input_channel_norm = array<f32: 1.0, 1.0>} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<3x2x2xf32>, tensor<2x2xf32>
}
