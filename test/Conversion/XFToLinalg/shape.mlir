// RUN: xfc-opt %s --convert-xf-to-linalg --split-input-file | FileCheck %s

// A single collapse or expand when the shapes refine each other, through
// one dimension otherwise.
// CHECK-LABEL: func.func @xf.reshape$kinds
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x8xf32>)
func.func @xf.reshape$kinds(%x: tensor<2x3x8xf32>) -> (tensor<6x8xf32>, tensor<2x3x2x4xf32>, tensor<4x12xf32>) {
  // CHECK: %[[A:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x3x8xf32> into tensor<6x8xf32>
  %0 = xf.reshape %x : tensor<2x3x8xf32> -> tensor<6x8xf32>
  // CHECK: %[[B:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1], [2, 3]] output_shape [2, 3, 2, 4] : tensor<2x3x8xf32> into tensor<2x3x2x4xf32>
  %1 = xf.reshape %x : tensor<2x3x8xf32> -> tensor<2x3x2x4xf32>
  // CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1]] : tensor<6x8xf32> into tensor<48xf32>
  // CHECK: %[[C:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [4, 12] : tensor<48xf32> into tensor<4x12xf32>
  %2 = xf.reshape %0 : tensor<6x8xf32> -> tensor<4x12xf32>
  // CHECK: return %[[A]], %[[B]], %[[C]]
  return %0, %1, %2 : tensor<6x8xf32>, tensor<2x3x2x4xf32>, tensor<4x12xf32>
}

// -----

