// RUN: xfc-opt %s --xf-fuse-qkv --split-input-file | FileCheck %s
// RUN: xfc-opt %s --xf-fuse-qkv --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// Q, K, V projections with their bias adds: one GEMM on the packed
// weights (columns of wq, then wk, then wv), one add of the packed biases,
// one split; the packed ops carry all six locations.
// CHECK-LABEL: func.func @qkv$with_bias
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x3xf32>)
func.func @qkv$with_bias(%x: tensor<2x4x3xf32>) -> (tensor<2x4x2xf32>, tensor<2x4x2xf32>, tensor<2x4x1xf32>) {
  // CHECK: %[[W:.*]] = arith.constant dense_resource<xf_packed_weight> : tensor<3x5xf32>
  // CHECK: %[[MM:.*]] = xf.matmul %[[X]], %[[W]] : (tensor<2x4x3xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
  // CHECK: %[[B:.*]] = arith.constant dense_resource<xf_packed_bias> : tensor<5xf32>
  // CHECK: %[[ADD:.*]] = xf.add %[[MM]], %[[B]]
  // CHECK: %[[S:.*]]:3 = xf.split %[[ADD]] axis = 2 sizes = [2, 2, 1]
  // CHECK-NOT: xf.matmul
  // CHECK: return %[[S]]#0, %[[S]]#1, %[[S]]#2
  // LOC-LABEL: func.func @qkv$with_bias
  // LOC: xf.matmul {{.*}} loc(fused["q", "q.bias", "k", "k.bias", "v", "v.bias"])
  %wq = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %wk = arith.constant dense<[[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]> : tensor<3x2xf32>
  %wv = arith.constant dense<[[13.0], [14.0], [15.0]]> : tensor<3x1xf32>
  %bq = arith.constant dense<[0.5, 1.5]> : tensor<2xf32>
  %bk = arith.constant dense<[2.5, 3.5]> : tensor<2xf32>
  %bv = arith.constant dense_resource<bv> : tensor<1xf32>
  %q = xf.matmul %x, %wq : (tensor<2x4x3xf32>, tensor<3x2xf32>) -> tensor<2x4x2xf32> loc("q")
  %k = xf.matmul %x, %wk : (tensor<2x4x3xf32>, tensor<3x2xf32>) -> tensor<2x4x2xf32> loc("k")
  %v = xf.matmul %x, %wv : (tensor<2x4x3xf32>, tensor<3x1xf32>) -> tensor<2x4x1xf32> loc("v")
  %qb = xf.add %q, %bq : (tensor<2x4x2xf32>, tensor<2xf32>) -> tensor<2x4x2xf32> loc("q.bias")
  %kb = xf.add %bk, %k : (tensor<2xf32>, tensor<2x4x2xf32>) -> tensor<2x4x2xf32> loc("k.bias")
  %vb = xf.add %v, %bv : (tensor<2x4x1xf32>, tensor<1xf32>) -> tensor<2x4x1xf32> loc("v.bias")
  return %qb, %kb, %vb : tensor<2x4x2xf32>, tensor<2x4x2xf32>, tensor<2x4x1xf32>
}

// The packed weight holds, row by row, wq's, wk's and wv's columns; the
// packed bias bq, bk, bv (f32 little-endian hex).
// CHECK: xf_packed_weight: "0x400000000000803F000000400000E040000000410000504100004040000080400000104100002041000060410000A0400000C040000030410000404100007041"
// CHECK: xf_packed_bias: "0x400000000000003F0000C03F000020400000604000009040"

{-#
  dialect_resources: {
    builtin: {
      bv: "0x0400000000009040"
    }
  }
#-}

// -----

// Without biases (or when one GEMM lacks its bias): the GEMMs are packed,
// the adds stay on the pieces.
// CHECK-LABEL: func.func @qkv$partial_bias
func.func @qkv$partial_bias(%x: tensor<4x3xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  // CHECK: %[[MM:.*]] = xf.matmul %{{.*}}, %{{.*}} : (tensor<4x3xf32>, tensor<3x4xf32>) -> tensor<4x4xf32>
  // CHECK: %[[S:.*]]:2 = xf.split %[[MM]] axis = 1 sizes = [2, 2]
  // CHECK: %[[A:.*]] = xf.add %[[S]]#0, %{{.*}}
  // CHECK: return %[[A]], %[[S]]#1
  %wq = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %wk = arith.constant dense<[[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]> : tensor<3x2xf32>
  %bq = arith.constant dense<[0.5, 1.5]> : tensor<2xf32>
  %q = xf.matmul %x, %wq : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %k = xf.matmul %x, %wk : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %qb = xf.add %q, %bq : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  return %qb, %k : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// Near-misses, each left alone: a single GEMM on an input; GEMMs on
// different inputs; a transposed weight; a weight that is not a constant;
// a splat weight (no data to pack).
// CHECK-LABEL: func.func @qkv$no_pack
func.func @qkv$no_pack(%x: tensor<4x3xf32>, %y: tensor<4x3xf32>, %w: tensor<3x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) {
  // CHECK-NOT: xf.split
  // CHECK-COUNT-5: xf.matmul
  // CHECK-NOT: xf.split
  %wa = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %wt = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %ws = arith.constant dense<1.0> : tensor<3x2xf32>
  %a = xf.matmul %x, %wa : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %b = xf.matmul %y, %wa : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %c = xf.matmul %y, %wt transpose_rhs : (tensor<4x3xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  %d = xf.matmul %y, %w : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %e = xf.matmul %y, %ws : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  return %a, %b, %c, %d, %e : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>
}
