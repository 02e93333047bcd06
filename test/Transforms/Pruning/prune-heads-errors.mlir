// Attention whose heads cannot be followed is left as it is, with a remark
// naming what is in the way; naming its heads explicitly is an error.
// RUN: xfc-opt %s --split-input-file --xf-prune-heads="ratio=0.5" -verify-diagnostics | FileCheck %s --check-prefix=UNCHANGED
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="ratio=1" 2>&1 | FileCheck %s --check-prefix=RATIO
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="ratio=0.5 importance=random" 2>&1 | FileCheck %s --check-prefix=IMPORTANCE
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="ratio=0.5 gqa=some" 2>&1 | FileCheck %s --check-prefix=GQA
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="heads=one" 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="ratio=0.5 heads=0:1" 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="heads=5:0" 2>&1 | FileCheck %s --check-prefix=NOLAYER
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="heads=0:2" 2>&1 | FileCheck %s --check-prefix=NOHEAD
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="heads=0:0,0:1" 2>&1 | FileCheck %s --check-prefix=ALL
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="heads=0:1" 2>&1 | FileCheck %s --check-prefix=LISTED
// RUN: not xfc-opt %s --split-input-file --xf-prune-heads="ratio=0.5 importance=calibrated" 2>&1 | FileCheck %s --check-prefix=CALIBRATED

// RATIO: error: xf-prune-heads: ratio must be in [0, 1), got 1
// IMPORTANCE: error: xf-prune-heads: unknown importance 'random': use weights or calibrated
// GQA: error: xf-prune-heads: unknown gqa 'some': use groups or per-group
// SYNTAX: error: xf-prune-heads: heads entry 'one' is not LAYER:HEAD (e.g. 0:3)
// BOTH: error: xf-prune-heads: give ratio or heads, not both
// NOLAYER: error: xf-prune-heads: heads names layer 5, but the model has 1 xf.attention ops (layers 0..0)
// NOHEAD: error: xf-prune-heads: heads names head 2 of layer 0, which has 2 heads (0..1)
// ALL: error: xf-prune-heads: heads removes all 2 heads of layer 0; remove the sublayer with xf-prune-layers instead
// LISTED: error: xf-prune-heads: cannot remove heads of layer 0: its output is read by more than one op
// LISTED: error: xf-prune-heads: cannot remove heads of layer 0: its mask differs per head
// LISTED: error: xf-prune-heads: cannot remove heads of layer 0: it comes from a function argument, not a constant-weight projection
// LISTED: error: xf-prune-heads: cannot remove heads of layer 0: two of query, key and value share a projection
// CALIBRATED: error: xf-prune-heads: importance=calibrated needs the measured head importance (xf.head_importance, 2 values) on this attention; xfc --prune-heads measures it, or use importance=weights
// UNCHANGED-COUNT-4: num_heads = 2 : i64
// UNCHANGED: num_heads = 1 : i64

// The attention's output is also returned.
func.func @output_read_twice(%x: tensor<1x3x4xf32>) -> (tensor<1x3x4xf32>, tensor<1x3x4xf32>) {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %wk = arith.constant dense<[[2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0], [2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0]]> : tensor<4x4xf32>
  %wv = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %q = xf.matmul %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %k = xf.matmul %x, %wk : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %v = xf.matmul %x, %wv : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  // expected-remark @+1 {{xf-prune-heads: heads of layer 0 left as they are: its output is read by more than one op}}
  %a = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = xf.matmul %a, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  return %y, %a : tensor<1x3x4xf32>, tensor<1x3x4xf32>
}

// -----

// An additive mask with one slice per head (ALiBi-like).
func.func @per_head_mask(%x: tensor<1x3x4xf32>, %mask: tensor<1x2x3x3xf32>) -> tensor<1x3x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %wk = arith.constant dense<[[2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0], [2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0]]> : tensor<4x4xf32>
  %wv = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %q = xf.matmul %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %k = xf.matmul %x, %wk : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %v = xf.matmul %x, %wv : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  // expected-remark @+1 {{xf-prune-heads: heads of layer 0 left as they are: its mask differs per head}}
  %a = xf.attention %q, %k, %v mask(%mask) {num_heads = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x2x3x3xf32>) -> tensor<1x3x4xf32>
  %y = xf.matmul %a, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  return %y : tensor<1x3x4xf32>
}

// -----

// The query is an input of the function, not a projection.
func.func @query_from_argument(%x: tensor<1x3x4xf32>, %q: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %wk = arith.constant dense<[[2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0], [2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0]]> : tensor<4x4xf32>
  %wv = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %k = xf.matmul %x, %wk : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %v = xf.matmul %x, %wv : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  // expected-remark @+1 {{xf-prune-heads: heads of layer 0 left as they are: it comes from a function argument, not a constant-weight projection}}
  %a = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = xf.matmul %a, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  return %y : tensor<1x3x4xf32>
}

// -----

// Query and key are one projection.
func.func @shared_projection(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %wv = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %qk = xf.matmul %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %v = xf.matmul %x, %wv : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  // expected-remark @+1 {{xf-prune-heads: heads of layer 0 left as they are: two of query, key and value share a projection}}
  %a = xf.attention %qk, %qk, %v {num_heads = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = xf.matmul %a, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  return %y : tensor<1x3x4xf32>
}

// -----

// Nothing in the way: only calibrated importance without measurements fails.
func.func @traceable(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
  %wk = arith.constant dense<[[2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0], [2.0, 1.0, 2.0, 1.0], [1.0, 2.0, 1.0, 2.0]]> : tensor<4x4xf32>
  %wv = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %q = xf.matmul %x, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %k = xf.matmul %x, %wk : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %v = xf.matmul %x, %wv : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  %a = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  %y = xf.matmul %a, %w : (tensor<1x3x4xf32>, tensor<4x4xf32>) -> tensor<1x3x4xf32>
  return %y : tensor<1x3x4xf32>
}

// -----

// No attention at all.
// expected-error @+1 {{xf-prune-heads: the model has no xf.attention to remove heads from; run xf-fuse-attention first (attention it does not fuse cannot be pruned)}}
module {
  func.func @no_attention(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
    return %x : tensor<1x3x4xf32>
  }
}
