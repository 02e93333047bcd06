// RUN: xfc-opt %s --xfc-cpu-bind-weights="min-bytes=16 sparse=false" --split-input-file -verify-diagnostics | FileCheck %s
// With sparse (default), the i64 constant, half of whose 4-byte words are
// zero, goes last, from a 4096-byte boundary that the module records.
// RUN: xfc-opt %s --xfc-cpu-bind-weights=min-bytes=16 --split-input-file -verify-diagnostics | FileCheck %s --check-prefix=SPARSE
// SPARSE-LABEL: module attributes
// SPARSE-SAME: xfc.cpu.weights = {{\[}}[0, dense_resource<encoder.weight> : tensor<2x3xf32>], [64, dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00]> : tensor<5xf32>], [4096, dense<[1, 2, 3]> : tensor<3xi64>]]
// SPARSE-SAME: xfc.cpu.weights_size = 4160 : i64, xfc.cpu.weights_sparse_offset = 4096 : i64
// SPARSE: memref.view %{{.*}}[%{{.*}}][] : memref<4160xi8> to memref<3xi64>
// The default threshold (256 bytes) keeps the small constants of the first
// case in the code.
// RUN: xfc-opt %s --xfc-cpu-bind-weights --split-input-file -verify-diagnostics | FileCheck %s --check-prefix=DEFAULT

