// RUN: xfc-opt %s --split-input-file --xf-quantize=mode=w8a8 | FileCheck %s --check-prefix=W8A8
// RUN: xfc-opt %s --split-input-file --xf-quantize=mode=w8a8-dynamic | FileCheck %s --check-prefix=DYN
// RUN: xfc-opt %s --split-input-file --xf-quantize="mode=w4 group-size=2" | FileCheck %s --check-prefix=W4
// RUN: xfc-opt %s --split-input-file --xf-quantize="mode=w4 group-size=2 symmetric=false" | FileCheck %s --check-prefix=W4ASYM
// RUN: xfc-opt %s --split-input-file --xf-quantize="mode=w8 group-size=0" | FileCheck %s --check-prefix=W8

// W = [[1, -2], [0.5, 0.25], [3, 1], [-1, 0]] as [K=4, N=2]: column 0 has
// max |w| 3, column 1 has 2.
// w8a8: per-channel symmetric int8, scale = max|w| / 127:
//   n=0: 3/127 = 0.023622047244094488; n=1: 2/127 = 0.015748031496062992.
//   q(n=0) = round([1, 0.5, 3, -1] / 0.0236...) = [42, 21, 127, -42]
//          = 0x2A 0x15 0x7F 0xD6; q(n=1) = [-127, 16, 64, 0] = 0x81 0x10 0x40 0x00.
// Activations: range [-1, 3] → scale 4/255 = 0.015686274509803921,
//   zero point round(1 / 0.01568...) = round(63.75) = 64.
// The bias add is folded into the op; the float weight is gone.
// W8A8-LABEL: func.func @matmul_bias
// W8A8-NOT: xf.matmul
// W8A8: %[[W:.*]] = arith.constant dense_resource<[[BLOB:.*]]> : tensor<2x4xi8>
// W8A8: %[[WQ:.*]] = quant.scast %[[W]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.023622047244094488,0.015748031496062992}>>
// W8A8: %[[XQ:.*]] = quant.qcast %arg0 : tensor<3x4xf32> to tensor<3x4x!quant.uniform<u8:f32, 0.015686274509803921:64>>
// W8A8: xf.quant.linear %[[XQ]], %[[WQ]], %{{.*}} {xf.gemm_id = 7 : i64}
// W8A8-NOT: xf.add
// W8A8: [[BLOB]]: "0x400000002A157FD681104000"
// DYN-LABEL: func.func @matmul_bias
// DYN-NOT: quant.qcast
// DYN: xf.quant.linear %arg0, %{{.*}}, %{{.*}} dynamic_input {xf.gemm_id = 7 : i64}
// w4 symmetric, groups of 2 along K, scale = max|w| / 7 per (n, group):
//   n=0: {1, 0.5} → 1/7, {3, -1} → 3/7; n=1: {-2, 0.25} → 2/7, {1, 0} → 1/7;
//   except that weight-only groups take the narrowed range with the least
//   squared error: {1, 0.5} at 95% (scale 0.95/7) restores [0.95, 0.543]
//   (error 0.0043) where the full range restores [1, 0.429] (0.0051).
//   q = [7, 4, 7, -2, -7, 1, 7, 0].
// W4-LABEL: func.func @matmul_bias
// W4: tensor<2x4x!quant.uniform<i8<-7:7>:f32:{0:1, 1:2}, {{\{}}{0.135714293, 0.428571433}, {0.285714298, 0.142857149}}>>
// W4: "0x40000000070407FEF9010700"
// w4 asymmetric: range widened to contain 0, 15 steps, zero point
//   round(-lo / scale): n=0 {1, 0.5}: scale 1/15, zp 0; {3, -1}: 4/15, zp 4;
//   n=1 {-2, 0.25}: 2.25/15, zp 13; {1, 0}: 1/15, zp 0.
// W4ASYM-LABEL: func.func @matmul_bias
// W4ASYM: !quant.uniform<u8<0:15>:f32:{0:1, 1:2}, {{\{}}{0.0666666701, 0.266666681:4}, {1.500000e-01:13, 0.0666666701}}>
// W4ASYM: "0x400000000F070F00000F0F00"
// W8 with group size 0: one group per output channel (sub-channel type
// with the whole K as the block).
// W8-LABEL: func.func @matmul_bias
// W8: !quant.uniform<i8<-127:127>:f32:{0:1, 1:4}, {{\{}}{0.0236220472}, {0.0157480314}}>
func.func @matmul_bias(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 0.25], [3.0, 1.0], [-1.0, 0.0]]> : tensor<4x2xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %y = xf.matmul %x, %w {xf.gemm_id = 7 : i64, xf.input_range = array<f64: -1.0, 3.0>} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %z = xf.add %y, %b : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %z : tensor<3x2xf32>
}

// -----

// xf.linear ([N, K] weight) and a batched input: the range [0.5, 2] is
// widened to [0, 2] (zero point 0, scale 2/255).
// W8A8-LABEL: func.func @linear_batched
// W8A8: quant.qcast %arg0 : tensor<2x3x4xf32> to tensor<2x3x4x!quant.uniform<u8:f32, 0.0078431372549019607>>
// W8A8: xf.quant.linear {{.*}} -> tensor<2x3x2xf32>
func.func @linear_batched(%x: tensor<2x3x4xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[1.0, 0.5, 3.0, -1.0], [-2.0, 0.25, 1.0, 0.0]]> : tensor<2x4xf32>
  %y = xf.linear %x, %w {xf.input_range = array<f64: 0.5, 2.0>} : (tensor<2x3x4xf32>, tensor<2x4xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// Near-misses, left in float: a weight computed at run time, a transposed
// left operand, a 3-D weight (batched matmul), an op the accuracy gate
// sent back to float, and a bias add whose result is not the only use.
// W8A8-LABEL: func.func @near_misses
// W8A8-NOT: xf.quant.linear
// W8A8-COUNT-4: xf.matmul
// W8A8: return
func.func @near_misses(%x: tensor<3x4xf32>, %wr: tensor<4x2xf32>, %xt: tensor<4x3xf32>, %x3: tensor<2x3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x3x2xf32>, tensor<3x2xf32>) {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 0.25], [3.0, 1.0], [-1.0, 0.0]]> : tensor<4x2xf32>
  %w3 = arith.constant dense<1.0> : tensor<2x4x2xf32>
  %a = xf.matmul %x, %wr {xf.input_range = array<f64: -1.0, 1.0>} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %b = xf.matmul %xt, %w transpose_lhs {xf.input_range = array<f64: -1.0, 1.0>} : (tensor<4x3xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %c = xf.matmul %x3, %w3 {xf.input_range = array<f64: -1.0, 1.0>} : (tensor<2x3x4xf32>, tensor<2x4x2xf32>) -> tensor<2x3x2xf32>
  %d = xf.matmul %x, %w {xf.quantize = false} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  return %a, %b, %c, %d : tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x3x2xf32>, tensor<3x2xf32>
}
