// RUN: xfc-opt %s --split-input-file --xf-quantize=mode=w8a8 -verify-diagnostics
// RUN: not xfc-opt %s --split-input-file --xf-quantize="mode=w4 group-size=3" 2>&1 | FileCheck %s --check-prefix=GROUP
// RUN: not xfc-opt %s --xf-quantize=mode=w2 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not xfc-opt %s --xf-quantize="mode=w8 group-size=-4" 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// Static activations need a calibrated range; nothing is rewritten.
func.func @uncalibrated(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 0.25], [3.0, 1.0], [-1.0, 0.0]]> : tensor<4x2xf32>
  // expected-error @+1 {{xf-quantize: mode w8a8 needs the calibrated input range of this GEMM (attribute xf.input_range); calibrate first (xfc --calibration=DIR or --calibration-samples=N), or use mode w8a8-dynamic}}
  %y = xf.matmul %x, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A malformed range counts as none.
func.func @inverted_range(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 0.25], [3.0, 1.0], [-1.0, 0.0]]> : tensor<4x2xf32>
  // expected-error @+1 {{needs the calibrated input range}}
  %y = xf.matmul %x, %w {xf.input_range = array<f64: 2.0, -1.0>} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// GROUP: error: xf-quantize: group size 3 does not divide the 4 input features of this GEMM; choose a group size that divides K (or 0 for one group per output channel)
// MODE: error: xf-quantize: unknown mode 'w2': use w8a8, w8a8-dynamic, w8 or w4
// NEGATIVE: error: xf-quantize: group-size must be >= 0, got -4
