// RUN: xfc-opt %s --xf-fuse-rms-norm --split-input-file | FileCheck %s
// RUN: xfc-opt %s --xf-fuse-rms-norm --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// LLaMA's RMSNorm as exported: x · reciprocal(sqrt(mean(x²) + ε)) · w.
// CHECK-LABEL: func.func @rms_norm$llama
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>, %[[W:.*]]: tensor<8xf32>)
func.func @rms_norm$llama(%x: tensor<2x3x8xf32>, %w: tensor<8xf32>) -> tensor<2x3x8xf32> {
  // CHECK-NEXT: %[[N:.*]] = xf.rms_norm %[[X]] scale(%[[W]]) {epsilon = 9.99999997E-7 : f32} : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  // CHECK-NEXT: return %[[N]]
  // LOC-LABEL: func.func @rms_norm$llama
  // LOC: xf.rms_norm {{.*}} loc(fused["pow", "mean", "add_eps", "sqrt", "reciprocal", "mul", "weight"])
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-6> : tensor<f32>
  %p = xf.pow %x, %two : (tensor<2x3x8xf32>, tensor<f32>) -> tensor<2x3x8xf32> loc("pow")
  %m = xf.reduce_mean %p axes = [-1] keep_dims : (tensor<2x3x8xf32>) -> tensor<2x3x1xf32> loc("mean")
  %a = xf.add %m, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32> loc("add_eps")
  %s = xf.sqrt %a : tensor<2x3x1xf32> loc("sqrt")
  %r = xf.reciprocal %s : tensor<2x3x1xf32> loc("reciprocal")
  %n = xf.mul %x, %r : (tensor<2x3x8xf32>, tensor<2x3x1xf32>) -> tensor<2x3x8xf32> loc("mul")
  %y = xf.mul %n, %w : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32> loc("weight")
  return %y : tensor<2x3x8xf32>
}

// -----

