// The CPU pipeline packs GEMMs that share their input by default, and
// --fuse-qkv=false switches it off (one GEMM vs two in the linalg phase;
// xfc-opt's pipeline option does the same).
// RUN: xfc %s --target=cpu --emit=linalg -o - | FileCheck %s --check-prefix=ON
// RUN: xfc %s --target=cpu --emit=linalg --fuse-qkv=false -o - | FileCheck %s --check-prefix=OFF
// RUN: xfc-opt %s --xfc-cpu-linalg-pipeline=fuse-qkv=false | FileCheck %s --check-prefix=OFF
// ON-COUNT-1: iterator_types = ["parallel", "parallel", "reduction"]
// ON-NOT: "reduction"
// ON: tensor.extract_slice
// OFF-COUNT-2: iterator_types = ["parallel", "parallel", "reduction"]
// OFF-NOT: tensor.extract_slice
func.func @main(%x: tensor<4x3xf32> {xf.name = "x"}) -> (tensor<4x2xf32> {xf.name = "q"}, tensor<4x2xf32> {xf.name = "k"}) {
  %wq = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %wk = arith.constant dense<[[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]> : tensor<3x2xf32>
  %q = xf.matmul %x, %wq : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %k = xf.matmul %x, %wk : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  return %q, %k : tensor<4x2xf32>, tensor<4x2xf32>
}
