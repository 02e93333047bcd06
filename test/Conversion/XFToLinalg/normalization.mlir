// RUN: xfc-opt %s --convert-xf-to-linalg --split-input-file | FileCheck %s

// Two-pass layer norm: the statistics are reductions whose output map
// keeps the loops before `axis`; the last pass reads them back through it.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$FEATURE:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @xf.layer_norm$last_axis
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
func.func @xf.layer_norm$last_axis(%x: tensor<2x3x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x3x8xf32> {
  // CHECK: %[[SUM:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK-SAME: ins(%[[X]] : tensor<2x3x8xf32>) outs(%{{.*}} : tensor<2x3xf32>)
  // CHECK: %[[SQ:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK-SAME: ins(%[[X]], %[[SUM]] : tensor<2x3x8xf32>, tensor<2x3xf32>)
  // CHECK: ^bb0(%[[IN:.*]]: f32, %[[S:.*]]: f32, %[[ACC:.*]]: f32):
  // CHECK: %[[MEAN:.*]] = arith.divf %[[S]], %{{.*}} : f32
  // CHECK: %[[C:.*]] = arith.subf %[[IN]], %[[MEAN]] : f32
  // CHECK: %[[C2:.*]] = arith.mulf %[[C]], %[[C]] : f32
  // CHECK: arith.addf %[[C2]], %[[ACC]] : f32
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]], #[[$FEATURE]], #[[$FEATURE]], #[[$ID]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
  // CHECK-SAME: ins(%[[X]], %[[SUM]], %[[SQ]], %[[G]], %[[B]] :
  // CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
  // CHECK: %[[VE:.*]] = arith.addf %{{.*}}, %[[EPS]] : f32
  // CHECK: %[[RSTD:.*]] = math.rsqrt %[[VE]] : f32
  // CHECK: %[[CENTERED:.*]] = arith.subf
  // CHECK: %[[N:.*]] = arith.mulf %[[CENTERED]], %[[RSTD]] : f32
  // CHECK: %[[SCALED:.*]] = arith.mulf %[[N]], %{{.*}} : f32
  // CHECK: %[[SHIFTED:.*]] = arith.addf %[[SCALED]], %{{.*}} : f32
  // CHECK: linalg.yield %[[SHIFTED]]
  %0 = xf.layer_norm %x scale(%g) bias(%b) {epsilon = 1.0e-5 : f32} : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// With a residual, every loop reads both tensors and adds them (in the
// element type, then widened): the sum is never materialized.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$FEATURE:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @xf.layer_norm$residual
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf16>, %[[R:.*]]: tensor<4x8xf16>, %[[G:.*]]: tensor<8xf16>)
func.func @xf.layer_norm$residual(%x: tensor<4x8xf16>, %r: tensor<4x8xf16>, %g: tensor<8xf16>) -> tensor<4x8xf16> {
  // CHECK-NOT: tensor.empty() : tensor<4x8xf16>
  // CHECK: %[[SUM:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ID]], #[[$ROW]]]
  // CHECK-SAME: iterator_types = ["parallel", "reduction"]
  // CHECK-SAME: ins(%[[X]], %[[R]] : tensor<4x8xf16>, tensor<4x8xf16>) outs(%{{.*}} : tensor<4xf32>)
  // CHECK: ^bb0(%[[IN:.*]]: f16, %[[RES:.*]]: f16, %[[ACC:.*]]: f32):
  // CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[IN]], %[[RES]] : f16
  // CHECK-NEXT: %[[WIDE:.*]] = arith.extf %[[ADD]] : f16 to f32
  // CHECK-NEXT: arith.addf %[[WIDE]], %[[ACC]] : f32
  // CHECK: %[[SQ:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ID]], #[[$ROW]], #[[$ROW]]]
  // CHECK-SAME: ins(%[[X]], %[[R]], %[[SUM]] : tensor<4x8xf16>, tensor<4x8xf16>, tensor<4xf32>)
  // CHECK: ^bb0(%[[IN2:.*]]: f16, %[[RES2:.*]]: f16, %{{.*}}: f32, %{{.*}}: f32):
  // CHECK-NEXT: arith.addf %[[IN2]], %[[RES2]] : f16
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ID]], #[[$ROW]], #[[$ROW]], #[[$FEATURE]], #[[$ID]]]
  // CHECK-SAME: ins(%[[X]], %[[R]], %[[SUM]], %[[SQ]], %[[G]] :
  // CHECK: ^bb0(%[[IN3:.*]]: f16, %[[RES3:.*]]: f16, %{{.*}}: f32, %{{.*}}: f32, %{{.*}}: f16, %{{.*}}: f16):
  // CHECK-NEXT: arith.addf %[[IN3]], %[[RES3]] : f16
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %0 = xf.layer_norm %x residual(%r) scale(%g) : (tensor<4x8xf16>, tensor<4x8xf16>, tensor<8xf16>) -> tensor<4x8xf16>
  return %0 : tensor<4x8xf16>
}

