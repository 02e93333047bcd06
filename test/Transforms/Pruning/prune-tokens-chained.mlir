// RUN: xfc-opt %s --xf-prune-tokens="layers=1,2 keep=0.5" | FileCheck %s --check-prefix=THREE

// Pruning after layers 1 and 2 of three: layer 2's attention is found
// walking back from its branch, not through its gathered mask (which
// leads back through layer 1's importance to layer 0's attention).
// THREE-LABEL: func.func @three_layers
// THREE: xf.top_k %{{.*}} k = 4 index_order : (tensor<1x8xf32>)
// THREE: xf.attention {{.*}} -> tensor<1x4x4xf32>
// THREE: xf.top_k %{{.*}} k = 2 index_order : (tensor<1x4xf32>)
// THREE: return {{.*}} : tensor<1x2x4xf32>, tensor<1x2xi64>
func.func @three_layers(%x: tensor<1x8x4xf32>, %m: tensor<1x1x1x8xf32>) -> tensor<1x8x4xf32> {
  %w = arith.constant dense<[[1.0, 0.5, 0.0, 0.25], [0.5, 1.0, 0.25, 0.0], [0.0, 0.25, 1.0, 0.5], [0.25, 0.0, 0.5, 1.0]]> : tensor<4x4xf32>
  %q0 = xf.matmul %x, %w : (tensor<1x8x4xf32>, tensor<4x4xf32>) -> tensor<1x8x4xf32>
  %a0 = xf.attention %q0, %q0, %q0 mask(%m) {num_heads = 2 : i64} : (tensor<1x8x4xf32>, tensor<1x8x4xf32>, tensor<1x8x4xf32>, tensor<1x1x1x8xf32>) -> tensor<1x8x4xf32>
  %o0 = xf.matmul %a0, %w : (tensor<1x8x4xf32>, tensor<4x4xf32>) -> tensor<1x8x4xf32>
  %h0 = xf.add %o0, %x : (tensor<1x8x4xf32>, tensor<1x8x4xf32>) -> tensor<1x8x4xf32>
  %q1 = xf.matmul %h0, %w : (tensor<1x8x4xf32>, tensor<4x4xf32>) -> tensor<1x8x4xf32>
  %a1 = xf.attention %q1, %q1, %q1 mask(%m) {num_heads = 2 : i64} : (tensor<1x8x4xf32>, tensor<1x8x4xf32>, tensor<1x8x4xf32>, tensor<1x1x1x8xf32>) -> tensor<1x8x4xf32>
  %o1 = xf.matmul %a1, %w : (tensor<1x8x4xf32>, tensor<4x4xf32>) -> tensor<1x8x4xf32>
  %h1 = xf.add %o1, %h0 : (tensor<1x8x4xf32>, tensor<1x8x4xf32>) -> tensor<1x8x4xf32>
  %q2 = xf.matmul %h1, %w : (tensor<1x8x4xf32>, tensor<4x4xf32>) -> tensor<1x8x4xf32>
  %a2 = xf.attention %q2, %q2, %q2 mask(%m) {num_heads = 2 : i64} : (tensor<1x8x4xf32>, tensor<1x8x4xf32>, tensor<1x8x4xf32>, tensor<1x1x1x8xf32>) -> tensor<1x8x4xf32>
  %o2 = xf.matmul %a2, %w : (tensor<1x8x4xf32>, tensor<4x4xf32>) -> tensor<1x8x4xf32>
  %h2 = xf.add %o2, %h1 : (tensor<1x8x4xf32>, tensor<1x8x4xf32>) -> tensor<1x8x4xf32>
  return %h2 : tensor<1x8x4xf32>
}
