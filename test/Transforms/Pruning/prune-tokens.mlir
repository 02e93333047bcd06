// RUN: xfc-opt %s --split-input-file --xf-prune-tokens="layers=0 keep=0.5 iterations=3" | FileCheck %s
// RUN: xfc-opt %s --split-input-file --xf-prune-tokens="layers=0,1 keep=0.5 iterations=1 keep-first=false" | FileCheck %s --check-prefix=TWICE
// RUN: xfc-opt %s --split-input-file --xf-prune-tokens="layers=0 keep=1.0" | FileCheck %s --check-prefix=SAME
// RUN: xfc-opt %s --split-input-file --xf-prune-tokens | FileCheck %s --check-prefix=SAME

// Two post-LN layers on 4 tokens, 2 heads of 2, one additive key mask.
// After layer 0's attention sublayer (the sum %h) the importance is
// recomputed from %q and %k, and the stream is gathered at 2 tokens; layer
// 1, its mask and the outputs run on 2 tokens.
// CHECK-LABEL: func.func @two_layers
// CHECK-SAME: -> (tensor<1x2x4xf32> {xf.name = "hidden"}, tensor<1x1x4xf32> {xf.name = "cls"}, tensor<1x2xi64> {xf.name = "xf_kept_tokens"})
// CHECK: %[[Q:.*]] = xf.matmul %arg0
// CHECK: %[[K:.*]] = xf.matmul %arg0
// CHECK: xf.attention %[[Q]], %[[K]], %{{.*}} mask(%arg1) {{.*}} -> tensor<1x4x4xf32>
// CHECK: %[[H:.*]] = xf.add
// CHECK: %[[QR:.*]] = xf.reshape %[[Q]] : tensor<1x4x4xf32> -> tensor<1x4x2x2xf32>
// CHECK: %[[QT:.*]] = xf.transpose %[[QR]], [0, 2, 1, 3]
// CHECK: %[[KR:.*]] = xf.reshape %[[K]] : tensor<1x4x4xf32> -> tensor<1x4x2x2xf32>
// CHECK: %[[KT:.*]] = xf.transpose %[[KR]], [0, 2, 3, 1]
// CHECK: %[[S:.*]] = xf.matmul %[[QT]], %[[KT]] : (tensor<1x2x4x2xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK: %[[SCALE:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[SS:.*]] = xf.mul %[[S]], %[[SCALE]]
// CHECK: %[[SM:.*]] = xf.add %[[SS]], %arg1
// CHECK: %[[P:.*]] = xf.softmax %[[SM]] : tensor<1x2x4x4xf32>
// CHECK: %[[A:.*]] = xf.reduce_mean %[[P]] axes = [1] : (tensor<1x2x4x4xf32>) -> tensor<1x4x4xf32>
// CHECK: %[[U:.*]] = arith.constant dense<2.500000e-01> : tensor<1x1x4xf32>
// CHECK: %[[I1:.*]] = xf.matmul %[[U]], %[[A]] : (tensor<1x1x4xf32>, tensor<1x4x4xf32>) -> tensor<1x1x4xf32>
// CHECK: %[[I2:.*]] = xf.matmul %[[I1]], %[[A]]
// CHECK: %[[I3:.*]] = xf.matmul %[[I2]], %[[A]]
// CHECK-NOT: xf.matmul %{{.*}}, %[[A]]
// CHECK: %[[IR:.*]] = xf.reshape %[[I3]] : tensor<1x1x4xf32> -> tensor<1x4xf32>
// CHECK: %[[FIRST:.*]] = arith.constant dense<[2.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<4xf32>
// CHECK: %[[IMP:.*]] = xf.add %[[IR]], %[[FIRST]]
// CHECK: %{{.*}}, %[[KEPT:.*]] = xf.top_k %[[IMP]] k = 2 index_order : (tensor<1x4xf32>) -> (tensor<1x2xf32>, tensor<1x2xi64>)
// CHECK: %[[START:.*]] = arith.constant dense<0> : tensor<1x1xi64>
// CHECK: %[[ROWS:.*]] = xf.add %[[KEPT]], %[[START]]
// CHECK: %[[FLAT:.*]] = xf.reshape %[[H]] : tensor<1x4x4xf32> -> tensor<4x4xf32>
// CHECK: %[[G:.*]] = xf.gather %[[FLAT]][%[[ROWS]]] axis = 0 : (tensor<4x4xf32>, tensor<1x2xi64>) -> tensor<1x2x4xf32>
// CHECK: %[[N:.*]] = xf.layer_norm %[[G]] {{.*}} -> tensor<1x2x4xf32>
// CHECK: xf.matmul %[[N]], %{{.*}} -> tensor<1x2x4xf32>
// CHECK: %[[MT:.*]] = xf.transpose %arg1, [0, 3, 1, 2] : (tensor<1x1x1x4xf32>) -> tensor<1x4x1x1xf32>
// CHECK: %[[MF:.*]] = xf.reshape %[[MT]] : tensor<1x4x1x1xf32> -> tensor<4x1x1xf32>
// CHECK: %[[MG:.*]] = xf.gather %[[MF]][%[[ROWS]]] axis = 0 : (tensor<4x1x1xf32>, tensor<1x2xi64>) -> tensor<1x2x1x1xf32>
// CHECK: %[[M:.*]] = xf.transpose %[[MG]], [0, 2, 3, 1] : (tensor<1x2x1x1xf32>) -> tensor<1x1x1x2xf32>
// CHECK: xf.attention {{.*}} mask(%[[M]]) {{.*}} -> tensor<1x2x4xf32>
// CHECK: xf.slice {{.*}} : (tensor<1x2x4xf32>) -> tensor<1x1x4xf32>
// CHECK: return {{.*}}, %[[KEPT]] : tensor<1x2x4xf32>, tensor<1x1x4xf32>, tensor<1x2xi64>
//
// Pruning after both layers: 4 -> 2 -> 1 tokens, the second step's
// positions composed with the first's; without keep-first no token is
// forced.
// TWICE-LABEL: func.func @two_layers
// TWICE-SAME: -> (tensor<1x1x4xf32> {xf.name = "hidden"}, tensor<1x1x4xf32> {xf.name = "cls"}, tensor<1x1xi64> {xf.name = "xf_kept_tokens"})
// TWICE-NOT: dense<[2.000000e+00
// TWICE: %{{.*}}, %[[K0:.*]] = xf.top_k %{{.*}} k = 2 index_order : (tensor<1x4xf32>)
// TWICE: %{{.*}}, %[[K1:.*]] = xf.top_k %{{.*}} k = 1 index_order : (tensor<1x2xf32>)
// TWICE: %[[R1:.*]] = xf.add %[[K1]]
// TWICE: %[[G:.*]] = xf.gather %{{.*}}[%[[R1]]] axis = 0 : (tensor<2x4xf32>, tensor<1x1xi64>) -> tensor<1x1x4xf32>
// TWICE: %[[K0F:.*]] = xf.reshape %[[K0]] : tensor<1x2xi64> -> tensor<2xi64>
// TWICE: %[[KEPT:.*]] = xf.gather %[[K0F]][%[[R1]]] axis = 0 : (tensor<2xi64>, tensor<1x1xi64>) -> tensor<1x1xi64>
// TWICE: return {{.*}}, %[[KEPT]] : tensor<1x1x4xf32>, tensor<1x1x4xf32>, tensor<1x1xi64>
//
// keep=1 (and no layers) change nothing: no importance, no extra output.
// SAME-LABEL: func.func @two_layers
// SAME-SAME: -> (tensor<1x4x4xf32> {xf.name = "hidden"}, tensor<1x1x4xf32> {xf.name = "cls"})
// SAME-NOT: xf.top_k
// SAME-NOT: xf.gather
// SAME-NOT: xf_kept_tokens
func.func @two_layers(%x: tensor<1x4x4xf32> {xf.name = "x"}, %m: tensor<1x1x1x4xf32> {xf.name = "mask"}) -> (tensor<1x4x4xf32> {xf.name = "hidden"}, tensor<1x1x4xf32> {xf.name = "cls"}) {
  %wq = arith.constant dense<[[1.0, 0.5, 0.0, 0.25], [0.5, 1.0, 0.25, 0.0], [0.0, 0.25, 1.0, 0.5], [0.25, 0.0, 0.5, 1.0]]> : tensor<4x4xf32>
  %wk = arith.constant dense<[[0.5, 0.0, 1.0, 0.25], [1.0, 0.5, 0.0, 0.25], [0.25, 1.0, 0.5, 0.0], [0.0, 0.25, 0.25, 1.0]]> : tensor<4x4xf32>
  %wv = arith.constant dense<0.5> : tensor<4x4xf32>
  %g = arith.constant dense<1.0> : tensor<4xf32>
  %q = xf.matmul %x, %wq : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %k = xf.matmul %x, %wk : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %v = xf.matmul %x, %wv : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %a = xf.attention %q, %k, %v mask(%m) {num_heads = 2 : i64, scale = 0.5 : f32} : (tensor<1x4x4xf32>, tensor<1x4x4xf32>, tensor<1x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x4x4xf32>
  %o = xf.matmul %a, %wv : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %h = xf.add %o, %x : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %n = xf.layer_norm %h scale(%g) {axis = -1 : i64, epsilon = 1.0e-5 : f32} : (tensor<1x4x4xf32>, tensor<4xf32>) -> tensor<1x4x4xf32>
  %q2 = xf.matmul %n, %wq : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %k2 = xf.matmul %n, %wk : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %v2 = xf.matmul %n, %wv : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %a2 = xf.attention %q2, %k2, %v2 mask(%m) {num_heads = 2 : i64, scale = 0.5 : f32} : (tensor<1x4x4xf32>, tensor<1x4x4xf32>, tensor<1x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x4x4xf32>
  %o2 = xf.matmul %a2, %wv : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %h2 = xf.add %o2, %n : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %cls = xf.slice %h2 offsets = [0, 0, 0] sizes = [1, 1, 4] strides = [1, 1, 1] : (tensor<1x4x4xf32>) -> tensor<1x1x4xf32>
  return %h2, %cls : tensor<1x4x4xf32>, tensor<1x1x4xf32>
}

