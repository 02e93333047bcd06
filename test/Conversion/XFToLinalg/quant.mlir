// RUN: xfc-opt %s --convert-xf-to-linalg --split-input-file | FileCheck %s

// quant.qcast as ONNX QuantizeLinear: round half to even, add the zero
// point, saturate in float, convert (upstream --lower-quant-ops truncates
// and does not saturate); the quantized type comes back through scast.
// CHECK-LABEL: func.func @quant.qcast$per_tensor_u8
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
func.func @quant.qcast$per_tensor_u8(%x: tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<u8:f32, 0.5:128>> {
  // CHECK: %[[Q:.*]] = linalg.generic
  // CHECK-SAME: ins(%[[X]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<2x4xi8>)
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i8):
  // CHECK-NEXT: %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
  // CHECK-NEXT: %[[ZP:.*]] = arith.constant 1.280000e+02 : f32
  // CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[IN]], %[[SCALE]] : f32
  // CHECK-NEXT: %[[ROUND:.*]] = math.roundeven %[[DIV]] : f32
  // CHECK-NEXT: %[[SHIFT:.*]] = arith.addf %[[ROUND]], %[[ZP]] : f32
  // CHECK-NEXT: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: %[[HI:.*]] = arith.constant 2.550000e+02 : f32
  // CHECK-NEXT: %[[MAX:.*]] = arith.maxnumf %[[SHIFT]], %[[LO]] : f32
  // CHECK-NEXT: %[[MIN:.*]] = arith.minnumf %[[MAX]], %[[HI]] : f32
  // CHECK-NEXT: %[[INT:.*]] = arith.fptoui %[[MIN]] : f32 to i8
  // CHECK-NEXT: linalg.yield %[[INT]] : i8
  // CHECK: %[[R:.*]] = quant.scast %[[Q]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  // CHECK: return %[[R]]
  %0 = quant.qcast %x : tensor<2x4xf32> to tensor<2x4x!quant.uniform<u8:f32, 0.5:128>>
  return %0 : tensor<2x4x!quant.uniform<u8:f32, 0.5:128>>
}

// -----

// Per axis: the scales and zero points are constants read along the
// quantized dimension; a narrowed storage range is the saturation bound.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quant.qcast$per_axis
func.func @quant.qcast$per_axis(%x: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {0.5:1, 0.25, 2.0:-3}>> {
  // CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 2.000000e+00]> : tensor<3xf32>
  // CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<[1.000000e+00, 0.000000e+00, -3.000000e+00]> : tensor<3xf32>
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$AXIS]], #[[$AXIS]], #[[$ID]]]
  // CHECK-SAME: ins(%{{.*}}, %[[SCALES]], %[[ZPS]] :
  // CHECK: arith.constant -1.270000e+02 : f32
  // CHECK: arith.constant 1.270000e+02 : f32
  // CHECK: arith.fptosi %{{.*}} : f32 to i8
  %0 = quant.qcast %x : tensor<2x3xf32> to tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {0.5:1, 0.25, 2.0:-3}>>
  return %0 : tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {0.5:1, 0.25, 2.0:-3}>>
}

// -----

// Sub-channel qcast, dcast and scast stay for --lower-quant-ops.
// CHECK-LABEL: func.func @quant.left_alone
func.func @quant.left_alone(%x: tensor<2x8xf32>, %q: tensor<2x8xi8>) -> (tensor<2x8x!quant.uniform<i8:f32:{0:1, 1:4}, {{1.0, 2.0}, {3.0, 4.0}}>>, tensor<2x8xf32>) {
  // CHECK: quant.qcast %{{.*}} : tensor<2x8xf32> to tensor<2x8x!quant.uniform<i8:f32:{0:1, 1:4}
  %0 = quant.qcast %x : tensor<2x8xf32> to tensor<2x8x!quant.uniform<i8:f32:{0:1, 1:4}, {{1.0, 2.0}, {3.0, 4.0}}>>
  // CHECK: %[[W:.*]] = quant.scast
  %w = quant.scast %q : tensor<2x8xi8> to tensor<2x8x!quant.uniform<i8:f32, 0.5>>
  // CHECK: quant.dcast %[[W]]
  %1 = quant.dcast %w : tensor<2x8x!quant.uniform<i8:f32, 0.5>> to tensor<2x8xf32>
  return %0, %1 : tensor<2x8x!quant.uniform<i8:f32:{0:1, 1:4}, {{1.0, 2.0}, {3.0, 4.0}}>>, tensor<2x8xf32>
}
