// RUN: xfc-opt %s --xfc-cpu-outline-matmuls --split-input-file -verify-diagnostics | FileCheck %s

// The input is what the CPU LLVM pipeline hands the pass: bufferized IR
// whose entry function has the runtime context and the weights region in
// front (--xfc-cpu-bind-weights). The descriptors follow the matmul line of
// include/xfc-c/artifact.h:
//   matmul <id> f32 <a> <b> <c> <bias> <beta> <b-weight-offset> <activation>

// A plain GEMM initialized by a zero fill: the fill goes (beta 0), the
// contraction becomes a call with the addresses of each operand's first
// element (aligned pointer + offset * 4 bytes) and no bias (0).
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 0 -1 -"]}
// CHECK-LABEL: func.func @matmul$zero_fill
// CHECK-SAME: (%[[CTX:.*]]: !llvm.ptr, %[[W:.*]]: memref<0xi8>, %[[A:.*]]: memref<4x8xf32>, %[[B:.*]]: memref<8x16xf32>, %[[C:.*]]: memref<4x16xf32>)
func.func @matmul$zero_fill(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // CHECK-NOT: linalg.fill
  // CHECK-DAG: %[[NOBIAS:.*]] = arith.constant 0 : index
  // CHECK-DAG: %[[ID:.*]] = arith.constant 0 : i64
  // CHECK: %[[APTR:.*]] = memref.extract_aligned_pointer_as_index %[[A]] : memref<4x8xf32> -> index
  // CHECK: %{{.*}}, %[[AOFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[A]]
  // CHECK: %[[FOUR:.*]] = arith.constant 4 : index
  // CHECK: %[[ABYTES:.*]] = arith.muli %[[AOFF]], %[[FOUR]] : index
  // CHECK: %[[AADDR:.*]] = arith.addi %[[APTR]], %[[ABYTES]] : index
  // CHECK: memref.extract_aligned_pointer_as_index %[[B]]
  // CHECK: %[[BADDR:.*]] = arith.addi
  // CHECK: memref.extract_aligned_pointer_as_index %[[C]]
  // CHECK: %[[CADDR:.*]] = arith.addi
  // CHECK: call @xfc_rt_matmul(%[[CTX]], %[[ID]], %[[AADDR]], %[[BADDR]], %[[NOBIAS]], %[[NOBIAS]], %[[CADDR]]) : (!llvm.ptr, i64, index, index, index, index, index) -> ()
  // CHECK-NOT: linalg.generic
  // CHECK: return
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK: func.func private @xfc_rt_matmul(!llvm.ptr, i64, index, index, index, index, index)

// -----

// A linear layer: the bias broadcast along N that initializes the
// accumulator just before becomes oneDNN's bias ([1, N], beta 0), the
// [N, K] weight read as (n, k) becomes B's strides, and the two M
// dimensions of the 3-d input merge into one (they are contiguous).
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 6x8:8x1 8x16:1x8 6x16:16x1 1x16:16x1 0 -1 -"]}
// CHECK-LABEL: func.func @matmul$linear_bias
// CHECK-SAME: (%[[CTX:.*]]: !llvm.ptr, %{{.*}}: memref<0xi8>, %[[X:.*]]: memref<2x3x8xf32>, %[[WT:.*]]: memref<16x8xf32>, %[[BIAS:.*]]: memref<16xf32>, %[[Y:.*]]: memref<2x3x16xf32>)
func.func @matmul$linear_bias(%ctx: !llvm.ptr, %w: memref<0xi8>, %x: memref<2x3x8xf32>, %wt: memref<16x8xf32>, %bias: memref<16xf32>, %y: memref<2x3x16xf32>) {
  // CHECK-NOT: linalg.generic
  // CHECK: memref.extract_aligned_pointer_as_index %[[X]]
  // CHECK: %[[XADDR:.*]] = arith.addi
  // CHECK: memref.extract_aligned_pointer_as_index %[[WT]]
  // CHECK: %[[WADDR:.*]] = arith.addi
  // CHECK: memref.extract_aligned_pointer_as_index %[[BIAS]]
  // CHECK: %[[BADDR:.*]] = arith.addi
  // CHECK: memref.extract_aligned_pointer_as_index %[[Y]]
  // CHECK: %[[YADDR:.*]] = arith.addi
  // CHECK: call @xfc_rt_matmul(%[[CTX]], %{{.*}}, %[[XADDR]], %[[WADDR]], %[[BADDR]], %{{.*}}, %[[YADDR]])
  // CHECK-NOT: linalg.generic
  // CHECK: return
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%bias : memref<16xf32>) outs(%y : memref<2x3x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %wt : memref<2x3x8xf32>, memref<16x8xf32>) outs(%y : memref<2x3x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// -----

// An accumulator initialized by anything else (a fill with 1, a residual)
// is kept and accumulated onto: beta 1, no bias.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$accumulate
// CHECK-SAME: (%[[CTX:.*]]: !llvm.ptr, %{{.*}}: memref<0xi8>, %{{.*}}: memref<4x8xf32>, %{{.*}}: memref<8x16xf32>, %[[C:.*]]: memref<4x16xf32>)
func.func @matmul$accumulate(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK: linalg.fill ins(%[[ONE]] : f32) outs(%[[C]] : memref<4x16xf32>)
  // CHECK: %[[NOBIAS:.*]] = arith.constant 0 : index
  // CHECK: call @xfc_rt_matmul(%[[CTX]], %{{.*}}, %{{.*}}, %{{.*}}, %[[NOBIAS]], %[[NOBIAS]], %{{.*}})
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near-misses of the initializer folding, both beta 1 with the initializer
// kept: a zero fill that is not the op just before, and a broadcast along
// M (a column, not oneDNN's [1, N] bias).
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 -1 -", "matmul 1 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$initializer_kept
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: memref<0xi8>, %{{.*}}: memref<4x8xf32>, %{{.*}}: memref<8x16xf32>, %[[C:.*]]: memref<4x16xf32>, %[[D:.*]]: memref<4x16xf32>, %[[COL:.*]]: memref<4xf32>, %[[E:.*]]: memref<4x16xf32>)
func.func @matmul$initializer_kept(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>, %d: memref<4x16xf32>, %col: memref<4xf32>, %e: memref<4x16xf32>) {
  // CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[C]] : memref<4x16xf32>)
  // CHECK: linalg.copy ins(%[[D]] : memref<4x16xf32>) outs(%[[E]] : memref<4x16xf32>)
  // CHECK: %[[ID0:.*]] = arith.constant 0 : i64
  // CHECK: call @xfc_rt_matmul(%{{.*}}, %[[ID0]],
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%[[COL]] : memref<4xf32>) outs(%[[C]] : memref<4x16xf32>)
  // CHECK: %[[ID1:.*]] = arith.constant 1 : i64
  // CHECK: call @xfc_rt_matmul(%{{.*}}, %[[ID1]],
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.copy ins(%d : memref<4x16xf32>) outs(%e : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%col : memref<4xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// B transposed through its indexing map (n, k): the strides say so, no
// copy is made. The same for A read as (k, m).
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:1x8 4x16:16x1 - 1 -1 -", "matmul 1 f32 4x8:1x4 8x16:16x1 4x16:16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$transposed
func.func @matmul$transposed(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %bt: memref<16x8xf32>, %at: memref<8x4xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // CHECK-COUNT-2: call @xfc_rt_matmul
  // CHECK-NOT: linalg.generic
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %bt : memref<4x8xf32>, memref<16x8xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%at, %b : memref<8x4xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Batched: a batch dimension shared by A, B and C.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 2x4x8:32x8x1 2x8x16:128x16x1 2x4x16:64x16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$batched
func.func @matmul$batched(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<2x4x8xf32>, %b: memref<2x8x16xf32>, %c: memref<2x4x16xf32>) {
  // CHECK: call @xfc_rt_matmul
  // CHECK-NOT: linalg.generic
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%c : memref<2x4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Batched with broadcast: one A for every batch of B. Linalg calls the
// batch loop an N dimension (A does not use it); not contiguous with the
// inner N in C, it becomes a batch dimension of size 1 in A, which oneDNN
// broadcasts. The second is the mirror image: two M dimensions that A and
// C hold in opposite orders; the inner one (in C) stays M, the outer one
// becomes a batch dimension of A and C, of size 1 in B.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 1x4x8:1x8x1 2x8x16:128x16x1 2x4x16:64x16x1 - 1 -1 -", "matmul 1 f32 4x2x8:8x32x1 1x8x16:1x16x1 4x2x16:32x16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$batch_broadcast
func.func @matmul$batch_broadcast(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<2x8x16xf32>, %c: memref<2x4x16xf32>, %a3: memref<2x4x8xf32>, %b2: memref<8x16xf32>, %c3: memref<4x2x16xf32>) {
  // CHECK-COUNT-2: call @xfc_rt_matmul
  // CHECK-NOT: linalg.generic
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<2x8x16xf32>) outs(%c : memref<2x4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d1, d0, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a3, %b2 : memref<2x4x8xf32>, memref<8x16xf32>) outs(%c3 : memref<4x2x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A matrix-vector product has no N dimension: N is 1. A strided view (a
// subview of a larger buffer) keeps its strides, and its offset goes into
// the address. Named contraction ops are outlined like generics.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x1:1x1 4x1:1x1 - 1 -1 -", "matmul 1 f32 4x8:16x1 8x16:16x1 4x16:16x1 - 1 -1 -", "matmul 2 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$matvec_subview_named
func.func @matmul$matvec_subview_named(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %v: memref<8xf32>, %r: memref<4xf32>, %big: memref<8x16xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // CHECK: call @xfc_rt_matmul
  // CHECK: %[[SUB:.*]] = memref.subview
  // CHECK: memref.extract_aligned_pointer_as_index %[[SUB]]
  // CHECK: %{{.*}}, %[[OFF:.*]], %{{.*}}:2, %{{.*}}:2 = memref.extract_strided_metadata %[[SUB]]
  // CHECK: arith.muli %[[OFF]]
  // CHECK: call @xfc_rt_matmul
  // CHECK-NOT: linalg.matmul
  // CHECK: call @xfc_rt_matmul
  // CHECK-NOT: linalg.
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%a, %v : memref<4x8xf32>, memref<8xf32>) outs(%r : memref<4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %sub = memref.subview %big[2, 4] [4, 8] [1, 1] : memref<8x16xf32> to memref<4x8xf32, strided<[16, 1], offset: 36>>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%sub, %b : memref<4x8xf32, strided<[16, 1], offset: 36>>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// A B that is a view of the weights region (directly or reshaped) carries
// its byte offset, for the runtime to pre-pack it at load. Near-misses, -1:
// a view of another buffer, a view at a dynamic offset.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 128 -", "matmul 1 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 640 -", "matmul 2 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 -1 -", "matmul 3 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$weight_offset
// CHECK-SAME: (%[[CTX:.*]]: !llvm.ptr, %[[W:.*]]: memref<1152xi8>
func.func @matmul$weight_offset(%ctx: !llvm.ptr, %w: memref<1152xi8>, %a: memref<4x8xf32>, %c: memref<4x16xf32>, %other: memref<512xi8>, %shift: index) {
  // CHECK: %[[VIEW:.*]] = memref.view %[[W]]
  // CHECK: memref.extract_aligned_pointer_as_index %[[VIEW]]
  // CHECK: call @xfc_rt_matmul
  // CHECK-COUNT-3: call @xfc_rt_matmul
  // CHECK-NOT: linalg.generic
  %c128 = arith.constant 128 : index
  %b0 = memref.view %w[%c128][] : memref<1152xi8> to memref<8x16xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b0 : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %c640 = arith.constant 640 : index
  %flat = memref.view %w[%c640][] : memref<1152xi8> to memref<128xf32>
  %b1 = memref.expand_shape %flat [[0, 1]] output_shape [8, 16] : memref<128xf32> into memref<8x16xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b1 : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %c0 = arith.constant 0 : index
  %b2 = memref.view %other[%c0][] : memref<512xi8> to memref<8x16xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b2 : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %b3 = memref.view %w[%shift][] : memref<1152xi8> to memref<8x16xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b3 : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Contractions oneDNN is not used for stay as they are, each with a remark
// saying why; the pass still succeeds and outlines the rest.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$refused
func.func @matmul$refused(%ctx: !llvm.ptr, %w: memref<0xi8>,
    %a16: memref<4x8xf16>, %b16: memref<8x16xf16>, %c16: memref<4x16xf16>,
    %ai: memref<4x8xi32>, %bi: memref<8x16xi32>, %ci: memref<4x16xi32>,
    %ak: memref<2x4x3xf32>, %bk: memref<2x3x16xf32>, %c: memref<4x16xf32>,
    %ad: memref<?x8xf32>, %b: memref<8x16xf32>, %cd: memref<?x16xf32>,
    %as: memref<4x8xf32, strided<[?, 1]>>, %a: memref<4x8xf32>, %v: memref<16xf32>,
    %at: tensor<4x8xf32>, %bt: tensor<8x16xf32>, %ct: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<4x8xf16>, memref<8x16xf16>)
  // expected-remark @+1 {{contraction compiled as loops, not a oneDNN matmul: oneDNN matmuls are used for f32 only so far}}
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a16, %b16 : memref<4x8xf16>, memref<8x16xf16>) outs(%c16 : memref<4x16xf16>) {
  ^bb0(%x: f16, %y: f16, %acc: f16):
    %p = arith.mulf %x, %y : f16
    %s = arith.addf %acc, %p : f16
    linalg.yield %s : f16
  }
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<4x8xi32>, memref<8x16xi32>)
  // expected-remark @+1 {{contraction compiled as loops, not a oneDNN matmul: oneDNN matmuls are used for f32 only so far}}
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ai, %bi : memref<4x8xi32>, memref<8x16xi32>) outs(%ci : memref<4x16xi32>) {
  ^bb0(%x: i32, %y: i32, %acc: i32):
    %p = arith.muli %x, %y : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  // Two K dimensions that A holds apart (an M dimension in between).
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<2x4x3xf32>, memref<2x3x16xf32>)
  // expected-remark @+1 {{contraction compiled as loops, not a oneDNN matmul: its reduction dimensions are not contiguous in both operands}}
  linalg.generic {indexing_maps = [affine_map<(m, n, k0, k1) -> (k0, m, k1)>, affine_map<(m, n, k0, k1) -> (k0, k1, n)>, affine_map<(m, n, k0, k1) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%ak, %bk : memref<2x4x3xf32>, memref<2x3x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<?x8xf32>, memref<8x16xf32>)
  // expected-remark @+1 {{contraction compiled as loops, not a oneDNN matmul: an operand has a dynamic shape or strides}}
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ad, %b : memref<?x8xf32>, memref<8x16xf32>) outs(%cd : memref<?x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<4x8xf32, strided<[?, 1]>>, memref<8x16xf32>)
  // expected-remark @+1 {{contraction compiled as loops, not a oneDNN matmul: an operand has a dynamic shape or strides}}
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%as, %b : memref<4x8xf32, strided<[?, 1]>>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  // A reduction over A alone (a row sum times B): no K dimension that both
  // operands share.
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<4x8xf32>, memref<16xf32>)
  // expected-remark @+1 {{contraction compiled as loops, not a oneDNN matmul: its dimensions are not those of a contraction}}
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %v : memref<4x8xf32>, memref<16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  // Still on tensors (not bufferized).
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32>)
  // expected-remark @+1 {{contraction compiled as loops, not a oneDNN matmul: it is not a two-operand contraction on buffers}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%at, %bt : tensor<4x8xf32>, tensor<8x16xf32>) outs(%ct : tensor<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  // The one this pass can express.
  // CHECK: call @xfc_rt_matmul
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return %r : tensor<4x16xf32>
}

// -----

// Only the entry function's contractions are outlined: private functions
// are left alone, without remarks. A module with nothing to outline gets
// neither descriptors nor the runtime function's declaration. Elementwise
// ops and reductions that are no contractions are not touched.
// CHECK-LABEL: module {
// CHECK-NOT: xfc.cpu.matmuls
// CHECK-LABEL: func.func private @matmul$helper
// CHECK: linalg.generic
// CHECK-LABEL: func.func @matmul$nothing_to_outline
// CHECK: linalg.generic
// CHECK-NOT: xfc_rt_matmul
func.func private @matmul$helper(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
func.func @matmul$nothing_to_outline(%ctx: !llvm.ptr, %w: memref<0xi8>, %x: memref<4x8xf32>, %sum: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x8xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Without the runtime arguments of --xfc-cpu-bind-weights there is no
// context to pass.
// expected-error @+1 {{no entry function with the runtime context and weights arguments: run --xfc-cpu-bind-weights first}}
module {
  func.func @matmul$no_runtime_arguments(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
    ^bb0(%x: f32, %y: f32, %acc: f32):
      %p = arith.mulf %x, %y : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    }
    return
  }
}

// -----

// expected-error @+1 {{no entry function with the runtime context and weights arguments: run --xfc-cpu-bind-weights first}}
module {
  func.func private @matmul$only_private(%ctx: !llvm.ptr, %w: memref<0xi8>) {
    return
  }
}

// -----

// oneDNN takes at most 12 dimensions: 10 batch dimensions that cannot merge
// (C holds them in the opposite order) are outlined, 11 are not.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 2x2x2x2x2x2x2x2x2x2x4x8:32x64x128x256x512x1024x2048x4096x8192x16384x8x1 2x2x2x2x2x2x2x2x2x2x8x16:128x256x512x1024x2048x4096x8192x16384x32768x65536x16x1 2x2x2x2x2x2x2x2x2x2x4x16:32768x16384x8192x4096x2048x1024x512x256x128x64x16x1 - 1 -1 -"]}
// CHECK-LABEL: func.func @matmul$batch_limit
func.func @matmul$batch_limit(%ctx: !llvm.ptr, %w: memref<0xi8>, %a10: memref<2x2x2x2x2x2x2x2x2x2x4x8xf32>, %b10: memref<2x2x2x2x2x2x2x2x2x2x8x16xf32>, %c10: memref<2x2x2x2x2x2x2x2x2x2x4x16xf32>, %a11: memref<2x2x2x2x2x2x2x2x2x2x2x4x8xf32>, %b11: memref<2x2x2x2x2x2x2x2x2x2x2x8x16xf32>, %c11: memref<2x2x2x2x2x2x2x2x2x2x2x4x16xf32>) {
  // CHECK: call @xfc_rt_matmul
  // CHECK: linalg.generic
  // CHECK-SAME: memref<2x2x2x2x2x2x2x2x2x2x2x4x8xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12) -> (d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d12)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12) -> (d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d12, d11)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12) -> (d9, d8, d7, d6, d5, d4, d3, d2, d1, d0, d10, d11)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a10, %b10 : memref<2x2x2x2x2x2x2x2x2x2x4x8xf32>, memref<2x2x2x2x2x2x2x2x2x2x8x16xf32>) outs(%c10 : memref<2x2x2x2x2x2x2x2x2x2x4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  // expected-remark @+1 {{contraction compiled as loops, not a oneDNN matmul: it has more than 10 batch dimensions (oneDNN's limit)}}
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13) -> (d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d13)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13) -> (d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d13, d12)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13) -> (d10, d9, d8, d7, d6, d5, d4, d3, d2, d1, d0, d11, d12)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%a11, %b11 : memref<2x2x2x2x2x2x2x2x2x2x2x4x8xf32>, memref<2x2x2x2x2x2x2x2x2x2x2x8x16xf32>) outs(%c11 : memref<2x2x2x2x2x2x2x2x2x2x2x4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A GELU right after the GEMM (the loop convert-xf-to-linalg marks with
// xf.activation): oneDNN applies it as an eltwise post-op and writes the
// activation's output directly; the loop is gone.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 0 -1 gelu_erf"]}
// CHECK-LABEL: func.func @matmul$gelu_post_op
// CHECK-SAME: %[[D:[^:]*]]: memref<4x16xf32>)
func.func @matmul$gelu_post_op(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %d: memref<4x16xf32>) {
  // CHECK: memref.extract_aligned_pointer_as_index %[[D]]
  // CHECK: call @xfc_rt_matmul
  // CHECK-NOT: linalg.generic
  // CHECK: return
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x16xf32>) outs(%d : memref<4x16xf32>) attrs = {xf.activation = "gelu_erf"} {
  ^bb0(%x: f32, %out: f32):
    %g = math.erf %x : f32
    linalg.yield %g : f32
  }
  memref.dealloc %c : memref<4x16xf32>
  return
}

// -----

// Near-miss: the GEMM's result is itself an output of the model (the
// caller's buffer %c), so the GELU must stay a loop: a post-op would leave
// %c unwritten.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 0 -1 -"]}
// CHECK-LABEL: func.func @matmul$gelu_result_is_output
func.func @matmul$gelu_result_is_output(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>, %d: memref<4x16xf32>) {
  // CHECK: call @xfc_rt_matmul
  // CHECK: linalg.generic
  // CHECK-SAME: xf.activation = "gelu_erf"
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x16xf32>) outs(%d : memref<4x16xf32>) attrs = {xf.activation = "gelu_erf"} {
  ^bb0(%x: f32, %out: f32):
    %g = math.erf %x : f32
    linalg.yield %g : f32
  }
  return
}

// -----

// GPT-2's Gemm: a 2-D GEMM whose result is reshaped to 3-D for the GELU.
// The post-op writes the GELU's output through a 2-D view of it.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 0 -1 gelu_tanh"]}
// CHECK-LABEL: func.func @matmul$gelu_after_reshape
// CHECK-SAME: %[[D:[^:]*]]: memref<2x2x16xf32>)
func.func @matmul$gelu_after_reshape(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %d: memref<2x2x16xf32>) {
  // CHECK: %[[VIEW:.*]] = memref.reinterpret_cast %[[D]] to offset: [0], sizes: [4, 16], strides: [16, 1]
  // CHECK: memref.extract_aligned_pointer_as_index %[[VIEW]]
  // CHECK: call @xfc_rt_matmul
  // CHECK-NOT: linalg.generic
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  %e = memref.expand_shape %c [[0, 1], [2]] output_shape [2, 2, 16] : memref<4x16xf32> into memref<2x2x16xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%e : memref<2x2x16xf32>) outs(%d : memref<2x2x16xf32>) attrs = {xf.activation = "gelu_tanh"} {
  ^bb0(%x: f32, %out: f32):
    %g = math.tanh %x : f32
    linalg.yield %g : f32
  }
  memref.dealloc %c : memref<4x16xf32>
  return
}

