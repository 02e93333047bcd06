// RUN: xfc-opt %s --convert-xf-to-linalg --split-input-file | FileCheck %s

// Plain multi-head attention, rank 4: loops (b, kv, g, i, j, d); the query
// heads are viewed as [Hkv, G] = [2, 1].
// CHECK-DAG: #[[$Q:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d5)>
// CHECK-DAG: #[[$K:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
// CHECK-DAG: #[[$S:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$ID5:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @xf.attention$mha
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x3x8xf32>, %[[K:.*]]: tensor<1x2x5x8xf32>, %[[V:.*]]: tensor<1x2x5x6xf32>)
func.func @xf.attention$mha(%q: tensor<1x2x3x8xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x2x5x6xf32>) -> tensor<1x2x3x6xf32> {
  // CHECK: %[[QV:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 1, 3, 8]
  // 1. Q·Kᵀ, reducing d.
  // CHECK: %[[SCORES:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$Q]], #[[$K]], #[[$S]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction"]
  // CHECK-SAME: ins(%[[QV]], %[[K]] : tensor<1x2x1x3x8xf32>, tensor<1x2x5x8xf32>) outs(%{{.*}} : tensor<1x2x1x3x5xf32>)
  // 2. The default scale 1/sqrt(8); no mask, no causality: nothing else.
  // CHECK: %[[SCALED:.*]] = linalg.generic
  // CHECK-SAME: ins(%[[SCORES]] : tensor<1x2x1x3x5xf32>)
  // CHECK: %[[SCALE:.*]] = arith.constant 0.353553385 : f32
  // CHECK-NEXT: %[[SS:.*]] = arith.mulf %{{.*}}, %[[SCALE]] : f32
  // CHECK-NEXT: linalg.yield %[[SS]] : f32
  // 3-4. softmax over j.
  // CHECK: %[[MAX:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID5]], #[[$ROW]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
  // CHECK: arith.maximumf
  // CHECK: %[[SUM:.*]] = linalg.generic
  // CHECK: math.exp
  // CHECK: %[[P:.*]] = linalg.generic
  // CHECK-SAME: ins(%[[SCALED]], %[[MAX]], %[[SUM]] :
  // CHECK: arith.divf
  // 5. P·V, reducing j (loop 4).
  // CHECK: %[[O:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$S]], #[[$K]], #[[$Q]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "parallel"]
  // CHECK-SAME: ins(%[[P]], %[[V]] : tensor<1x2x1x3x5xf32>, tensor<1x2x5x6xf32>) outs(%{{.*}} : tensor<1x2x1x3x6xf32>)
  // CHECK: %[[R:.*]] = tensor.collapse_shape %[[O]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x1x3x6xf32> into tensor<1x2x3x6xf32>
  // CHECK: return %[[R]]
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x3x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x6xf32>) -> tensor<1x2x3x6xf32>
  return %0 : tensor<1x2x3x6xf32>
}

// -----

// GQA (4 query heads on 2 key/value heads): query head kv·2 + g reads
// key/value head kv through the [B, Hkv, G, S, D] view, keys are not
// copied. A per-head i1 mask is split the same way; causality is
// bottom-right aligned: j <= i + (Skv - Sq) = i + 2.
// CHECK-DAG: #[[$ID5:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @xf.attention$gqa_causal_bool_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x3x8xf32>, %[[K:.*]]: tensor<1x2x5x8xf32>, %[[V:.*]]: tensor<1x2x5x6xf32>, %[[M:.*]]: tensor<4x3x5xi1>)
func.func @xf.attention$gqa_causal_bool_mask(%q: tensor<1x4x3x8xf32>, %k: tensor<1x2x5x8xf32>, %v: tensor<1x2x5x6xf32>, %m: tensor<4x3x5xi1>) -> tensor<1x4x3x6xf32> {
  // CHECK: tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 3, 8]
  // CHECK: %[[SCORES:.*]] = linalg.generic
  // CHECK-SAME: ins(%{{.*}}, %[[K]] : tensor<1x2x2x3x8xf32>, tensor<1x2x5x8xf32>)
  // CHECK: %[[M4:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2], [3]] output_shape [1, 4, 3, 5] : tensor<4x3x5xi1> into tensor<1x4x3x5xi1>
  // CHECK: %[[M5:.*]] = tensor.expand_shape %[[M4]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 3, 5] : tensor<1x4x3x5xi1> into tensor<1x2x2x3x5xi1>
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID5]], #[[$ID5]], #[[$ID5]]]
  // CHECK-SAME: ins(%[[SCORES]], %[[M5]] : tensor<1x2x2x3x5xf32>, tensor<1x2x2x3x5xi1>)
  // CHECK: ^bb0(%[[S:.*]]: f32, %[[KEEP:.*]]: i1, %{{.*}}: f32):
  // CHECK: %[[SS:.*]] = arith.mulf %[[S]], %{{.*}} : f32
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: %[[MASKED:.*]] = arith.select %[[KEEP]], %[[SS]], %[[NEGINF]] : f32
  // CHECK: %[[I:.*]] = linalg.index 3 : index
  // CHECK: %[[J:.*]] = linalg.index 4 : index
  // CHECK: %[[SHIFT:.*]] = arith.constant 2 : index
  // CHECK: %[[LIMIT:.*]] = arith.addi %[[I]], %[[SHIFT]] : index
  // CHECK: %[[VISIBLE:.*]] = arith.cmpi sle, %[[J]], %[[LIMIT]] : index
  // CHECK: %[[R:.*]] = arith.select %[[VISIBLE]], %[[MASKED]], %[[NEGINF]] : f32
  // CHECK: linalg.yield %[[R]]
  // CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[V]] : tensor<1x2x2x3x5xf32>, tensor<1x2x5x6xf32>)
  // CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x2x3x6xf32> into tensor<1x4x3x6xf32>
  %0 = xf.attention %q, %k, %v mask(%m) {num_heads = 4 : i64, num_kv_heads = 2 : i64, causal} : (tensor<1x4x3x8xf32>, tensor<1x2x5x8xf32>, tensor<1x2x5x6xf32>, tensor<4x3x5xi1>) -> tensor<1x4x3x6xf32>
  return %0 : tensor<1x4x3x6xf32>
}

