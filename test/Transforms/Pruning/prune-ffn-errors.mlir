// RUN: xfc-opt %s --xf-prune-ffn="ratio=0.5" -verify-diagnostics
// RUN: not xfc-opt %s --xf-prune-ffn="ratio=1" 2>&1 | FileCheck %s --check-prefix=RATIO
// RUN: not xfc-opt %s --xf-prune-ffn="ratio=0.5 importance=random" 2>&1 | FileCheck %s --check-prefix=IMPORTANCE
// RUN: not xfc-opt %s --xf-prune-ffn="ratios=0.5,0.5 importance=magnitude" 2>&1 | FileCheck %s --check-prefix=RATIOS
// RUN: not xfc-opt %s --xf-prune-ffn="ratios=1.5 importance=magnitude" 2>&1 | FileCheck %s --check-prefix=RATIOS-RANGE

// Wanda ranks by calibrated activation norms; without them nothing changes.
func.func @uncalibrated(%x: tensor<5x3xf32>) -> tensor<5x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]> : tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [2.0, 2.0], [1.0, 1.0], [0.5, 0.0]]> : tensor<4x2xf32>
  %h = xf.matmul %x, %w1 : (tensor<5x3xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  %g = xf.gelu %h : tensor<5x4xf32>
  // expected-error @+1 {{xf-prune-ffn: importance wanda needs the calibrated input norms of this down-projection (xf.input_channel_norm); calibrate first, or use importance=magnitude}}
  %y = xf.matmul %g, %w2 : (tensor<5x4xf32>, tensor<4x2xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// RATIO: error: xf-prune-ffn: ratio must be in [0, 1), got 1
// RATIOS: error: xf-prune-ffn: ratios has 2 entries, but the model has 1 FFNs
// RATIOS-RANGE: error: xf-prune-ffn: ratios must be in [0, 1), got 1.5
// IMPORTANCE: error: xf-prune-ffn: unknown importance 'random': use wanda or magnitude
