// RUN: xfc-opt %s --xf-fuse-gelu --split-input-file | FileCheck %s
// RUN: xfc-opt %s --xf-fuse-gelu --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// BERT's exact GELU: x · (erf(x / 1.41421354) + 1) · 0.5.
// CHECK-LABEL: func.func @gelu$erf_bert
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
func.func @gelu$erf_bert(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // CHECK-NEXT: %[[G:.*]] = xf.gelu %[[X]] : tensor<2x8xf32>
  // CHECK-NEXT: return %[[G]]
  // LOC-LABEL: func.func @gelu$erf_bert
  // LOC: xf.gelu {{.*}} loc(fused["div", "erf", "add", "mul", "half"])
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %d = xf.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("div")
  %e = xf.erf %d : tensor<2x8xf32> loc("erf")
  %p = xf.add %e, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("add")
  %m = xf.mul %x, %p : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32> loc("mul")
  %y = xf.mul %m, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("half")
  return %y : tensor<2x8xf32>
}

// -----

// x · 0.70710678 instead of the division, 0.5 multiplied first, every
// commutative op in the other operand order; and the third association,
// x · (0.5 · (1 + erf(...))).
// CHECK-LABEL: func.func @gelu$erf_variants
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
func.func @gelu$erf_variants(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  // CHECK-NEXT: %[[G:.*]] = xf.gelu %[[X]] : tensor<2x8xf32>
  // CHECK-NEXT: %[[G2:.*]] = xf.gelu %[[X]] : tensor<2x8xf32>
  // CHECK-NEXT: return %[[G]], %[[G2]]
  %inv_sqrt2 = arith.constant dense<0.707106769> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %h = xf.mul %half, %x : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %d = xf.mul %inv_sqrt2, %x : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %e = xf.erf %d : tensor<2x8xf32>
  %p = xf.add %one, %e : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = xf.mul %p, %h : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>

  %d2 = xf.mul %x, %inv_sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %e2 = xf.erf %d2 : tensor<2x8xf32>
  %p2 = xf.add %e2, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %h2 = xf.mul %p2, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %y2 = xf.mul %x, %h2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y, %y2 : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// GPT-2's gelu_new: x·0.5 · (1 + tanh((x + pow(x, 3)·0.044715) · 0.79788)).
// CHECK-LABEL: func.func @gelu$tanh_gpt2
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
func.func @gelu$tanh_gpt2(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // CHECK-NEXT: %[[G:.*]] = xf.gelu %[[X]] approximate = tanh : tensor<2x8xf32>
  // CHECK-NEXT: return %[[G]]
  // LOC-LABEL: func.func @gelu$tanh_gpt2
  // LOC: xf.gelu {{.*}} loc(fused["pow", "cubic", "inner", "scale", "tanh", "add", "half", "mul"])
  %half = arith.constant dense<0.5> : tensor<f32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %c = arith.constant dense<4.471500e-02> : tensor<f32>
  %k = arith.constant dense<0.797884583> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %h = xf.mul %x, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("half")
  %p = xf.pow %x, %three : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("pow")
  %q = xf.mul %p, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("cubic")
  %s = xf.add %x, %q : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32> loc("inner")
  %u = xf.mul %s, %k : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("scale")
  %t = xf.tanh %u : tensor<2x8xf32> loc("tanh")
  %a = xf.add %t, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("add")
  %y = xf.mul %h, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32> loc("mul")
  return %y : tensor<2x8xf32>
}

// -----

// f16 constants are as close as f16 gets (1.41421354 rounds to 1.4140625).
// CHECK-LABEL: func.func @gelu$erf_f16
func.func @gelu$erf_f16(%x: tensor<8xf16>) -> tensor<8xf16> {
  // CHECK-NEXT: %[[G:.*]] = xf.gelu %{{.*}} : tensor<8xf16>
  // CHECK-NEXT: return %[[G]]
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f16>
  %one = arith.constant dense<1.0> : tensor<f16>
  %half = arith.constant dense<0.5> : tensor<f16>
  %d = xf.div %x, %sqrt2 : (tensor<8xf16>, tensor<f16>) -> tensor<8xf16>
  %e = xf.erf %d : tensor<8xf16>
  %p = xf.add %e, %one : (tensor<8xf16>, tensor<f16>) -> tensor<8xf16>
  %m = xf.mul %x, %p : (tensor<8xf16>, tensor<8xf16>) -> tensor<8xf16>
  %y = xf.mul %m, %half : (tensor<8xf16>, tensor<f16>) -> tensor<8xf16>
  return %y : tensor<8xf16>
}

// -----

// Near-misses, each left alone: 0.6 for 0.5; √3 for √2; erf of another
// value; erf's result used elsewhere; a "0.5" that broadcasts x to [4, 8];
// 0.045 for 0.044715; x² for x³ in the tanh form.
// CHECK-LABEL: func.func @gelu$no_fuse
func.func @gelu$no_fuse(%x: tensor<8xf32>, %z: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>) {
  // CHECK-NOT: xf.gelu
  // CHECK: return
  %sqrt2 = arith.constant dense<1.41421354> : tensor<f32>
  %sqrt3 = arith.constant dense<1.73205078> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %half4 = arith.constant dense<0.5> : tensor<4x1xf32>
  %six = arith.constant dense<0.6> : tensor<f32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %c = arith.constant dense<4.471500e-02> : tensor<f32>
  %c2 = arith.constant dense<4.5e-02> : tensor<f32>
  %k = arith.constant dense<0.797884583> : tensor<f32>

  %d0 = xf.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e0 = xf.erf %d0 : tensor<8xf32>
  %p0 = xf.add %e0, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m0 = xf.mul %x, %p0 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y0 = xf.mul %m0, %six : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>

  %d1 = xf.div %x, %sqrt3 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e1 = xf.erf %d1 : tensor<8xf32>
  %p1 = xf.add %e1, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m1 = xf.mul %x, %p1 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y1 = xf.mul %m1, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>

  %d2 = xf.div %z, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e2 = xf.erf %d2 : tensor<8xf32>
  %p2 = xf.add %e2, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m2 = xf.mul %x, %p2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y2 = xf.mul %m2, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>

  %d3 = xf.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e3 = xf.erf %d3 : tensor<8xf32>
  %p3 = xf.add %e3, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m3 = xf.mul %x, %p3 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y3 = xf.mul %m3, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>

  %d4 = xf.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e4 = xf.erf %d4 : tensor<8xf32>
  %p4 = xf.add %e4, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m4 = xf.mul %x, %p4 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y4 = xf.mul %m4, %half4 : (tensor<8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>

  %h5 = xf.mul %x, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %q5 = xf.pow %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %r5 = xf.mul %q5, %c2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %s5 = xf.add %x, %r5 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %u5 = xf.mul %s5, %k : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %t5 = xf.tanh %u5 : tensor<8xf32>
  %a5 = xf.add %t5, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y5 = xf.mul %h5, %a5 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>

  %h6 = xf.mul %x, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %q6 = xf.pow %x, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %r6 = xf.mul %q6, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %s6 = xf.add %x, %r6 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %u6 = xf.mul %s6, %k : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %t6 = xf.tanh %u6 : tensor<8xf32>
  %a6 = xf.add %t6, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %y6 = xf.mul %h6, %a6 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y0, %y1, %y2, %y3, %e3, %y4, %y5, %y6 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4x8xf32>, tensor<8xf32>, tensor<8xf32>
}
