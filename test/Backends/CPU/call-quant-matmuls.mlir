// RUN: xfc-opt %s --split-input-file --xfc-cpu-call-quant-matmuls --verify-diagnostics | FileCheck %s

// After bind-weights and out-params: the weights are views of the weights
// region (byte offsets 0, 256, 512), the input a strided view whose rows
// are 8 floats apart, the result a buffer of the caller.
// CHECK: module attributes {xfc.cpu.qmatmuls = ["qmatmul 0 w8a8 6x2x4 8 2 0 256 - 512 - 5.000000000e-01:3 gelu_erf"]}
// CHECK-LABEL: func.func @main
// CHECK: memref.subview
// CHECK: %[[NONE:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[ID:.*]] = arith.constant 0 : i64
// CHECK: call @xfc_rt_qmatmul(%arg0, %[[ID]], %{{.*}}, %[[NONE]], %{{.*}}) : (!llvm.ptr, i64, index, index, index) -> ()
// CHECK-NOT: @xfc_qmatmul
// CHECK: func.func private @xfc_rt_qmatmul(!llvm.ptr, i64, index, index, index)
func.func private @xfc_qmatmul(memref<6x4xf32, strided<[8, 1]>>, memref<256xi8>, memref<64xf32>, memref<64xf32>, memref<6x2xf32>) attributes {xfc.qmatmul = {act = "gelu_erf", group = 0 : i64, has_bias = true, has_offsets = false, input_scale = 5.000000e-01 : f64, input_zero_point = 3 : i64, k = 4 : i64, kind = "w8a8", n = 2 : i64}}
func.func @main(%ctx: !llvm.ptr, %w: memref<768xi8>, %x: memref<6x8xf32>, %y: memref<6x2xf32>) {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %wq = memref.view %w[%c0][] : memref<768xi8> to memref<256xi8>
  %s = memref.view %w[%c256][] : memref<768xi8> to memref<64xf32>
  %b = memref.view %w[%c512][] : memref<768xi8> to memref<64xf32>
  %a = memref.subview %x[0, 0] [6, 4] [1, 1] : memref<6x8xf32> to memref<6x4xf32, strided<[8, 1]>>
  call @xfc_qmatmul(%a, %wq, %s, %b, %y) : (memref<6x4xf32, strided<[8, 1]>>, memref<256xi8>, memref<64xf32>, memref<64xf32>, memref<6x2xf32>) -> ()
  return
}

// -----

// Weight-only int4 with offsets and a residual.
// CHECK: module attributes {xfc.cpu.qmatmuls = ["qmatmul 0 w4 3x2x4 4 2 0 256 512 - 2 - add"]}
// CHECK: call @xfc_rt_qmatmul(%arg0, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
func.func private @xfc_qmatmul(memref<3x4xf32>, memref<256xi8>, memref<64xf32>, memref<64xf32>, memref<3x2xf32>, memref<3x2xf32>) attributes {xfc.qmatmul = {act = "add", group = 2 : i64, has_bias = false, has_offsets = true, input_scale = 0.0 : f64, input_zero_point = 0 : i64, k = 4 : i64, kind = "w4", n = 2 : i64}}
func.func @main(%ctx: !llvm.ptr, %w: memref<768xi8>, %x: memref<3x4xf32>, %r: memref<3x2xf32>, %y: memref<3x2xf32>) {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %wq = memref.view %w[%c0][] : memref<768xi8> to memref<256xi8>
  %s = memref.view %w[%c256][] : memref<768xi8> to memref<64xf32>
  %o = memref.view %w[%c512][] : memref<768xi8> to memref<64xf32>
  call @xfc_qmatmul(%x, %wq, %s, %o, %r, %y) : (memref<3x4xf32>, memref<256xi8>, memref<64xf32>, memref<64xf32>, memref<3x2xf32>, memref<3x2xf32>) -> ()
  return
}

// -----

// A weight that is not in the weights file (bind-weights did not run).
func.func private @xfc_qmatmul(memref<3x4xf32>, memref<256xi8>, memref<64xf32>, memref<3x2xf32>) attributes {xfc.qmatmul = {act = "-", group = 4 : i64, has_bias = false, has_offsets = false, input_scale = 0.0 : f64, input_zero_point = 0 : i64, k = 4 : i64, kind = "w8", n = 2 : i64}}
func.func @main(%ctx: !llvm.ptr, %w: memref<0xi8>, %x: memref<3x4xf32>, %wq: memref<256xi8>, %s: memref<64xf32>, %y: memref<3x2xf32>) {
  // expected-error @below {{quantized matmul weights must be in the weights file: run --xfc-cpu-bind-weights first}}
  call @xfc_qmatmul(%x, %wq, %s, %y) : (memref<3x4xf32>, memref<256xi8>, memref<64xf32>, memref<3x2xf32>) -> ()
  return
}

// -----

// Rows that are not contiguous: the runtime reads rows.
func.func private @xfc_qmatmul(memref<3x4xf32, strided<[1, 3]>>, memref<256xi8>, memref<64xf32>, memref<3x2xf32>) attributes {xfc.qmatmul = {act = "-", group = 4 : i64, has_bias = false, has_offsets = false, input_scale = 0.0 : f64, input_zero_point = 0 : i64, k = 4 : i64, kind = "w8", n = 2 : i64}}
func.func @main(%ctx: !llvm.ptr, %w: memref<512xi8>, %x: memref<3x4xf32, strided<[1, 3]>>, %y: memref<3x2xf32>) {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %wq = memref.view %w[%c0][] : memref<512xi8> to memref<256xi8>
  %s = memref.view %w[%c256][] : memref<512xi8> to memref<64xf32>
  // expected-error @below {{quantized matmul operands need static 2-D layouts with contiguous rows (the residual laid out as the result)}}
  call @xfc_qmatmul(%x, %wq, %s, %y) : (memref<3x4xf32, strided<[1, 3]>>, memref<256xi8>, memref<64xf32>, memref<3x2xf32>) -> ()
  return
}

// -----

// The entry has no runtime context argument (bind-weights did not run).
// expected-error @below {{no entry function with the runtime context argument: run --xfc-cpu-bind-weights first}}
module {
  func.func private @xfc_qmatmul(memref<3x4xf32>, memref<256xi8>, memref<64xf32>, memref<3x2xf32>) attributes {xfc.qmatmul = {act = "-", group = 4 : i64, has_bias = false, has_offsets = false, input_scale = 0.0 : f64, input_zero_point = 0 : i64, k = 4 : i64, kind = "w8", n = 2 : i64}}
  func.func @main(%x: memref<3x4xf32>, %wq: memref<256xi8>, %s: memref<64xf32>, %y: memref<3x2xf32>) {
    call @xfc_qmatmul(%x, %wq, %s, %y) : (memref<3x4xf32>, memref<256xi8>, memref<64xf32>, memref<3x2xf32>) -> ()
    return
  }
}