// CHECK-LABEL: func.func @xf.reshape$rank0
func.func @xf.reshape$rank0(%x: tensor<f32>) -> tensor<f32> {
  // CHECK: %[[E:.*]] = tensor.expand_shape %{{.*}} [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
  %0 = xf.reshape %x : tensor<f32> -> tensor<1x1xf32>
  // CHECK: tensor.collapse_shape %[[E]] [] : tensor<1x1xf32> into tensor<f32>
  %1 = xf.reshape %0 : tensor<1x1xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @xf.transpose$permutation
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @xf.transpose$permutation(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  // CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4x2x3xf32>
  // CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
  // CHECK: return %[[T]]
  %0 = xf.transpose %x, [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @xf.concat$negative_axis
// CHECK-SAME: (%[[A:.*]]: tensor<2x1x4xf32>, %[[B:.*]]: tensor<2x2x4xf32>)
func.func @xf.concat$negative_axis(%a: tensor<2x1x4xf32>, %b: tensor<2x2x4xf32>) -> (tensor<2x4x4xf32>, tensor<2x1x4xf32>) {
  // CHECK: %[[C:.*]] = tensor.concat dim(1) %[[A]], %[[B]], %[[A]] : (tensor<2x1x4xf32>, tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x4x4xf32>
  %0 = xf.concat %a, %b, %a axis = -2 : (tensor<2x1x4xf32>, tensor<2x2x4xf32>, tensor<2x1x4xf32>) -> tensor<2x4x4xf32>
  // A single input is itself.
  // CHECK: return %[[C]], %[[A]]
  %1 = xf.concat %a axis = 0 : (tensor<2x1x4xf32>) -> tensor<2x1x4xf32>
  return %0, %1 : tensor<2x4x4xf32>, tensor<2x1x4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.slice$strided
func.func @xf.slice$strided(%x: tensor<2x3x8xf32>) -> tensor<1x2x3xf32> {
  // CHECK: tensor.extract_slice %{{.*}}[1, 0, 2] [1, 2, 3] [1, 2, 2] : tensor<2x3x8xf32> to tensor<1x2x3xf32>
  %0 = xf.slice %x offsets = [1, 0, 2] sizes = [1, 2, 3] strides = [1, 2, 2] : (tensor<2x3x8xf32>) -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @xf.split$three
// CHECK-SAME: (%[[X:.*]]: tensor<4x7xf32>)
func.func @xf.split$three(%x: tensor<4x7xf32>) -> (tensor<4x2xf32>, tensor<4x0xf32>, tensor<4x5xf32>) {
  // An empty piece is an empty tensor (a slice at the end would be out of
  // bounds for tensor.extract_slice).
  // CHECK: %[[A:.*]] = tensor.extract_slice %[[X]][0, 0] [4, 2] [1, 1] : tensor<4x7xf32> to tensor<4x2xf32>
  // CHECK: %[[B:.*]] = tensor.empty() : tensor<4x0xf32>
  // CHECK: %[[C:.*]] = tensor.extract_slice %[[X]][0, 2] [4, 5] [1, 1] : tensor<4x7xf32> to tensor<4x5xf32>
  // CHECK: return %[[A]], %[[B]], %[[C]]
  %0:3 = xf.split %x axis = -1 sizes = [2, 0, 5] : (tensor<4x7xf32>) -> (tensor<4x2xf32>, tensor<4x0xf32>, tensor<4x5xf32>)
  return %0#0, %0#1, %0#2 : tensor<4x2xf32>, tensor<4x0xf32>, tensor<4x5xf32>
}

// -----

// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, 0, d3, d4)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @xf.expand$gqa
func.func @xf.expand$gqa(%kv: tensor<4x1x8x64xf32>) -> tensor<1x4x2x8x64xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$IN]], #[[$OUT]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: linalg.yield %[[IN]] : f32
  %0 = xf.expand %kv : tensor<4x1x8x64xf32> -> tensor<1x4x2x8x64xf32>
  return %0 : tensor<1x4x2x8x64xf32>
}

// -----

// Each result element extracts the input element its index selects; a
// negative index counts from the back and is clamped into the dimension.
// CHECK-DAG: #[[$IDX:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @xf.gather$axis1
// CHECK-SAME: (%[[T:.*]]: tensor<5x3xf32>, %[[I:.*]]: tensor<1x2xi64>)
func.func @xf.gather$axis1(%t: tensor<5x3xf32>, %i: tensor<1x2xi64>) -> tensor<5x1x2xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$IDX]], #[[$OUT]]]
  // CHECK-SAME: ins(%[[I]] : tensor<1x2xi64>) outs(%{{.*}} : tensor<5x1x2xf32>)
  // CHECK: ^bb0(%[[IN:.*]]: i64, %{{.*}}: f32):
  // CHECK-NEXT: %[[INDEX:.*]] = arith.index_cast %[[IN]] : i64 to index
  // CHECK-NEXT: %[[SIZE:.*]] = arith.constant 3 : index
  // CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0 : index
  // CHECK-NEXT: %[[NEG:.*]] = arith.cmpi slt, %[[INDEX]], %[[ZERO]] : index
  // CHECK-NEXT: %[[WRAP:.*]] = arith.addi %[[INDEX]], %[[SIZE]] : index
  // CHECK-NEXT: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[INDEX]] : index
  // CHECK-NEXT: %[[LAST:.*]] = arith.constant 2 : index
  // CHECK-NEXT: %[[LO:.*]] = arith.maxsi %[[SEL]], %[[ZERO]] : index
  // CHECK-NEXT: %[[CL:.*]] = arith.minsi %[[LO]], %[[LAST]] : index
  // CHECK-NEXT: %[[ROW:.*]] = linalg.index 0 : index
  // CHECK-NEXT: %[[V:.*]] = tensor.extract %[[T]][%[[ROW]], %[[CL]]] : tensor<5x3xf32>
  // CHECK-NEXT: linalg.yield %[[V]] : f32
  %0 = xf.gather %t[%i] axis = 1 : (tensor<5x3xf32>, tensor<1x2xi64>) -> tensor<5x1x2xf32>
  return %0 : tensor<5x1x2xf32>
}

// -----