// A dense_resource and non-splat dense data of at least min-bytes become
// views into the weights region, each at a multiple of 64 bytes; the
// layout is recorded on the module, and the entry function gains the
// runtime context and the weights region in front of its arguments (whose
// attributes stay with them).
// CHECK-LABEL: module attributes
// CHECK-SAME: xfc.cpu.weights = {{\[}}[0, dense_resource<encoder.weight> : tensor<2x3xf32>], [64, dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00]> : tensor<5xf32>], [128, dense<[1, 2, 3]> : tensor<3xi64>]]
// CHECK-SAME: xfc.cpu.weights_size = 192 : i64
// CHECK-LABEL: func.func @bind$weights
// CHECK-SAME: (%[[CTX:.*]]: !llvm.ptr, %[[REGION:.*]]: memref<192xi8>, %[[X:.*]]: tensor<2x3xf32> {xf.name = "x"})
// CHECK-SAME: -> (tensor<2x3xf32> {xf.name = "y"}, tensor<5xf32>, tensor<3xi64>, tensor<5xf32>)
// DEFAULT-LABEL: module attributes {xfc.cpu.weights = [], xfc.cpu.weights_size = 0 : i64}
// DEFAULT-LABEL: func.func @bind$weights
// DEFAULT-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: memref<0xi8>, %{{.*}}: tensor<2x3xf32> {xf.name = "x"})
// DEFAULT-NOT: memref.view
// DEFAULT: arith.constant dense_resource<encoder.weight> : tensor<2x3xf32>
// DEFAULT: arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00]> : tensor<5xf32>
// DEFAULT: arith.constant dense<[1, 2, 3]> : tensor<3xi64>
// DEFAULT-NOT: memref.view
// DEFAULT: return
func.func @bind$weights(%x: tensor<2x3xf32> {xf.name = "x"}) -> (tensor<2x3xf32> {xf.name = "y"}, tensor<5xf32>, tensor<3xi64>, tensor<5xf32>) {
  // CHECK-NOT: arith.constant dense
  // CHECK: %[[OFF0:.*]] = arith.constant 0 : index
  // CHECK: %[[VIEW0:.*]] = memref.view %[[REGION]][%[[OFF0]]][] : memref<192xi8> to memref<2x3xf32>
  // CHECK: %[[W:.*]] = bufferization.to_tensor %[[VIEW0]] restrict : memref<2x3xf32> to tensor<2x3xf32>
  %w = arith.constant dense_resource<encoder.weight> : tensor<2x3xf32>
  // CHECK: %[[OFF1:.*]] = arith.constant 64 : index
  // CHECK: %[[VIEW1:.*]] = memref.view %[[REGION]][%[[OFF1]]][] : memref<192xi8> to memref<5xf32>
  // CHECK: %[[D:.*]] = bufferization.to_tensor %[[VIEW1]] restrict : memref<5xf32> to tensor<5xf32>
  %d = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  // CHECK: %[[OFF2:.*]] = arith.constant 128 : index
  // CHECK: %[[VIEW2:.*]] = memref.view %[[REGION]][%[[OFF2]]][] : memref<192xi8> to memref<3xi64>
  // CHECK: %[[I:.*]] = bufferization.to_tensor %[[VIEW2]] restrict : memref<3xi64> to tensor<3xi64>
  %i = arith.constant dense<[1, 2, 3]> : tensor<3xi64>
  // Every use reads the one view.
  // CHECK-NOT: arith.constant dense
  // CHECK: return %[[W]], %[[D]], %[[I]], %[[D]]
  return %w, %d, %i, %d : tensor<2x3xf32>, tensor<5xf32>, tensor<3xi64>, tensor<5xf32>
}
{-#
  dialect_resources: {
    builtin: {
      encoder.weight: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}

// -----

// Near-misses: a splat is one value; a constant under min-bytes (8 bytes
// here); sub-byte elements (i1) pack differently; a scalar is no tensor.
// All stay in the code, and the region is empty.
// CHECK-LABEL: module attributes {xfc.cpu.weights = [], xfc.cpu.weights_size = 0 : i64}
// CHECK-LABEL: func.func @bind$kept_in_code
// CHECK-SAME: (%{{.*}}: !llvm.ptr, %{{.*}}: memref<0xi8>)
func.func @bind$kept_in_code() -> (tensor<64xf32>, tensor<2xf32>, tensor<256xi1>, f32) {
  // CHECK-NOT: memref.view
  // CHECK: arith.constant dense<1.000000e+00> : tensor<64xf32>
  %splat = arith.constant dense<1.0> : tensor<64xf32>
  // CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %small = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: arith.constant dense<"0x{{.*}}"> : tensor<256xi1>
  %bits = arith.constant dense<"0x0102030405060708010203040506070801020304050607080102030405060708"> : tensor<256xi1>
  // CHECK: arith.constant 3.000000e+00 : f32
  %scalar = arith.constant 3.0 : f32
  // CHECK-NOT: memref.view
  // CHECK: return
  return %splat, %small, %bits, %scalar : tensor<64xf32>, tensor<2xf32>, tensor<256xi1>, f32
}

// -----

// min-bytes is inclusive: with the default (256 bytes) a 64 x f32 constant
// moves, a 63 x f32 one stays. Private functions are not the entry: their
// signature and constants are left alone.
// DEFAULT-LABEL: module attributes {xfc.cpu.weights = {{\[}}[0, dense<[0.000000e+00, {{.*}}, 6.300000e+01]> : tensor<64xf32>]]
// DEFAULT-SAME: xfc.cpu.weights_size = 256 : i64
// DEFAULT-LABEL: func.func private @bind$helper
// DEFAULT-SAME: () -> tensor<64xf32>
// DEFAULT-NEXT: arith.constant dense<{{.*}}> : tensor<64xf32>
// DEFAULT-LABEL: func.func @bind$threshold
// DEFAULT-SAME: (%[[CTX:.*]]: !llvm.ptr, %[[REGION:.*]]: memref<256xi8>)
// DEFAULT: memref.view %[[REGION]][%{{.*}}][] : memref<256xi8> to memref<64xf32>
// DEFAULT: arith.constant dense<{{.*}}> : tensor<63xf32>
// CHECK-LABEL: func.func private @bind$helper
// CHECK-LABEL: func.func @bind$threshold
func.func private @bind$helper() -> tensor<64xf32> {
  %c = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041000080410000884100009041000098410000A0410000A8410000B0410000B8410000C0410000C8410000D0410000D8410000E0410000E8410000F0410000F84100000042000004420000084200000C4200001042000014420000184200001C4200002042000024420000284200002C4200003042000034420000384200003C4200004042000044420000484200004C4200005042000054420000584200005C4200006042000064420000684200006C4200007042000074420000784200007C42"> : tensor<64xf32>
  return %c : tensor<64xf32>
}
func.func @bind$threshold() -> (tensor<64xf32>, tensor<63xf32>, tensor<64xf32>) {
  %big = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041000080410000884100009041000098410000A0410000A8410000B0410000B8410000C0410000C8410000D0410000D8410000E0410000E8410000F0410000F84100000042000004420000084200000C4200001042000014420000184200001C4200002042000024420000284200002C4200003042000034420000384200003C4200004042000044420000484200004C4200005042000054420000584200005C4200006042000064420000684200006C4200007042000074420000784200007C42"> : tensor<64xf32>
  %less = arith.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041000080410000884100009041000098410000A0410000A8410000B0410000B8410000C0410000C8410000D0410000D8410000E0410000E8410000F0410000F84100000042000004420000084200000C4200001042000014420000184200001C4200002042000024420000284200002C4200003042000034420000384200003C4200004042000044420000484200004C4200005042000054420000584200005C4200006042000064420000684200006C42000070420000744200007842"> : tensor<63xf32>
  %h = func.call @bind$helper() : () -> tensor<64xf32>
  return %big, %less, %h : tensor<64xf32>, tensor<63xf32>, tensor<64xf32>
}

// -----

// The entry is the one public function: a second one is an error.
// expected-error @+1 {{the CPU backend compiles one entry function, found 'bind$first' and 'bind$second': make all but one private}}
module {
  func.func @bind$first() {
    return
  }
  func.func @bind$second() {
    return
  }
}

// -----

// expected-error @+1 {{no public function to compile as the model's entry}}
module {
  func.func private @bind$only_private() {
    return
  }
  func.func private @bind$declaration()
}
