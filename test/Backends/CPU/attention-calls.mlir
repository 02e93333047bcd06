// RUN: xfc-opt %s --xfc-cpu-kernel-out-params --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=OUT
// RUN: xfc-opt %s --xfc-cpu-kernel-out-params --xfc-cpu-call-attention --split-input-file --verify-diagnostics | FileCheck %s --check-prefix=CALL

// What one-shot bufferization makes of xfc-cpu-outline-attention's call:
// the split of a packed QKV GEMM copied into identity-layout buffers for
// the call, and a result buffer the callee would allocate.
// --xfc-cpu-kernel-out-params passes the strided views themselves and
// allocates the result at the call site, passed last.
// OUT-LABEL: func.func @packed_qkv
// OUT-SAME: (%[[CTX:.*]]: !llvm.ptr, %{{.*}}: memref<0xi8>, %[[QKV:.*]]: memref<1x4x48xf32>, %[[M:.*]]: memref<1x1x1x4xi1>, %[[Y:.*]]: memref<1x4x16xf32>)
// OUT-DAG: %[[Q:.*]] = memref.subview %[[QKV]][0, 0, 0] [1, 4, 16] [1, 1, 1]
// OUT-DAG: %[[K:.*]] = memref.subview %[[QKV]][0, 0, 16] [1, 4, 16] [1, 1, 1]
// OUT-DAG: %[[V:.*]] = memref.subview %[[QKV]][0, 0, 32] [1, 4, 16] [1, 1, 1]
// OUT-NOT: memref.copy %{{.*}}, %{{.*}} : memref<1x4x16xf32, strided
// OUT: %[[O:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x4x16xf32>
// OUT: call @xfc_attention_0(%[[Q]], %[[K]], %[[V]], %[[M]], %[[O]]) : (memref<1x4x16xf32, strided<[192, 48, 1]>>, memref<1x4x16xf32, strided<[192, 48, 1], offset: 16>>, memref<1x4x16xf32, strided<[192, 48, 1], offset: 32>>, memref<1x1x1x4xi1>, memref<1x4x16xf32>) -> ()
// OUT: memref.copy %[[O]], %[[Y]]
// OUT-NOT: func.func private @xfc_attention(
// OUT: func.func private @xfc_attention_0(memref<1x4x16xf32, strided<[192, 48, 1]>> {bufferization.access = "read"}, {{.*}}, memref<1x4x16xf32>) attributes {xfc.attention =

// --xfc-cpu-call-attention: a call through the runtime with addresses and
// the descriptor: sizes BxHqxHkvxSqxSkvxDxDv, each operand's batch, head
// and sequence strides (packed: head stride D = 8, sequence stride 48),
// the i1 mask broadcast (stride 0) over batch 1, heads and queries.
// CALL: module attributes {xfc.cpu.attentions = ["attention 0 f32 1x2x2x4x4x8x8 192x8x48 192x8x48 192x8x48 64x8x16 bool:0x0x0x1 3.535533845e-01 1"]}
// CALL-LABEL: func.func @packed_qkv
// CALL: %[[ID:.*]] = arith.constant 0 : i64
// CALL: call @xfc_rt_attention(%arg0, %[[ID]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i64, index, index, index, index, index) -> ()
// CALL-NOT: @xfc_attention
// CALL: func.func private @xfc_rt_attention(!llvm.ptr, i64, index, index, index, index, index)
func.func private @xfc_attention(memref<1x4x16xf32> {bufferization.access = "read"}, memref<1x4x16xf32> {bufferization.access = "read"}, memref<1x4x16xf32> {bufferization.access = "read"}, memref<1x1x1x4xi1> {bufferization.access = "read"}) -> memref<1x4x16xf32> attributes {xfc.attention = {causal = true, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.353553385 : f32}}
func.func @packed_qkv(%ctx: !llvm.ptr, %w: memref<0xi8>, %qkv: memref<1x4x48xf32>, %m: memref<1x1x1x4xi1>, %y: memref<1x4x16xf32>) {
  %q = memref.subview %qkv[0, 0, 0] [1, 4, 16] [1, 1, 1] : memref<1x4x48xf32> to memref<1x4x16xf32, strided<[192, 48, 1]>>
  %k = memref.subview %qkv[0, 0, 16] [1, 4, 16] [1, 1, 1] : memref<1x4x48xf32> to memref<1x4x16xf32, strided<[192, 48, 1], offset: 16>>
  %v = memref.subview %qkv[0, 0, 32] [1, 4, 16] [1, 1, 1] : memref<1x4x48xf32> to memref<1x4x16xf32, strided<[192, 48, 1], offset: 32>>
  %qc = memref.alloc() : memref<1x4x16xf32>
  memref.copy %q, %qc : memref<1x4x16xf32, strided<[192, 48, 1]>> to memref<1x4x16xf32>
  %kc = memref.alloc() : memref<1x4x16xf32>
  memref.copy %k, %kc : memref<1x4x16xf32, strided<[192, 48, 1], offset: 16>> to memref<1x4x16xf32>
  %vc = memref.alloc() : memref<1x4x16xf32>
  memref.copy %v, %vc : memref<1x4x16xf32, strided<[192, 48, 1], offset: 32>> to memref<1x4x16xf32>
  %o = call @xfc_attention(%qc, %kc, %vc, %m) : (memref<1x4x16xf32>, memref<1x4x16xf32>, memref<1x4x16xf32>, memref<1x1x1x4xi1>) -> memref<1x4x16xf32>
  memref.copy %o, %y : memref<1x4x16xf32> to memref<1x4x16xf32>
  return
}

