// RUN: xfc-opt %s --canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @xf.add$zero
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
func.func @xf.add$zero(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %negzero = arith.constant dense<-0.0> : tensor<4xf32>
  %0 = xf.add %x, %zero : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  %1 = xf.add %zero, %x : (tensor<f32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %2 = xf.add %x, %negzero : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK-NOT: xf.add
  // CHECK: return %[[X]], %[[X]], %[[X]]
  return %0, %1, %2 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Near-misses: a zero that broadcasts x to a larger shape, and a non-zero.
// CHECK-LABEL: func.func @xf.add$no_fold
func.func @xf.add$no_fold(%x: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<4xf32>) {
  %zero = arith.constant dense<0.0> : tensor<2x4xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  // CHECK: xf.add %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %0 = xf.add %x, %zero : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  // CHECK: xf.add %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = xf.add %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0, %1 : tensor<2x4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.add$integer_zero
// CHECK-SAME: (%[[X:.*]]: tensor<8xi64>)
func.func @xf.add$integer_zero(%x: tensor<8xi64>) -> tensor<8xi64> {
  %zero = arith.constant dense<0> : tensor<i64>
  %0 = xf.add %x, %zero : (tensor<8xi64>, tensor<i64>) -> tensor<8xi64>
  // CHECK: return %[[X]]
  return %0 : tensor<8xi64>
}

// -----

// CHECK-LABEL: func.func @xf.sub$zero
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @xf.sub$zero(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = arith.constant dense<0.0> : tensor<f32>
  %0 = xf.sub %x, %zero : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // 0 - x is -x, not x.
  // CHECK: %[[NEG:.*]] = xf.sub %{{.*}}, %[[X]]
  %1 = xf.sub %zero, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: return %[[X]], %[[NEG]]
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.mul$one
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @xf.mul$one(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %0 = xf.mul %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = xf.mul %one, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[TWICE:.*]] = xf.mul %[[X]], %{{.*}}
  %2 = xf.mul %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // CHECK: return %[[X]], %[[X]], %[[TWICE]]
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.div$one
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @xf.div$one(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %0 = xf.div %x, %one : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // 1 / x is a reciprocal, not x.
  // CHECK: %[[RECIP:.*]] = xf.div %{{.*}}, %[[X]]
  %1 = xf.div %one, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: return %[[X]], %[[RECIP]]
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.neg$twice
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @xf.neg$twice(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: %[[NEG:.*]] = xf.neg %[[X]]
  %0 = xf.neg %x : tensor<4xf32>
  %1 = xf.neg %0 : tensor<4xf32>
  // CHECK: return %[[NEG]], %[[X]]
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.select$fold
// CHECK-SAME: (%[[C:.*]]: tensor<4xi1>, %[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
func.func @xf.select$fold(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %true = arith.constant dense<true> : tensor<i1>
  %false = arith.constant dense<false> : tensor<4xi1>
  %0 = xf.select %true, %a, %b : (tensor<i1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = xf.select %false, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = xf.select %c, %a, %a : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[SEL:.*]] = xf.select %[[C]], %[[A]], %[[B]]
  %3 = xf.select %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: return %[[A]], %[[B]], %[[A]], %[[SEL]]
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// The chosen value would need broadcasting: no fold.
// CHECK-LABEL: func.func @xf.select$broadcast_no_fold
func.func @xf.select$broadcast_no_fold(%a: tensor<f32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %true = arith.constant dense<true> : tensor<i1>
  // CHECK: xf.select
  %0 = xf.select %true, %a, %b : (tensor<i1>, tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.reshape$compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x12xf32>)
func.func @xf.reshape$compose(%x: tensor<2x12xf32>) -> (tensor<24xf32>, tensor<2x12xf32>) {
  %0 = xf.reshape %x : tensor<2x12xf32> -> tensor<2x3x4xf32>
  // CHECK: %[[FLAT:.*]] = xf.reshape %[[X]] : tensor<2x12xf32> -> tensor<24xf32>
  %1 = xf.reshape %0 : tensor<2x3x4xf32> -> tensor<24xf32>
  // A chain back to the input's own shape disappears.
  %2 = xf.reshape %0 : tensor<2x3x4xf32> -> tensor<2x12xf32>
  // CHECK-NOT: xf.reshape
  // CHECK: return %[[FLAT]], %[[X]]
  return %1, %2 : tensor<24xf32>, tensor<2x12xf32>
}

// -----

// CHECK-LABEL: func.func @xf.reshape$no_fold
func.func @xf.reshape$no_fold(%x: tensor<2x12xf32>) -> tensor<2x3x4xf32> {
  // CHECK: xf.reshape %{{.*}} : tensor<2x12xf32> -> tensor<2x3x4xf32>
  %0 = xf.reshape %x : tensor<2x12xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.transpose$compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @xf.transpose$compose(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = xf.transpose %x, [1, 2, 0] : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  // CHECK: %[[T:.*]] = xf.transpose %[[X]], [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = xf.transpose %0, [1, 2, 0] : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
  // A permutation followed by its inverse, and the identity, disappear.
  %2 = xf.transpose %0, [2, 0, 1] : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  %3 = xf.transpose %x, [0, 1, 2] : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  // CHECK-NOT: xf.transpose
  // CHECK: return %[[T]], %[[X]], %[[X]]
  return %1, %2, %3 : tensor<4x2x3xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.shape_ops$identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
func.func @xf.shape_ops$identity(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
  %0 = xf.slice %x offsets = [0, 0] sizes = [2, 4] strides = [1, 1] : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %1 = xf.concat %x axis = 0 : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %2 = xf.split %x axis = 1 sizes = [4] : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %3 = xf.expand %x : tensor<2x4xf32> -> tensor<2x4xf32>
  %4 = xf.cast %x : tensor<2x4xf32> -> tensor<2x4xf32>
  // CHECK-NOT: xf.
  // CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
  return %0, %1, %2, %3, %4 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Near-misses: a strided slice of the same size would still be identity
// only with stride 1; a lossy round trip through f16 is not the identity.
// CHECK-LABEL: func.func @xf.shape_ops$no_fold
func.func @xf.shape_ops$no_fold(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x4xf32>, tensor<3x2x4xf32>) {
  // CHECK: xf.slice
  %0 = xf.slice %x offsets = [0, 0] sizes = [2, 2] strides = [1, 2] : (tensor<2x4xf32>) -> tensor<2x2xf32>
  // CHECK: xf.cast %{{.*}} : tensor<2x4xf32> -> tensor<2x4xf16>
  // CHECK: xf.cast %{{.*}} : tensor<2x4xf16> -> tensor<2x4xf32>
  %1 = xf.cast %x : tensor<2x4xf32> -> tensor<2x4xf16>
  %2 = xf.cast %1 : tensor<2x4xf16> -> tensor<2x4xf32>
  // CHECK: xf.expand
  %3 = xf.expand %x : tensor<2x4xf32> -> tensor<3x2x4xf32>
  return %0, %2, %3 : tensor<2x2xf32>, tensor<2x4xf32>, tensor<3x2x4xf32>
}

// -----

// Constant operands fold to constants (shape arithmetic at import).
// CHECK-LABEL: func.func @fold$constants
func.func @fold$constants() -> (tensor<2xi64>, tensor<3xi64>, tensor<2x2xi1>, tensor<2xf32>, tensor<3xf32>, tensor<2xi64>) {
  %a = arith.constant dense<[8, 64]> : tensor<2xi64>
  %b = arith.constant dense<2> : tensor<i64>
  %f = arith.constant dense<[2.5, -1.5, 0.5]> : tensor<3xf32>
  // CHECK-DAG: arith.constant dense<[4, 32]> : tensor<2xi64>
  %0 = xf.div %a, %b : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  // CHECK-DAG: arith.constant dense<[2, 8, 64]> : tensor<3xi64>
  %b1 = arith.constant dense<2> : tensor<1xi64>
  %c = xf.concat %b1, %a axis = 0 : (tensor<1xi64>, tensor<2xi64>) -> tensor<3xi64>
  // CHECK-DAG: arith.constant dense<{{\[\[}}false, true], [false, false]]> : tensor<2x2xi1>
  %r = xf.reshape %a : tensor<2xi64> -> tensor<2x1xi64>
  %1 = xf.cmp lt, %r, %a : (tensor<2x1xi64>, tensor<2xi64>) -> tensor<2x2xi1>
  // CHECK-DAG: arith.constant dense<[2.000000e+00, -2.000000e+00]> : tensor<2xf32>
  %s = xf.slice %f offsets = [0] sizes = [2] strides = [1] : (tensor<3xf32>) -> tensor<2xf32>
  %2 = xf.round %s : tensor<2xf32>
  // Round half to even, then int -> float cast.
  // CHECK-DAG: arith.constant dense<[2.000000e+00, -2.000000e+00, 0.000000e+00]> : tensor<3xf32>
  %3 = xf.round %f : tensor<3xf32>
  // Gather of constants.
  // CHECK-DAG: arith.constant dense<[64, 8]> : tensor<2xi64>
  %idx = arith.constant dense<[1, -2]> : tensor<2xi64>
  %4 = xf.gather %a[%idx] axis = 0 : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  // CHECK-NOT: xf.
  return %0, %c, %1, %2, %3, %4 : tensor<2xi64>, tensor<3xi64>, tensor<2x2xi1>, tensor<2xf32>, tensor<3xf32>, tensor<2xi64>
}

// -----

// Integer division by zero is undefined: no fold.
// CHECK-LABEL: func.func @fold$no_division_by_zero
func.func @fold$no_division_by_zero() -> tensor<2xi64> {
  %a = arith.constant dense<[8, 64]> : tensor<2xi64>
  %z = arith.constant dense<0> : tensor<i64>
  // CHECK: xf.div
  %0 = xf.div %a, %z : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// A dense_resource weight is never read by a folder.
// CHECK-LABEL: func.func @fold$resource_untouched
func.func @fold$resource_untouched() -> tensor<2xf32> {
  %w = arith.constant dense_resource<w> : tensor<2xf32>
  %one = arith.constant dense<2.0> : tensor<f32>
  // CHECK: xf.mul
  %0 = xf.mul %w, %one : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}
