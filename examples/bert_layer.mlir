// One BERT encoder layer (post-LayerNorm) in the xf dialect, spelled the way
// the ONNX frontend imports a PyTorch export: head split by reshape and
// transpose, an extra transpose on K, an additive mask built from the
// 0/1 attention_mask, an identity Cast the exporter leaves behind.
// hidden 64, 4 heads of 16, sequence 8, FFN 256. Weights are arguments here
// to keep the file readable; in imported models they are dense_resource
// constants.
//
//   xfc-opt examples/bert_layer.mlir --canonicalize --cse

func.func @bert_layer(
    %x: tensor<1x8x64xf32>, %attention_mask: tensor<1x8xf32>,
    %wq: tensor<64x64xf32>, %bq: tensor<64xf32>,
    %wk: tensor<64x64xf32>, %bk: tensor<64xf32>,
    %wv: tensor<64x64xf32>, %bv: tensor<64xf32>,
    %wo: tensor<64x64xf32>, %bo: tensor<64xf32>,
    %ln1_g: tensor<64xf32>, %ln1_b: tensor<64xf32>,
    %w1: tensor<256x64xf32>, %b1: tensor<256xf32>,
    %w2: tensor<64x256xf32>, %b2: tensor<64xf32>,
    %ln2_g: tensor<64xf32>, %ln2_b: tensor<64xf32>) -> tensor<1x8x64xf32> {
  // Self-attention: project, split heads.
  %q = xf.linear %x, %wq, %bq : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  %k = xf.linear %x, %wk, %bk : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  %v = xf.linear %x, %wv, %bv : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  %q4 = xf.reshape %q : tensor<1x8x64xf32> -> tensor<1x8x4x16xf32>
  %k4 = xf.reshape %k : tensor<1x8x64xf32> -> tensor<1x8x4x16xf32>
  %v4 = xf.reshape %v : tensor<1x8x64xf32> -> tensor<1x8x4x16xf32>
  %qh = xf.transpose %q4, [0, 2, 1, 3] : (tensor<1x8x4x16xf32>) -> tensor<1x4x8x16xf32>
  %kh = xf.transpose %k4, [0, 2, 1, 3] : (tensor<1x8x4x16xf32>) -> tensor<1x4x8x16xf32>
  %kt = xf.transpose %kh, [0, 1, 3, 2] : (tensor<1x4x8x16xf32>) -> tensor<1x4x16x8xf32>
  %vh = xf.transpose %v4, [0, 2, 1, 3] : (tensor<1x8x4x16xf32>) -> tensor<1x4x8x16xf32>

  // Scores, scaled by 1/sqrt(16), plus the additive mask (1 - m) * -10000.
  %scores = xf.matmul %qh, %kt : (tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32>
  %scale = arith.constant dense<4.0> : tensor<f32>
  %scaled = xf.div %scores, %scale : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  %m_f = xf.cast %attention_mask : tensor<1x8xf32> -> tensor<1x8xf32>
  %m4 = xf.reshape %m_f : tensor<1x8xf32> -> tensor<1x1x8xf32>
  %m5 = xf.reshape %m4 : tensor<1x1x8xf32> -> tensor<1x1x1x8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %inv = xf.sub %one, %m5 : (tensor<f32>, tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
  %large = arith.constant dense<-10000.0> : tensor<f32>
  %additive = xf.mul %inv, %large : (tensor<1x1x1x8xf32>, tensor<f32>) -> tensor<1x1x1x8xf32>
  %masked = xf.add %scaled, %additive : (tensor<1x4x8x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x4x8x8xf32>
  %probs = xf.softmax %masked : tensor<1x4x8x8xf32>
  %ctx = xf.matmul %probs, %vh : (tensor<1x4x8x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x8x16xf32>

  // Merge heads, project, residual, LayerNorm.
  %ctx_t = xf.transpose %ctx, [0, 2, 1, 3] : (tensor<1x4x8x16xf32>) -> tensor<1x8x4x16xf32>
  %ctx_m = xf.reshape %ctx_t : tensor<1x8x4x16xf32> -> tensor<1x8x64xf32>
  %attn = xf.linear %ctx_m, %wo, %bo : (tensor<1x8x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  %res1 = xf.add %attn, %x : (tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
  %ln1 = xf.layer_norm %res1 scale(%ln1_g) bias(%ln1_b) {epsilon = 1.0e-12 : f32} : (tensor<1x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>

  // Feed-forward with exact GELU, residual, LayerNorm.
  %h = xf.linear %ln1, %w1, %b1 : (tensor<1x8x64xf32>, tensor<256x64xf32>, tensor<256xf32>) -> tensor<1x8x256xf32>
  %g = xf.gelu %h : tensor<1x8x256xf32>
  %o = xf.linear %g, %w2, %b2 : (tensor<1x8x256xf32>, tensor<64x256xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  %res2 = xf.add %o, %ln1 : (tensor<1x8x64xf32>, tensor<1x8x64xf32>) -> tensor<1x8x64xf32>
  %out = xf.layer_norm %res2 scale(%ln2_g) bias(%ln2_b) {epsilon = 1.0e-12 : f32} : (tensor<1x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x8x64xf32>
  return %out : tensor<1x8x64xf32>
}
