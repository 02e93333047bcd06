// A size-1 batch dimension that broadcasts against the other operand
// (xf.matmul of 2x1x4x8 by 2x8x16, as GQA attention has) still becomes a
// oneDNN matmul: convert-xf-to-linalg collapses the unit dimension away
// instead of reading it at a constant 0, which linalg's contraction
// interface would reject; oneDNN broadcasts the batch dimensions each
// operand lacks (size 1 in the descriptor: A's second, B's first).
// RUN: xfc %s --emit=llvm-mlir -o - | FileCheck %s
// CHECK: xfc.cpu.matmuls = ["matmul 0 f32 2x1x4x8:32x1x8x1 1x2x8x16:1x128x16x1 2x2x4x16:128x64x16x1 - 0 -1 -"]
// CHECK-NOT: llvm.func @xfc_kernel{{.*}}reduction
func.func @main(%a: tensor<2x1x4x8xf32> {xf.name = "a"}, %b: tensor<2x8x16xf32> {xf.name = "b"}) -> (tensor<2x2x4x16xf32> {xf.name = "c"}) {
  %0 = xf.matmul %a, %b : (tensor<2x1x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x2x4x16xf32>
  return %0 : tensor<2x2x4x16xf32>
}