// -----

// axis = 1 normalizes two dimensions; f16 statistics are f32.
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[$FEATURE:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @xf.layer_norm$f16_axis1
func.func @xf.layer_norm$f16_axis1(%x: tensor<2x3x8xf16>, %g: tensor<3x8xf16>) -> tensor<2x3x8xf16> {
  // CHECK: %[[SUM:.*]] = linalg.generic
  // CHECK-SAME: iterator_types = ["parallel", "reduction", "reduction"]
  // CHECK-SAME: outs(%{{.*}} : tensor<2xf32>)
  // CHECK: arith.extf %{{.*}} : f16 to f32
  // CHECK: linalg.generic
  // CHECK-SAME: iterator_types = ["parallel", "reduction", "reduction"]
  // CHECK: %[[COUNT:.*]] = arith.constant 2.400000e+01 : f32
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#{{.*}}, #[[$ROW]], #[[$ROW]], #[[$FEATURE]], #{{.*}}]
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %0 = xf.layer_norm %x scale(%g) {axis = 1 : i64, epsilon = 1.0e-3 : f32} : (tensor<2x3x8xf16>, tensor<3x8xf16>) -> tensor<2x3x8xf16>
  return %0 : tensor<2x3x8xf16>
}

// -----

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$FEATURE:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @xf.rms_norm$scale
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[G:.*]]: tensor<8xf32>)
func.func @xf.rms_norm$scale(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[SQ:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]]]
  // CHECK-SAME: iterator_types = ["parallel", "reduction"]
  // CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
  // CHECK-NEXT: %[[P:.*]] = arith.mulf %[[IN]], %[[IN]] : f32
  // CHECK-NEXT: arith.addf %[[P]], %[[ACC]] : f32
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]], #[[$FEATURE]], #[[$ID]]]
  // CHECK-SAME: ins(%[[X]], %[[SQ]], %[[G]] :
  // CHECK: ^bb0(%[[XV:.*]]: f32, %[[S:.*]]: f32, %[[GV:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[MS:.*]] = arith.divf %[[S]], %{{.*}} : f32
  // CHECK: %[[EPS:.*]] = arith.constant 9.99999997E-7 : f32
  // CHECK: %[[R:.*]] = math.rsqrt
  // CHECK: %[[Y:.*]] = arith.mulf %[[XV]], %[[R]] : f32
  // CHECK: arith.mulf %[[Y]], %[[GV]] : f32
  %0 = xf.rms_norm %x scale(%g) {epsilon = 1.0e-6 : f32} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Max-subtracted softmax in three passes: max, sum of exp(x - max), divide.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @xf.softmax$axis1
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @xf.softmax$axis1(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
  // CHECK: %[[MAX:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]]]
  // CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
  // CHECK-SAME: ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[MAXINIT]] : tensor<2x4xf32>)
  // CHECK: arith.maximumf
  // CHECK: %[[SUM:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]]]
  // CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
  // CHECK-SAME: ins(%[[X]], %[[MAX]] : tensor<2x3x4xf32>, tensor<2x4xf32>)
  // CHECK: ^bb0(%[[IN:.*]]: f32, %[[M:.*]]: f32, %[[ACC:.*]]: f32):
  // CHECK-NEXT: %[[D:.*]] = arith.subf %[[IN]], %[[M]] : f32
  // CHECK-NEXT: %[[E:.*]] = math.exp %[[D]] : f32
  // CHECK-NEXT: arith.addf %[[E]], %[[ACC]] : f32
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]], #[[$ID]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
  // CHECK-SAME: ins(%[[X]], %[[MAX]], %[[SUM]] :
  // CHECK: math.exp
  // CHECK: arith.divf
  %0 = xf.softmax %x {axis = 1 : i64} : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// keep_dims puts the size-1 dimensions back with expand_shape.
