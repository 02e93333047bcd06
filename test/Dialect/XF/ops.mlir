// RUN: xfc-opt %s --split-input-file | xfc-opt --split-input-file | FileCheck %s
// Generic form: print generically, parse that back, compare the custom form.
// RUN: xfc-opt %s --split-input-file --mlir-print-op-generic | xfc-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @xf.binary$broadcast
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x16xf32>, %[[B:.*]]: tensor<16xf32>, %[[S:.*]]: tensor<f32>)
func.func @xf.binary$broadcast(%x: tensor<2x8x16xf32>, %b: tensor<16xf32>, %s: tensor<f32>) -> tensor<2x8x16xf32> {
  // CHECK: %[[ADD:.*]] = xf.add %[[X]], %[[B]] : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  %0 = xf.add %x, %b : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  // CHECK: %[[SUB:.*]] = xf.sub %[[S]], %[[ADD]] : (tensor<f32>, tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  %1 = xf.sub %s, %0 : (tensor<f32>, tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  // CHECK: %[[MUL:.*]] = xf.mul %[[SUB]], %[[S]] : (tensor<2x8x16xf32>, tensor<f32>) -> tensor<2x8x16xf32>
  %2 = xf.mul %1, %s : (tensor<2x8x16xf32>, tensor<f32>) -> tensor<2x8x16xf32>
  // CHECK: %[[DIV:.*]] = xf.div %[[MUL]], %[[B]] : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  %3 = xf.div %2, %b : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  // CHECK: %[[POW:.*]] = xf.pow %[[DIV]], %[[S]] : (tensor<2x8x16xf32>, tensor<f32>) -> tensor<2x8x16xf32>
  %4 = xf.pow %3, %s : (tensor<2x8x16xf32>, tensor<f32>) -> tensor<2x8x16xf32>
  // CHECK: %[[MAX:.*]] = xf.max %[[POW]], %[[S]] : (tensor<2x8x16xf32>, tensor<f32>) -> tensor<2x8x16xf32>
  %5 = xf.max %4, %s : (tensor<2x8x16xf32>, tensor<f32>) -> tensor<2x8x16xf32>
  // CHECK: %[[MIN:.*]] = xf.min %[[MAX]], %[[B]] : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  %6 = xf.min %5, %b : (tensor<2x8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  // CHECK: return %[[MIN]]
  return %6 : tensor<2x8x16xf32>
}

// -----

