// RUN: xfc-opt %s --split-input-file --xf-smooth-quant | FileCheck %s
// RUN: xfc-opt %s --split-input-file --xf-smooth-quant=alpha=0 | FileCheck %s --check-prefix=ALPHA0
// RUN: not xfc-opt %s --xf-smooth-quant=alpha=1.5 2>&1 | FileCheck %s --check-prefix=RANGE

// Two GEMMs read one LayerNorm-style output y·γ + β (pre-LN: nothing else
// reads it). max|X| = [4, 1]; max|W| per input channel over both weights
// = [2, 4]; alpha 0.5: s = sqrt(4 / 2) = 1.41421354, sqrt(1 / 4) = 0.5.
// γ and β are divided by s, weight row k multiplied by s_k, the channel
// statistics divided by s, and the now stale input range dropped.
// CHECK-LABEL: func.func @pre_ln
// CHECK-NOT: dense<[2.000000e+00, 3.000000e+00]>
// CHECK-DAG: %[[GAMMA:.*]] = arith.constant dense_resource<xf_smoothed_gamma> : tensor<2xf32>
// CHECK-DAG: %[[BETA:.*]] = arith.constant dense_resource<xf_smoothed_beta> : tensor<2xf32>
// CHECK: %[[MUL:.*]] = xf.mul %arg0, %[[GAMMA]]
// CHECK: %[[X:.*]] = xf.add %[[MUL]], %[[BETA]]
// CHECK: xf.matmul %[[X]], %{{.*}} {xf.input_channel_absmax = array<f32: 2.82842708, 2.000000e+00>}
// CHECK: xf.matmul %[[X]], %{{.*}} {xf.input_channel_absmax = array<f32: 2.82842708, 2.000000e+00>}
// γ = [2, 3] / s = [1.41421354, 6]: 0x3FB504F3, 0x40C00000; β = [1, 1] / s
// = [0.707106769, 2]; W1 = [[1], [4]] · s = [[1.41421354], [2]];
// W2 = [[2], [1]] · s = [[2.82842708], [0.5]].
// CHECK: xf_smoothed_gamma: "0x40000000F304B53F0000C040"
// CHECK: xf_smoothed_beta: "0x40000000F304353F00000040"
// CHECK: xf_smoothed_weight: "0x40000000F304B53F00000040"
// CHECK: xf_smoothed_weight_1: "0x40000000F30435400000003F"
// alpha 0: s = 1 / max|W| = [0.5, 0.25].
// ALPHA0-LABEL: func.func @pre_ln
// ALPHA0: xf.matmul {{.*}} {xf.input_channel_absmax = array<f32: 8.000000e+00, 4.000000e+00>}
func.func @pre_ln(%y: tensor<3x2xf32>) -> (tensor<3x1xf32>, tensor<3x1xf32>) {
  %gamma = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %w1 = arith.constant dense<[[1.0], [4.0]]> : tensor<2x1xf32>
  %w2 = arith.constant dense<[[2.0], [1.0]]> : tensor<2x1xf32>
  %m = xf.mul %y, %gamma : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %x = xf.add %m, %beta : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %a = xf.matmul %x, %w1 {xf.input_channel_absmax = array<f32: 4.0, 1.0>, xf.input_range = array<f64: -4.0, 4.0>} : (tensor<3x2xf32>, tensor<2x1xf32>) -> tensor<3x1xf32>
  %b = xf.matmul %x, %w2 {xf.input_channel_absmax = array<f32: 4.0, 1.0>, xf.input_range = array<f64: -4.0, 4.0>} : (tensor<3x2xf32>, tensor<2x1xf32>) -> tensor<3x1xf32>
  return %a, %b : tensor<3x1xf32>, tensor<3x1xf32>
}

// -----

// Post-LN (BERT): the LayerNorm output is also the residual, so γ and β
// stay; the GEMM reads x · (1/s) instead.
// CHECK-LABEL: func.func @post_ln
// CHECK: %[[X:.*]] = xf.add
// CHECK: %[[INV:.*]] = arith.constant dense_resource<xf_smoothing> : tensor<2xf32>
// CHECK: %[[S:.*]] = xf.mul %[[X]], %[[INV]]
// CHECK: xf.matmul %[[S]]
// CHECK: xf.add %{{.*}}, %[[X]]
func.func @post_ln(%y: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %gamma = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %beta = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %w = arith.constant dense<[[1.0, 0.5], [4.0, 2.0]]> : tensor<2x2xf32>
  %m = xf.mul %y, %gamma : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %x = xf.add %m, %beta : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %a = xf.matmul %x, %w {xf.input_channel_absmax = array<f32: 4.0, 1.0>} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %r = xf.add %a, %x : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

// Near-miss: no calibrated statistics, nothing changes.
// CHECK-LABEL: func.func @uncalibrated
// CHECK-NOT: xf_smooth
// CHECK: xf.matmul %arg0, %cst
func.func @uncalibrated(%x: tensor<3x2xf32>) -> tensor<3x1xf32> {
  %w = arith.constant dense<[[1.0], [4.0]]> : tensor<2x1xf32>
  %a = xf.matmul %x, %w : (tensor<3x2xf32>, tensor<2x1xf32>) -> tensor<3x1xf32>
  return %a : tensor<3x1xf32>
}

// RANGE: error: xf-smooth-quant: alpha must be in [0, 1], got 1.5
