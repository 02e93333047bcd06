// RUN: xfc-opt %s --split-input-file --xf-lift-qdq-gemms | FileCheck %s

// ONNX Runtime's QDQ GEMM: per-channel int8 weight [K=3, N=2] quantized
// along axis 1, uint8 input QDQ pair, constant bias. The weight is
// transposed to [N, K] (rows 1 2 3 / 4 5 6 → 1 4 / 2 5 / 3 6 read as
// [[1, 2, 3], [4, 5, 6]]ᵀ), its scales stay per output channel (axis 0
// now), and the bias add joins the op.
// CHECK-LABEL: func.func @w8a8
// CHECK: %[[XQ:.*]] = quant.qcast %arg0
// CHECK-NOT: quant.dcast
// CHECK: %[[W:.*]] = arith.constant dense_resource<xf_qdq_weight> : tensor<2x3xi8>
// CHECK: %[[WQ:.*]] = quant.scast %[[W]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK: %[[Y:.*]] = xf.quant.linear %[[XQ]], %[[WQ]], %{{.*}} : (tensor<4x3x!quant.uniform<u8:f32, 1.000000e-01:128>>
// CHECK-NOT: xf.add
// CHECK: return %[[Y]]
// CHECK: xf_qdq_weight: "0x40000000010305020406"
func.func @w8a8(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %c = arith.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %bias = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %wq = quant.scast %c : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  %w = quant.dcast %wq : tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>> to tensor<3x2xf32>
  %xq = quant.qcast %x : tensor<4x3xf32> to tensor<4x3x!quant.uniform<u8:f32, 0.1:128>>
  %xd = quant.dcast %xq : tensor<4x3x!quant.uniform<u8:f32, 0.1:128>> to tensor<4x3xf32>
  %y = xf.matmul %xd, %w : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %z = xf.add %y, %bias : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  return %z : tensor<4x2xf32>
}

// -----

// Weight-only QDQ (per-tensor weight, float input).
// CHECK-LABEL: func.func @weight_only
// CHECK: xf.quant.linear %arg0, %{{.*}} : (tensor<2x4x3xf32>, tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x4x2xf32>
func.func @weight_only(%x: tensor<2x4x3xf32>) -> tensor<2x4x2xf32> {
  %c = arith.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %wq = quant.scast %c : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8:f32, 0.5>>
  %w = quant.dcast %wq : tensor<3x2x!quant.uniform<i8:f32, 0.5>> to tensor<3x2xf32>
  %y = xf.matmul %x, %w : (tensor<2x4x3xf32>, tensor<3x2xf32>) -> tensor<2x4x2xf32>
  return %y : tensor<2x4x2xf32>
}

// -----

// Near-misses: a weight quantized along K (axis 0), an activation-times-
// activation matmul (both sides QDQ, no constant weight), and a weight
// that is not a constant.
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: xf.quant.linear
// CHECK-COUNT-3: xf.matmul
func.func @near_misses(%x: tensor<4x3xf32>, %a: tensor<3x2xf32>, %r: tensor<3x2xi8>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) {
  %c = arith.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %wk = quant.scast %c : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>
  %dk = quant.dcast %wk : tensor<3x2x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>> to tensor<3x2xf32>
  %y0 = xf.matmul %x, %dk : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %aq = quant.qcast %a : tensor<3x2xf32> to tensor<3x2x!quant.uniform<u8:f32, 0.1:128>>
  %ad = quant.dcast %aq : tensor<3x2x!quant.uniform<u8:f32, 0.1:128>> to tensor<3x2xf32>
  %y1 = xf.matmul %x, %ad : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %rq = quant.scast %r : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8:f32, 0.5>>
  %rd = quant.dcast %rq : tensor<3x2x!quant.uniform<i8:f32, 0.5>> to tensor<3x2xf32>
  %y2 = xf.matmul %x, %rd : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  return %y0, %y1, %y2 : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>
}
