// RUN: xfc-opt %s --split-input-file --xf-prune-nm -verify-diagnostics
// RUN: xfc-opt %s --split-input-file --xf-prune-nm 2>/dev/null | FileCheck %s
// RUN: not xfc-opt %s --xf-prune-nm="n=4 m=4" 2>&1 | FileCheck %s --check-prefix=N-EQ-M
// RUN: not xfc-opt %s --xf-prune-nm="n=0 m=4" 2>&1 | FileCheck %s --check-prefix=N-ZERO
// RUN: not xfc-opt %s --xf-prune-nm="n=-1 m=0" 2>&1 | FileCheck %s --check-prefix=M-ZERO
// RUN: not xfc-opt %s --xf-prune-nm="importance=random" 2>&1 | FileCheck %s --check-prefix=IMPORTANCE
// RUN: not xfc-opt %s --split-input-file --xf-prune-nm="importance=wanda" 2>&1 | FileCheck %s --check-prefix=WANDA

// N-EQ-M: error: xf-prune-nm: n and m must satisfy 0 < n < m, got n=4 m=4
// N-ZERO: error: xf-prune-nm: n and m must satisfy 0 < n < m, got n=0 m=4
// M-ZERO: error: xf-prune-nm: n and m must satisfy 0 < n < m, got n=-1 m=0
// IMPORTANCE: error: xf-prune-nm: unknown importance 'random': use magnitude or wanda
// WANDA: error: xf-prune-nm: importance wanda needs the calibrated input norms of this GEMM (xf.input_channel_norm, 6 values); calibrate first, or use importance=magnitude

// K = 6 is not a multiple of m = 4: that weight stays dense (a warning),
// the other GEMM is pruned.
// CHECK-LABEL: func.func @k_not_multiple
// CHECK: xf.linear %arg0, %{{.*}} : (tensor<5x6xf32>, tensor<1x6xf32>)
// CHECK: xf.linear %arg1, %{{.*}} {xf.sparsity = 5.000000e-01 : f32, xf.sparsity_pattern = "2:4"}
func.func @k_not_multiple(%x: tensor<5x6xf32>, %z: tensor<5x4xf32>) -> (tensor<5x1xf32>, tensor<5x1xf32>) {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]> : tensor<1x6xf32>
  %v = arith.constant dense<[[1.0, 2.0, 3.0, 4.0]]> : tensor<1x4xf32>
  // expected-warning @+1 {{xf-prune-nm: reduction dimension 6 is not a multiple of m=4; weight left dense}}
  %y = xf.linear %x, %w : (tensor<5x6xf32>, tensor<1x6xf32>) -> tensor<5x1xf32>
  %u = xf.linear %z, %v : (tensor<5x4xf32>, tensor<1x4xf32>) -> tensor<5x1xf32>
  return %y, %u : tensor<5x1xf32>, tensor<5x1xf32>
}