// -----

// Packed rank-3 layout: [B, S, H·D] is viewed as [B, S, Hkv, G, D] (query)
// and [B, S, Hkv, D] (key, value); the result is written as
// [B, Sq, Hkv, G, Dv] and collapsed. An additive mask broadcast over heads
// reads index 0 there.
// CHECK-DAG: #[[$Q:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1, d2, d5)>
// CHECK-DAG: #[[$K:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d4, d1, d5)>
// CHECK-DAG: #[[$S:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[$MASK:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, 0, 0, 0, d4)>
// CHECK-LABEL: func.func @xf.attention$packed_gqa_additive_mask
// CHECK-SAME: (%[[Q:.*]]: tensor<2x3x16xf32>, %[[K:.*]]: tensor<2x5x8xf32>, %[[V:.*]]: tensor<2x5x10xf32>, %[[M:.*]]: tensor<1x1x1x5xf32>)
func.func @xf.attention$packed_gqa_additive_mask(%q: tensor<2x3x16xf32>, %k: tensor<2x5x8xf32>, %v: tensor<2x5x10xf32>, %m: tensor<1x1x1x5xf32>) -> tensor<2x3x20xf32> {
  // CHECK: %[[QV:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0], [1], [2, 3, 4]] output_shape [2, 3, 2, 2, 4]
  // CHECK: %[[KV:.*]] = tensor.expand_shape %[[K]] {{\[\[}}0], [1], [2, 3]] output_shape [2, 5, 2, 4]
  // CHECK: %[[VV:.*]] = tensor.expand_shape %[[V]] {{\[\[}}0], [1], [2, 3]] output_shape [2, 5, 2, 5]
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$Q]], #[[$K]], #[[$S]]]
  // CHECK-SAME: ins(%[[QV]], %[[KV]] :
  // CHECK: %[[MV:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 1, 1, 1, 5]
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#{{.*}}, #[[$MASK]], #{{.*}}]
  // CHECK: ^bb0(%[[S:.*]]: f32, %[[ADD:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
  // CHECK-NEXT: %[[SS:.*]] = arith.mulf %[[S]], %[[SCALE]] : f32
  // CHECK-NEXT: %[[R:.*]] = arith.addf %[[SS]], %[[ADD]] : f32
  // CHECK-NEXT: linalg.yield %[[R]]
  // CHECK: %[[O:.*]] = linalg.generic {indexing_maps = [#[[$S]], #[[$K]], #[[$Q]]]
  // CHECK-SAME: ins(%{{.*}}, %[[VV]] : tensor<2x2x2x3x5xf32>, tensor<2x5x2x5xf32>) outs(%{{.*}} : tensor<2x3x2x2x5xf32>)
  // CHECK: tensor.collapse_shape %[[O]] {{\[\[}}0], [1], [2, 3, 4]] : tensor<2x3x2x2x5xf32> into tensor<2x3x20xf32>
  %0 = xf.attention %q, %k, %v mask(%m) {num_heads = 4 : i64, num_kv_heads = 2 : i64, scale = 0.5 : f32} : (tensor<2x3x16xf32>, tensor<2x5x8xf32>, tensor<2x5x10xf32>, tensor<1x1x1x5xf32>) -> tensor<2x3x20xf32>
  return %0 : tensor<2x3x20xf32>
}

// -----