// A written result may be more static than what inference can know.
// CHECK-LABEL: func.func @xf.add$dynamic
func.func @xf.add$dynamic(%x: tensor<?x16xf32>, %y: tensor<1x16xf32>) -> tensor<4x16xf32> {
  // CHECK: xf.add %{{.*}}, %{{.*}} : (tensor<?x16xf32>, tensor<1x16xf32>) -> tensor<4x16xf32>
  %0 = xf.add %x, %y : (tensor<?x16xf32>, tensor<1x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @xf.add$integer
func.func @xf.add$integer(%x: tensor<1x8xi64>, %y: tensor<i64>) -> tensor<1x8xi64> {
  // CHECK: xf.add %{{.*}}, %{{.*}} : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi64>
  %0 = xf.add %x, %y : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi64>
  return %0 : tensor<1x8xi64>
}

// -----

// CHECK-LABEL: func.func @xf.cmp_select$mask
func.func @xf.cmp_select$mask(%mask: tensor<1x8xi64>, %zero: tensor<i64>, %scores: tensor<1x2x8x8xf32>, %neg: tensor<f32>) -> tensor<1x2x8x8xf32> {
  // CHECK: %[[KEEP:.*]] = xf.cmp ne, %{{.*}}, %{{.*}} : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi1>
  %keep = xf.cmp ne, %mask, %zero : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi1>
  // CHECK: xf.cmp eq
  %a = xf.cmp eq, %mask, %zero : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi1>
  // CHECK: xf.cmp lt
  %b = xf.cmp lt, %mask, %zero : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi1>
  // CHECK: xf.cmp le
  %c = xf.cmp le, %mask, %zero : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi1>
  // CHECK: xf.cmp gt
  %d = xf.cmp gt, %mask, %zero : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi1>
  // CHECK: xf.cmp ge
  %e = xf.cmp ge, %mask, %zero : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi1>
  // CHECK: xf.select %[[KEEP]], %{{.*}}, %{{.*}} : (tensor<1x8xi1>, tensor<1x2x8x8xf32>, tensor<f32>) -> tensor<1x2x8x8xf32>
  %0 = xf.select %keep, %scores, %neg : (tensor<1x8xi1>, tensor<1x2x8x8xf32>, tensor<f32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @xf.unary
func.func @xf.unary(%x: tensor<2x8xf32>, %i: tensor<4xi32>) -> tensor<2x8xf32> {
  // CHECK: xf.exp %{{.*}} : tensor<2x8xf32>
  %0 = xf.exp %x : tensor<2x8xf32>
  // CHECK: xf.log %{{.*}} : tensor<2x8xf32>
  %1 = xf.log %0 : tensor<2x8xf32>
  // CHECK: xf.tanh %{{.*}} : tensor<2x8xf32>
  %2 = xf.tanh %1 : tensor<2x8xf32>
  // CHECK: xf.erf %{{.*}} : tensor<2x8xf32>
  %3 = xf.erf %2 : tensor<2x8xf32>
  // CHECK: xf.sqrt %{{.*}} : tensor<2x8xf32>
  %4 = xf.sqrt %3 : tensor<2x8xf32>
  // CHECK: xf.rsqrt %{{.*}} : tensor<2x8xf32>
  %5 = xf.rsqrt %4 : tensor<2x8xf32>
  // CHECK: xf.reciprocal %{{.*}} : tensor<2x8xf32>
  %6 = xf.reciprocal %5 : tensor<2x8xf32>
  // CHECK: xf.sigmoid %{{.*}} : tensor<2x8xf32>
  %7 = xf.sigmoid %6 : tensor<2x8xf32>
  // CHECK: xf.neg %{{.*}} : tensor<2x8xf32>
  %8 = xf.neg %7 : tensor<2x8xf32>
  // CHECK: xf.round %{{.*}} : tensor<2x8xf32>
  %r = xf.round %8 : tensor<2x8xf32>
  // CHECK: xf.abs %{{.*}} : tensor<2x8xf32>
  %9 = xf.abs %8 : tensor<2x8xf32>
  // CHECK: xf.neg %{{.*}} : tensor<4xi32>
  %10 = xf.neg %i : tensor<4xi32>
  // CHECK: xf.abs %{{.*}} : tensor<4xi32>
  %11 = xf.abs %10 : tensor<4xi32>
  return %9 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @xf.activations
func.func @xf.activations(%x: tensor<1x8x32xbf16>) -> tensor<1x8x32xbf16> {
  // CHECK: xf.gelu %{{.*}} : tensor<1x8x32xbf16>
  %0 = xf.gelu %x : tensor<1x8x32xbf16>
  // CHECK: xf.gelu %{{.*}} : tensor<1x8x32xbf16>
  %1 = xf.gelu %0 approximate = none : tensor<1x8x32xbf16>
  // CHECK: xf.gelu %{{.*}} approximate = tanh : tensor<1x8x32xbf16>
  %2 = xf.gelu %1 approximate = tanh : tensor<1x8x32xbf16>
  // CHECK: xf.silu %{{.*}} : tensor<1x8x32xbf16>
  %3 = xf.silu %2 : tensor<1x8x32xbf16>
  // CHECK: xf.relu %{{.*}} : tensor<1x8x32xbf16>
  %4 = xf.relu %3 : tensor<1x8x32xbf16>
  return %4 : tensor<1x8x32xbf16>
}

// -----

// CHECK-LABEL: func.func @xf.matmul$transposes
func.func @xf.matmul$transposes(%q: tensor<1x4x8x16xf32>, %k: tensor<1x4x8x16xf32>, %w: tensor<16x32xf32>, %t: tensor<1x4x16x8xf32>) {
  // CHECK: xf.matmul %{{.*}}, %{{.*}} transpose_rhs : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x8xf32>
  %0 = xf.matmul %q, %k transpose_rhs : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x8xf32>
  // Batch dimensions broadcast: a rank-2 weight against a rank-4 lhs.
  // CHECK: xf.matmul %{{.*}}, %{{.*}} : (tensor<1x4x8x16xf32>, tensor<16x32xf32>) -> tensor<1x4x8x32xf32>
  %1 = xf.matmul %q, %w : (tensor<1x4x8x16xf32>, tensor<16x32xf32>) -> tensor<1x4x8x32xf32>
  // CHECK: xf.matmul %{{.*}}, %{{.*}} transpose_lhs : (tensor<1x4x16x8xf32>, tensor<16x32xf32>) -> tensor<1x4x8x32xf32>
  %2 = xf.matmul %t, %w transpose_lhs : (tensor<1x4x16x8xf32>, tensor<16x32xf32>) -> tensor<1x4x8x32xf32>
  // CHECK: xf.matmul %{{.*}}, %{{.*}} transpose_lhs transpose_rhs : (tensor<1x4x16x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x8xf32>
  %3 = xf.matmul %t, %q transpose_lhs transpose_rhs : (tensor<1x4x16x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// Integer matmul accumulates in its element type (MatMulInteger).
// CHECK-LABEL: func.func @xf.matmul$integer
func.func @xf.matmul$integer(%a: tensor<4x8xi32>, %b: tensor<8x2xi32>) -> tensor<4x2xi32> {
  // CHECK: xf.matmul %{{.*}}, %{{.*}} : (tensor<4x8xi32>, tensor<8x2xi32>) -> tensor<4x2xi32>
  %0 = xf.matmul %a, %b : (tensor<4x8xi32>, tensor<8x2xi32>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// CHECK-LABEL: func.func @xf.linear
func.func @xf.linear(%x: tensor<1x8x16xf32>, %w: tensor<64x16xf32>, %b: tensor<64xf32>) -> tensor<1x8x64xf32> {
  // CHECK: xf.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x8x16xf32>, tensor<64x16xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  %0 = xf.linear %x, %w, %b : (tensor<1x8x16xf32>, tensor<64x16xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  // CHECK: xf.linear %{{.*}}, %{{.*}} : (tensor<1x8x16xf32>, tensor<64x16xf32>) -> tensor<1x8x64xf32>
  %1 = xf.linear %x, %w : (tensor<1x8x16xf32>, tensor<64x16xf32>) -> tensor<1x8x64xf32>
  return %1 : tensor<1x8x64xf32>
}

// -----

// CHECK-LABEL: func.func @xf.norms
func.func @xf.norms(%x: tensor<1x8x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>, %g2: tensor<8x16xf32>) {
  // CHECK: xf.layer_norm %{{.*}} scale(%{{.*}}) bias(%{{.*}}) {epsilon = 9.99999996E-13 : f32} : (tensor<1x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  %0 = xf.layer_norm %x scale(%g) bias(%b) {epsilon = 1.0e-12 : f32} : (tensor<1x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  // CHECK: xf.layer_norm %{{.*}} bias(%{{.*}}) : (tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  %1 = xf.layer_norm %x bias(%b) : (tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  // CHECK: xf.layer_norm %{{.*}} scale(%{{.*}}) {axis = -2 : i64} : (tensor<1x8x16xf32>, tensor<8x16xf32>) -> tensor<1x8x16xf32>
  %2 = xf.layer_norm %x scale(%g2) {axis = -2 : i64} : (tensor<1x8x16xf32>, tensor<8x16xf32>) -> tensor<1x8x16xf32>
  // CHECK: xf.layer_norm %{{.*}} : (tensor<1x8x16xf32>) -> tensor<1x8x16xf32>
  %3 = xf.layer_norm %x : (tensor<1x8x16xf32>) -> tensor<1x8x16xf32>
  // CHECK: xf.layer_norm %[[X:.*]] residual(%[[X]]) scale(%{{.*}}) bias(%{{.*}}) : (tensor<1x8x16xf32>, tensor<1x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  %8 = xf.layer_norm %x residual(%x) scale(%g) bias(%b) : (tensor<1x8x16xf32>, tensor<1x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  // CHECK: xf.layer_norm %{{.*}} residual(%{{.*}}) bias(%{{.*}}) : (tensor<1x8x16xf32>, tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  %9 = xf.layer_norm %x residual(%x) bias(%b) : (tensor<1x8x16xf32>, tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  // CHECK: xf.rms_norm %{{.*}} scale(%{{.*}}) {epsilon = 9.99999997E-7 : f32} : (tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  %4 = xf.rms_norm %x scale(%g) {epsilon = 1.0e-6 : f32} : (tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  // CHECK: xf.rms_norm %{{.*}} : (tensor<1x8x16xf32>) -> tensor<1x8x16xf32>
  %5 = xf.rms_norm %x : (tensor<1x8x16xf32>) -> tensor<1x8x16xf32>
  // CHECK: xf.softmax %{{.*}} : tensor<1x8x16xf32>
  %6 = xf.softmax %x : tensor<1x8x16xf32>
  // CHECK: xf.softmax %{{.*}} {axis = 1 : i64} : tensor<1x8x16xf32>
  %7 = xf.softmax %x {axis = 1 : i64} : tensor<1x8x16xf32>
  return
}

// -----

// CHECK-LABEL: func.func @xf.reductions
func.func @xf.reductions(%x: tensor<2x8x16xf32>) {
  // CHECK: xf.reduce_sum %{{.*}} axes = [-1] keep_dims : (tensor<2x8x16xf32>) -> tensor<2x8x1xf32>
  %0 = xf.reduce_sum %x axes = [-1] keep_dims : (tensor<2x8x16xf32>) -> tensor<2x8x1xf32>
  // CHECK: xf.reduce_mean %{{.*}} axes = [1, 2] : (tensor<2x8x16xf32>) -> tensor<2xf32>
  %1 = xf.reduce_mean %x axes = [1, 2] : (tensor<2x8x16xf32>) -> tensor<2xf32>
  // CHECK: xf.reduce_max %{{.*}} axes = [0] keep_dims : (tensor<2x8x16xf32>) -> tensor<1x8x16xf32>
  %2 = xf.reduce_max %x axes = [0] keep_dims : (tensor<2x8x16xf32>) -> tensor<1x8x16xf32>
  return
}

// -----

// CHECK-LABEL: func.func @xf.shape_ops
func.func @xf.shape_ops(%x: tensor<1x8x64xf32>, %y: tensor<1x8x32xf32>, %ids: tensor<1x8xi64>, %table: tensor<100x64xf32>, %d: tensor<?x64xf32>) {
  // CHECK: xf.reshape %{{.*}} : tensor<1x8x64xf32> -> tensor<1x8x4x16xf32>
  %0 = xf.reshape %x : tensor<1x8x64xf32> -> tensor<1x8x4x16xf32>
  // CHECK: xf.reshape %{{.*}} : tensor<?x64xf32> -> tensor<?x4x16xf32>
  %dr = xf.reshape %d : tensor<?x64xf32> -> tensor<?x4x16xf32>
  // CHECK: xf.transpose %{{.*}}, [0, 2, 1, 3] : (tensor<1x8x4x16xf32>) -> tensor<1x4x8x16xf32>
  %1 = xf.transpose %0, [0, 2, 1, 3] : (tensor<1x8x4x16xf32>) -> tensor<1x4x8x16xf32>
  // CHECK: xf.concat %{{.*}}, %{{.*}} axis = -1 : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  %2 = xf.concat %y, %y axis = -1 : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
  // CHECK: xf.slice %{{.*}} offsets = [0, 0, 32] sizes = [1, 8, 32] strides = [1, 1, 1] : (tensor<1x8x64xf32>) -> tensor<1x8x32xf32>
  %3 = xf.slice %x offsets = [0, 0, 32] sizes = [1, 8, 32] strides = [1, 1, 1] : (tensor<1x8x64xf32>) -> tensor<1x8x32xf32>
  // CHECK: xf.slice %{{.*}} offsets = [0, 1, 0] sizes = [1, 4, 64] strides = [1, 2, 1] : (tensor<1x8x64xf32>) -> tensor<1x4x64xf32>
  %4 = xf.slice %x offsets = [0, 1, 0] sizes = [1, 4, 64] strides = [1, 2, 1] : (tensor<1x8x64xf32>) -> tensor<1x4x64xf32>
  // CHECK: xf.gather %{{.*}}[%{{.*}}] axis = 0 : (tensor<100x64xf32>, tensor<1x8xi64>) -> tensor<1x8x64xf32>
  %5 = xf.gather %table[%ids] axis = 0 : (tensor<100x64xf32>, tensor<1x8xi64>) -> tensor<1x8x64xf32>
  // CHECK: %{{.*}}, %{{.*}} = xf.top_k %{{.*}} k = 3 : (tensor<1x8x64xf32>) -> (tensor<1x8x3xf32>, tensor<1x8x3xi64>)
  %tv, %ti = xf.top_k %x k = 3 : (tensor<1x8x64xf32>) -> (tensor<1x8x3xf32>, tensor<1x8x3xi64>)
  // CHECK: %{{.*}}, %{{.*}} = xf.top_k %{{.*}} k = 5 index_order : (tensor<1x8x64xf32>) -> (tensor<1x8x5xf32>, tensor<1x8x5xi64>)
  %tv2, %ti2 = xf.top_k %x k = 5 index_order : (tensor<1x8x64xf32>) -> (tensor<1x8x5xf32>, tensor<1x8x5xi64>)
  // CHECK: %{{.*}}:3 = xf.split %{{.*}} axis = 2 sizes = [16, 16, 32] : (tensor<1x8x64xf32>) -> (tensor<1x8x16xf32>, tensor<1x8x16xf32>, tensor<1x8x32xf32>)
  %6:3 = xf.split %x axis = 2 sizes = [16, 16, 32] : (tensor<1x8x64xf32>) -> (tensor<1x8x16xf32>, tensor<1x8x16xf32>, tensor<1x8x32xf32>)
  // CHECK: xf.expand %{{.*}} : tensor<1x8x32xf32> -> tensor<3x8x32xf32>
  %7 = xf.expand %y : tensor<1x8x32xf32> -> tensor<3x8x32xf32>
  // CHECK: xf.cast %{{.*}} : tensor<1x8xi64> -> tensor<1x8xf32>
  %8 = xf.cast %ids : tensor<1x8xi64> -> tensor<1x8xf32>
  // CHECK: xf.cast %{{.*}} : tensor<1x8x64xf32> -> tensor<1x8x64xf16>
  %9 = xf.cast %x : tensor<1x8x64xf32> -> tensor<1x8x64xf16>
  // CHECK: xf.cast %{{.*}} : tensor<1x8x64xf32> -> tensor<1x8x64xui8>
  %10 = xf.cast %x : tensor<1x8x64xf32> -> tensor<1x8x64xui8>
  return
}

// -----

// CHECK-LABEL: func.func @xf.attention$bhsd_mask
func.func @xf.attention$bhsd_mask(%q: tensor<1x4x8x16xf32>, %m: tensor<1x1x1x8xf32>, %b: tensor<8x8xi1>) {
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) {num_heads = 4 : i64} : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x1x1x8xf32>) -> tensor<1x4x8x16xf32>
  %0 = xf.attention %q, %q, %q mask(%m) {num_heads = 4 : i64} : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x1x1x8xf32>) -> tensor<1x4x8x16xf32>
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} mask(%{{.*}}) {num_heads = 4 : i64, scale = 1.250000e-01 : f32} : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<8x8xi1>) -> tensor<1x4x8x16xf32>
  %1 = xf.attention %q, %q, %q mask(%b) {num_heads = 4 : i64, scale = 0.125 : f32} : (tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<1x4x8x16xf32>, tensor<8x8xi1>) -> tensor<1x4x8x16xf32>
  return
}

// -----

// CHECK-LABEL: func.func @xf.attention$gqa_causal
func.func @xf.attention$gqa_causal(%q: tensor<2x8x5x16xf32>, %k: tensor<2x2x9x16xf32>, %v: tensor<2x2x9x32xf32>) -> tensor<2x8x5x32xf32> {
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} {causal, num_heads = 8 : i64, num_kv_heads = 2 : i64} : (tensor<2x8x5x16xf32>, tensor<2x2x9x16xf32>, tensor<2x2x9x32xf32>) -> tensor<2x8x5x32xf32>
  %0 = xf.attention %q, %k, %v {num_heads = 8 : i64, num_kv_heads = 2 : i64, causal} : (tensor<2x8x5x16xf32>, tensor<2x2x9x16xf32>, tensor<2x2x9x32xf32>) -> tensor<2x8x5x32xf32>
  return %0 : tensor<2x8x5x32xf32>
}

// -----

// CHECK-LABEL: func.func @xf.attention$packed_heads
func.func @xf.attention$packed_heads(%q: tensor<1x8x64xf32>, %kv: tensor<1x12x16xf32>) -> tensor<1x8x64xf32> {
  // MQA in the packed layout: 4 query heads of 16, one key/value head.
  // CHECK: xf.attention %{{.*}}, %{{.*}}, %{{.*}} {num_heads = 4 : i64, num_kv_heads = 1 : i64} : (tensor<1x8x64xf32>, tensor<1x12x16xf32>, tensor<1x12x16xf32>) -> tensor<1x8x64xf32>
  %0 = xf.attention %q, %kv, %kv {num_heads = 4 : i64, num_kv_heads = 1 : i64} : (tensor<1x8x64xf32>, tensor<1x12x16xf32>, tensor<1x12x16xf32>) -> tensor<1x8x64xf32>
  return %0 : tensor<1x8x64xf32>
}

// -----

// CHECK-LABEL: func.func @xf.rope
func.func @xf.rope(%x: tensor<1x4x8x16xf32>, %cos: tensor<8x8xf32>, %pcos: tensor<1x1x8x4xf32>) {
  // CHECK: xf.rope %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x4x8x16xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8x16xf32>
  %0 = xf.rope %x, %cos, %cos : (tensor<1x4x8x16xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8x16xf32>
  // CHECK: xf.rope %{{.*}}, %{{.*}}, %{{.*}} interleaved : (tensor<1x4x8x16xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8x16xf32>
  %1 = xf.rope %x, %cos, %cos interleaved : (tensor<1x4x8x16xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<1x4x8x16xf32>
  // Partial rotary: 8 of the 16 features rotate.
  // CHECK: xf.rope %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x4x8x16xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) -> tensor<1x4x8x16xf32>
  %2 = xf.rope %x, %pcos, %pcos : (tensor<1x4x8x16xf32>, tensor<1x1x8x4xf32>, tensor<1x1x8x4xf32>) -> tensor<1x4x8x16xf32>
  return
}

// -----

// CHECK-LABEL: func.func @xf.quant.linear$per_channel_int8
func.func @xf.quant.linear$per_channel_int8(%x: tensor<1x8x4xf32>, %w: tensor<2x4xi8>, %b: tensor<2xf32>) -> tensor<1x8x2xf32> {
  // Weights are stored as plain integers; quant.scast gives them their scales.
  %wq = quant.scast %w : tensor<2x4xi8> to tensor<2x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
  // CHECK: xf.quant.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x8x4xf32>, tensor<2x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, tensor<2xf32>) -> tensor<1x8x2xf32>
  %0 = xf.quant.linear %x, %wq, %b : (tensor<1x8x4xf32>, tensor<2x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>, tensor<2xf32>) -> tensor<1x8x2xf32>
  return %0 : tensor<1x8x2xf32>
}

// -----

// CHECK-LABEL: func.func @xf.quant.linear$w8a8_static
func.func @xf.quant.linear$w8a8_static(%x: tensor<1x8x4xf32>, %wq: tensor<2x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> tensor<1x8x2xf32> {
  // CHECK: %[[XQ:.*]] = quant.qcast %{{.*}} : tensor<1x8x4xf32> to tensor<1x8x4x!quant.uniform<u8:f32, 5.000000e-02:128>>
  %xq = quant.qcast %x : tensor<1x8x4xf32> to tensor<1x8x4x!quant.uniform<u8:f32, 0.05:128>>
  // CHECK: xf.quant.linear %[[XQ]], %{{.*}} : (tensor<1x8x4x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<2x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> tensor<1x8x2xf32>
  %0 = xf.quant.linear %xq, %wq : (tensor<1x8x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x4x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> tensor<1x8x2xf32>
  // CHECK: quant.dcast %[[XQ]] : tensor<1x8x4x!quant.uniform<u8:f32, 5.000000e-02:128>> to tensor<1x8x4xf32>
  %1 = quant.dcast %xq : tensor<1x8x4x!quant.uniform<u8:f32, 0.05:128>> to tensor<1x8x4xf32>
  return %0 : tensor<1x8x2xf32>
}

// -----

// CHECK-LABEL: func.func @xf.quant.linear$int4_groupwise
func.func @xf.quant.linear$int4_groupwise(%x: tensor<3x8xf32>, %wq: tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:4}, {{2.0, 3.0}, {4.0, 5.0}}>>) -> tensor<3x2xf32> {
  // CHECK: xf.quant.linear %{{.*}}, %{{.*}} : (tensor<3x8xf32>, tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:4}, {{[{][{]}}2.000000e+00, 3.000000e+00}, {4.000000e+00, 5.000000e+00{{[}][}]}}>>) -> tensor<3x2xf32>
  %0 = xf.quant.linear %x, %wq : (tensor<3x8xf32>, tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:4}, {{2.0, 3.0}, {4.0, 5.0}}>>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// W8A8 dynamic: the float input is quantized per row at run time.
// CHECK-LABEL: func.func @xf.quant.linear$dynamic_input
func.func @xf.quant.linear$dynamic_input(%x: tensor<3x4xf32>, %wq: tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>) -> tensor<3x2xf32> {
  // CHECK: xf.quant.linear %{{.*}}, %{{.*}} dynamic_input : (tensor<3x4xf32>
  %0 = xf.quant.linear %x, %wq dynamic_input : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Weights live in dense_resource blobs, never inline.
// CHECK-LABEL: func.func @xf.weights$dense_resource
func.func @xf.weights$dense_resource(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // CHECK: arith.constant dense_resource<w> : tensor<2x2xf32>
  %w = arith.constant dense_resource<w> : tensor<2x2xf32>
  %0 = xf.linear %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000000000000000008040"
    }
  }
#-}