// Dimensions after the axis are read from the loops after the index ones.
// CHECK-DAG: #[[$IDX:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @xf.gather$scalar_index
func.func @xf.gather$scalar_index(%t: tensor<2x5x3xf32>, %i: tensor<i32>) -> tensor<2x3xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$IDX]], #{{.*}}]
  // CHECK: arith.index_cast %{{.*}} : i32 to index
  // CHECK: %[[D0:.*]] = linalg.index 0 : index
  // CHECK: %[[D1:.*]] = linalg.index 1 : index
  // CHECK: tensor.extract %{{.*}}[%[[D0]], %{{.*}}, %[[D1]]] : tensor<2x5x3xf32>
  %0 = xf.gather %t[%i] axis = 1 : (tensor<2x5x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// An empty last piece of a split, and an empty operand of a concat (the
// expanded RotaryEmbedding of ONNX has both): no out-of-bounds slice.
// CHECK-LABEL: func.func @xf.split$empty_last
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
func.func @xf.split$empty_last(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x0xf32>) {
  // CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<2x0xf32>
  // CHECK-DAG: %[[A:.*]] = tensor.extract_slice %[[X]][0, 0] [2, 8] [1, 1]
  // CHECK: return %[[A]], %[[E]]
  %0:2 = xf.split %x axis = 1 sizes = [8, 0] : (tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x0xf32>)
  return %0#0, %0#1 : tensor<2x8xf32>, tensor<2x0xf32>
}

// CHECK-LABEL: func.func @xf.concat$empty_operand
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>, %{{.*}}: tensor<2x0xf32>)
func.func @xf.concat$empty_operand(%x: tensor<2x8xf32>, %e: tensor<2x0xf32>) -> tensor<2x8xf32> {
  // CHECK-NOT: tensor.concat
  // CHECK: return %[[X]]
  %0 = xf.concat %x, %e axis = 1 : (tensor<2x8xf32>, tensor<2x0xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// top_k by counting: ranks (j beats i when larger, or equal and earlier),
// slots in index order, indices as a sum over the selected, values
// gathered.
// CHECK-DAG: #[[$ROW_J:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$ROW_I:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @xf.top_k$index_order
// CHECK-SAME: (%[[X:.*]]: tensor<2x5xf32>)
// CHECK: %[[RANK:.*]] = linalg.generic {indexing_maps = [#[[$ROW_J]], #[[$ROW_I]], #[[$ROW_I]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[X]] : tensor<2x5xf32>, tensor<2x5xf32>) outs(%{{.*}} : tensor<2x5xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: %[[I:.*]] = linalg.index 1
// CHECK: %[[J:.*]] = linalg.index 2
// CHECK: arith.cmpi ult, %[[J]], %[[I]]
// CHECK: %[[SLOT:.*]] = linalg.generic {{.*}} ins(%[[RANK]] : tensor<2x5xi64>) outs(%{{.*}} : tensor<2x5xi64>)
// CHECK: arith.constant 3 : i64
// CHECK: %[[IDX:.*]] = linalg.generic {{.*}} ins(%[[RANK]], %[[SLOT]] : tensor<2x5xi64>, tensor<2x5xi64>) outs(%{{.*}} : tensor<2x3xi64>)
// CHECK: arith.select
// CHECK: %[[VAL:.*]] = linalg.generic {{.*}} ins(%[[IDX]] : tensor<2x3xi64>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: tensor.extract %[[X]]
// CHECK: return %[[VAL]], %[[IDX]]
func.func @xf.top_k$index_order(%x: tensor<2x5xf32>) -> (tensor<2x3xf32>, tensor<2x3xi64>) {
  %v, %i = xf.top_k %x k = 3 index_order : (tensor<2x5xf32>) -> (tensor<2x3xf32>, tensor<2x3xi64>)
  return %v, %i : tensor<2x3xf32>, tensor<2x3xi64>
}

// -----

// In value order the slot is the rank: no second count.
// CHECK-LABEL: func.func @xf.top_k$value_order
// CHECK: %[[RANK:.*]] = linalg.generic
// CHECK: %[[IDX:.*]] = linalg.generic {{.*}} ins(%[[RANK]], %[[RANK]] : tensor<4x4xi64>, tensor<4x4xi64>) outs(%{{.*}} : tensor<4x1xi64>)
// CHECK: linalg.generic {{.*}} ins(%[[IDX]] : tensor<4x1xi64>)
// CHECK-NOT: linalg.generic
func.func @xf.top_k$value_order(%x: tensor<4x4xf32>) -> (tensor<4x1xf32>, tensor<4x1xi64>) {
  %v, %i = xf.top_k %x k = 1 : (tensor<4x4xf32>) -> (tensor<4x1xf32>, tensor<4x1xi64>)
  return %v, %i : tensor<4x1xf32>, tensor<4x1xi64>
}
