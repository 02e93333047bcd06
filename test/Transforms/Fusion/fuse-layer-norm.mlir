// RUN: xfc-opt %s --xf-fuse-layer-norm --split-input-file | FileCheck %s
// RUN: xfc-opt %s --xf-fuse-layer-norm --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// torch.onnx.export's LayerNorm (opset < 17): one xf.layer_norm with γ
// and β, carrying the locations of the nine ops it replaces.
// CHECK-LABEL: func.func @layer_norm$torch_export
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
func.func @layer_norm$torch_export(%x: tensor<2x3x8xf32>, %gamma: tensor<8xf32>, %beta: tensor<8xf32>) -> tensor<2x3x8xf32> {
  // CHECK-NEXT: %[[LN:.*]] = xf.layer_norm %[[X]] scale(%[[G]]) bias(%[[B]]) {epsilon = 9.99999996E-13 : f32} : (tensor<2x3x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  // CHECK-NEXT: return %[[LN]]
  // LOC-LABEL: func.func @layer_norm$torch_export
  // LOC: xf.layer_norm {{.*}} loc(fused["mean", "sub", "pow", "var", "add_eps", "sqrt", "div", "gamma", "beta"])
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-12> : tensor<f32>
  %m = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<2x3x8xf32>) -> tensor<2x3x1xf32> loc("mean")
  %d = xf.sub %x, %m : (tensor<2x3x8xf32>, tensor<2x3x1xf32>) -> tensor<2x3x8xf32> loc("sub")
  %p = xf.pow %d, %two : (tensor<2x3x8xf32>, tensor<f32>) -> tensor<2x3x8xf32> loc("pow")
  %v = xf.reduce_mean %p axes = [-1] keep_dims : (tensor<2x3x8xf32>) -> tensor<2x3x1xf32> loc("var")
  %a = xf.add %v, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32> loc("add_eps")
  %s = xf.sqrt %a : tensor<2x3x1xf32> loc("sqrt")
  %n = xf.div %d, %s : (tensor<2x3x8xf32>, tensor<2x3x1xf32>) -> tensor<2x3x8xf32> loc("div")
  %g = xf.mul %n, %gamma : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32> loc("gamma")
  %y = xf.add %g, %beta : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32> loc("beta")
  return %y : tensor<2x3x8xf32>
}

// -----