// CHECK-LABEL: func.func @xf.reduce_sum$keep_dims
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>)
func.func @xf.reduce_sum$keep_dims(%x: tensor<2x3x8xf32>) -> tensor<1x3x1xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<3xf32>)
  // CHECK: %[[R:.*]] = linalg.reduce ins(%[[X]] : tensor<2x3x8xf32>) outs(%[[INIT]] : tensor<3xf32>) dimensions = [0, 2]
  // CHECK: arith.addf
  // CHECK: %[[E:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
  // CHECK: return %[[E]]
  %0 = xf.reduce_sum %x axes = [-1, 0] keep_dims : (tensor<2x3x8xf32>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// CHECK-LABEL: func.func @xf.reduce_mean$float
func.func @xf.reduce_mean$float(%x: tensor<2x3x8xf32>) -> tensor<2x8xf32> {
  // CHECK: %[[R:.*]] = linalg.reduce ins(%{{.*}} : tensor<2x3x8xf32>) outs(%{{.*}} : tensor<2x8xf32>) dimensions = [1]
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%[[R]] : tensor<2x8xf32>)
  // CHECK: %[[COUNT:.*]] = arith.constant 3.000000e+00 : f32
  // CHECK-NEXT: arith.divf %{{.*}}, %[[COUNT]] : f32
  %0 = xf.reduce_mean %x axes = [1] : (tensor<2x3x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Integer means truncate (divsi); f16 sums accumulate in f32.
// CHECK-LABEL: func.func @xf.reduce_mean$int_and_f16
func.func @xf.reduce_mean$int_and_f16(%i: tensor<3x4xi32>, %h: tensor<3x4xf16>) -> (tensor<3xi32>, tensor<3xf16>) {
  // CHECK: linalg.reduce
  // CHECK: arith.addi
  // CHECK: %[[COUNT:.*]] = arith.constant 4 : i32
  // CHECK-NEXT: arith.divsi %{{.*}}, %[[COUNT]] : i32
  %0 = xf.reduce_mean %i axes = [1] : (tensor<3x4xi32>) -> tensor<3xi32>
  // CHECK: linalg.reduce ins(%{{.*}} : tensor<3x4xf16>) outs(%{{.*}} : tensor<3xf32>)
  // CHECK: arith.extf %{{.*}} : f16 to f32
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %1 = xf.reduce_sum %h axes = [1] : (tensor<3x4xf16>) -> tensor<3xf16>
  return %0, %1 : tensor<3xi32>, tensor<3xf16>
}

// -----

// max starts from -inf (floats) or the smallest integer and needs no
// final pass.
// CHECK-LABEL: func.func @xf.reduce_max$kinds
func.func @xf.reduce_max$kinds(%x: tensor<3x4xf32>, %i: tensor<3x4xi64>) -> (tensor<f32>, tensor<3xi64>) {
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<f32>)
  // CHECK: linalg.reduce ins(%{{.*}} : tensor<3x4xf32>) outs(%{{.*}} : tensor<f32>) dimensions = [0, 1]
  // CHECK: arith.maximumf
  %0 = xf.reduce_max %x axes = [0, 1] : (tensor<3x4xf32>) -> tensor<f32>
  // CHECK: %[[MIN:.*]] = arith.constant -9223372036854775808 : i64
  // CHECK: linalg.fill ins(%[[MIN]] : i64)
  // CHECK: linalg.reduce
  // CHECK: arith.maxsi
  // CHECK-NOT: linalg.generic
  // CHECK: return
  %1 = xf.reduce_max %i axes = [1] : (tensor<3x4xi64>) -> tensor<3xi64>
  return %0, %1 : tensor<f32>, tensor<3xi64>
}
