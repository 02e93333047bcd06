// A model with one GEMM (constant weight, bias) for the quantization
// driver tests: input "x" f32 [2, 8], output "y".
func.func @main(%x: tensor<2x8xf32> {xf.name = "x"}) -> (tensor<2x4xf32> {xf.name = "y"}) {
  %w = arith.constant dense<[[0.5, -1.0, 0.25, 2.0], [1.5, 0.75, -0.5, 1.0], [-2.0, 0.5, 1.0, -0.25], [0.1, 0.2, 0.3, 0.4], [1.0, -1.0, 1.0, -1.0], [0.9, 0.8, -0.7, 0.6], [-0.3, 0.6, -0.9, 1.2], [2.5, -2.5, 0.5, -0.5]]> : tensor<8x4xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, -0.4]> : tensor<4xf32>
  %0 = xf.matmul %x, %w : (tensor<2x8xf32>, tensor<8x4xf32>) -> tensor<2x4xf32>
  %1 = xf.add %0, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}