// (1 / sqrt(ε + mean(x·x))) · x, then w · n: the other operand orders.
// CHECK-LABEL: func.func @rms_norm$div_one_commuted
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<8xf32>)
func.func @rms_norm$div_one_commuted(%x: tensor<4x8xf32>, %w: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK-NEXT: %[[N:.*]] = xf.rms_norm %[[X]] scale(%[[W]]) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK-NEXT: return %[[N]]
  %one = arith.constant dense<1.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-5> : tensor<f32>
  %p = xf.mul %x, %x : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %m = xf.reduce_mean %p axes = [1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a = xf.add %eps, %m : (tensor<f32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = xf.sqrt %a : tensor<4x1xf32>
  %r = xf.div %one, %s : (tensor<f32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %n = xf.mul %r, %x : (tensor<4x1xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %y = xf.mul %w, %n : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// x / sqrt(...) over the two trailing axes, no weight; and rsqrt with a
// weight that has a leading 1 (reshaped).
// CHECK-LABEL: func.func @rms_norm$div_and_rsqrt
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>, %[[W:.*]]: tensor<1x1x8xf32>)
func.func @rms_norm$div_and_rsqrt(%x: tensor<2x3x8xf32>, %w: tensor<1x1x8xf32>) -> (tensor<2x3x8xf32>, tensor<2x3x8xf32>) {
  // CHECK: %[[N:.*]] = xf.rms_norm %[[X]] {axis = -2 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x3x8xf32>) -> tensor<2x3x8xf32>
  // CHECK: %[[W1:.*]] = xf.reshape %[[W]] : tensor<1x1x8xf32> -> tensor<8xf32>
  // CHECK-NEXT: %[[N2:.*]] = xf.rms_norm %[[X]] scale(%[[W1]]) {epsilon = 9.99999997E-7 : f32} : (tensor<2x3x8xf32>, tensor<8xf32>) -> tensor<2x3x8xf32>
  // CHECK-NEXT: return %[[N]], %[[N2]]
  %two = arith.constant dense<2.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-6> : tensor<f32>
  %p = xf.pow %x, %two : (tensor<2x3x8xf32>, tensor<f32>) -> tensor<2x3x8xf32>
  %m = xf.reduce_mean %p axes = [-2, -1] keep_dims : (tensor<2x3x8xf32>) -> tensor<2x1x1xf32>
  %a = xf.add %m, %eps : (tensor<2x1x1xf32>, tensor<f32>) -> tensor<2x1x1xf32>
  %s = xf.sqrt %a : tensor<2x1x1xf32>
  %n = xf.div %x, %s : (tensor<2x3x8xf32>, tensor<2x1x1xf32>) -> tensor<2x3x8xf32>

  %p2 = xf.pow %x, %two : (tensor<2x3x8xf32>, tensor<f32>) -> tensor<2x3x8xf32>
  %m2 = xf.reduce_mean %p2 axes = [-1] keep_dims : (tensor<2x3x8xf32>) -> tensor<2x3x1xf32>
  %a2 = xf.add %m2, %eps : (tensor<2x3x1xf32>, tensor<f32>) -> tensor<2x3x1xf32>
  %r2 = xf.rsqrt %a2 : tensor<2x3x1xf32>
  %n2 = xf.mul %x, %r2 : (tensor<2x3x8xf32>, tensor<2x3x1xf32>) -> tensor<2x3x8xf32>
  %y2 = xf.mul %n2, %w : (tensor<2x3x8xf32>, tensor<1x1x8xf32>) -> tensor<2x3x8xf32>
  return %n, %y2 : tensor<2x3x8xf32>, tensor<2x3x8xf32>
}

// -----

// f16, as a half-precision export writes it; ε is the f16 constant's value.
// CHECK-LABEL: func.func @rms_norm$f16
func.func @rms_norm$f16(%x: tensor<4x8xf16>, %w: tensor<8xf16>) -> tensor<4x8xf16> {
  // CHECK-NEXT: %[[N:.*]] = xf.rms_norm %{{.*}} scale(%{{.*}}) {epsilon = 1.01327896E-6 : f32} : (tensor<4x8xf16>, tensor<8xf16>) -> tensor<4x8xf16>
  // CHECK-NEXT: return %[[N]]
  %two = arith.constant dense<2.0> : tensor<f16>
  %eps = arith.constant dense<1.0e-6> : tensor<f16>
  %p = xf.pow %x, %two : (tensor<4x8xf16>, tensor<f16>) -> tensor<4x8xf16>
  %m = xf.reduce_mean %p axes = [-1] keep_dims : (tensor<4x8xf16>) -> tensor<4x1xf16>
  %a = xf.add %m, %eps : (tensor<4x1xf16>, tensor<f16>) -> tensor<4x1xf16>
  %s = xf.sqrt %a : tensor<4x1xf16>
  %r = xf.reciprocal %s : tensor<4x1xf16>
  %n = xf.mul %x, %r : (tensor<4x8xf16>, tensor<4x1xf16>) -> tensor<4x8xf16>
  %y = xf.mul %n, %w : (tensor<4x8xf16>, tensor<8xf16>) -> tensor<4x8xf16>
  return %y : tensor<4x8xf16>
}

// -----

// Near-misses, each left alone: x³; a mean over a leading axis; the square
// root used elsewhere; 2 / sqrt(...); y²'s mean normalizing x; a LayerNorm
// tail (x - mean(x) normalized), which belongs to xf-fuse-layer-norm.
// CHECK-LABEL: func.func @rms_norm$no_fuse
func.func @rms_norm$no_fuse(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>, %xt: tensor<8x4xf32>) -> (tensor<4x8xf32>, tensor<8x4xf32>, tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK-NOT: xf.rms_norm
  // CHECK: return
  %one = arith.constant dense<1.0> : tensor<f32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %eps = arith.constant dense<1.0e-6> : tensor<f32>

  %p0 = xf.pow %x, %three : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %m0 = xf.reduce_mean %p0 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a0 = xf.add %m0, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %r0 = xf.rsqrt %a0 : tensor<4x1xf32>
  %n0 = xf.mul %x, %r0 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  %p1 = xf.pow %xt, %two : (tensor<8x4xf32>, tensor<f32>) -> tensor<8x4xf32>
  %m1 = xf.reduce_mean %p1 axes = [0] keep_dims : (tensor<8x4xf32>) -> tensor<1x4xf32>
  %a1 = xf.add %m1, %eps : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  %r1 = xf.rsqrt %a1 : tensor<1x4xf32>
  %n1 = xf.mul %xt, %r1 : (tensor<8x4xf32>, tensor<1x4xf32>) -> tensor<8x4xf32>

  %p2 = xf.pow %x, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %m2 = xf.reduce_mean %p2 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a2 = xf.add %m2, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s2 = xf.sqrt %a2 : tensor<4x1xf32>
  %n2 = xf.div %x, %s2 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  %p3 = xf.pow %x, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %m3 = xf.reduce_mean %p3 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a3 = xf.add %m3, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s3 = xf.sqrt %a3 : tensor<4x1xf32>
  %r3 = xf.div %two, %s3 : (tensor<f32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %n3 = xf.mul %x, %r3 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  %p4 = xf.pow %y, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %m4 = xf.reduce_mean %p4 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a4 = xf.add %m4, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %r4 = xf.rsqrt %a4 : tensor<4x1xf32>
  %n4 = xf.mul %x, %r4 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  %c5 = xf.reduce_mean %x axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d5 = xf.sub %x, %c5 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %p5 = xf.pow %d5, %two : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %m5 = xf.reduce_mean %p5 axes = [-1] keep_dims : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %a5 = xf.add %m5, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s5 = xf.sqrt %a5 : tensor<4x1xf32>
  %n5 = xf.div %d5, %s5 : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %n0, %n1, %n2, %s2, %n3, %n4, %n5 : tensor<4x8xf32>, tensor<8x4xf32>, tensor<4x8xf32>, tensor<4x1xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