// -----

// Near-miss: the GEMM's result is also read elsewhere, so the activation
// stays a loop.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 0 -1 -"]}
// CHECK-LABEL: func.func @matmul$result_read_twice
func.func @matmul$result_read_twice(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %d: memref<4x16xf32>, %r: memref<4x16xf32>) {
  // CHECK: call @xfc_rt_matmul
  // CHECK: linalg.generic {{.*}} attrs = {xf.activation = "gelu_erf"}
  // CHECK: memref.copy
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<4x16xf32>) outs(%d : memref<4x16xf32>) attrs = {xf.activation = "gelu_erf"} {
  ^bb0(%x: f32, %out: f32):
    %g = math.erf %x : f32
    linalg.yield %g : f32
  }
  memref.copy %c, %r : memref<4x16xf32> to memref<4x16xf32>
  memref.dealloc %c : memref<4x16xf32>
  return
}

// -----

// A residual add right after the GEMM (pre-LN models): oneDNN's binary add
// post-op with the residual's address, writing the add's output.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 0 -1 add"]}
// CHECK-LABEL: func.func @matmul$residual_post_op
// CHECK-SAME: %[[R:[^:]*]]: memref<4x16xf32>, %[[D:[^:]*]]: memref<4x16xf32>)
func.func @matmul$residual_post_op(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %r: memref<4x16xf32>, %d: memref<4x16xf32>) {
  // CHECK: memref.extract_aligned_pointer_as_index %[[R]]
  // CHECK: %[[RADDR:.*]] = arith.addi
  // CHECK: memref.extract_aligned_pointer_as_index %[[D]]
  // CHECK: %[[DADDR:.*]] = arith.addi
  // CHECK: call @xfc_rt_matmul(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[RADDR]], %[[DADDR]])
  // CHECK-NOT: linalg.generic
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%r, %c : memref<4x16xf32>, memref<4x16xf32>) outs(%d : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  memref.dealloc %c : memref<4x16xf32>
  return
}

// -----

// Near-misses: the add writes into the residual itself (oneDNN would read
// it while writing), and a loop doing more than the add (a scaled sum):
// both stay loops.
// CHECK-LABEL: module attributes {xfc.cpu.matmuls = ["matmul 0 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 0 -1 -", "matmul 1 f32 4x8:8x1 8x16:16x1 4x16:16x1 - 0 -1 -"]}
// CHECK-LABEL: func.func @matmul$residual_near_misses
// CHECK-COUNT-2: linalg.generic
func.func @matmul$residual_near_misses(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<8x16xf32>, %r: memref<4x16xf32>, %d: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %c = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%r, %c : memref<4x16xf32>, memref<4x16xf32>) outs(%r : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  %c2 = memref.alloc() : memref<4x16xf32>
  linalg.fill ins(%zero : f32) outs(%c2 : memref<4x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c2 : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%r, %c2 : memref<4x16xf32>, memref<4x16xf32>) outs(%d : memref<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    %t = arith.mulf %s, %two : f32
    linalg.yield %t : f32
  }
  memref.dealloc %c : memref<4x16xf32>
  memref.dealloc %c2 : memref<4x16xf32>
  return
}