// f16: scores, softmax and the weighted sum in f32, one rounding at the end.
// CHECK-LABEL: func.func @xf.attention$f16
func.func @xf.attention$f16(%q: tensor<1x1x2x4xf16>, %k: tensor<1x1x2x4xf16>, %v: tensor<1x1x2x4xf16>) -> tensor<1x1x2x4xf16> {
  // CHECK: linalg.generic
  // CHECK-SAME: outs(%{{.*}} : tensor<1x1x1x2x2xf32>)
  // CHECK: arith.extf %{{.*}} : f16 to f32
  // CHECK: %[[O:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x1x2x4xf32>)
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%[[O]] : tensor<1x1x1x2x4xf32>) outs(%{{.*}} : tensor<1x1x1x2x4xf16>)
  // CHECK: arith.truncf
  %0 = xf.attention %q, %k, %v {num_heads = 1 : i64} : (tensor<1x1x2x4xf16>, tensor<1x1x2x4xf16>, tensor<1x1x2x4xf16>) -> tensor<1x1x2x4xf16>
  return %0 : tensor<1x1x2x4xf16>
}

// -----

// Rotate half, partial (R = 4 of D = 8): the halves [0, 2) and [2, 4) are
// rotated and inserted back into the input, which keeps [4, 8).
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CS:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @xf.rope$rotate_half_partial
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x8xf32>, %[[C:.*]]: tensor<3x2xf32>, %[[S:.*]]: tensor<3x2xf32>)
func.func @xf.rope$rotate_half_partial(%x: tensor<1x2x3x8xf32>, %c: tensor<3x2xf32>, %s: tensor<3x2xf32>) -> tensor<1x2x3x8xf32> {
  // CHECK: %[[X1:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 2, 3, 2] [1, 1, 1, 1]
  // CHECK: %[[X2:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 2] [1, 2, 3, 2] [1, 1, 1, 1]
  // CHECK: %[[R1:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$ID]], #[[$CS]], #[[$CS]], #[[$ID]]]
  // CHECK-SAME: ins(%[[X1]], %[[X2]], %[[C]], %[[S]] :
  // CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[COS:.*]]: f32, %[[SIN:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[AC:.*]] = arith.mulf %[[A]], %[[COS]] : f32
  // CHECK-NEXT: %[[BS:.*]] = arith.mulf %[[B]], %[[SIN]] : f32
  // CHECK-NEXT: %[[D:.*]] = arith.subf %[[AC]], %[[BS]] : f32
  // CHECK-NEXT: linalg.yield %[[D]]
  // CHECK: %[[R2:.*]] = linalg.generic
  // CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[COS:.*]]: f32, %[[SIN:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[BC:.*]] = arith.mulf %[[B]], %[[COS]] : f32
  // CHECK-NEXT: %[[AS:.*]] = arith.mulf %[[A]], %[[SIN]] : f32
  // CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[BC]], %[[AS]] : f32
  // CHECK-NEXT: linalg.yield %[[SUM]]
  // CHECK: %[[I1:.*]] = tensor.insert_slice %[[R1]] into %[[X]][0, 0, 0, 0] [1, 2, 3, 2] [1, 1, 1, 1]
  // CHECK: %[[I2:.*]] = tensor.insert_slice %[[R2]] into %[[I1]][0, 0, 0, 2] [1, 2, 3, 2] [1, 1, 1, 1]
  // CHECK: return %[[I2]]
  %0 = xf.rope %x, %c, %s : (tensor<1x2x3x8xf32>, tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<1x2x3x8xf32>
  return %0 : tensor<1x2x3x8xf32>
}

// -----

// Interleaved: the pairs are the even and odd features, stride 2.
// CHECK-LABEL: func.func @xf.rope$interleaved
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x10xf32>
func.func @xf.rope$interleaved(%x: tensor<2x3x10xf32>, %c: tensor<3x3xf32>, %s: tensor<3x3xf32>) -> tensor<2x3x10xf32> {
  // CHECK: %[[EVEN:.*]] = tensor.extract_slice %[[X]][0, 0, 0] [2, 3, 3] [1, 1, 2]
  // CHECK: %[[ODD:.*]] = tensor.extract_slice %[[X]][0, 0, 1] [2, 3, 3] [1, 1, 2]
  // CHECK: %[[R1:.*]] = linalg.generic
  // CHECK-SAME: ins(%[[EVEN]], %[[ODD]],
  // CHECK: arith.subf
  // CHECK: %[[R2:.*]] = linalg.generic
  // CHECK: arith.addf
  // CHECK: %[[I1:.*]] = tensor.insert_slice %[[R1]] into %[[X]][0, 0, 0] [2, 3, 3] [1, 1, 2]
  // CHECK: tensor.insert_slice %[[R2]] into %[[I1]][0, 0, 1] [2, 3, 3] [1, 1, 2]
  %0 = xf.rope %x, %c, %s interleaved : (tensor<2x3x10xf32>, tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<2x3x10xf32>
  return %0 : tensor<2x3x10xf32>
}
