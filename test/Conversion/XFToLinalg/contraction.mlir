// RUN: xfc-opt %s --convert-xf-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @xf.matmul$2d
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4x5xf32>)
func.func @xf.matmul$2d(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<3x5xf32>)
  // CHECK: %[[R:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK-SAME: ins(%[[A]], %[[B]] : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[INIT]] : tensor<3x5xf32>)
  // CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
  // CHECK-NEXT: %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
  // CHECK-NEXT: %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
  // CHECK-NEXT: linalg.yield %[[S]] : f32
  // CHECK: return %[[R]]
  %0 = xf.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Batch dimensions broadcast through the maps: missing ones are dropped,
// size-1 ones are collapsed away (so the maps stay projected permutations,
// what linalg's contraction interface recognizes); transpose_rhs swaps
// (k, n) to (n, k).
// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d4)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @xf.matmul$batch_broadcast_transpose_rhs
func.func @xf.matmul$batch_broadcast_transpose_rhs(%a: tensor<2x1x3x4xf32>, %b: tensor<3x5x4xf32>) -> tensor<2x3x3x5xf32> {
  // CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3]] : tensor<2x1x3x4xf32> into tensor<2x3x4xf32>
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
  // CHECK-NOT: linalg.transpose
  %0 = xf.matmul %a, %b transpose_rhs : (tensor<2x1x3x4xf32>, tensor<3x5x4xf32>) -> tensor<2x3x3x5xf32>
  return %0 : tensor<2x3x3x5xf32>
}

// -----

// CHECK-DAG: #[[$LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d1)>
// CHECK-DAG: #[[$RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-LABEL: func.func @xf.matmul$transpose_lhs
func.func @xf.matmul$transpose_lhs(%a: tensor<4x3xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$LHS]], #[[$RHS]], #{{.*}}]
  %0 = xf.matmul %a, %b transpose_lhs : (tensor<4x3xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Integers accumulate in their own type.
// CHECK-LABEL: func.func @xf.matmul$i32
func.func @xf.matmul$i32(%a: tensor<3x4xi32>, %b: tensor<4x5xi32>) -> tensor<3x5xi32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
  // CHECK: linalg.fill ins(%[[ZERO]] : i32)
  // CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %[[ACC:.*]]: i32):
  // CHECK-NEXT: %[[P:.*]] = arith.muli %[[X]], %[[Y]] : i32
  // CHECK-NEXT: arith.addi %[[ACC]], %[[P]] : i32
  %0 = xf.matmul %a, %b : (tensor<3x4xi32>, tensor<4x5xi32>) -> tensor<3x5xi32>
  return %0 : tensor<3x5xi32>
}

// -----

// f16 accumulates in f32 and rounds once.
// CHECK-LABEL: func.func @xf.matmul$f16
func.func @xf.matmul$f16(%a: tensor<3x4xf16>, %b: tensor<4x5xf16>) -> tensor<3x5xf16> {
  // CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<3x5xf32>)
  // CHECK: %[[ACC:.*]] = linalg.generic
  // CHECK: ^bb0(%[[X:.*]]: f16, %[[Y:.*]]: f16, %{{.*}}: f32):
  // CHECK-NEXT: arith.extf %[[X]] : f16 to f32
  // CHECK-NEXT: arith.extf %[[Y]] : f16 to f32
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%[[ACC]] : tensor<3x5xf32>) outs(%{{.*}} : tensor<3x5xf16>)
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %0 = xf.matmul %a, %b : (tensor<3x4xf16>, tensor<4x5xf16>) -> tensor<3x5xf16>
  return %0 : tensor<3x5xf16>
}

// -----

