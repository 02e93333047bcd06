// RUN: xfc-opt %s --xfc-cpu-approximate-math --split-input-file | FileCheck %s

// erf, tanh and exp on f32 (the GELU, softmax and activation functions)
// become polynomial arithmetic: no math op and no call left that would
// block vectorization, only fma / floor / abs that LLVM has instructions for.
// CHECK-LABEL: func.func @approx$erf
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK-NOT: math.erf
// CHECK-NOT: call
// CHECK: return
func.func @approx$erf(%x: f32) -> f32 {
  %0 = math.erf %x : f32
  return %0 : f32
}

// -----

// CHECK-LABEL: func.func @approx$tanh
// CHECK-NOT: math.tanh
// CHECK: arith.divf
// CHECK-NOT: math.tanh
// CHECK-NOT: call
// CHECK: return
func.func @approx$tanh(%x: f32) -> f32 {
  %0 = math.tanh %x : f32
  return %0 : f32
}

// -----

// exp builds 2^n from the exponent bits.
// CHECK-LABEL: func.func @approx$exp
// CHECK-NOT: math.exp
// CHECK: math.floor
// CHECK: math.fma
// CHECK: arith.shli
// CHECK: arith.bitcast %{{.*}} : i32 to f32
// CHECK-NOT: math.exp
// CHECK-NOT: call
// CHECK: return
func.func @approx$exp(%x: f32) -> f32 {
  %0 = math.exp %x : f32
  return %0 : f32
}

// -----

// Vectors of f32 are expanded alike.
// CHECK-LABEL: func.func @approx$vector
// CHECK-NOT: math.exp
// CHECK-NOT: math.erf
// CHECK: math.fma %{{.*}} : vector<8xf32>
// CHECK-NOT: math.exp
// CHECK-NOT: math.erf
// CHECK: return
func.func @approx$vector(%x: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>) {
  %0 = math.exp %x : vector<8xf32>
  %1 = math.erf %x : vector<8xf32>
  return %0, %1 : vector<8xf32>, vector<8xf32>
}

// -----

// The rest of the list: log, log1p, log2, expm1.
// CHECK-LABEL: func.func @approx$logs
// CHECK-NOT: math.log
// CHECK-NOT: math.expm1
// CHECK: return
func.func @approx$logs(%x: f32) -> (f32, f32, f32, f32) {
  %0 = math.log %x : f32
  %1 = math.log1p %x : f32
  %2 = math.log2 %x : f32
  %3 = math.expm1 %x : f32
  return %0, %1, %2, %3 : f32, f32, f32, f32
}

// -----

// Where the pass runs in the pipeline: inside a linalg body (the GELU of a
// fused bias-add + GELU).
// CHECK-LABEL: func.func @approx$gelu_body
// CHECK: linalg.generic
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK: linalg.yield
func.func @approx$gelu_body(%x: memref<4x8xf32>, %y: memref<4x8xf32>) {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %rsqrt2 = arith.constant 0.707106769 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x8xf32>) outs(%y : memref<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %in, %rsqrt2 : f32
    %1 = math.erf %0 : f32
    %2 = arith.addf %1, %one : f32
    %3 = arith.mulf %in, %half : f32
    %4 = arith.mulf %3, %2 : f32
    linalg.yield %4 : f32
  }
  return
}

// -----

// Near-misses: sqrt and rsqrt stay (one instruction each on x86); so do
// functions outside the list (sin) and types other than f32 (the
// approximations are tuned for f32): LLVM lowers them.
// CHECK-LABEL: func.func @approx$kept
// CHECK-SAME: (%[[X:.*]]: f32, %[[D:.*]]: f64, %[[H:.*]]: f16)
// CHECK-NOT: math.fma
// CHECK: %[[SQRT:.*]] = math.sqrt %[[X]] : f32
// CHECK: %[[RSQRT:.*]] = math.rsqrt %[[X]] : f32
// CHECK: %[[SIN:.*]] = math.sin %[[X]] : f32
// CHECK: %[[EXP64:.*]] = math.exp %[[D]] : f64
// CHECK: %[[ERF64:.*]] = math.erf %[[D]] : f64
// CHECK: %[[EXP16:.*]] = math.exp %[[H]] : f16
// CHECK-NOT: math.fma
// CHECK: return %[[SQRT]], %[[RSQRT]], %[[SIN]], %[[EXP64]], %[[ERF64]], %[[EXP16]]
func.func @approx$kept(%x: f32, %d: f64, %h: f16) -> (f32, f32, f32, f64, f64, f16) {
  %0 = math.sqrt %x : f32
  %1 = math.rsqrt %x : f32
  %2 = math.sin %x : f32
  %3 = math.exp %d : f64
  %4 = math.erf %d : f64
  %5 = math.exp %h : f16
  return %0, %1, %2, %3, %4, %5 : f32, f32, f32, f64, f64, f16
}
