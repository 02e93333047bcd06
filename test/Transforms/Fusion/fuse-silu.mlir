// RUN: xfc-opt %s --xf-fuse-silu --split-input-file | FileCheck %s
// RUN: xfc-opt %s --xf-fuse-silu --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// LLaMA's SwiGLU: x · sigmoid(x) becomes xf.silu; the product with `up`
// stays an xf.mul (the CPU backend fuses the two elementwise ops).
// CHECK-LABEL: func.func @silu$swiglu
// CHECK-SAME: (%[[GATE:.*]]: tensor<2x16xf32>, %[[UP:.*]]: tensor<2x16xf32>)
func.func @silu$swiglu(%gate: tensor<2x16xf32>, %up: tensor<2x16xf32>) -> tensor<2x16xf32> {
  // CHECK-NEXT: %[[S:.*]] = xf.silu %[[GATE]] : tensor<2x16xf32>
  // CHECK-NEXT: %[[Y:.*]] = xf.mul %[[S]], %[[UP]]
  // CHECK-NEXT: return %[[Y]]
  // LOC-LABEL: func.func @silu$swiglu
  // LOC: xf.silu {{.*}} loc(fused["sigmoid", "mul"])
  %s = xf.sigmoid %gate : tensor<2x16xf32> loc("sigmoid")
  %m = xf.mul %gate, %s : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32> loc("mul")
  %y = xf.mul %m, %up : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32> loc("up")
  return %y : tensor<2x16xf32>
}

// -----

// sigmoid(x) · x, in bf16.
// CHECK-LABEL: func.func @silu$commuted
// CHECK-SAME: (%[[X:.*]]: tensor<8xbf16>)
func.func @silu$commuted(%x: tensor<8xbf16>) -> tensor<8xbf16> {
  // CHECK-NEXT: %[[S:.*]] = xf.silu %[[X]] : tensor<8xbf16>
  // CHECK-NEXT: return %[[S]]
  %s = xf.sigmoid %x : tensor<8xbf16>
  %m = xf.mul %s, %x : (tensor<8xbf16>, tensor<8xbf16>) -> tensor<8xbf16>
  return %m : tensor<8xbf16>
}

// -----

// Near-misses, each left alone: the sigmoid of another value; a sigmoid
// that is used elsewhere too (fusing would compute it twice).
// CHECK-LABEL: func.func @silu$no_fuse
func.func @silu$no_fuse(%x: tensor<8xf32>, %z: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  // CHECK-NOT: xf.silu
  // CHECK: return
  %s0 = xf.sigmoid %z : tensor<8xf32>
  %m0 = xf.mul %x, %s0 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %s1 = xf.sigmoid %x : tensor<8xf32>
  %m1 = xf.mul %x, %s1 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %m0, %m1, %s1 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}
