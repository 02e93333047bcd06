// RUN: xfc-opt %s --xfc-cpu-outline-kernels --split-input-file | FileCheck %s

// Each linalg op of the entry becomes a call to a private kernel whose
// arguments are the op's operands; structurally identical ops (the same
// op, types and body, as in every layer) share one kernel, called once per
// op with its own operands; a different op gets a kernel of its own. The
// scalar constant the body captures is cloned into the kernel, not passed.
// CHECK-LABEL: func.func @kernels$shared
// CHECK-SAME: (%[[CTX:.*]]: !llvm.ptr, %[[W:.*]]: memref<0xi8>, %[[A:.*]]: memref<4x8xf32>, %[[B:.*]]: memref<4x8xf32>, %[[C:.*]]: memref<4x8xf32>, %[[D:.*]]: memref<8xf32>)
// CHECK-NOT: linalg.
// CHECK: call @[[SCALE:xfc_kernel[_0-9]*]](%[[A]], %[[B]]) : (memref<4x8xf32>, memref<4x8xf32>) -> ()
// CHECK-NEXT: call @[[SCALE]](%[[B]], %[[C]]) : (memref<4x8xf32>, memref<4x8xf32>) -> ()
// CHECK-NEXT: call @[[SUM:xfc_kernel[_0-9]*]](%[[C]], %[[D]]) : (memref<4x8xf32>, memref<8xf32>) -> ()
// CHECK-NEXT: return
// The kernels are private and each exists once.
// CHECK: func.func private @[[SCALE]](%[[X:.*]]: memref<4x8xf32>, %[[Y:.*]]: memref<4x8xf32>) {
// CHECK-NEXT: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: linalg.generic
// CHECK-SAME: ins(%[[X]] : memref<4x8xf32>) outs(%[[Y]] : memref<4x8xf32>)
// CHECK: arith.mulf %{{.*}}, %[[HALF]] : f32
// CHECK: return
// CHECK: func.func private @[[SUM]](%[[X:.*]]: memref<4x8xf32>, %[[Y:.*]]: memref<8xf32>) {
// CHECK-NEXT: linalg.generic
// CHECK-SAME: ins(%[[X]] : memref<4x8xf32>) outs(%[[Y]] : memref<8xf32>)
// CHECK: arith.addf
// CHECK: return
// CHECK-NOT: func.func
func.func @kernels$shared(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<4x8xf32>, %c: memref<4x8xf32>, %d: memref<8xf32>) {
  %half = arith.constant 0.5 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<4x8xf32>) outs(%b : memref<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %half : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<4x8xf32>) outs(%c : memref<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %half : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
      ins(%c : memref<4x8xf32>) outs(%d : memref<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Near-misses of sharing: ops that differ only in a captured constant's
// value, or only in their operand types, get kernels of their own.
// CHECK-LABEL: func.func @kernels$not_shared
// CHECK: call @[[K0:xfc_kernel[_0-9]*]](
// CHECK-NEXT: call @[[K1:xfc_kernel[_0-9]*]](
// CHECK-NEXT: call @[[K2:xfc_kernel[_0-9]*]](
// CHECK-NEXT: return
// CHECK: func.func private @[[K0]](%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<4x8xf32>)
// CHECK-NEXT: arith.constant 5.000000e-01 : f32
// CHECK: func.func private @[[K1]](%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<4x8xf32>)
// CHECK-NEXT: arith.constant 2.500000e-01 : f32
// CHECK: func.func private @[[K2]](%{{.*}}: memref<2x8xf32>, %{{.*}}: memref<2x8xf32>)
// CHECK-NEXT: arith.constant 5.000000e-01 : f32
func.func @kernels$not_shared(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4x8xf32>, %b: memref<4x8xf32>, %s: memref<2x8xf32>, %t: memref<2x8xf32>) {
  %half = arith.constant 0.5 : f32
  %quarter = arith.constant 0.25 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<4x8xf32>) outs(%b : memref<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %half : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<4x8xf32>) outs(%b : memref<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %quarter : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%s : memref<2x8xf32>) outs(%t : memref<2x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %half : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// A captured value that is not a constant (here a function argument) is
// passed as a kernel argument after the operands, so ops that capture
// different values still share the kernel. Named ops (fill, copy) are
// outlined too, and so are ops in nested regions.
// CHECK-LABEL: func.func @kernels$captured_argument
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: memref<0xi8>, %[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>, %[[S:.*]]: f32, %[[T:.*]]: f32)
// CHECK: call @[[SCALE:xfc_kernel[_0-9]*]](%[[A]], %[[B]], %[[S]]) : (memref<4xf32>, memref<4xf32>, f32) -> ()
// CHECK-NEXT: call @[[SCALE]](%[[B]], %[[A]], %[[T]]) : (memref<4xf32>, memref<4xf32>, f32) -> ()
// CHECK-NEXT: call @[[FILL:xfc_kernel[_0-9]*]](%[[S]], %[[A]]) : (f32, memref<4xf32>) -> ()
// CHECK: scf.for
// CHECK-NEXT: call @[[COPY:xfc_kernel[_0-9]*]](%[[A]], %[[B]]) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK: func.func private @[[SCALE]](%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>, %[[F:.*]]: f32)
// CHECK: arith.mulf %{{.*}}, %[[F]] : f32
// CHECK: func.func private @[[FILL]](%[[V:.*]]: f32, %[[Y:.*]]: memref<4xf32>)
// CHECK-NEXT: linalg.fill ins(%[[V]] : f32) outs(%[[Y]] : memref<4xf32>)
// CHECK: func.func private @[[COPY]](%[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>)
// CHECK-NEXT: linalg.copy ins(%[[X]] : memref<4xf32>) outs(%[[Y]] : memref<4xf32>)
func.func @kernels$captured_argument(%ctx: !llvm.ptr, %w: memref<0xi8>, %a: memref<4xf32>, %b: memref<4xf32>, %s: f32, %t: f32) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : memref<4xf32>) outs(%b : memref<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %s : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%b : memref<4xf32>) outs(%a : memref<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %t : f32
    linalg.yield %m : f32
  }
  linalg.fill ins(%s : f32) outs(%a : memref<4xf32>)
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %i = %c0 to %c2 step %c1 {
    linalg.copy ins(%a : memref<4xf32>) outs(%b : memref<4xf32>)
  }
  return
}

// -----

// Near-misses: ops on tensors (not bufferized) and ops of private
// functions stay where they are. A symbol already named xfc_kernel is
// kept; the new kernel gets a fresh name.
// CHECK-LABEL: func.func private @xfc_kernel(%{{.*}}: memref<4xf32>) {
// CHECK-NEXT: arith.constant
// CHECK-NEXT: linalg.fill
// CHECK-LABEL: func.func @kernels$not_outlined
// CHECK: linalg.generic
// CHECK-SAME: tensor<4xf32>
// CHECK: call @[[NEW:xfc_kernel_[0-9]+]](
// CHECK: func.func private @[[NEW]](
func.func private @xfc_kernel(%a: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%a : memref<4xf32>)
  return
}
func.func @kernels$not_outlined(%ctx: !llvm.ptr, %w: memref<0xi8>, %t: tensor<4xf32>, %a: memref<4xf32>, %b: memref<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%t : tensor<4xf32>) outs(%t : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  linalg.copy ins(%a : memref<4xf32>) outs(%b : memref<4xf32>)
  return %r : tensor<4xf32>
}
