// RUN: xfc-opt %s --xfc-cpu-outline-attention --split-input-file | FileCheck %s

// An f32 attention becomes a call to a private declaration carrying its
// attributes (scale resolved: 1/√8 here), with read-only arguments. Two
// ops with the same signature and attributes share the declaration.
// CHECK-LABEL: func.func @packed
// CHECK: %[[A:.*]] = call @xfc_attention(%arg0, %arg1, %arg2, %arg3) : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x1x1x4xf32>) -> tensor<1x4x16xf32>
// CHECK: %[[B:.*]] = call @xfc_attention(%[[A]], %arg1, %arg2, %arg3)
// CHECK: return %[[B]]
// CHECK: func.func private @xfc_attention(tensor<1x4x16xf32> {bufferization.access = "read"}, tensor<1x4x16xf32> {bufferization.access = "read"}, tensor<1x4x16xf32> {bufferization.access = "read"}, tensor<1x1x1x4xf32> {bufferization.access = "read"}) -> tensor<1x4x16xf32> attributes {xfc.attention = {causal = false, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.353553385 : f32}}
func.func @packed(%q: tensor<1x4x16xf32>, %k: tensor<1x4x16xf32>, %v: tensor<1x4x16xf32>, %m: tensor<1x1x1x4xf32>) -> tensor<1x4x16xf32> {
  %a = xf.attention %q, %k, %v mask(%m) {num_heads = 2 : i64} : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x1x1x4xf32>) -> tensor<1x4x16xf32>
  %b = xf.attention %a, %k, %v mask(%m) {num_heads = 2 : i64} : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x1x1x4xf32>) -> tensor<1x4x16xf32>
  return %b : tensor<1x4x16xf32>
}

// -----

// GQA, causal, explicit scale: another declaration.
// CHECK-LABEL: func.func @grouped
// CHECK: call @xfc_attention(%arg0, %arg1, %arg2)
// CHECK: func.func private @xfc_attention({{.*}}) -> tensor<1x4x3x8xf32> attributes {xfc.attention = {causal = true, num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 5.000000e-01 : f32}}
func.func @grouped(%q: tensor<1x4x3x8xf32>, %k: tensor<1x2x3x8xf32>, %v: tensor<1x2x3x8xf32>) -> tensor<1x4x3x8xf32> {
  %a = xf.attention %q, %k, %v {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 0.5 : f32, causal} : (tensor<1x4x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>) -> tensor<1x4x3x8xf32>
  return %a : tensor<1x4x3x8xf32>
}

// -----

// 1024 keys in the packed layout: K and V are copied head-major first.
// CHECK-LABEL: func.func @long_sequence
// CHECK: %[[K:.*]] = xf.reshape %arg1 : tensor<1x1024x16xf32> -> tensor<1x1024x2x8xf32>
// CHECK: %[[KT:.*]] = xf.transpose %[[K]], [0, 2, 1, 3]
// CHECK: %[[V:.*]] = xf.reshape %arg2
// CHECK: %[[VT:.*]] = xf.transpose %[[V]], [0, 2, 1, 3]
// CHECK: call @xfc_attention(%arg0, %[[KT]], %[[VT]]) : (tensor<1x1024x16xf32>, tensor<1x2x1024x8xf32>, tensor<1x2x1024x8xf32>) -> tensor<1x1024x16xf32>
func.func @long_sequence(%q: tensor<1x1024x16xf32>, %k: tensor<1x1024x16xf32>, %v: tensor<1x1024x16xf32>) -> tensor<1x1024x16xf32> {
  %a = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x1024x16xf32>, tensor<1x1024x16xf32>, tensor<1x1024x16xf32>) -> tensor<1x1024x16xf32>
  return %a : tensor<1x1024x16xf32>
}

// -----

// Near-miss: f16 attention keeps the reference lowering.
// CHECK-LABEL: func.func @half
// CHECK: xf.attention
// CHECK-NOT: call
func.func @half(%q: tensor<1x2x3x8xf16>, %k: tensor<1x2x3x8xf16>, %v: tensor<1x2x3x8xf16>) -> tensor<1x2x3x8xf16> {
  %a = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>, tensor<1x2x3x8xf16>) -> tensor<1x2x3x8xf16>
  return %a : tensor<1x2x3x8xf16>
}
