// The CPU pipeline's graph fusions are on by default; each switch turns
// its own off, --fusions=false all of them; xfc-opt's pipeline options do
// the same. This model: a decomposed GELU and a decomposed attention.
// --cpu-attention=reference keeps the fused op but lowers it to loops.
// RUN: xfc %s --target=cpu --emit=linalg -o - | FileCheck %s --check-prefix=ON
// RUN: xfc-opt %s --xfc-cpu-linalg-pipeline | FileCheck %s --check-prefix=ON
// ON: call @xfc_attention
// ON: xf.activation = "gelu_erf"
// RUN: xfc %s --target=cpu --emit=linalg --fusions=false -o - | FileCheck %s --check-prefix=NONE
// RUN: xfc %s --target=cpu --emit=linalg --fuse-attention=false --fuse-activations=false -o - | FileCheck %s --check-prefix=NONE
// RUN: xfc-opt %s --xfc-cpu-linalg-pipeline="fuse-attention=false fuse-activations=false" | FileCheck %s --check-prefix=NONE
// NONE-NOT: call @xfc_attention
// NONE-NOT: xf.activation
// NONE: math.erf
// RUN: xfc %s --target=cpu --emit=linalg --fuse-activations=false -o - | FileCheck %s --check-prefix=NO-GELU
// NO-GELU: call @xfc_attention
// NO-GELU-NOT: xf.activation
// RUN: xfc %s --target=cpu --emit=linalg --cpu-attention=reference -o - | FileCheck %s --check-prefix=REFERENCE
// REFERENCE-NOT: call @xfc_attention
// REFERENCE: xf.activation = "gelu_erf"
func.func @main(%q: tensor<1x2x4x8xf32> {xf.name = "q"}, %k: tensor<1x2x4x8xf32> {xf.name = "k"}, %v: tensor<1x2x4x8xf32> {xf.name = "v"}) -> (tensor<1x2x4x8xf32> {xf.name = "y"}) {
  %half = arith.constant dense<0.5> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %root2 = arith.constant dense<1.41421354> : tensor<f32>
  %s = xf.matmul %q, %k transpose_rhs : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %p = xf.softmax %s : tensor<1x2x4x4xf32>
  %o = xf.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %d = xf.div %o, %root2 : (tensor<1x2x4x8xf32>, tensor<f32>) -> tensor<1x2x4x8xf32>
  %e = xf.erf %d : tensor<1x2x4x8xf32>
  %a = xf.add %e, %one : (tensor<1x2x4x8xf32>, tensor<f32>) -> tensor<1x2x4x8xf32>
  %m = xf.mul %o, %a : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  %y = xf.mul %m, %half : (tensor<1x2x4x8xf32>, tensor<f32>) -> tensor<1x2x4x8xf32>
  return %y : tensor<1x2x4x8xf32>
}
