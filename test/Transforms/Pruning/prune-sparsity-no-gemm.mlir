// A model without a GEMM that has a constant weight is an error for both
// weight-sparsity passes (a matmul of two activations is not one).
// RUN: not xfc-opt %s --xf-prune-unstructured="sparsity=0.5" 2>&1 | FileCheck %s --check-prefix=UNSTRUCTURED
// RUN: not xfc-opt %s --xf-prune-nm 2>&1 | FileCheck %s --check-prefix=NM
// UNSTRUCTURED: error: xf-prune-unstructured: no GEMM with a constant f32 weight (xf.linear, or xf.matmul with a constant 2-D right operand) to prune
// NM: error: xf-prune-nm: no GEMM with a constant f32 weight (xf.linear, or xf.matmul with a constant 2-D right operand) to prune
func.func @no_gemm(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %y = xf.matmul %x, %x : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
