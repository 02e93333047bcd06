// RUN: xfc-opt %s --xf-prune-unstructured="sparsity=0.5 importance=wanda" -verify-diagnostics
// RUN: not xfc-opt %s --xf-prune-unstructured="sparsity=1" 2>&1 | FileCheck %s --check-prefix=ONE
// RUN: not xfc-opt %s --xf-prune-unstructured="sparsity=-0.1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not xfc-opt %s --xf-prune-unstructured="sparsity=0.5 importance=random" 2>&1 | FileCheck %s --check-prefix=IMPORTANCE
// RUN: not xfc-opt %s --xf-prune-unstructured="sparsity=0 importance=random" 2>&1 | FileCheck %s --check-prefix=IMPORTANCE

// Wanda needs the calibrated input norms; without them nothing changes.
func.func @uncalibrated(%x: tensor<5x2xf32>) -> tensor<5x3xf32> {
  %w = arith.constant dense<[[1.0, -4.0, 0.5], [2.0, 3.0, -0.25]]> : tensor<2x3xf32>
  // expected-error @+1 {{xf-prune-unstructured: importance wanda needs the calibrated input norms of this GEMM (xf.input_channel_norm, 2 values); calibrate first, or use importance=magnitude}}
  %y = xf.matmul %x, %w : (tensor<5x2xf32>, tensor<2x3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// ONE: error: xf-prune-unstructured: sparsity must be in [0, 1), got 1
// NEGATIVE: error: xf-prune-unstructured: sparsity must be in [0, 1), got -1.000000e-01
// IMPORTANCE: error: xf-prune-unstructured: unknown importance 'random': use magnitude or wanda

