// RUN: xfc-opt %s --split-input-file --xfc-cpu-outline-quant-matmuls | FileCheck %s

// W8A8: the runtime quantizes the f32 input itself (S = 0.5, Z = 3), so
// the call reads %x through a [M, K] view; scales are S · s_w[n] =
// [0.25, 0.125] and the bias takes the zero-point compensation
// b[n] - Z · scale[n] · Σk W[n, k]: W = [[1, 2, 3, 4], [-1, 0, 0, 1]] sums
// to [10, 0], so b = [1 - 3 · 0.25 · 10, -1 - 0] = [-6.5, -1].
// Every repacked operand is padded to 256 bytes.
// CHECK-LABEL: func.func @w8a8
// CHECK-NOT: quant.qcast
// CHECK: %[[X:.*]] = xf.reshape %arg0 : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK: %[[W:.*]] = arith.constant dense_resource<xf_qmatmul_weight> : tensor<256xi8>
// CHECK: %[[S:.*]] = arith.constant dense_resource<xf_qmatmul_scales> : tensor<64xf32>
// CHECK: %[[B:.*]] = arith.constant dense_resource<xf_qmatmul_bias> : tensor<64xf32>
// CHECK: %[[C:.*]] = call @xfc_qmatmul(%[[X]], %[[W]], %[[S]], %[[B]]) : (tensor<6x4xf32>, tensor<256xi8>, tensor<64xf32>, tensor<64xf32>) -> tensor<6x2xf32>
// CHECK: xf.reshape %[[C]] : tensor<6x2xf32> -> tensor<2x3x2xf32>
// CHECK: func.func private @xfc_qmatmul(tensor<6x4xf32> {bufferization.access = "read"}, tensor<256xi8> {bufferization.access = "read"}, tensor<64xf32> {bufferization.access = "read"}, tensor<64xf32> {bufferization.access = "read"}) -> tensor<6x2xf32>
// CHECK-SAME: xfc.qmatmul = {act = "-", group = 0 : i64, has_bias = true, has_offsets = false, input_scale = 5.000000e-01 : f64, input_zero_point = 3 : i64, k = 4 : i64, kind = "w8a8", n = 2 : i64}
// CHECK: xf_qmatmul_weight: "0x4000000001020304FF00000100
// CHECK: xf_qmatmul_scales: "0x400000000000803E0000003E0000
// CHECK: xf_qmatmul_bias: "0x400000000000D0C0000080BF0000
func.func @w8a8(%x: tensor<2x3x4xf32>) -> tensor<2x3x2xf32> {
  %c = arith.constant dense<[[1, 2, 3, 4], [-1, 0, 0, 1]]> : tensor<2x4xi8>
  %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
  %xq = quant.qcast %x : tensor<2x3x4xf32> to tensor<2x3x4x!quant.uniform<u8:f32, 0.5:3>>
  %y = xf.quant.linear %xq, %w, %b : (tensor<2x3x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>, tensor<2xf32>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// An int8 activation (zero point -2) is its uint8 value minus 128: Z = 126.
// A GELU that is the result's only user becomes the epilogue.
// CHECK-LABEL: func.func @w8a8_int8_input_gelu
// CHECK-NOT: xf.gelu
// CHECK: xfc.qmatmul = {act = "gelu_tanh", {{.*}}input_zero_point = 126 : i64, {{.*}}kind = "w8a8"
func.func @w8a8_int8_input_gelu(%x: tensor<6x4xf32>) -> tensor<6x2xf32> {
  %c = arith.constant dense<[[1, 2, 3, 4], [-1, 0, 0, 1]]> : tensor<2x4xi8>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %xq = quant.qcast %x : tensor<6x4xf32> to tensor<6x4x!quant.uniform<i8:f32, 0.5:-2>>
  %y = xf.quant.linear %xq, %w : (tensor<6x4x!quant.uniform<i8:f32, 0.5:-2>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<6x2xf32>
  %g = xf.gelu %y approximate = tanh : tensor<6x2xf32>
  return %g : tensor<6x2xf32>
}

// -----

// Dynamic W8A8 with a residual add as the epilogue: the residual is the
// call's last operand.
// CHECK-LABEL: func.func @dynamic_residual
// CHECK: %[[C:.*]] = call @xfc_qmatmul(%arg0, %{{.*}}, %{{.*}}, %arg1)
// CHECK-NOT: xf.add
// CHECK: return %[[C]]
// CHECK: act = "add", group = 0 : i64, has_bias = false, {{.*}}kind = "w8a8-dynamic"
func.func @dynamic_residual(%x: tensor<6x4xf32>, %r: tensor<6x2xf32>) -> tensor<6x2xf32> {
  %c = arith.constant dense<[[1, 2, 3, 4], [-1, 0, 0, 1]]> : tensor<2x4xi8>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
  %y = xf.quant.linear %x, %w dynamic_input : (tensor<6x4xf32>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>) -> tensor<6x2xf32>
  %z = xf.add %r, %y : (tensor<6x2xf32>, tensor<6x2xf32>) -> tensor<6x2xf32>
  return %z : tensor<6x2xf32>
}

// -----

// Weight-only int4, asymmetric, groups of 2: nibbles q - storage_min (here
// 0) two per byte, low nibble first: [[1, 15, 0, 7], [8, 2, 3, 4]] →
// 0xF1 0x70 0x28 0x43; offsets -scale · zero_point per group.
// CHECK-LABEL: func.func @w4
// CHECK: xf_qmatmul_offsets
// CHECK: group = 2 : i64, has_bias = false, has_offsets = true, {{.*}}kind = "w4"
// CHECK: xf_qmatmul_weight: "0x40000000F1702843
// scales 0.5, 0.25, 2, 1; offsets -0.5 · 8 = -4, -0.25 · 1, -2 · 0, -1 · 15.
// CHECK: xf_qmatmul_scales: "0x400000000000003F0000803E000000400000803F
// CHECK: xf_qmatmul_offsets: "0x40000000000080C0000080BE00000080000070C1
func.func @w4(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %c = arith.constant dense<[[1, 15, 0, 7], [8, 2, 3, 4]]> : tensor<2x4xi8>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!quant.uniform<u8<0:15>:f32:{0:1, 1:2}, {{0.5:8, 0.25:1}, {2.0:0, 1.0:15}}>>
  %y = xf.quant.linear %x, %w : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<u8<0:15>:f32:{0:1, 1:2}, {{0.5:8, 0.25:1}, {2.0:0, 1.0:15}}>>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Weight-only int8, symmetric per channel: stored as is, no offsets.
// CHECK-LABEL: func.func @w8
// CHECK-NOT: xf_qmatmul_offsets
// CHECK: group = 4 : i64, has_bias = false, has_offsets = false, {{.*}}kind = "w8"
func.func @w8(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %c = arith.constant dense<[[1, 2, 3, 4], [-1, 0, 0, 1]]> : tensor<2x4xi8>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
  %y = xf.quant.linear %x, %w : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Near-misses keep the reference lowering: W8A8 weights with a zero point,
// a weight computed at run time, a bias computed at run time.
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: call
// CHECK-COUNT-3: xf.quant.linear
func.func @near_misses(%x: tensor<3x4xf32>, %wr: tensor<2x4xi8>, %br: tensor<2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>) {
  %c = arith.constant dense<[[1, 2, 3, 4], [-1, 0, 0, 1]]> : tensor<2x4xi8>
  %wz = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32:0, {0.5:1, 0.25}>>
  %xq = quant.qcast %x : tensor<3x4xf32> to tensor<3x4x!quant.uniform<u8:f32, 0.5:3>>
  %a = xf.quant.linear %xq, %wz : (tensor<3x4x!quant.uniform<u8:f32, 0.5:3>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.5:1, 0.25}>>) -> tensor<3x2xf32>
  %wq = quant.scast %wr : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %b = xf.quant.linear %x, %wq : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<3x2xf32>
  %w = quant.scast %c : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %d = xf.quant.linear %x, %w, %br : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, tensor<2xf32>) -> tensor<3x2xf32>
  return %a, %b, %d : tensor<3x2xf32>, tensor<3x2xf32>, tensor<3x2xf32>
}
