// Every error of xf-prune-tokens: those about a layer at the op that
// stops it (-verify-diagnostics), the option errors at the module.
// RUN: xfc-opt %s --split-input-file --xf-prune-tokens="layers=0 keep=0.5" -verify-diagnostics
// RUN: not xfc-opt %s --split-input-file --xf-prune-tokens="layers=0 keep=0" 2>&1 | FileCheck %s --check-prefix=KEEP0
// RUN: not xfc-opt %s --split-input-file --xf-prune-tokens="layers=0 keep=1.5" 2>&1 | FileCheck %s --check-prefix=KEEP2
// RUN: not xfc-opt %s --split-input-file --xf-prune-tokens="layers=0 iterations=0" 2>&1 | FileCheck %s --check-prefix=ITER
// RUN: not xfc-opt %s --split-input-file --xf-prune-tokens="layers=3" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not xfc-opt %s --split-input-file --xf-prune-tokens="layers=-1" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// KEEP0: error: xf-prune-tokens: keep must be in (0, 1], got 0
// KEEP2: error: xf-prune-tokens: keep must be in (0, 1], got 1.5
// ITER: error: xf-prune-tokens: iterations must be >= 1, got 0
// RANGE: error: xf-prune-tokens: layers names layer 3, but the model has 1 attention sublayers (0..0)
// NEGATIVE: error: xf-prune-tokens: layers names layer -1, but the model has 1 attention sublayers (0..0)

// Attention not fused: its softmax makes a sublayer, but there is no
// xf.attention to take Q and K from.
func.func @unfused(%x: tensor<1x4x4xf32>) -> tensor<1x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %t = xf.transpose %x, [0, 2, 1] : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %s = xf.matmul %x, %t : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %p = xf.softmax %s : tensor<1x4x4xf32>
  %a = xf.matmul %p, %x : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %o = xf.matmul %a, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  // expected-error @+1 {{xf-prune-tokens: attention sublayer 0 has no fused xf.attention; run xf-fuse-attention first}}
  %h = xf.add %o, %x : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  return %h : tensor<1x4x4xf32>
}

// -----

func.func @dynamic(%x: tensor<1x?x4xf32>) -> tensor<1x?x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %q = xf.matmul %x, %w : (tensor<1x?x4xf32>, tensor<4x4xf32>) -> tensor<1x?x4xf32>
  // expected-error @+1 {{xf-prune-tokens: cannot prune tokens after layer 0: the sequence length must be static}}
  %a = xf.attention %q, %q, %q {num_heads = 2 : i64} : (tensor<1x?x4xf32>, tensor<1x?x4xf32>, tensor<1x?x4xf32>) -> tensor<1x?x4xf32>
  %o = xf.matmul %a, %w : (tensor<1x?x4xf32>, tensor<4x4xf32>) -> tensor<1x?x4xf32>
  %h = xf.add %o, %x : (tensor<1x?x4xf32>, tensor<1x?x4xf32>) -> tensor<1x?x4xf32>
  return %h : tensor<1x?x4xf32>
}

// -----

func.func @causal(%x: tensor<1x4x4xf32>) -> tensor<1x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %q = xf.matmul %x, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  // expected-error @+1 {{xf-prune-tokens: cannot prune tokens after layer 0: causal attention is not supported (a token's keys would change with the tokens kept)}}
  %a = xf.attention %q, %q, %q {num_heads = 2 : i64, causal} : (tensor<1x4x4xf32>, tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %o = xf.matmul %a, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %h = xf.add %o, %x : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  return %h : tensor<1x4x4xf32>
}

// -----

// Cross-attention: the keys are another sequence.
func.func @cross(%x: tensor<1x4x4xf32>, %memory: tensor<1x6x4xf32>) -> tensor<1x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %q = xf.matmul %x, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  // expected-error @+1 {{xf-prune-tokens: cannot prune tokens after layer 0: not self-attention (4 queries, 6 keys)}}
  %a = xf.attention %q, %memory, %memory {num_heads = 2 : i64} : (tensor<1x4x4xf32>, tensor<1x6x4xf32>, tensor<1x6x4xf32>) -> tensor<1x4x4xf32>
  %o = xf.matmul %a, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %h = xf.add %o, %x : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  return %h : tensor<1x4x4xf32>
}

// -----

// A later op adds a per-token tensor the pass does not know how to gather
// (only attention masks are followed).
func.func @per_token_input(%x: tensor<1x4x4xf32>, %bias: tensor<1x4x4xf32>) -> tensor<1x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %q = xf.matmul %x, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %a = xf.attention %q, %q, %q {num_heads = 2 : i64} : (tensor<1x4x4xf32>, tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %o = xf.matmul %a, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %h = xf.add %o, %x : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  // expected-error @+1 {{xf-prune-tokens: cannot prune tokens after layer 0: 'xf.add' reads a value of the old sequence length (4 tokens) that the pass cannot gather}}
  %y = xf.add %h, %bias : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  return %y : tensor<1x4x4xf32>
}

// -----

// A reshape that mixes the tokens with another dimension.
func.func @mixing_reshape(%x: tensor<1x4x4xf32>) -> tensor<16xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %q = xf.matmul %x, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %a = xf.attention %q, %q, %q {num_heads = 2 : i64} : (tensor<1x4x4xf32>, tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %o = xf.matmul %a, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %h = xf.add %o, %x : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  // expected-error @+1 {{xf-prune-tokens: cannot prune tokens after layer 0: cannot follow the tokens through this reshape}}
  %y = xf.reshape %h : tensor<1x4x4xf32> -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----
// expected-error @-1 {{xf-prune-tokens: the model has no attention sublayer}}
// No attention at all (a GEMM sublayer only): reported at the module, the
// chunk's start.
func.func @no_attention(%x: tensor<1x4x4xf32>) -> tensor<1x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<4x4xf32>
  %y = xf.matmul %x, %w : (tensor<1x4x4xf32>, tensor<4x4xf32>) -> tensor<1x4x4xf32>
  %h = xf.add %y, %x : (tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  return %h : tensor<1x4x4xf32>
}