// -----

// Near-miss: a copy whose source is written between the copy and the
// call is kept (the call must see the copied values).
// OUT-LABEL: func.func @written_in_between
// OUT: %[[C:.*]] = memref.alloc() : memref<1x2x3x8xf32>
// OUT: memref.copy %{{.*}}, %[[C]]
// OUT: linalg.fill
// OUT: call @xfc_attention_0(%[[C]],
// CALL: attention 0 f32 1x2x2x3x3x8x8 48x24x8 48x24x8 48x24x8 48x24x8 - 1.250000000e-01 0
func.func private @xfc_attention(memref<1x2x3x8xf32> {bufferization.access = "read"}, memref<1x2x3x8xf32> {bufferization.access = "read"}, memref<1x2x3x8xf32> {bufferization.access = "read"}) -> memref<1x2x3x8xf32> attributes {xfc.attention = {causal = false, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32}}
func.func @written_in_between(%ctx: !llvm.ptr, %w: memref<0xi8>, %big: memref<1x2x3x16xf32>, %k: memref<1x2x3x8xf32>, %y: memref<1x2x3x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %q = memref.subview %big[0, 0, 0, 0] [1, 2, 3, 8] [1, 1, 1, 1] : memref<1x2x3x16xf32> to memref<1x2x3x8xf32, strided<[96, 48, 16, 1]>>
  %qc = memref.alloc() : memref<1x2x3x8xf32>
  memref.copy %q, %qc : memref<1x2x3x8xf32, strided<[96, 48, 16, 1]>> to memref<1x2x3x8xf32>
  linalg.fill ins(%zero : f32) outs(%big : memref<1x2x3x16xf32>)
  %o = call @xfc_attention(%qc, %k, %k) : (memref<1x2x3x8xf32>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>) -> memref<1x2x3x8xf32>
  memref.copy %o, %y : memref<1x2x3x8xf32> to memref<1x2x3x8xf32>
  return
}

// -----

func.func private @xfc_attention(tensor<1x2x3x8xf32> {bufferization.access = "read"}, tensor<1x2x3x8xf32> {bufferization.access = "read"}, tensor<1x2x3x8xf32> {bufferization.access = "read"}) -> tensor<1x2x3x8xf32> attributes {xfc.attention = {causal = false, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32}}
func.func @not_bufferized(%q: tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32> {
  // expected-error @+1 {{runtime kernel call not bufferized: run one-shot-bufferize first}}
  %o = call @xfc_attention(%q, %q, %q) : (tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>, tensor<1x2x3x8xf32>) -> tensor<1x2x3x8xf32>
  return %o : tensor<1x2x3x8xf32>
}
