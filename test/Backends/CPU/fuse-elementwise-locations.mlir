// RUN: xfc-opt %s --xfc-cpu-fuse-elementwise --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s

// Upstream's elementwise fusion gives the fused generic the consumer's
// location only; the pass fuses both, so the producer's node stays in
// diagnostics and profiles (loc(fused[...]), as the house style asks).

// An elementwise chain: the fused op carries both ops' locations.
// CHECK-LABEL: func.func @fuse$elementwise_locations
func.func @fuse$elementwise_locations(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: } -> tensor<4x8xf32> loc(fused[{{("encoder.add", "encoder.tanh"|"encoder.tanh", "encoder.add")}}])
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32> loc("encoder.add")
  %1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %t = math.tanh %x : f32
    linalg.yield %t : f32
  } -> tensor<4x8xf32> loc("encoder.tanh")
  return %1 : tensor<4x8xf32>
}

// -----

// A transpose fused into a contraction: the contraction keeps the
// transpose's location too.
// CHECK-LABEL: func.func @fuse$transpose_locations
func.func @fuse$transpose_locations(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // CHECK: } -> tensor<4x16xf32> loc(fused[{{("encoder.transpose", "encoder.matmul"|"encoder.matmul", "encoder.transpose")}}])
  %e = tensor.empty() : tensor<8x16xf32>
  %bt = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%b : tensor<16x8xf32>) outs(%e : tensor<8x16xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<8x16xf32> loc("encoder.transpose")
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %bt : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32> loc("encoder.matmul")
  return %r : tensor<4x16xf32>
}
