// RUN: xfc-opt %s --xf-fuse-residual-layer-norm --split-input-file | FileCheck %s
// RUN: xfc-opt %s --xf-fuse-residual-layer-norm --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// BERT's post-LN residual: the sum feeds only the norm, which takes both
// summands; scale, bias, axis and epsilon are kept.
// CHECK-LABEL: func.func @residual_layer_norm$post_ln
// CHECK-SAME: (%[[H:.*]]: tensor<2x4x8xf32>, %[[X:.*]]: tensor<2x4x8xf32>, %[[G:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<4x8xf32>)
func.func @residual_layer_norm$post_ln(%h: tensor<2x4x8xf32>, %x: tensor<2x4x8xf32>, %g: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<2x4x8xf32> {
  // CHECK-NEXT: %[[LN:.*]] = xf.layer_norm %[[H]] residual(%[[X]]) scale(%[[G]]) bias(%[[B]]) {axis = -2 : i64, epsilon = 9.99999996E-13 : f32} : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<2x4x8xf32>
  // CHECK-NEXT: return %[[LN]]
  // LOC-LABEL: func.func @residual_layer_norm$post_ln
  // LOC: xf.layer_norm {{.*}} loc(fused["residual", "norm"])
  %s = xf.add %h, %x : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32> loc("residual")
  %y = xf.layer_norm %s scale(%g) bias(%b) {axis = -2 : i64, epsilon = 1.0e-12 : f32} : (tensor<2x4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<2x4x8xf32> loc("norm")
  return %y : tensor<2x4x8xf32>
}

// -----

// Near-misses, each left alone: a pre-LN residual (the sum is also the
// next block's residual); an add that broadcasts (a bias); a norm that
// already has a residual; a norm of something else.
// CHECK-LABEL: func.func @residual_layer_norm$no_fuse
// CHECK-SAME: (%[[H:.*]]: tensor<2x8xf32>, %[[X:.*]]: tensor<2x8xf32>, %[[C:.*]]: tensor<8xf32>)
func.func @residual_layer_norm$no_fuse(%h: tensor<2x8xf32>, %x: tensor<2x8xf32>, %c: tensor<8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  // CHECK: %[[S:.*]] = xf.add %[[H]], %[[X]]
  // CHECK-NEXT: %[[Y0:.*]] = xf.layer_norm %[[S]] : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK-NEXT: %[[S1:.*]] = xf.add %[[H]], %[[C]]
  // CHECK-NEXT: %[[Y1:.*]] = xf.layer_norm %[[S1]] : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK-NEXT: %[[S2:.*]] = xf.add %[[H]], %[[X]]
  // CHECK-NEXT: %[[Y2:.*]] = xf.layer_norm %[[S2]] residual(%[[X]]) :
  // CHECK-NEXT: %[[E:.*]] = xf.exp %[[H]]
  // CHECK-NEXT: %[[Y3:.*]] = xf.layer_norm %[[E]] :
  // CHECK-NEXT: return %[[Y0]], %[[S]], %[[Y1]], %[[Y2]], %[[Y3]]
  %s = xf.add %h, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y0 = xf.layer_norm %s : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %s1 = xf.add %h, %c : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %y1 = xf.layer_norm %s1 : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %s2 = xf.add %h, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y2 = xf.layer_norm %s2 residual(%x) : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %e = xf.exp %h : tensor<2x8xf32>
  %y3 = xf.layer_norm %e : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y0, %s, %y1, %y2, %y3 : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}
