// RUN: xfc-opt %s --split-input-file --xf-prune-nm | FileCheck %s
// RUN: xfc-opt %s --split-input-file --xf-prune-nm="n=1 m=2" | FileCheck %s --check-prefix=ONE-TWO
// RUN: xfc-opt %s --split-input-file --xf-prune-nm="importance=wanda" | FileCheck %s --check-prefix=WANDA

// 2:4 on an [N, K] weight (xf.linear): in each group of 4 along K, the two
// largest |W| stay; ties go to the lower index (row 1's first group).
// 1:2 keeps the larger of each pair. Wanda with norms [10, 1, 1, 1, 1, 1,
// 1, 1]: row 0's first group scores [10, 4, 2, 3] → k 0 and 1 stay.
// CHECK-LABEL: func.func @linear$two_four
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, -4.000000e+00, 0.000000e+00, 3.000000e+00, 5.000000e-01, 0.000000e+00, 0.000000e+00, 3.000000e-01], [0.000000e+00, 0.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 8.000000e+00]]> : tensor<2x8xf32>
// CHECK: xf.linear %arg0, %[[W]] {{{.*}}xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "2:4"}
// ONE-TWO-LABEL: func.func @linear$two_four
// ONE-TWO: arith.constant dense<{{\[}}[0.000000e+00, -4.000000e+00, 0.000000e+00, 3.000000e+00, 5.000000e-01, 0.000000e+00, 0.000000e+00, 3.000000e-01], [0.000000e+00, 1.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00, 6.000000e+00, 0.000000e+00, 8.000000e+00]]> : tensor<2x8xf32>
// ONE-TWO: xf.sparsity_pattern = "1:2"
// WANDA-LABEL: func.func @linear$two_four
// WANDA: arith.constant dense<{{\[}}[1.000000e+00, -4.000000e+00, 0.000000e+00, 0.000000e+00, 5.000000e-01, 0.000000e+00, 0.000000e+00, 3.000000e-01], [1.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00, 0.000000e+00, 7.000000e+00, 8.000000e+00]]> : tensor<2x8xf32>
func.func @linear$two_four(%x: tensor<5x8xf32>) -> tensor<5x2xf32> {
  %w = arith.constant dense<[[1.0, -4.0, 2.0, 3.0, 0.5, 0.1, -0.2, 0.3], [1.0, 1.0, 1.0, 1.0, 5.0, 6.0, 7.0, 8.0]]> : tensor<2x8xf32>
  %y = xf.linear %x, %w {xf.input_channel_norm = array<f32: 10.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0>} : (tensor<5x8xf32>, tensor<2x8xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// A [K, N] weight (xf.matmul): the groups run down each column. Column 0
// [1, 2, 3, 4] keeps 3 and 4, column 1 [8, 7, 6, 5] keeps 8 and 7.
// An opted-out GEMM beside it keeps its weight and gets no annotation.
// CHECK-LABEL: func.func @matmul$groups_along_k
// CHECK: %[[KEEP:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 8.000000e+00], [2.000000e+00, 7.000000e+00], [3.000000e+00, 6.000000e+00], [4.000000e+00, 5.000000e+00]]> : tensor<4x2xf32>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 8.000000e+00], [0.000000e+00, 7.000000e+00], [3.000000e+00, 0.000000e+00], [4.000000e+00, 0.000000e+00]]> : tensor<4x2xf32>
// CHECK: xf.matmul %arg0, %[[W]] {{{.*}}xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "2:4"}
// CHECK: xf.matmul %arg0, %[[KEEP]] {{{.*}}xf.prune = false} :
// CHECK-NOT: xf.sparsity
func.func @matmul$groups_along_k(%x: tensor<5x4xf32>) -> (tensor<5x2xf32>, tensor<5x2xf32>) {
  %w = arith.constant dense<[[1.0, 8.0], [2.0, 7.0], [3.0, 6.0], [4.0, 5.0]]> : tensor<4x2xf32>
  %keep = arith.constant dense<[[1.0, 8.0], [2.0, 7.0], [3.0, 6.0], [4.0, 5.0]]> : tensor<4x2xf32>
  %y = xf.matmul %x, %w {xf.input_channel_norm = array<f32: 1.0, 1.0, 1.0, 1.0>} : (tensor<5x4xf32>, tensor<4x2xf32>) -> tensor<5x2xf32>
  %z = xf.matmul %x, %keep {xf.prune = false, xf.input_channel_norm = array<f32: 1.0, 1.0, 1.0, 1.0>} : (tensor<5x4xf32>, tensor<4x2xf32>) -> tensor<5x2xf32>
  return %y, %z : tensor<5x2xf32>, tensor<5x2xf32>
}
