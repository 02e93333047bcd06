// RUN: xfc-opt %s --xfc-cpu-call-attention --split-input-file --verify-diagnostics

// The entry has no runtime context argument (bind-weights did not run).
// expected-error @below {{no entry function with the runtime context argument: run --xfc-cpu-bind-weights first}}
module {
  func.func private @xfc_attention(memref<1x2x3x8xf32>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>) attributes {xfc.attention = {causal = false, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32}}
  func.func @main(%q: memref<1x2x3x8xf32>, %o: memref<1x2x3x8xf32>) {
    call @xfc_attention(%q, %q, %q, %o) : (memref<1x2x3x8xf32>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>) -> ()
    return
  }
}

// -----

// A feature dimension that is not contiguous: the kernel cannot read it.
func.func private @xfc_attention(memref<1x2x3x8xf32, strided<[96, 48, 16, 2]>>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>) attributes {xfc.attention = {causal = false, num_heads = 2 : i64, num_kv_heads = 2 : i64, scale = 0.125 : f32}}
func.func @main(%ctx: !llvm.ptr, %w: memref<0xi8>, %q: memref<1x2x3x8xf32, strided<[96, 48, 16, 2]>>, %k: memref<1x2x3x8xf32>, %o: memref<1x2x3x8xf32>) {
  // expected-error @below {{attention operands need static strides with a contiguous feature dimension}}
  call @xfc_attention(%q, %k, %k, %o) : (memref<1x2x3x8xf32, strided<[96, 48, 16, 2]>>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>, memref<1x2x3x8xf32>) -> ()
  return
}