// linear reads the [N, K] weight as (n, k); the bias is the initial value
// of the accumulator.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$BIAS:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @xf.linear$bias
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[W:.*]]: tensor<5x4xf32>, %[[B:.*]]: tensor<5xf32>)
func.func @xf.linear$bias(%x: tensor<2x3x4xf32>, %w: tensor<5x4xf32>, %b: tensor<5xf32>) -> tensor<2x3x5xf32> {
  // CHECK: %[[INIT:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$BIAS]], #[[$ID]]]
  // CHECK-SAME: ins(%[[B]] : tensor<5xf32>)
  // CHECK: %[[R:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$IN]], #[[$W]], #[[$OUT]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
  // CHECK-SAME: ins(%[[X]], %[[W]] : tensor<2x3x4xf32>, tensor<5x4xf32>) outs(%[[INIT]] : tensor<2x3x5xf32>)
  // CHECK: return %[[R]]
  %0 = xf.linear %x, %w, %b : (tensor<2x3x4xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @xf.linear$rank1_no_bias
func.func @xf.linear$rank1_no_bias(%x: tensor<4xf32>, %w: tensor<5x4xf32>) -> tensor<5xf32> {
  // CHECK: %[[INIT:.*]] = linalg.fill
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$IN]], #[[$W]], #[[$OUT]]]
  // CHECK-SAME: iterator_types = ["parallel", "reduction"]
  // CHECK-SAME: outs(%[[INIT]] : tensor<5xf32>)
  %0 = xf.linear %x, %w : (tensor<4xf32>, tensor<5x4xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// f16: an f32 accumulator from zero, then the bias added while rounding.
// CHECK-LABEL: func.func @xf.linear$f16
func.func @xf.linear$f16(%x: tensor<3x4xf16>, %w: tensor<5x4xf16>, %b: tensor<5xf16>) -> tensor<3x5xf16> {
  // CHECK: %[[ACC:.*]] = linalg.generic
  // CHECK-SAME: outs(%{{.*}} : tensor<3x5xf32>)
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%[[ACC]], %{{.*}} : tensor<3x5xf32>, tensor<5xf16>) outs(%{{.*}} : tensor<3x5xf16>)
  // CHECK: ^bb0(%[[A:.*]]: f32, %[[BIAS:.*]]: f16, %{{.*}}: f16):
  // CHECK-NEXT: %[[WB:.*]] = arith.extf %[[BIAS]] : f16 to f32
  // CHECK-NEXT: %[[S:.*]] = arith.addf %[[A]], %[[WB]] : f32
  // CHECK-NEXT: arith.truncf %[[S]] : f32 to f16
  %0 = xf.linear %x, %w, %b : (tensor<3x4xf16>, tensor<5x4xf16>, tensor<5xf16>) -> tensor<3x5xf16>
  return %0 : tensor<3x5xf16>
}

// -----

// Per-channel weights: scast to the storage type, (q - zp) · scale with one
// (scale, zero point) per row, then the float contraction.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @xf.quant.linear$per_channel
// CHECK-SAME: %[[X:.*]]: tensor<3x4xf32>, %[[WQ:.*]]: tensor<2x4x!quant.uniform
func.func @xf.quant.linear$per_channel(%x: tensor<3x4xf32>, %wq: tensor<2x4x!quant.uniform<i8:f32:0, {0.5:3, 0.25:-2}>>, %b: tensor<2xf32>) -> tensor<3x2xf32> {
  // CHECK: %[[Q:.*]] = quant.scast %[[WQ]] : {{.*}} to tensor<2x4xi8>
  // CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<{{\[\[}}5.000000e-01], [2.500000e-01]]> : tensor<2x1xf32>
  // CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<{{\[\[}}3.000000e+00], [-2.000000e+00]]> : tensor<2x1xf32>
  // CHECK: %[[VIEW:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2]] output_shape [2, 1, 4] : tensor<2x4xi8> into tensor<2x1x4xi8>
  // CHECK: %[[DQ:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]], #[[$ID]]]
  // CHECK-SAME: ins(%[[VIEW]], %[[SCALES]], %[[ZPS]] :
  // CHECK: ^bb0(%[[S:.*]]: i8, %[[SCALE:.*]]: f32, %[[ZP:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[F:.*]] = arith.sitofp %[[S]] : i8 to f32
  // CHECK-NEXT: %[[SHIFTED:.*]] = arith.subf %[[F]], %[[ZP]] : f32
  // CHECK-NEXT: %[[V:.*]] = arith.mulf %[[SHIFTED]], %[[SCALE]] : f32
  // CHECK-NEXT: linalg.yield %[[V]]
  // CHECK: %[[W:.*]] = tensor.collapse_shape %[[DQ]] {{\[\[}}0], [1, 2]] : tensor<2x1x4xf32> into tensor<2x4xf32>
  // CHECK: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK-SAME: ins(%[[X]], %[[W]] : tensor<3x4xf32>, tensor<2x4xf32>)
  %0 = xf.quant.linear %x, %wq, %b : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<i8:f32:0, {0.5:3, 0.25:-2}>>, tensor<2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Group-wise int4: one scale per (row, group of 4 columns), read through a
// [N, K/G, G] view of the weight.
// CHECK-DAG: #[[$GRID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @xf.quant.linear$int4_groupwise
func.func @xf.quant.linear$int4_groupwise(%x: tensor<3x8xf32>, %wq: tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:4}, {{2.0:1, 3.0}, {4.0, 5.0}}>>) -> tensor<3x2xf32> {
  // CHECK: %[[Q:.*]] = quant.scast %{{.*}} to tensor<2x8xi4>
  // CHECK: arith.constant dense<{{\[\[}}2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00]]> : tensor<2x2xf32>
  // CHECK: arith.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
  // CHECK: tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2]] output_shape [2, 2, 4] : tensor<2x8xi4> into tensor<2x2x4xi4>
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#{{.*}}, #[[$GRID]], #[[$GRID]], #{{.*}}]
  // CHECK: arith.sitofp %{{.*}} : i4 to f32
  // CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<2x2x4xf32> into tensor<2x8xf32>
  %0 = xf.quant.linear %x, %wq : (tensor<3x8xf32>, tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:4}, {{2.0:1, 3.0}, {4.0, 5.0}}>>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// W8A8: the per-tensor quantized input is dequantized too (u8 storage reads
// unsigned), scale and zero point as constants.
// CHECK-LABEL: func.func @xf.quant.linear$w8a8
func.func @xf.quant.linear$w8a8(%xq: tensor<3x4x!quant.uniform<u8:f32, 0.05:128>>, %wq: tensor<2x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<3x2xf32> {
  // CHECK: quant.scast %{{.*}} : tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>> to tensor<2x4xi8>
  // CHECK: arith.sitofp
  // CHECK: %[[XS:.*]] = quant.scast %{{.*}} : tensor<3x4x!quant.uniform<u8:f32, 5.000000e-02:128>> to tensor<3x4xi8>
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%[[XS]] : tensor<3x4xi8>)
  // CHECK: ^bb0(%[[S:.*]]: i8, %{{.*}}: f32):
  // CHECK-NEXT: %[[F:.*]] = arith.uitofp %[[S]] : i8 to f32
  // CHECK-NEXT: %[[ZP:.*]] = arith.constant 1.280000e+02 : f32
  // CHECK-NEXT: %[[SHIFTED:.*]] = arith.subf %[[F]], %[[ZP]] : f32
  // CHECK-NEXT: %[[SCALE:.*]] = arith.constant 5.000000e-02 : f32
  // CHECK-NEXT: arith.mulf %[[SHIFTED]], %[[SCALE]] : f32
  // CHECK: iterator_types = ["parallel", "parallel", "reduction"]
  %0 = xf.quant.linear %xq, %wq : (tensor<3x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// W8A8 dynamic: each row of the input is replaced by the values the integer
// GEMM sees, clamp(round_half_even(x / r), ±127) · r with r = max|row| / 127
// (1 for a zero row), before the float contraction.
// CHECK-LABEL: func.func @xf.quant.linear$dynamic_input
func.func @xf.quant.linear$dynamic_input(%x: tensor<3x4xf32>, %wq: tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>) -> tensor<3x2xf32> {
  // CHECK: %[[ABSMAX:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
  // CHECK: math.absf
  // CHECK: arith.maximumf
  // CHECK: -> tensor<3xf32>
  // CHECK: %[[FAKE:.*]] = linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %[[ABSMAX]] : tensor<3x4xf32>, tensor<3xf32>)
  // CHECK: arith.cmpf oeq
  // CHECK: arith.select
  // CHECK: arith.divf
  // CHECK: math.roundeven
  // CHECK: arith.maxnumf
  // CHECK: arith.minnumf
  // CHECK: arith.mulf
  // CHECK: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK-SAME: ins(%[[FAKE]], %{{.*}} : tensor<3x4xf32>, tensor<2x4xf32>)
  %0 = xf.quant.linear %x, %wq dynamic_input : (tensor<3x4xf32>, tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5,0.25}>>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