// d · reciprocal(sqrt(ε + v)) with d · d for the square, and γ, β on the
// left: every commutative op in the other operand order. γ has a leading 1
// and is reshaped to the normalized shape.
// CHECK-LABEL: func.func @layer_norm$reciprocal_commuted
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[G:.*]]: tensor<1x8xf32>, %[[B:.*]]: tensor<8xf32>)
func.func @layer_norm$reciprocal_commuted(%x: tensor<4x8xf32>, %gamma: tensor<1x8xf32>, %beta: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[G1:.*]] = xf.reshape %[[G]] : tensor<1x8xf32> -> tensor<8xf32>
  // CHECK-NEXT: %[[LN:.*]] = xf.layer_norm %[[X]] scale(%[[G1]]) bias(%[[B]]) : (tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK-NEXT: return %[[LN]]
  %eps = arith.constant dense<1.0e-5> : tensor<1xf32>
  %m = xf.reduce_mean %x axes = [1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = xf.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p = xf.mul %d, %d : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %v = xf.reduce_mean %p axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a = xf.add %eps, %v : (tensor<1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = xf.sqrt %a : tensor<4x1xf32>
  %r = xf.reciprocal %s : tensor<4x1xf32>
  %n = xf.mul %r, %d : (tensor<4x1xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %g = xf.mul %gamma, %n : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %y = xf.add %beta, %g : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// rsqrt, over the two trailing axes (listed in any order), without γ and
// β: axis = -2.
// CHECK-LABEL: func.func @layer_norm$rsqrt_two_axes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>)
func.func @layer_norm$rsqrt_two_axes(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // CHECK-NEXT: %[[LN:.*]] = xf.layer_norm %[[X]] {axis = -2 : i64, epsilon = 1.000000e-03 : f32} : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  // CHECK-NEXT: return %[[LN]]
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-3> : tensor<f32>
  %m = xf.reduce_mean %x axes = [2, 1] keep_dims : (tensor<2x3x8xf32>) -> tensor<2x1x1xf32>
  %d = xf.sub %x, %m : (tensor<2x3x8xf32>, tensor<2x1x1xf32>) -> tensor<2x3x8xf32>
  %p = xf.pow %d, %two : (tensor<2x3x8xf32>, tensor<f32>) -> tensor<2x3x8xf32>
  %v = xf.reduce_mean %p axes = [-2, -1] keep_dims : (tensor<2x3x8xf32>) -> tensor<2x1x1xf32>
  %a = xf.add %v, %eps : (tensor<2x1x1xf32>, tensor<f32>) -> tensor<2x1x1xf32>
  %r = xf.rsqrt %a : tensor<2x1x1xf32>
  %n = xf.mul %d, %r : (tensor<2x3x8xf32>, tensor<2x1x1xf32>) -> tensor<2x3x8xf32>
  return %n : tensor<2x3x8xf32>
}

// -----

// d · (1 / sqrt(v + ε)); the normalized value is also returned, so γ and
// β stay outside the norm; a "β" of the full shape is no bias either.
// CHECK-LABEL: func.func @layer_norm$affine_not_absorbed
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<4x8xf32>)
func.func @layer_norm$affine_not_absorbed(%x: tensor<4x8xf32>, %gamma: tensor<8xf32>, %beta: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK: %[[LN:.*]] = xf.layer_norm %[[X]] : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // CHECK-NEXT: %[[S:.*]] = xf.mul %[[LN]], %[[G]]
  // CHECK-NEXT: %[[LN2:.*]] = xf.layer_norm %[[X]] scale(%[[G]]) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK-NEXT: %[[Y:.*]] = xf.add %[[LN2]], %[[B]]
  // CHECK-NEXT: return %[[LN]], %[[S]], %[[Y]]
  %one = arith.constant dense<1.0> : tensor<f32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-5> : tensor<f32>
  %m = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = xf.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p = xf.pow %d, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v = xf.reduce_mean %p axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a = xf.add %v, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s = xf.sqrt %a : tensor<4x1xf32>
  %r = xf.div %one, %s : (tensor<f32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %n = xf.mul %d, %r : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %g = xf.mul %n, %gamma : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>

  %m2 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d2 = xf.sub %x, %m2 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p2 = xf.pow %d2, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v2 = xf.reduce_mean %p2 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a2 = xf.add %v2, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s2 = xf.sqrt %a2 : tensor<4x1xf32>
  %n2 = xf.div %d2, %s2 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %g2 = xf.mul %n2, %gamma : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %y2 = xf.add %g2, %beta : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %n, %g, %y2 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Near-misses, each left alone: a mean over a leading axis; means over
// different axes; an ε that is not a constant; an ε that broadcasts the
// variance; a zero ε; a cube instead of a square; the mean used elsewhere;
// the centered value used elsewhere; x - mean(y).
// CHECK-LABEL: func.func @layer_norm$no_fuse
func.func @layer_norm$no_fuse(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>, %e: tensor<f32>) -> (tensor<8x4xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK-NOT: xf.layer_norm
  // CHECK: return
  %two = arith.constant dense<2.0> : tensor<f32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-5> : tensor<f32>
  %eps8 = arith.constant dense<1.0e-5> : tensor<8xf32>
  %zero = arith.constant dense<0.0> : tensor<f32>

  // A leading axis (on the transposed input).
  %xt = xf.transpose %x, [1, 0] : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %m0 = xf.reduce_mean %xt axes = [0] keep_dims : (tensor<8x4xf32>) -> tensor<1x4xf32>
  %d0 = xf.sub %xt, %m0 : (tensor<8x4xf32>, tensor<1x4xf32>) -> tensor<8x4xf32>
  %p0 = xf.pow %d0, %two : (tensor<8x4xf32>, tensor<f32>) -> tensor<8x4xf32>
  %v0 = xf.reduce_mean %p0 axes = [0] keep_dims : (tensor<8x4xf32>) -> tensor<1x4xf32>
  %a0 = xf.add %v0, %eps : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %s0 = xf.sqrt %a0 : tensor<1x4xf32>
  %n0 = xf.div %d0, %s0 : (tensor<8x4xf32>, tensor<1x4xf32>) -> tensor<8x4xf32>

  // Different axes: the variance over both.
  %m1 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d1 = xf.sub %x, %m1 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p1 = xf.pow %d1, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v1 = xf.reduce_mean %p1 axes = [0, 1] keep_dims : (tensor<4x8xf32>) -> tensor<1x1xf32>
  %a1 = xf.add %v1, %eps : (tensor<1x1xf32>, tensor<f32>) -> tensor<1x1xf32>
  %s1 = xf.sqrt %a1 : tensor<1x1xf32>
  %n1 = xf.div %d1, %s1 : (tensor<4x8xf32>, tensor<1x1xf32>) -> tensor<4x8xf32>

  // ε not a constant.
  %m2 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d2 = xf.sub %x, %m2 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p2 = xf.pow %d2, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v2 = xf.reduce_mean %p2 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a2 = xf.add %v2, %e : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s2 = xf.sqrt %a2 : tensor<4x1xf32>
  %n2 = xf.div %d2, %s2 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  // ε broadcasts the variance to [4, 8].
  %m3 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d3 = xf.sub %x, %m3 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p3 = xf.pow %d3, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v3 = xf.reduce_mean %p3 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a3 = xf.add %v3, %eps8 : (tensor<4x1xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %s3 = xf.sqrt %a3 : tensor<4x8xf32>
  %n3 = xf.div %d3, %s3 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>

  // ε = 0.
  %m4 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d4 = xf.sub %x, %m4 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p4 = xf.pow %d4, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v4 = xf.reduce_mean %p4 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a4 = xf.add %v4, %zero : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s4 = xf.sqrt %a4 : tensor<4x1xf32>
  %n4 = xf.div %d4, %s4 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  // d³.
  %m5 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d5 = xf.sub %x, %m5 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p5 = xf.pow %d5, %three : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v5 = xf.reduce_mean %p5 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a5 = xf.add %v5, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s5 = xf.sqrt %a5 : tensor<4x1xf32>
  %n5 = xf.div %d5, %s5 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  // The mean is returned too.
  %m6 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d6 = xf.sub %x, %m6 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p6 = xf.pow %d6, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v6 = xf.reduce_mean %p6 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a6 = xf.add %v6, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s6 = xf.sqrt %a6 : tensor<4x1xf32>
  %n6 = xf.div %d6, %s6 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  // The centered value is returned too.
  %m7 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d7 = xf.sub %x, %m7 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p7 = xf.pow %d7, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v7 = xf.reduce_mean %p7 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a7 = xf.add %v7, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s7 = xf.sqrt %a7 : tensor<4x1xf32>
  %n7 = xf.div %d7, %s7 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  // x - mean(y).
  %m8 = xf.reduce_mean %y axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d8 = xf.sub %x, %m8 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p8 = xf.pow %d8, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %v8 = xf.reduce_mean %p8 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a8 = xf.add %v8, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s8 = xf.sqrt %a8 : tensor<4x1xf32>
  %n8 = xf.div %d8, %s8 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %n0, %n1, %n2, %n3, %n4, %n5, %n6, %m6, %n7, %d7, %n8 : tensor<8x4xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
